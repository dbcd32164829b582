"""Dutch test sentences with their entities marked inline, as a tagger would have found them.

``marked("[Mark Rutte|PER] sprak met [Poetin|ORG:0.53].")`` gives the plain text, its sentences (split by the
service's own splitter) and the ``Entity`` objects with exact offsets; the confidence defaults to 0.95.
"""

from __future__ import annotations

import re

from service.models.ner import Entity
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
