"""Dutch test sentences with their entities marked inline, as a tagger would have found them.

``marked("[Mark Rutte|PER] sprak met [Poetin|ORG:0.53].")`` gives the plain text, its sentences (split by the
service's own splitter) and the ``Entity`` objects with exact offsets; the confidence defaults to 0.95.
``actors_of(text, mentions)`` makes the actors that stages after the grouping read from ``(start, end, id)``
mentions written out by hand.
"""

from __future__ import annotations

import re

from service.actors import Actor
from service.models.ner import Entity
from service.results import Mention
from service.text import Sentence, split_sentences

_MARK = re.compile(r"\[([^\]|]+)\|([A-Z]+)(?::([\d.]+))?\]")


def marked(source: str) -> tuple[str, list[Sentence], list[Entity]]:
    """Plain text, sentences and entities of a marked-up text."""
    pieces: list[str] = []
    spans: list[tuple[str, str, int, int, float]] = []
    length, previous_end = 0, 0
    for match in _MARK.finditer(source):
        before = source[previous_end : match.start()]
        pieces.append(before)
        length += len(before)
        name, kind, confidence = match.group(1), match.group(2), float(match.group(3) or 0.95)
        spans.append((name, kind, length, length + len(name), confidence))
        pieces.append(name)
        length += len(name)
        previous_end = match.end()
    pieces.append(source[previous_end:])
    text = "".join(pieces)
    sentences = split_sentences(text)
    entities = [
        Entity(name, kind, start, end, confidence, _sentence_index(sentences, start))
        for name, kind, start, end, confidence in spans
    ]
    return text, sentences, entities


def _sentence_index(sentences: list[Sentence], position: int) -> int:
    return next(i for i, s in enumerate(sentences) if s.start <= position < s.end)


_TYPES_BY_PREFIX = {"per": "PER", "org": "ORG", "loc": "LOC", "misc": "MISC"}


def actors_of(text: str, mentions: list[tuple[int, int, str]]) -> list[Actor]:
    """One actor per id of the ``(start, end, id)`` mentions (ids as the service writes them, "per:mark-rutte"),
    typed by the id's prefix, with those mentions as names, in order of first mention."""
    actors: dict[str, Actor] = {}
    for start, end, actor_id in sorted(mentions):
        actor = actors.setdefault(actor_id, Actor(_TYPES_BY_PREFIX[actor_id.split(":")[0]], public_id=actor_id))
        actor.mentions.append(Mention(text[start:end], start, end, 0, 0.95))
    return list(actors.values())
