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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import joblib
import numpy as np
from scipy import sparse

from service.models.loading import ModelFileError, read_joblib_dict, read_metadata
from service.models.stance_features import topic_text

POSITIONS: tuple[str, ...] = ("positive", "negative", "neutral")
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
_CLAUSE_END = re.compile(r"[,.;:!?]$")
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
    and ``confidence`` its probability. ``relation_cue`` is +1/-1 when a relation cue linked the pair and
    decided the position (:func:`relation_cue`), else 0.
    """

    position: str
    scores: dict[str, float]
    confidence: float
    relation_cue: int = 0


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


def _parts(marked: str) -> _PairParts:
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


# Dutch words with which one actor supports or attacks another, written for this project. Stems match as word
# prefixes; short or ambiguous words ("eens", "tegen", "prijst": "prijs" is also "price") only as whole words.
SUPPORT_STEMS: tuple[str, ...] = (
    "steun",
    "gesteund",
    "prees",
    "prezen",
    "geprezen",
    "looft",
    "loven",
    "compliment",
    "bewonder",
    "waardeer",
    "waardering",
    "samenwerk",
    "bondgeno",
    "akkoord",
    "instem",
    "bijval",
    "bedank",
    "dankbaar",
    "feliciteer",
    "verdedig",
    "vertrouw",
    "omarm",
    "verwelkom",
    "aansluit",
    "coalitiepartner",
    "sympathie",
    "eensgezind",
    "bewondering",
    "lofrede",
    "hulde",
    "applaudis",
)
SUPPORT_WORDS: frozenset[str] = frozenset(
    {"prijst", "prijzen", "lof", "eens", "samen", "helpt", "helpen", "hulp", "respect", "trots"}
)
CRITICISM_STEMS: tuple[str, ...] = (
    "kritiek",
    "kritisch",
    "bekritiseer",
    "hekel",
    "uithaal",
    "aanval",
    "aanvallen",
    "verwijt",
    "verweet",
    "beschuldig",
    "veroordeel",
    "afkeur",
    "afgewezen",
    "verwerp",
    "uitsluit",
    "uitgesloten",
    "botst",
    "botsen",
    "botsing",
    "ruzie",
    "conflict",
    "clash",
    "bespot",
    "hoon",
    "woedend",
    "teleurgesteld",
    "waarschuw",
    "oneens",
    "wantrouw",
    "leugen",
    "liegt",
    "liegen",
    "gelogen",
    "hypocriet",
    "onzin",
    "schande",
    "schandalig",
    "faalt",
    "gefaald",
    "mislukt",
    "irritatie",
    "ergert",
    "ergernis",
    "sneer",
    "ondermijn",
    "dreigt",
    "treiter",
    "tegenstander",
    "vernietigend",
    "onacceptabel",
    "verbijster",
    "zwartmak",
    "beschadig",
    "afrekenen",
    "afstand",
    "verzet",
    "boycot",
    "opstappen",
    "aftreden",
    "zondebok",
)
CRITICISM_WORDS: frozenset[str] = frozenset(
    {"boos", "spot", "tegen", "zwak", "faal", "eist", "eisen", "valt", "viel", "haalt", "haalde", "slaat", "sloeg"}
)
NEGATIONS: frozenset[str] = frozenset({"niet", "geen", "nooit", "allerminst", "nauwelijks", "noch"})
NEGATION_REACH = 3
# Words after a clause-final negation: "erkennen [T] niet meer als president", "steunt [T] niet, maar …".
CLAUSE_AFTER_NEGATION: frozenset[str] = frozenset({"meer", "langer", "als", "en", "maar", "want", "omdat", "of"})


# Verbs and nouns with which a source acts on its target, read only between the two actors and in the few words
# after them (Dutch puts separable particles and objects there: "legt Iran sancties op"). Unlike the cue words
# above, which feed the classifier among thousands of n-grams, a match here decides the position (see
# ``ActorStanceModel``): the classifier, trained on a few hundred 2021 election sentences, learned topic words
# ("regime", "dictatoriaal") that say nothing about who supports whom in foreign news. Prefixes of lower-cased words.
RELATION_SUPPORT_CUE = re.compile(
    r"^(?:steun|gesteund|prijst|prijzen|prees|prezen|geprezen|loof|looft|loven|lovend|bedank|feliciteer|"
    r"gefeliciteerd|complimente|samenwerk|vertrouwt|vertrouwen|vertrouwde|erken|verdedig|omarm|verwelkom|bondgeno|"
    r"dankbaar|bewonder|waardeer|waardering|vriend|bevriend)"
)
RELATION_CRITICISM_CUE = re.compile(
    r"^(?:bekritiseer|kritiek|beschuldig|veroordeel|sanctie|gesanctioneerd|dreig|gedreigd|bedreig|aanval|waarschuw|"
    r"gewaarschuwd|eist|eisen|eiste|verwijt|verweet|boycot|aanklacht|aangeklaagd|demonstre|verzet|verwerp|ondermijn|"
    r"straf|gestraft|hekel|tegenstander|rivaal|uitdager|verbolgen|woedend|furieus|boos|uitgezet|uitgewezen|uitwijz|"
    r"uitzett|uithaal|uitgehaald|beledig|weiger|geweigerd|boete|beboet|bezorgd|ontsla|arrest|gearresteerd|"
    r"verbannen|tegengehouden|geblokkeerd|blokkeer|onvoldoende|imperialis|schuldig|botst|botsen|botsing|clash|"
    r"conflict|ruzie|onenig|jammer|scepsis|sceptisch|onfatsoenlijk|asociaal|asociale|schuurt|schuurde)"
)
# Cue verbs that are a relation only with their particle somewhere after them ("werkt samen met", "valt … aan",
# "staat achter").
RELATION_CUE_PARTICLES: Mapping[str, tuple[str, int]] = MappingProxyType(
    {
        **dict.fromkeys(("werkt", "werken", "werkte", "werkten"), ("samen", 1)),
        **dict.fromkeys(("staat", "staan", "stond", "stonden"), ("achter", 1)),
        **dict.fromkeys(("valt", "vallen", "viel", "vielen"), ("aan", -1)),
        **dict.fromkeys(("zet", "zetten", "zette"), ("uit", -1)),
        **dict.fromkeys(("haalt", "halen", "haalde", "haalden"), ("uit", -1)),
        **dict.fromkeys(("schaart", "scharen", "schaarde", "schaarden"), ("achter", 1)),
        **dict.fromkeys(("blij", "tevreden"), ("met", 1)),
    }
)
# Fixed phrases, read as one cue: "[S] is niet te spreken over [T]" (its negation is part of the criticism, not
# a flip), "zet [T] op non-actief", "[T] mag niet …", "voert de druk op [T] op", "geeft [T] de schuld", "hecht
# geloof aan [T]".
RELATION_PHRASES: Mapping[tuple[str, ...], int] = MappingProxyType(
    {
        ("niet", "te", "spreken"): -1,
        ("non", "actief"): -1,
        ("niet", "mag"): -1,
        ("mag", "niet"): -1,
        ("niet", "mogen"): -1,
        ("mogen", "niet"): -1,
        ("in", "gevaar", "brengt"): -1,
        ("in", "gevaar", "brengen"): -1,
        ("in", "gevaar", "bracht"): -1,
        ("druk", "op"): -1,
        ("onder", "druk"): -1,
        ("de", "schuld"): -1,
        ("geloof", "te", "hechten"): 1,
        ("geloof", "hecht"): 1,
        ("geloof", "hechtte"): 1,
        ("hecht", "geloof"): 1,
        ("hechten", "geloof"): 1,
        ("hechtte", "geloof"): 1,
    }
)
# Hostile acts, and the words with which a source opposes one ("tegen sancties", "veroordeelt de arrestatie"):
# opposing an act aimed at the target is siding with the target (see ``_opposes_an_act``).
HOSTILE_ACTS = re.compile(
    r"^(?:sanctie|arrestatie|aanhouding|opsluiting|vervolging|uitzetting|uitlevering|boycot|aanval|invasie|"
    r"interventie|inmenging|heffing|importheffing|straf)"
)
PERSONAL_ACTS = re.compile(r"^(?:arrestatie|aanhouding|opsluiting|vervolging|uitzetting|uitlevering)")
OPPOSING_WORDS = re.compile(r"^(?:tegen|veroordeel|veroordeelt|verzet|protest|kritiek|afwijz|wijst|verwerp)")
OPPOSING_PARTICIPLES = re.compile(r"^(?:veroordeeld|afgewezen|bekritiseerd|gehekeld|geprotesteerd)$")
# Verbs that are a relation only after the target, where a Dutch subordinate clause puts its verb ("die [T]
# lijkt te geloven", "[T] te vertrouwen"); between the actors "gelooft" mostly opens a belief about something
# ("[S] gelooft niet dat [T] een rol speelde").
RELATION_SUPPORT_AFTER_TARGET: frozenset[str] = frozenset({"geloven", "gelooft", "geloofde", "geloofden"})
# "[S] kreeg steun van [T]": the source is the one supported, the cue says nothing about its stance (the other way
# round, "[T] kreeg steun van [S]", the cue is the source's stance).
RECEIVING_VERBS: frozenset[str] = frozenset(
    {"krijgt", "krijgen", "kreeg", "kregen", "gekregen", "geniet", "genieten", "genoot", "ontvangt", "ontving"}
)
# The weight of the cue's one-hot vote against the classifier's probabilities: 0.5 makes it decisive (the cue's
# position gets at least 0.5, every other at most 0.5 × its probability) while the scores still show the model.
RELATION_CUE_WEIGHT = 0.5


def relation_cue(marked: str) -> int:
    """+1 (support), -1 (criticism) or 0: the sign of the summed relation cues between the actors and in the
    few words after them. A negation in the three words before a cue flips it; so does one right after the
    target when the cue stands between source and target, the Dutch main-clause order "[S] erkent [T] niet
    (meer)" (reading any negation after the cue made the rule less precise on net2021); a receiving verb before
    a cue drops it when the source comes first ("[S] kreeg steun van [T]"). A fixed phrase (``RELATION_PHRASES``)
    counts once, as written, and its words flip nothing. Opposing a hostile act aimed at the target is support
    (``_opposes_an_act``)."""
    parts = _parts(marked)
    between = _words(parts.between.split())
    after = parts.after.split()[:CONTEXT_WORDS]
    words = between + _words(after)
    negated_after_target = parts.source_first and _closing_negation(_first_clause(after))
    total = 0
    phrase_words: set[int] = set()
    for i, word in enumerate(words):
        if i in phrase_words:
            continue
        phrase = _phrase_at(words, i)
        if phrase is not None:
            length, sign = phrase
            phrase_words.update(range(i, i + length))
            total += sign
            continue
        sign = _relation_sign(word, words[i + 1 :])
        if not sign and i >= len(between) and word in RELATION_SUPPORT_AFTER_TARGET:
            sign = 1
        preceding = set(words[max(0, i - NEGATION_REACH) : i]) - {words[j] for j in phrase_words if j < i}
        if parts.source_first and RECEIVING_VERBS & preceding:
            continue
        negated = bool(NEGATIONS & preceding) != (negated_after_target and i < len(between))
        total += -sign if negated else sign
    if _opposes_an_act(between, _words(parts.after.split()), parts.source_first):
        return 1
    return (total > 0) - (total < 0)


def _opposes_an_act(between: Sequence[str], rest_of_sentence: Sequence[str], source_first: bool) -> bool:
    """The source opposes a hostile act aimed at the target ("keerde zich tegen nieuwe sancties tegen [T]", "sprak
    zich uit tegen sancties … tegen [T]", "heeft de arrestatie van [T] scherp veroordeeld"): an act noun
    (``HOSTILE_ACTS``) between source and target, with an opposing word in the three words before it or an
    opposing participle later in the sentence, is support for the target, not criticism."""
    if not source_first:
        return False
    for i, word in enumerate(between):
        if not HOSTILE_ACTS.match(word) or not _aimed_at_target(word, between[i + 1 :]):
            continue
        if any(OPPOSING_WORDS.match(w) for w in between[max(0, i - NEGATION_REACH) : i]):
            return True
        if any(OPPOSING_PARTICIPLES.match(w) for w in rest_of_sentence):
            return True
    return False


def _aimed_at_target(act: str, words_to_target: Sequence[str]) -> bool:
    """The act is aimed at the target: "tegen"/"op" between them ("sancties … tegen [T]", "aanval op [T]"), or
    "van" after an act done to a person ("de arrestatie van [T]"; "de aanval van [T]" is the target's own act)."""
    aimed = {"tegen", "op"} | ({"van"} if PERSONAL_ACTS.match(act) else set())
    return bool(aimed & set(words_to_target))


def _phrase_at(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """(length, sign) of the ``RELATION_PHRASES`` entry starting at ``words[i]``, or None."""
    for phrase, sign in RELATION_PHRASES.items():
        if tuple(words[i : i + len(phrase)]) == phrase:
            return len(phrase), sign
    return None


def _words(tokens: Sequence[str]) -> list[str]:
    return [word for token in tokens for word in re.findall(r"\w+", token.lower())]


def _first_clause(tokens: Sequence[str]) -> list[str]:
    """The words of ``tokens`` up to the first punctuation mark that ends a clause."""
    clause = []
    for token in tokens:
        clause.append(token)
        if _CLAUSE_END.search(token):
            break
    return _words(clause)


def _closing_negation(words: Sequence[str]) -> bool:
    """A negation that closes the clause after the target ("[T] niet.", "[T] sinds maart niet meer als
    president"). Followed by another word it negates that word instead: "sluit samenwerking met [T] niet uit"
    is support, "[T] niet alleen" means "not only"."""
    for i, word in enumerate(words):
        if word in NEGATIONS:
            return i + 1 == len(words) or words[i + 1] in CLAUSE_AFTER_NEGATION
    return False


def _relation_sign(word: str, rest: Sequence[str]) -> int:
    if word in RELATION_CUE_PARTICLES:
        particle, sign = RELATION_CUE_PARTICLES[word]
        return sign if particle in rest else 0
    if RELATION_SUPPORT_CUE.match(word):
        return 1
    return -1 if RELATION_CRITICISM_CUE.match(word) else 0


def with_relation_cue(scores: np.ndarray, cues: Sequence[int]) -> np.ndarray:
    """Position probabilities (rows in ``POSITIONS`` order) with each row that has a relation cue mixed with a
    one-hot vote for the cue's position (``RELATION_CUE_WEIGHT``); rows without a cue are unchanged."""
    combined = scores.copy()
    for row, cue in enumerate(cues):
        if cue:
            vote = np.zeros(len(POSITIONS))
            vote[POSITIONS.index("positive" if cue > 0 else "negative")] = 1.0
            combined[row] = (1 - RELATION_CUE_WEIGHT) * scores[row] + RELATION_CUE_WEIGHT * vote
    return combined


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
        weight * vec.transform([FEATURE_VIEWS[view](m, lexicon) for m in marked])
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
        features = featurise(marked, self.views, self.vectorizers, self.weights, self.lexicon)
        probabilities = self.classifier.predict_proba(features)
        column = {label: i for i, label in enumerate(self.classifier.classes_)}
        ordered = np.column_stack(
            [probabilities[:, column[p]] if p in column else np.zeros(len(marked)) for p in POSITIONS]
        )
        return ordered / ordered.sum(axis=1, keepdims=True)


class ActorStanceModel:
    """The actor-to-actor stance classifier, loaded once; ``predict`` mutates nothing (thread-safe)."""

    def __init__(self, model_id: str, version: str, scorer: SklearnPairScorer, metadata: Mapping[str, Any]) -> None:
        self.model_id = model_id
        self.version = version
        self.metadata: Mapping[str, Any] = MappingProxyType(dict(metadata))
        self._scorer = scorer

    def predict(self, pairs: Sequence[tuple[str, Span, Span]]) -> list[PairStance]:
        """The stance of each ``(sentence, source span, target span)``, in one batched call: the classifier's
        probabilities, decided by a relation cue where one links the pair (:func:`with_relation_cue`).

        Raises ``ValueError`` for a span that is empty, outside its sentence or overlapping the other.
        """
        if not pairs:
            return []
        marked = [mark_pair(sentence, source, target) for sentence, source, target in pairs]
        cues = [relation_cue(m) for m in marked]
        scores = with_relation_cue(self._scorer.scores(marked), cues)
        return [self._stance(row, cue) for row, cue in zip(scores, cues)]

    @staticmethod
    def _stance(row: np.ndarray, cue: int) -> PairStance:
        best = int(np.argmax(row))
        return PairStance(
            position=POSITIONS[best],
            scores={p: float(s) for p, s in zip(POSITIONS, row)},
            confidence=float(row[best]),
            relation_cue=cue,
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


def load_actor_stance_model(directory: str | Path) -> ActorStanceModel:
    """Load ``metadata.json`` + ``classifier.joblib`` written by ``training.actor_stance``."""
    path = Path(directory)
    metadata = _read_metadata(path / METADATA_FILE)
    artefact = _read_artefact(path / CLASSIFIER_FILE)
    unknown = [view for view in artefact["views"] if view not in FEATURE_VIEWS]
    if unknown:
        raise ActorStanceModelError(f"{path / CLASSIFIER_FILE} uses feature views this code lacks: {unknown}")
    lexicon = PolarityLexicon(MappingProxyType(dict(artefact["word_polarity"])))
    scorer = SklearnPairScorer(
        tuple(artefact["views"]),
        tuple(artefact["vectorizers"]),
        tuple(float(w) for w in artefact["weights"]),
        artefact["classifier"],
        lexicon,
    )
    return ActorStanceModel(metadata["model_id"], metadata["version"], scorer, metadata)


def _read_metadata(path: Path) -> dict[str, Any]:
    metadata = read_metadata(path, ("model_id", "version", "positions"), ActorStanceModelError, "actor stance model")
    if tuple(metadata["positions"]) != POSITIONS:
        raise ActorStanceModelError(f"{path}: positions {metadata['positions']} are not {list(POSITIONS)}")
    return metadata


def _read_artefact(path: Path) -> dict[str, Any]:
    """A joblib dict written by ``training.actor_stance``."""
    required = ("views", "vectorizers", "weights", "classifier", "word_polarity")
    return read_joblib_dict(path, required, ActorStanceModelError, "actor stance model")
