"""Stance training examples from the annotated corpus (``corpus/``), built the way the service builds its input.

For every mention of a gold actor (by default only its names, the mentions the service reads), the window
``stance_window`` builds around it; its labels are the topics and positions of that actor's issue units whose
evidence sentence is the mention's sentence. A window with no unit is a negative for every topic: the corpus is
annotated exhaustively, so it is a real "not relevant" example for the relevance gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.labels import issue_topics
from corpus.pairs import sentence_of
from corpus.store import Article
from service.models.stance_features import stance_window
from service.text import split_sentences
from training.stance_data import Unit, topic_id

MENTION_KINDS = ("name", "other")


def corpus_topics(topics_file: Path) -> tuple[str, ...]:
    """The 13 codebook topics as service topic ids (``CivilRights`` -> ``civil_rights``), in topics.yml order."""
    return tuple(topic_id(t) for t in issue_topics(topics_file))


@dataclass(frozen=True)
class CorpusWindow:
    """One actor mention's window and the positions its actor takes in that sentence (topic -> position)."""

    doc: str
    actor: int
    kind: str
    window: str
    labels: dict[str, str] = field(default_factory=dict)


def positions_by_actor_sentence(record: dict, starts: list[int]) -> dict[tuple[int, int], dict[str, str]]:
    """(actor id, sentence index) -> the positions the actor's issue units in that sentence take (topic -> position)."""
    units: dict[tuple[int, int], dict[str, str]] = {}
    for unit in record["issue_positions"]:
        key = (unit["actor"], sentence_of(starts, unit["evidence"][0]))
        units.setdefault(key, {})[topic_id(unit["topic"])] = unit["position"]
    return units


def mention_windows(article: Article, kinds: Sequence[str] = ("name",)) -> list[CorpusWindow]:
    """The windows of every gold actor's mentions of ``kinds`` ("name": the mention is an entity span; "other":
    pronouns and descriptions), labelled with the actor's units in the mention's sentence."""
    text, record = article.text, article.record
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    names = {(s, e) for s, e, _ in record["entities"]}
    units = positions_by_actor_sentence(record, starts)
    out = []
    for actor in record["actors"]:
        for start, end in actor["mentions"]:
            kind = "name" if (start, end) in names else "other"
            if kind not in kinds:
                continue
            index = sentence_of(starts, start)
            if not sentences[index].start <= start < end <= sentences[index].end:
                continue  # a mention across a sentence boundary of the service's splitter: no window
            window = stance_window(text, sentences, index, start, end)
            out.append(CorpusWindow(article.id, actor["id"], kind, window, dict(units.get((actor["id"], index), {}))))
    return out


def corpus_windows(articles: Iterable[Article], kinds: Sequence[str] = ("name",)) -> list[CorpusWindow]:
    return [w for article in articles for w in mention_windows(article, kinds)]


def stance_units(windows: Iterable[CorpusWindow], weight: float = 1.0) -> list[Unit]:
    """The labelled windows as stance-classifier units (one per window and topic), duplicates dropped."""
    seen: set[tuple[str, str]] = set()
    out = []
    for w in windows:
        for topic, position in sorted(w.labels.items()):
            if (w.window, topic) in seen:
                continue
            seen.add((w.window, topic))
            out.append(Unit(f"corpus-{w.doc}-{w.actor}-{len(out)}", w.doc, topic, w.window, position, weight))
    return out
