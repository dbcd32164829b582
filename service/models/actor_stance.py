"""Actor-to-actor stance: the marked-pair input and the classifier backend that scores it.

The model reads one sentence in which the source actor (who takes the stance) and the target actor (toward
whom) are marked: ``[S] Rutte [/S] prijst [T] Kaag [/T] om haar leiderschap``. Training
(``training.actor_stance``, on net2021 statements) and serving must build that string identically, so
:func:`mark_pair`, the feature views and the polarity cues live here and training imports them. The
pickled artefact holds only standard scikit-learn objects, view weights and a word polarity table; the text
preparation is this module's code.

The views mask the actor names (``src`` / ``tgt``): a stance is carried by the words around and between the
actors (``prijst``, ``kritiek op``), and the model must not learn which parties the 2021 news happened to
pit against each other, since the service scores Trump and Poetin as well.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import joblib
import numpy as np
from scipy import sparse

from service import lexicon
from service.models.calibration import Calibration, calibrated
from service.models.loading import ModelFileError, read_joblib_dict, read_metadata
from service.models.ner import embed_tokens, quantize_stack, same_stack
from service.models.stance_features import served_vectorizer, topic_text, transform_distinct, trusted_inputs

if TYPE_CHECKING:
    from service.models.pair_head import PairTokens

POSITIONS: tuple[str, ...] = ("positive", "negative", "neutral")
NEUTRAL = "neutral"
SOURCE_OPEN, SOURCE_CLOSE = "[S]", "[/S]"
TARGET_OPEN, TARGET_CLOSE = "[T]", "[/T]"
MARKERS: tuple[str, ...] = (SOURCE_OPEN, SOURCE_CLOSE, TARGET_OPEN, TARGET_CLOSE)
SOURCE_PLACEHOLDER, TARGET_PLACEHOLDER = "src", "tgt"
# Words either side of the marked pair that still belong to the clause linking the two actors.
CONTEXT_WORDS = 6

METADATA_FILE = "metadata.json"
CLASSIFIER_FILE = "classifier.joblib"

Span = tuple[int, int]

_MARKER_TEXT = re.compile(r"\[/?[ST]\]")
_WHITESPACE = re.compile(r"\s+")
# The corpus is tokenised ("VVD , CDA ( Hoekstra )"), service text is not ("VVD, CDA (Hoekstra)"): both
# are brought to the untokenised form.
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?)%])")
_SPACE_AFTER_OPENING = re.compile(r"([(])\s+")
# Personal and possessive pronouns become one token: they tell the actors' gender and number, not the stance,
# and in a few hundred training sentences "haar" had come to mean criticism (of the women who led parties).
_PRONOUN = re.compile(
    r"\b(?:hij|zij|ze|haar|hem|zijn|hun|hen|ik|mij|me|mijn|wij|we|ons|onze|jij|je|jou|jouw|u|uw)\b", re.IGNORECASE
)
PRONOUN_PLACEHOLDER = "pron"
_MARKED_PAIR = re.compile(
    r"\[(?P<first>[ST])\] (?P<first_name>.*?) \[/(?P=first)\](?P<between>.*?)\[(?P<second>[ST])\] "
    r"(?P<second_name>.*?) \[/(?P=second)\]"
)


class ActorStanceModelError(ModelFileError):
    """The actor stance model directory or one of its files is missing or cannot be read."""


@dataclass(frozen=True, slots=True)
class PairStance:
    """The source actor's stance toward the target actor in one sentence.

    ``scores`` holds the probability of each position (summing to 1); ``position`` is the most probable one
    and ``confidence`` its probability.
    """

    position: str
    scores: dict[str, float]
    confidence: float


def normalise_sentence(text: str) -> str:
    """Whitespace collapsed, no space before closing punctuation or after an opening bracket."""
    text = _WHITESPACE.sub(" ", text).strip()
    return _SPACE_AFTER_OPENING.sub(r"\1", _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text))


def mark_pair(sentence: str, source: Span, target: Span) -> str:
    """The model input: ``sentence`` with ``sentence[source]`` in ``[S] … [/S]`` and ``sentence[target]`` in
    ``[T] … [/T]``, normalised.

    Spans are ``(start, end)`` character offsets into ``sentence``; they must be non-empty, inside it and
    disjoint. Marker-like text already in the sentence is removed so that it cannot be read as a mark.
    """
    _check_spans(sentence, source, target)
    cuts = sorted([(source, SOURCE_OPEN, SOURCE_CLOSE), (target, TARGET_OPEN, TARGET_CLOSE)])
    pieces, position = [], 0
    for (start, end), opening, closing in cuts:
        pieces += [sentence[position:start], f" {opening} ", sentence[start:end], f" {closing} "]
        position = end
    pieces.append(sentence[position:])
    cleaned = [piece if piece.strip() in MARKERS else _MARKER_TEXT.sub(" ", piece) for piece in pieces]
    return normalise_sentence("".join(cleaned))


def _check_spans(sentence: str, source: Span, target: Span) -> None:
    for name, (start, end) in (("source", source), ("target", target)):
        if not 0 <= start < end <= len(sentence):
            raise ValueError(f"{name} span {start}:{end} is empty or outside the sentence (length {len(sentence)})")
        if not sentence[start:end].strip():
            raise ValueError(f"{name} span {start}:{end} holds only whitespace")
    if source[0] < target[1] and target[0] < source[1]:
        raise ValueError(f"source span {source[0]}:{source[1]} overlaps target span {target[0]}:{target[1]}")


def _pronouns_masked(text: str) -> str:
    return _PRONOUN.sub(PRONOUN_PLACEHOLDER, text)


@dataclass(frozen=True, slots=True)
class _PairParts:
    """A marked sentence cut at its marks: the text before, between and after the pair (pronouns masked),
    and their order."""

    before: str
    between: str
    after: str
    source_first: bool


@lru_cache(maxsize=4096)
def _parts(marked: str) -> _PairParts:
    """Every view reads the same cut of a marked sentence; the cut is made once per sentence (cached)."""
    match = _MARKED_PAIR.search(marked)
    if match is None:
        raise ValueError(f"not a marked pair (expected {SOURCE_OPEN} and {TARGET_OPEN} marks): {marked!r}")
    return _PairParts(
        before=_pronouns_masked(marked[: match.start()]),
        between=_pronouns_masked(match["between"]),
        after=_pronouns_masked(marked[match.end() :]),
        source_first=match["first"] == "S",
    )


def masked_sentence(marked: str) -> str:
    """The whole sentence with the actors replaced by ``src`` and ``tgt`` (and pronouns by ``pron``)."""
    parts = _parts(marked)
    first, second = (
        (SOURCE_PLACEHOLDER, TARGET_PLACEHOLDER) if parts.source_first else (TARGET_PLACEHOLDER, SOURCE_PLACEHOLDER)
    )
    return normalise_sentence(f"{parts.before} {first} {parts.between} {second} {parts.after}")


def between_words(marked: str) -> str:
    """The words between the two actors, each prefixed by the pair's order (``st:`` source first, else
    ``ts:``): "A prijst B" and "B prijst A" say opposite things about who supports whom."""
    parts = _parts(marked)
    order = "st" if parts.source_first else "ts"
    words = re.findall(r"\w+", parts.between.lower()) or ["<adjacent>"]
    return " ".join(f"{order}:{word}" for word in words)


def context_words(marked: str) -> str:
    """The masked clause around the pair: a few words before, all words between, a few after."""
    parts = _parts(marked)
    before = parts.before.split()[-CONTEXT_WORDS:]
    after = parts.after.split()[:CONTEXT_WORDS]
    first, second = (
        (SOURCE_PLACEHOLDER, TARGET_PLACEHOLDER) if parts.source_first else (TARGET_PLACEHOLDER, SOURCE_PLACEHOLDER)
    )
    return normalise_sentence(" ".join([*before, first, parts.between, second, *after]))


# The plain-text views below feed pooled word vectors (``service.models.pooled_vectors``): the actor names and
# the pronoun placeholders are dropped (a vector for "src" or "pron" means nothing), the words are kept as written.
_PRONOUN_PLACEHOLDER_WORD = re.compile(rf"\b{PRONOUN_PLACEHOLDER}\b")


def _plain(text: str) -> str:
    return normalise_sentence(_PRONOUN_PLACEHOLDER_WORD.sub(" ", text))


def between_text(marked: str) -> str:
    """The words between the actors as written, after the pair's order as a "topic" (``st | …`` source first,
    else ``ts | …``; ``stance_features.topic_text``), so that a topic-crossed pooling gives each order a block."""
    parts = _parts(marked)
    return topic_text(_plain(parts.between), "st" if parts.source_first else "ts")


def clause_text(marked: str) -> str:
    """The clause around the pair (as :func:`context_words`) without the actors' names."""
    parts = _parts(marked)
    before = parts.before.split()[-CONTEXT_WORDS:]
    after = parts.after.split()[:CONTEXT_WORDS]
    return _plain(" ".join([*before, parts.between, *after]))


def sentence_text(marked: str) -> str:
    """The whole sentence without the actors' names."""
    parts = _parts(marked)
    return _plain(f"{parts.before} {parts.between} {parts.after}")


# Dutch words with which one actor supports or attacks another (``lexicon/nl/relation_polarity_cues.txt``): stems
# match as word prefixes, the other entries only as whole words.
_CUE_STEMS = lexicon.tagged("relation_polarity_cues", "stem")
SUPPORT_STEMS = tuple(sorted(lexicon.tagged("relation_polarity_cues", "support") & _CUE_STEMS))
SUPPORT_WORDS = lexicon.tagged("relation_polarity_cues", "support") - _CUE_STEMS
CRITICISM_STEMS = tuple(sorted(lexicon.tagged("relation_polarity_cues", "criticism") & _CUE_STEMS))
CRITICISM_WORDS = lexicon.tagged("relation_polarity_cues", "criticism") - _CUE_STEMS
NEGATIONS = lexicon.words("negations")
NEGATION_REACH = 3


@dataclass(frozen=True)
class PolarityLexicon:
    """Prior polarity of words: the support/criticism cues above plus a word → polarity table (the model
    ships the table it was trained with; see the model card for its source and licence).

    Gives the rule baseline its score and the classifier a view that knows words it never saw in training.
    """

    word_polarity: Mapping[str, float]

    def polarity(self, word: str) -> float:
        """+1 for a support cue, -1 for a criticism cue, else the table's polarity (0 when unknown)."""
        if word in CRITICISM_WORDS or word.startswith(CRITICISM_STEMS):
            return -1.0
        if word in SUPPORT_WORDS or word.startswith(SUPPORT_STEMS):
            return 1.0
        return float(self.word_polarity.get(word, 0.0))

    def signed_words(self, marked: str) -> list[tuple[str, str, float]]:
        """``(part, word, polarity)`` for every polar word of the clause around the pair (part is ``before``,
        ``between`` or ``after``); a negation in the three words before a word flips its polarity."""
        parts = _parts(marked)
        pieces = (
            ("before", parts.before.split()[-CONTEXT_WORDS:]),
            ("between", parts.between.split()),
            ("after", parts.after.split()[:CONTEXT_WORDS]),
        )
        words = [
            (part, word) for part, chunk in pieces for token in chunk for word in re.findall(r"\w+", token.lower())
        ]
        signed = []
        for i, (part, word) in enumerate(words):
            polarity = self.polarity(word)
            if polarity and NEGATIONS & {w for _, w in words[max(0, i - NEGATION_REACH) : i]}:
                polarity = -polarity
            if polarity:
                signed.append((part, word, polarity))
        return signed

    def score(self, marked: str) -> float:
        """Summed polarity of the clause around the pair (the rule baseline's score)."""
        return sum(polarity for _, _, polarity in self.signed_words(marked))

    def tokens(self, marked: str) -> str:
        """The polarity view: a ``pos``/``neg`` token per polar word, also by part of the clause, and the sign
        of the sum."""
        signed = self.signed_words(marked)
        tokens = []
        for part, _, polarity in signed:
            sign = "pos" if polarity > 0 else "neg"
            tokens += [sign, f"{part}:{sign}"]
        total = sum(polarity for _, _, polarity in signed)
        tokens.append("sum:pos" if total > 0 else "sum:neg" if total < 0 else "sum:zero")
        return " ".join(tokens)


FEATURE_VIEWS: Mapping[str, Callable[[str, PolarityLexicon], str]] = MappingProxyType(
    {
        "masked_sentence": lambda marked, _: masked_sentence(marked),
        "between_words": lambda marked, _: between_words(marked),
        "context_words": lambda marked, _: context_words(marked),
        "polarity": lambda marked, lexicon: lexicon.tokens(marked),
        "between_text": lambda marked, _: between_text(marked),
        "clause_text": lambda marked, _: clause_text(marked),
        "sentence_text": lambda marked, _: sentence_text(marked),
    }
)


def featurise(
    marked: Sequence[str],
    views: Sequence[str],
    vectorizers: Sequence[Any],
    weights: Sequence[float],
    lexicon: PolarityLexicon,
) -> Any:
    """Sparse features of marked sentences: each view's text through its fitted vectoriser, scaled by the
    view's weight (a few polarity tokens must be able to outweigh thousands of n-grams), stacked."""
    blocks = [
        weight * transform_distinct(vec, [FEATURE_VIEWS[view](m, lexicon) for m in marked])
        for view, vec, weight in zip(views, vectorizers, weights)
    ]
    return sparse.hstack(blocks, format="csr")


@dataclass(frozen=True)
class SklearnPairScorer:
    """Feature views + their fitted vectorisers and weights + a scikit-learn classifier with
    ``predict_proba``, and the polarity lexicon the ``polarity`` view reads."""

    views: tuple[str, ...]
    vectorizers: tuple[Any, ...]
    weights: tuple[float, ...]
    classifier: Any
    lexicon: PolarityLexicon

    def scores(self, marked: Sequence[str]) -> np.ndarray:
        """Position probabilities, shape ``(len(marked), len(POSITIONS))``, in ``POSITIONS`` order."""
        with trusted_inputs():
            features = featurise(marked, self.views, self.vectorizers, self.weights, self.lexicon)
            probabilities = self.classifier.predict_proba(features)
        column = {label: i for i, label in enumerate(self.classifier.classes_)}
        ordered = np.column_stack(
            [probabilities[:, column[p]] if p in column else np.zeros(len(marked)) for p in POSITIONS]
        )
        return ordered / ordered.sum(axis=1, keepdims=True)


class ActorStanceModel:
    """The actor-to-actor stance classifier, loaded once; ``predict`` mutates nothing (thread-safe).

    Its scores are the scikit-learn scorer's, averaged with the pair heads' (``service.models.pair_head``) at
    ``head_weight`` where the model has heads. ``thresholds`` (from the model's metadata, chosen on the corpus dev
    split by training) is the probability a side needs before a verdict takes it: most pairs of actors in one
    sentence hold no stance, and the class-balanced classifiers would otherwise give many of them a side.

    ``embeddings`` is the Flair stack the heads read: the NER model's when it has the same layout (the pipeline
    then hands over the vectors NER computed), else the model's own copy."""

    def __init__(
        self,
        model_id: str,
        version: str,
        scorer: SklearnPairScorer,
        metadata: Mapping[str, Any],
        heads: Sequence[Any] = (),
        embeddings: Any = None,
    ) -> None:
        self.model_id = model_id
        self.version = version
        self.metadata: Mapping[str, Any] = MappingProxyType(dict(metadata))
        self.thresholds: Mapping[str, float] = MappingProxyType(dict(metadata.get("thresholds", {})))
        # A side's confidence as the chance it is right (fitted on corpus dev); None: the raw score.
        self.calibration = Calibration.from_metadata(metadata)
        self.heads = tuple(heads)
        self.head_weight = float(metadata.get("head_weight", 0.0)) if heads else 0.0
        self.embeddings = embeddings
        self.scorer = scorer
        self._lock = threading.Lock()

    @property
    def reads_vectors(self) -> bool:
        """Whether the model has pair heads, which read token vectors."""
        return bool(self.heads)

    def sentence_vectors(self, token_lists: list[list[str]]) -> list[Any]:
        """Token vectors of tokenised sentences from the heads' embedding stack."""
        with self._lock:
            return embed_tokens(self.embeddings, token_lists)

    def predict(
        self, pairs: Sequence[tuple[str, Span, Span]], tokens: Sequence[PairTokens] | None = None
    ) -> list[PairStance]:
        """The stance of each ``(sentence, source span, target span)``, in one batched call.

        ``tokens`` gives the heads each pair's evidence as they read it (the pipeline builds it from the
        document's vectors); without it the heads read each sentence, embedded here, as a plain sentence.
        Raises ``ValueError`` for a span that is empty, outside its sentence or overlapping the other.
        """
        if not pairs:
            return []
        marked = [mark_pair(sentence, source, target) for sentence, source, target in pairs]
        scores = self.scorer.scores(marked)
        if self.heads:
            from service.models.pair_head import head_scores

            if tokens is None:
                tokens = self._plain_tokens(pairs)
            scores = (1.0 - self.head_weight) * scores + self.head_weight * head_scores(self.heads, tokens)
        return [decide(row, self.thresholds) for row in scores]

    def _plain_tokens(self, pairs: Sequence[tuple[str, Span, Span]]) -> list[PairTokens]:
        from service.models.pair_head import embedded_pair_tokens

        return embedded_pair_tokens(
            self.sentence_vectors, [(sentence, source, target, False) for sentence, source, target in pairs]
        )


def side_confidence(position: str, score: float, calibration: Calibration | None) -> float:
    """A pair stance's confidence: a side's score through the model's curve, which was fitted on the sides the
    service returns; a neutral stance keeps the model's neutral score."""
    return score if position == NEUTRAL else calibrated(calibration, score)


def decide(row: np.ndarray, thresholds: Mapping[str, float]) -> PairStance:
    """The verdict on one row of probabilities (``POSITIONS`` order): the more probable side when it reaches its
    threshold, else ``neutral``; a side without a threshold needs only to be the most probable position."""
    sides = [
        (float(row[i]), position)
        for i, position in enumerate(POSITIONS)
        if position != NEUTRAL and row[i] >= thresholds.get(position, row.max())
    ]
    position = max(sides)[1] if sides else NEUTRAL
    return PairStance(
        position=position,
        scores={p: float(s) for p, s in zip(POSITIONS, row)},
        confidence=float(row[POSITIONS.index(position)]),
    )


def save_actor_stance_model(directory: str | Path, scorer: SklearnPairScorer, metadata: Mapping[str, Any]) -> None:
    """Write ``metadata.json`` and ``classifier.joblib`` (the format :func:`load_actor_stance_model` reads)."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    artefact = {
        "views": scorer.views,
        "vectorizers": scorer.vectorizers,
        "weights": scorer.weights,
        "classifier": scorer.classifier,
        "word_polarity": dict(scorer.lexicon.word_polarity),
    }
    joblib.dump(artefact, path / CLASSIFIER_FILE, compress=3)
    (path / METADATA_FILE).write_text(json.dumps(metadata, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def load_actor_stance_model(
    directory: str | Path, ner_embeddings: Any = None, quantize: Sequence[str] = ()
) -> ActorStanceModel:
    """Load ``metadata.json`` + ``classifier.joblib`` (``training.actor_stance_corpus``) and, where the directory
    has one, ``pair_head.pt`` (``training.actor_stance_head``). The heads read ``ner_embeddings`` where that stack
    has the layout they were trained over, else their own copy, with the ``quantize`` parts of it
    (``NER_QUANTIZE``: ``lm``, ``char``) as int8 as the NER model's are; with any ``quantize`` the heads are int8
    too (on corpus dev the same 45 right pairs of 82 returned, against 83 in fp32, in two thirds of the time)."""
    path = Path(directory)
    metadata = _read_metadata(path / METADATA_FILE)
    artefact = _read_artefact(path / CLASSIFIER_FILE)
    unknown = [view for view in artefact["views"] if view not in FEATURE_VIEWS]
    if unknown:
        raise ActorStanceModelError(f"{path / CLASSIFIER_FILE} uses feature views this code lacks: {unknown}")
    lexicon = PolarityLexicon(MappingProxyType(dict(artefact["word_polarity"])))
    scorer = SklearnPairScorer(
        tuple(artefact["views"]),
        tuple(served_vectorizer(vectorizer) for vectorizer in artefact["vectorizers"]),
        tuple(float(w) for w in artefact["weights"]),
        artefact["classifier"],
        lexicon,
    )
    # torch: only a process that loads models needs these
    from service.models.characters import use_batched_characters
    from service.models.pair_head import HEAD_FILE, load_heads

    if not (path / HEAD_FILE).is_file():
        return ActorStanceModel(metadata["model_id"], metadata["version"], scorer, metadata)
    heads, embeddings = load_heads(path / HEAD_FILE, quantized=bool(quantize))
    if same_stack(embeddings, ner_embeddings):
        embeddings = ner_embeddings
    else:
        use_batched_characters(embeddings)
        quantize_stack(embeddings, quantize)
    return ActorStanceModel(metadata["model_id"], metadata["version"], scorer, metadata, heads, embeddings)


def _read_metadata(path: Path) -> dict[str, Any]:
    metadata = read_metadata(path, ("model_id", "version", "positions"), ActorStanceModelError, "actor stance model")
    if tuple(metadata["positions"]) != POSITIONS:
        raise ActorStanceModelError(f"{path}: positions {metadata['positions']} are not {list(POSITIONS)}")
    return metadata


def _read_artefact(path: Path) -> dict[str, Any]:
    """A joblib dict written by ``training.actor_stance``."""
    required = ("views", "vectorizers", "weights", "classifier", "word_polarity")
    return read_joblib_dict(path, required, ActorStanceModelError, "actor stance model")
