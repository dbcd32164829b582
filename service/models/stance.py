"""Actor stance on political issues: the model input window, the relevance gate and the stance classifier.

The classifier was trained on the issuepositions ``units.csv`` windows (previous + current + next sentence,
the actor mention wrapped in ``**…**``). The service must build exactly that input from its own sentence
splitter, so the window builder and :func:`normalise_window` live here and training imports them; the
feature views are module-level functions for the same reason (the pickled artefacts hold only standard
scikit-learn objects, the text preparation is code shared by training and serving).

A stance is only meaningful when the window is about the topic, so every prediction carries the relevance
gate's probability for that topic and whether it passes the threshold calibrated on held-out data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import joblib
import numpy as np
from scipy import sparse

from service.text import Sentence

TOPICS: tuple[str, ...] = (
    "immigration",
    "civil_rights",
    "environment",
    "economic",
    "agriculture",
    "education",
)
POSITIONS: tuple[str, ...] = ("positive", "negative", "neutral")
MARK = "**"

METADATA_FILE = "metadata.json"
SKLEARN_CLASSIFIER_FILE = "classifier.joblib"
FLAIR_CLASSIFIER_FILE = "model.pt"
GATE_FILE = "gate.joblib"

# units.csv glues sentences together ("overboord.Het"); a space is put back after sentence-final punctuation
# (and closing quotes) that is directly followed by an optional marker/opening quote and a capital.
_GLUED_SENTENCE = re.compile(r"([.!?…]+[\"'”’»]*)(?=(?:\*\*)?[\"'„“«(]?(?:\*\*)?[A-ZÀ-ÖØ-Þ])")
_WHITESPACE = re.compile(r"\s+")
# Words either side of the marked mention that make up the actor's own clause (the "actor" view).
ACTOR_CONTEXT_WORDS = 10


class StanceModelError(RuntimeError):
    """The stance model directory or one of its files is missing or cannot be read."""


@dataclass(frozen=True, slots=True)
class TopicStance:
    """The stance of one window's actor on one topic.

    ``scores`` holds the probability of each position (summing to 1); ``relevance`` is the gate's
    probability that the window is about ``topic`` and ``relevant`` whether it reaches the calibrated
    threshold. Callers should only report ``position`` where ``relevant`` is true.
    """

    topic: str
    position: str
    scores: dict[str, float]
    relevance: float
    relevant: bool


def normalise_window(window: str) -> str:
    """Canonical form of a model input: glued sentences separated, whitespace collapsed.

    Applied to units.csv texts in training and to service windows at inference, so both look alike.
    """
    return _WHITESPACE.sub(" ", _GLUED_SENTENCE.sub(r"\1 ", window)).strip()


def stance_window(text: str, sentences: list[Sentence], sentence_index: int, start: int, end: int) -> str:
    """The model input for the mention ``text[start:end]`` in ``sentences[sentence_index]``.

    Previous sentence + sentence + next sentence with the mention wrapped in ``**…**``, normalised.
    """
    sentence = sentences[sentence_index]
    if not sentence.start <= start < end <= sentence.end:
        raise ValueError(
            f"mention {start}:{end} lies outside sentence {sentence_index} ({sentence.start}:{sentence.end})"
        )
    marked = text[sentence.start : start] + MARK + text[start:end] + MARK + text[end : sentence.end]
    before = [text[s.start : s.end] for s in sentences[max(0, sentence_index - 1) : sentence_index]]
    after = [text[s.start : s.end] for s in sentences[sentence_index + 1 : sentence_index + 2]]
    return normalise_window(" ".join([*before, marked, *after]))


def topic_text(window: str, topic: str) -> str:
    """The whole window with the topic id in front (the baseline's and the Flair classifier's input)."""
    return f"{topic} | {window}"


def actor_context(window: str, topic: str) -> str:
    """The words around the marked mention(s): what the actor says or does, not the whole window."""
    words = window.split()
    marked = [i for i, word in enumerate(words) if MARK in word]
    if not marked:
        return window
    return " ".join(words[max(0, marked[0] - ACTOR_CONTEXT_WORDS) : marked[-1] + ACTOR_CONTEXT_WORDS + 1])


def topic_words(window: str, topic: str) -> str:
    """Every word crossed with the topic ("immigration:beperken"): a word's pole differs per topic."""
    return " ".join(f"{topic}:{word}" for word in re.findall(r"\w+", window.lower()))


def mention_topic(window: str, topic: str) -> str:
    """The marked mention's words crossed with the topic ("immigration:wilders"): an actor's usual stance."""
    mentions = re.findall(r"\*\*(.+?)\*\*", window)
    return " ".join(f"{topic}:{word}" for mention in mentions for word in re.findall(r"\w+", mention.lower()))


def plain_text(window: str, topic: str = "") -> str:
    """The window without markers: what the relevance gate reads (relevance does not depend on the actor)."""
    return window.replace(MARK, "")


FEATURE_VIEWS: Mapping[str, Callable[[str, str], str]] = MappingProxyType(
    {
        "topic_text": topic_text,
        "actor_context": actor_context,
        "topic_words": topic_words,
        "mention_topic": mention_topic,
        "plain_text": plain_text,
    }
)


def featurise(pairs: Sequence[tuple[str, str]], views: Sequence[str], vectorizers: Sequence[Any]) -> Any:
    """Sparse features of ``(window, topic)`` pairs: each view's text through its vectoriser, stacked."""
    blocks = [vec.transform([FEATURE_VIEWS[view](w, t) for w, t in pairs]) for view, vec in zip(views, vectorizers)]
    return sparse.hstack(blocks, format="csr")


class _StanceScorer(Protocol):
    def scores(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Position probabilities, shape ``(len(pairs), len(POSITIONS))`` in ``POSITIONS`` order."""
        ...


def _reorder(probabilities: np.ndarray, classes: Sequence[str], order: Sequence[str]) -> np.ndarray:
    """Columns of ``probabilities`` (labelled ``classes``) in ``order``; absent ones 0; rows sum to 1."""
    index = {label: i for i, label in enumerate(classes)}
    columns = [probabilities[:, index[label]] if label in index else np.zeros(len(probabilities)) for label in order]
    out = np.column_stack(columns)
    totals = out.sum(axis=1, keepdims=True)
    return np.divide(out, totals, out=np.full_like(out, 1 / len(order)), where=totals > 0)


@dataclass(frozen=True)
class SklearnMember:
    """Feature views + their fitted vectorisers + a scikit-learn classifier with ``predict_proba``."""

    views: tuple[str, ...]
    vectorizers: tuple[Any, ...]
    classifier: Any

    def scores(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        features = featurise(pairs, self.views, self.vectorizers)
        return _reorder(self.classifier.predict_proba(features), list(self.classifier.classes_), POSITIONS)


@dataclass(frozen=True)
class SklearnStanceScorer:
    """The average of its members' position probabilities (one member: a plain classifier).

    Averaging a character model and a word/topic-cross model measured better on dev than either alone.
    """

    members: tuple[SklearnMember, ...]

    def scores(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        return np.mean([member.scores(pairs) for member in self.members], axis=0)


class FlairStanceScorer:
    """A Flair ``TextClassifier`` over :func:`topic_text` whose labels are the positions."""

    def __init__(self, path: Path) -> None:
        from flair.models import TextClassifier  # imported here: Flair is slow to import and optional

        self._model = TextClassifier.load(str(path))
        self._model.eval()

    def scores(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        from flair.data import Sentence as FlairSentence

        sentences = [FlairSentence(topic_text(w, t)) for w, t in pairs]
        self._model.predict(sentences, mini_batch_size=64, return_probabilities_for_all_classes=True, verbose=False)
        label_type = self._model.label_type
        rows = [{label.value: label.score for label in s.get_labels(label_type)} for s in sentences]
        probabilities = np.array([[row.get(p, 0.0) for p in POSITIONS] for row in rows], dtype=float)
        return _reorder(probabilities, POSITIONS, POSITIONS)


@dataclass(frozen=True)
class RelevanceGate:
    """One-vs-rest topic classifiers over the unmarked window; ``none`` windows are negatives for all."""

    views: tuple[str, ...]
    vectorizers: tuple[Any, ...]
    classifier: Any
    topics: tuple[str, ...]

    def relevance(self, windows: Sequence[str]) -> np.ndarray:
        """Probability that each window is about each topic, shape ``(len(windows), len(self.topics))``."""
        features = featurise([(w, "") for w in windows], self.views, self.vectorizers)
        return np.asarray(self.classifier.predict_proba(features), dtype=float)


class StanceModel:
    """Stance classifier + relevance gate, loaded once; ``predict`` mutates nothing (thread-safe)."""

    def __init__(
        self,
        model_id: str,
        version: str,
        topics: Sequence[str],
        scorer: _StanceScorer,
        gate: RelevanceGate,
        thresholds: Mapping[str, float],
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.model_id = model_id
        self.version = version
        self.topics: tuple[str, ...] = tuple(topics)
        self.thresholds: Mapping[str, float] = MappingProxyType(dict(thresholds))
        self.metadata: Mapping[str, Any] = MappingProxyType(dict(metadata or {}))
        self._scorer = scorer
        self._gate = gate
        self._gate_column = {topic: i for i, topic in enumerate(gate.topics)}

    def predict(self, windows: list[str], topics: Sequence[str] | None = None) -> list[list[TopicStance]]:
        """For every window, the stance on every requested topic (default: all), in one batched call each
        for the gate and the classifier."""
        wanted = self._check_topics(topics)
        if not windows or not wanted:
            return [[] for _ in windows]
        relevance = self._gate.relevance(windows)[:, [self._gate_column[topic] for topic in wanted]]
        pairs = [(window, topic) for window in windows for topic in wanted]
        scores = self._scorer.scores(pairs).reshape(len(windows), len(wanted), len(POSITIONS))
        return [
            [self._stance(topic, scores[w, t], relevance[w, t]) for t, topic in enumerate(wanted)]
            for w in range(len(windows))
        ]

    def predict_relevant(self, windows: list[str]) -> list[list[TopicStance]]:
        """For every window, the stances on only the topics the gate passes.

        The gate is cheap and passes few (window, topic) pairs in real articles, so scoring just those with
        the classifier (one batched call) saves most of the stance time of ``/v1/analyze``.
        """
        if not windows:
            return []
        relevance = self._gate.relevance(windows)[:, [self._gate_column[topic] for topic in self.topics]]
        thresholds = np.array([self.thresholds[topic] for topic in self.topics])
        passed = np.argwhere(relevance >= thresholds)
        results: list[list[TopicStance]] = [[] for _ in windows]
        if len(passed) == 0:
            return results
        scores = self._scorer.scores([(windows[w], self.topics[t]) for w, t in passed])
        for (w, t), row in zip(passed, scores):
            results[w].append(self._stance(self.topics[t], row, relevance[w, t]))
        return results

    def _check_topics(self, topics: Sequence[str] | None) -> tuple[str, ...]:
        if topics is None:
            return self.topics
        unknown = [t for t in topics if t not in self.topics]
        if unknown:
            raise ValueError(f"unknown topic(s) {unknown}; this model knows {list(self.topics)}")
        return tuple(dict.fromkeys(topics))

    def _stance(self, topic: str, scores: np.ndarray, relevance: float) -> TopicStance:
        by_position = {p: float(s) for p, s in zip(POSITIONS, scores)}
        return TopicStance(
            topic=topic,
            position=POSITIONS[int(np.argmax(scores))],
            scores=by_position,
            relevance=float(relevance),
            relevant=bool(relevance >= self.thresholds[topic]),
        )


def _read_metadata(directory: Path) -> dict[str, Any]:
    path = directory / METADATA_FILE
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise StanceModelError(f"stance model metadata not found: {path}") from error
    except (OSError, ValueError) as error:
        raise StanceModelError(f"stance model metadata unreadable: {path}: {error}") from error
    missing = [k for k in ("model_id", "version", "topics", "thresholds") if k not in metadata]
    if missing:
        raise StanceModelError(f"stance model metadata {path} lacks {missing}")
    unknown = [t for t in metadata["topics"] if t not in TOPICS or t not in metadata["thresholds"]]
    if unknown:
        raise StanceModelError(f"stance model metadata {path}: unknown topics or no threshold for {unknown}")
    return metadata


def _load_artefact(path: Path) -> dict[str, Any]:
    """A joblib dict written by ``training.stance`` (our own files: unpickling them is trusted)."""
    if not path.is_file():
        raise StanceModelError(f"stance model file not found: {path}")
    try:
        artefact = joblib.load(path)
    except Exception as error:  # joblib/pickle raise many types on a corrupt file
        raise StanceModelError(f"stance model file unreadable: {path}: {error}") from error
    if not isinstance(artefact, dict):
        raise StanceModelError(f"stance model file {path} holds {type(artefact).__name__}, not a dict")
    return artefact


def _member(part: Mapping[str, Any]) -> SklearnMember:
    return SklearnMember(tuple(part["views"]), tuple(part["vectorizers"]), part["classifier"])


def _load_scorer(directory: Path) -> _StanceScorer:
    """Flair ``model.pt`` if present, else the scikit-learn ``classifier.joblib`` ensemble."""
    flair_path = directory / FLAIR_CLASSIFIER_FILE
    if flair_path.is_file():
        try:
            return FlairStanceScorer(flair_path)
        except Exception as error:  # torch/pickle raise many types on a corrupt file
            raise StanceModelError(f"stance model file unreadable: {flair_path}: {error}") from error
    path = directory / SKLEARN_CLASSIFIER_FILE
    artefact = _load_artefact(path)
    try:
        return SklearnStanceScorer(tuple(_member(part) for part in artefact["members"]))
    except (KeyError, TypeError) as error:
        raise StanceModelError(f"stance model file {path} lacks {error}") from error


def _load_gate(directory: Path) -> RelevanceGate:
    path = directory / GATE_FILE
    artefact = _load_artefact(path)
    try:
        member = _member(artefact)
        return RelevanceGate(member.views, member.vectorizers, member.classifier, tuple(artefact["topics"]))
    except (KeyError, TypeError) as error:
        raise StanceModelError(f"stance model file {path} lacks {error}") from error


def load_stance_model(path: str | Path) -> StanceModel:
    """Load the stance model directory (metadata.json, gate.joblib and classifier.joblib or model.pt)."""
    directory = Path(path)
    if not directory.is_dir():
        raise StanceModelError(f"stance model directory not found: {directory}")
    metadata = _read_metadata(directory)
    gate = _load_gate(directory)
    if not set(metadata["topics"]) <= set(gate.topics):
        raise StanceModelError(f"relevance gate in {directory} does not cover topics {metadata['topics']}")
    return StanceModel(
        model_id=metadata["model_id"],
        version=metadata["version"],
        topics=metadata["topics"],
        scorer=_load_scorer(directory),
        gate=gate,
        thresholds={t: float(metadata["thresholds"][t]) for t in metadata["topics"]},
        metadata=metadata,
    )
