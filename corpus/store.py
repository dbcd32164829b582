"""The stored corpus: versioned JSONL of ids, offsets and labels, validated against the article texts.

One record per article and annotation (``corpus/v1/{train,dev,test}.jsonl``; ``test-second.jsonl`` holds the
independent second annotation of 20 test articles). Offsets index the article's ``text`` exactly as
``../shared/data/news2019/articles.jsonl.gz`` stores it, end exclusive. The record layout is documented in
``corpus/README.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.labels import ACTOR_STANCES, ACTOR_TYPES, ENTITY_TYPES, ISSUE_POSITIONS, QUOTE_KINDS

CORPUS_DIR = Path(__file__).resolve().parent / "v1"
SPLITS = ("train", "dev", "test")
SELECTION_FILE = "selection.json"
# The command-line help of the trainers' --train-articles option (``later_train_ids``).
TRAIN_ARTICLES_HELP = "learn from the first N train articles in draw order only (default: all), as a model card names"
SECOND_ANNOTATION = "test-second"
RECORD_KEYS = frozenset(
    ["id", "source", "split", "annotator", "pre_annotated", "guideline", "chars", "entities", "actors", "quotes",
     "actor_stances", "issue_positions"]
)  # fmt: skip


@dataclass(frozen=True)
class Article:
    """One annotated article with its text joined (the text is never stored)."""

    record: dict[str, Any]
    text: str

    @property
    def id(self) -> str:
        return self.record["id"]

    def cut(self, span: Sequence[int]) -> str:
        return self.text[span[0] : span[1]]


def split_path(name: str, folder: Path = CORPUS_DIR) -> Path:
    return folder / f"{name}.jsonl"


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` for every non-empty line; a line that is no JSON object raises ``ValueError``."""
    if not path.exists():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            yield number, record


def write_records(path: Path, records: Sequence[dict[str, Any]]) -> None:
    """Records sorted by id, one compact JSON object per line (stable diffs between versions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in sorted(records, key=lambda r: r["id"])]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def load_split(
    name: str, texts: dict[str, str], folder: Path = CORPUS_DIR, train_articles: int | None = None
) -> list[Article]:
    """The articles of one split file with their texts (``texts`` from ``corpus.articles.load_texts``); of the
    train split only the first ``train_articles`` in draw order where given (``later_train_ids``)."""
    left_out = later_train_ids(train_articles, folder) if name == "train" else set()
    return [
        Article(record, texts[record["id"]])
        for _, record in read_records(split_path(name, folder))
        if record["id"] not in left_out
    ]


def all_ids(folder: Path = CORPUS_DIR, train_articles: int | None = None) -> set[str]:
    """Every annotated article's id; of the train split only the first ``train_articles`` in draw order."""
    ids = {r["id"] for name in (*SPLITS, SECOND_ANNOTATION) for _, r in read_records(split_path(name, folder))}
    return ids - later_train_ids(train_articles, folder)


def later_train_ids(train_articles: int | None, folder: Path = CORPUS_DIR) -> set[str]:
    """The train articles drawn after the first ``train_articles`` (``selection.json``'s order; None: none): the
    split grows by rounds, and a model card names how many it learned from, so that its training can be run again
    on those."""
    if train_articles is None:
        return set()
    drawn = json.loads((folder / SELECTION_FILE).read_text(encoding="utf-8"))["train"]
    if train_articles > len(drawn):
        raise ValueError(f"{train_articles} train articles asked for; {len(drawn)} were drawn")
    return {item["id"] for item in drawn[train_articles:]}


class _Validator:
    """Collects every problem of one record, each as a sentence naming the item."""

    def __init__(self, record: dict[str, Any], text: str, topics: Sequence[str]) -> None:
        self.record = record
        self.text = text
        self.topics = topics
        self.problems: list[str] = []

    def span(self, span: Any, where: str, required: bool = True) -> bool:
        if span is None and not required:
            return True
        valid = (
            isinstance(span, list)
            and len(span) == 2
            and all(isinstance(x, int) for x in span)
            and 0 <= span[0] < span[1] <= len(self.text)
        )
        if not valid:
            self.problems.append(f"{where}: invalid span {span!r} (text has {len(self.text)} characters)")
        elif self.text[span[0]].isspace() or self.text[span[1] - 1].isspace():
            self.problems.append(f"{where}: span {span} starts or ends on white space")
        else:
            return True
        return False

    def label(self, value: Any, allowed: Sequence[str], where: str) -> None:
        if value not in allowed:
            self.problems.append(f"{where}: unknown label {value!r} (expected one of {', '.join(allowed)})")

    def run(self) -> list[str]:
        unknown = set(self.record) - RECORD_KEYS
        if unknown:
            self.problems.append(f"unknown keys {sorted(unknown)}")
        if self.record.get("chars") != len(self.text):
            self.problems.append(f"chars {self.record.get('chars')} but the article has {len(self.text)}: changed text")
        self.entities()
        actor_ids = self.actors()
        for number, quote in enumerate(self.record.get("quotes", []), 1):
            where = f"quotes[{number}]"
            self.label(quote.get("kind"), QUOTE_KINDS, where)
            self.span(quote.get("content"), f"{where}.content")
            self.span(quote.get("cue"), f"{where}.cue", required=False)
            self.span(quote.get("speaker_mention"), f"{where}.speaker_mention", required=False)
            if quote.get("speaker") is not None and quote["speaker"] not in actor_ids:
                self.problems.append(f"{where}: unknown speaker actor {quote['speaker']!r}")
        for number, stance in enumerate(self.record.get("actor_stances", []), 1):
            where = f"actor_stances[{number}]"
            self.label(stance.get("stance"), ACTOR_STANCES, where)
            self.span(stance.get("evidence"), f"{where}.evidence")
            ends = (stance.get("source"), stance.get("target"))
            if not set(ends) <= actor_ids or ends[0] == ends[1]:
                self.problems.append(f"{where}: source and target must be two actors of the record, got {ends}")
        for number, unit in enumerate(self.record.get("issue_positions", []), 1):
            where = f"issue_positions[{number}]"
            self.label(unit.get("topic"), self.topics, where)
            self.label(unit.get("position"), ISSUE_POSITIONS, where)
            self.span(unit.get("evidence"), f"{where}.evidence")
            if unit.get("actor") not in actor_ids:
                self.problems.append(f"{where}: unknown actor {unit.get('actor')!r}")
        return self.problems

    def entities(self) -> None:
        previous_end = 0
        for number, entity in enumerate(self.record.get("entities", []), 1):
            where = f"entities[{number}]"
            if not (isinstance(entity, list) and len(entity) == 3):
                self.problems.append(f"{where}: expected [start, end, type], got {entity!r}")
                continue
            if self.span(entity[:2], where):
                if entity[0] < previous_end:
                    self.problems.append(f"{where}: overlaps or precedes the entity before it")
                previous_end = entity[1]
            self.label(entity[2], ENTITY_TYPES, where)

    def actors(self) -> set[int]:
        ids: set[int] = set()
        owner: dict[tuple[int, int], int] = {}
        for number, actor in enumerate(self.record.get("actors", []), 1):
            where = f"actors[{number}]"
            if actor.get("id") != number:
                self.problems.append(f"{where}: id {actor.get('id')!r}, expected {number} (actors are numbered 1..)")
            ids.add(actor.get("id"))
            self.label(actor.get("type"), ACTOR_TYPES, where)
            if not actor.get("mentions"):
                self.problems.append(f"{where}: no mentions")
            for mention in actor.get("mentions", []):
                if self.span(mention, f"{where}.mentions") and owner.setdefault(tuple(mention), number) != number:
                    self.problems.append(f"{where}: mention {mention} also belongs to actor {owner[tuple(mention)]}")
        return ids


def validate(record: dict[str, Any], text: str, topics: Sequence[str]) -> list[str]:
    """Every problem of one stored record against its article text; empty when the record is valid."""
    return _Validator(record, text, topics).run()
