"""Document-level repairs of what the tagger found, sentence by sentence, without seeing the whole article.

The tagger reads one sentence at a time, so it may call "Poetin" PER in one sentence and ORG in the next,
or skip a name it tagged confidently two sentences earlier. The article itself is the evidence that repairs
these, and lists of names (data in ``service/lexicon/nl/``) repair what a tagger trained on older news misses:

- ``retype``: a string the tagger typed confidently (confidence >= ``CONFIDENT``) somewhere in the document
  gets that type where the same string was typed otherwise with a lower confidence.
- ``add_missed``: an untagged occurrence of a string tagged confidently elsewhere becomes an entity of that
  type, unless it is a whole sentence (a one-word heading such as "Algemeen" is capitalised anyway) or the
  string is left untagged more often than tagged (then the tagger's silence is the majority reading). It also
  tags a surname wherever it stands alone once the full name is tagged PER with confidence >=
  ``SURNAME_SOURCE_CONFIDENCE`` ("Memis" after "Murat Memis").
- ``corpus_names``: the names the annotated corpus's train split gives one type almost always and tags almost
  everywhere they stand (``service/lexicon/nl/corpus_names.txt``, mined by ``training/name_lexicon.py``) become
  entities of that type wherever they occur as whole tokens: "Philips" typed PER becomes ORG, an untagged
  "Haagse" MISC, "GroenLinks" untagged or "50Plus" cut to "Plus" ORG. PER names changed nothing on corpus dev and
  are left out.
- ``known_places``: countries and their capitals (``service.countries``) become LOC entities wherever they
  occur as whole tokens, as CoNLL types them: today's news names "Peking", which the tagger left untagged, and
  it typed "Iran" ORG.

Each rule is kept for a measured gain on a dev split, the corpus's dev split (modern news) and CoNLL-2002's
``ned.testa`` (``python -m bench.corpus_ner --split dev`` and ``python -m bench.ner_accuracy --refine``, each with
every rule's ablation in ``refined.ablation`` of its result file). With NER version 4, refined micro F1 on corpus
dev / ``ned.testa`` is 86.38 / 83.65; without ``corpus_names`` 85.77 / 83.36, without ``retype`` 86.07 / 82.73,
without ``add_missed`` 86.25 / 83.53, without ``known_places`` 86.38 / 83.34. Two rules that gained nothing on
either split were retired: a hand-written list of Dutch parties and armed movements (its names the corpus types
ORG are now mined into ``corpus_names``) and the splitting of a person's name glued to another name ("Donald
Trump Rusland"); corpus dev and ``ned.testa`` scored the same without them. ``CONFIDENT`` = 0.8 lies on the
plateau that ``ned.testa`` showed from 0.5 to 0.8 (80.05-80.11 with version 1); above it the rules help less
(0.9: 79.93).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from service import lexicon
from service.countries import PLACE_NAMES
from service.models.ner import Entity
from service.text import Sentence, Token, tokenize

# A type the tagger gives with at least this confidence is evidence for the rest of the document.
CONFIDENT = 0.8
# A full name tagged PER this surely lends its surname to the surname's untagged occurrences (``_surnames``).
SURNAME_SOURCE_CONFIDENCE = 0.5

Rule = Callable[[list[Entity], str, list[Sentence]], list[Entity]]


def refine_entities(
    entities: list[Entity], text: str, sentences: list[Sentence], rules: Iterable[str] | None = None
) -> list[Entity]:
    """Apply the document-level ``rules`` (names in ``RULES``; default ``DEFAULT_RULES``) in order and
    return the entities sorted by start. ``entities`` index ``text``; ``sentences`` are what was tagged."""
    refined = list(entities)
    for name in DEFAULT_RULES if rules is None else rules:
        refined = RULES[name](refined, text, sentences)
    return sorted(refined, key=lambda entity: (entity.start, entity.end))


def retype(entities: list[Entity], text: str, sentences: list[Sentence]) -> list[Entity]:
    """Give a string its confident document type where the tagger typed it otherwise, less confidently."""
    confident = _confident_types(entities)
    refined = []
    for entity in entities:
        best = confident.get(entity.text)
        if best is not None and best.type != entity.type and entity.confidence < best.confidence:
            entity = replace(entity, type=best.type)
        refined.append(entity)
    return refined


def add_missed(entities: list[Entity], text: str, sentences: list[Sentence]) -> list[Entity]:
    """Tag untagged occurrences of strings tagged confidently elsewhere (whole tokens, never overlapping an
    entity), for strings tagged at least as often as they are left untagged; and of the surnames of the
    document's people (``_surnames``), however often."""
    surnames = _surnames(entities)
    known = surnames | _confident_types(entities)
    by_first_token = _by_first_token(name for name in known if name[0].isupper())
    taken = sorted((entity.start, entity.end) for entity in entities)
    untagged: dict[str, list[tuple[int, int, int]]] = {}
    for index, sentence in enumerate(sentences):
        for start, end in _occurrences(sentence.tokens, by_first_token):
            if not _overlaps(taken, start, end):
                untagged.setdefault(text[start:end], []).append((start, end, index))
    counts = _text_counts(entities)
    return entities + [
        Entity(name, known[name].type, start, end, known[name].confidence, index)
        for name, places in untagged.items()
        if len(places) <= counts.get(name, 0) or name in surnames
        for start, end, index in places
    ]


def _surnames(entities: list[Entity]) -> dict[str, Entity]:
    """The last word of every person's name of two or more words tagged with some confidence ("Memis" of
    "Murat Memis"): in a long article the tagger leaves the surname alone untagged, or types it ORG with low
    confidence, as often as not, and there it is always that person."""
    return {
        entity.text.split()[-1]: entity
        for entity in entities
        if entity.type == "PER"
        and entity.confidence >= SURNAME_SOURCE_CONFIDENCE
        and len(entity.text.split()) > 1
        and entity.text.split()[-1][:1].isupper()
        and len(entity.text.split()[-1]) > 2
    }


def _occurrences(
    tokens: tuple[Token, ...], by_first_token: dict[str, list[tuple[str, ...]]], whole_sentence: bool = False
) -> Iterator[tuple[int, int]]:
    """Character spans where one of the token sequences occurs (longest first at each position), except as
    a whole sentence unless ``whole_sentence``: a one-line heading ("Algemeen") is capitalised whether or not
    it is a name."""
    words = [token.text for token in tokens]
    index = 0
    while index < len(tokens):
        candidates = sorted(by_first_token.get(words[index], ()), key=len, reverse=True)
        match = next((c for c in candidates if tuple(words[index : index + len(c)]) == c), None)
        if match is None:
            index += 1
            continue
        if whole_sentence or len(match) < len(tokens):
            yield tokens[index].start, tokens[index + len(match) - 1].end
        index += len(match)


def _by_first_token(names: Iterable[str]) -> dict[str, list[tuple[str, ...]]]:
    """The names as token sequences, indexed by their first token, for ``_occurrences``."""
    by_first_token: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(token.text for token in tokenize(name))
        if words:
            by_first_token.setdefault(words[0], []).append(words)
    return by_first_token


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps a span of ``taken``: sorted, non-overlapping spans (as a tagger's
    are), so of the spans starting before ``end`` only the last one can reach into ``[start, end)``."""
    before_end = bisect_left(taken, (end, end))
    return before_end > 0 and taken[before_end - 1][1] > start


def _confident_types(entities: list[Entity]) -> dict[str, Entity]:
    """Per string, its most confident tagging, when that is confident and its type also wins the vote."""
    best: dict[str, Entity] = {}
    for entity in entities:
        if entity.confidence >= CONFIDENT and entity.confidence > getattr(best.get(entity.text), "confidence", 0):
            best[entity.text] = entity
    types = _document_types(entities)
    return {name: entity for name, entity in best.items() if types[name] == entity.type}


def _document_types(entities: list[Entity]) -> dict[str, str]:
    """Per string, the type with the highest summed confidence over its occurrences."""
    votes: dict[str, dict[str, float]] = {}
    for entity in entities:
        by_type = votes.setdefault(entity.text, {})
        by_type[entity.type] = by_type.get(entity.type, 0.0) + entity.confidence
    return {name: max(by_type, key=by_type.get) for name, by_type in votes.items()}


def _text_counts(entities: list[Entity]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entity in entities:
        counts[entity.text] = counts.get(entity.text, 0) + 1
    return counts


# The confidence given to a name the tagger missed and the list supplies (a fixed rank, not a probability).
KNOWN_CONFIDENCE = 0.9
# Tokenised once, not per document.
_PLACES_BY_FIRST_TOKEN = _by_first_token(PLACE_NAMES)


# Names the annotated corpus's train split types one way almost always, by type (service/lexicon/nl/
# corpus_names.txt, mined by training/name_lexicon.py; tags org, misc, loc).
_CORPUS_NAMES_BY_TYPE = {
    entity_type: _by_first_token(lexicon.tagged("corpus_names", entity_type.lower()))
    for entity_type in ("ORG", "MISC", "LOC")
}


def corpus_names(entities: list[Entity], text: str, sentences: list[Sentence]) -> list[Entity]:
    """Every whole-token occurrence of a name the corpus's train split types one way almost always is an entity
    of that type: "Philips" typed PER becomes ORG, an untagged "Haagse" MISC, a cut "Plus" the whole "50Plus"."""
    for entity_type, by_first_token in _CORPUS_NAMES_BY_TYPE.items():
        entities = _impose_known(entities, text, sentences, by_first_token, entity_type)
    return entities


def known_places(entities: list[Entity], text: str, sentences: list[Sentence]) -> list[Entity]:
    """Every whole-token occurrence of a country or capital of ``service.countries`` is a LOC entity, as
    CoNLL types them: "Peking" untagged, "Iran" typed ORG by the tagger. An entity that reaches beyond the name
    ("Shell Nederland", "Denzel Washington") stays."""
    return _impose_known(entities, text, sentences, _PLACES_BY_FIRST_TOKEN, "LOC")


def _impose_known(
    entities: list[Entity],
    text: str,
    sentences: list[Sentence],
    by_first_token: dict[str, list[tuple[str, ...]]],
    entity_type: str,
) -> list[Entity]:
    """Each whole-token occurrence of a listed name becomes an entity of ``entity_type``, replacing the
    tagger's entities inside it and giving way to one that overlaps it and reaches beyond."""
    found = [
        (start, end, index)
        for index, sentence in enumerate(sentences)
        for start, end in _occurrences(sentence.tokens, by_first_token, whole_sentence=True)
    ]
    kept, replaced = list(entities), []
    for start, end, index in found:
        inside = [e for e in kept if start <= e.start and e.end <= end]
        if any(e.start < end and start < e.end and e not in inside for e in kept):
            continue
        confidence = max((e.confidence for e in inside), default=KNOWN_CONFIDENCE)
        kept = [e for e in kept if e not in inside]
        replaced.append(Entity(text[start:end], entity_type, start, end, confidence, index))
    return kept + replaced


RULES: dict[str, Rule] = {
    "retype": retype,
    "add_missed": add_missed,
    "corpus_names": corpus_names,
    "known_places": known_places,
}
# Every rule runs by default, in the order of ``RULES`` (how that was decided: the module docstring).
DEFAULT_RULES: tuple[str, ...] = tuple(RULES)
