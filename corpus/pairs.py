"""Derived units of an annotated article: labelled actor pairs and issue units, shared by stats, agreement and
the benches.

Annotators list every non-neutral actor stance; an ordered pair of actors mentioned in one sentence without a
listed stance is a ``neutral`` pair (the guideline tells annotators so). Issue units are keyed by actor, topic and
the sentence their evidence starts in.
"""

from __future__ import annotations

import bisect
from itertools import permutations

from corpus.store import Article
from service.text import split_sentences

NEUTRAL = "neutral"


def sentence_starts(text: str) -> list[int]:
    return [sentence.start for sentence in split_sentences(text)]


def sentence_of(starts: list[int], offset: int) -> int:
    """The index of the sentence holding ``offset`` (the last sentence starting at or before it)."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


def actor_pairs(article: Article) -> dict[tuple[int, int], str]:
    """``(source, target) -> positive | negative | neutral`` for every labelled pair of the article."""
    starts = sentence_starts(article.text)
    in_sentence: dict[int, set[int]] = {}
    for actor in article.record["actors"]:
        for start, _ in actor["mentions"]:
            in_sentence.setdefault(sentence_of(starts, start), set()).add(actor["id"])
    pairs = {pair: NEUTRAL for actors in in_sentence.values() for pair in permutations(sorted(actors), 2)}
    for stance in article.record["actor_stances"]:
        pairs[(stance["source"], stance["target"])] = stance["stance"]
    return pairs


def issue_units(article: Article) -> dict[tuple[int, str, int], str]:
    """``(actor, topic, sentence index) -> position`` for every issue unit of the article."""
    starts = sentence_starts(article.text)
    return {
        (unit["actor"], unit["topic"], sentence_of(starts, unit["evidence"][0])): unit["position"]
        for unit in article.record["issue_positions"]
    }
