"""Annotators' answers into the stored corpus (``python -m corpus.build --raw DIR``).

``DIR/<split>/<article id>.<annotator>.json`` for split ``train``, ``dev``, ``test`` or ``test_double`` (the
second, independent annotation of test articles). Valid answers replace the stored record of the same article
(and, for ``test_double``, are stored in ``test-second.jsonl``); stored records without an answer in ``DIR`` stay,
so a later batch only adds. Invalid answers are listed and left out. The answers themselves hold passages of the
articles and stay outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from corpus.annotations import AnswerError, convert_answer
from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path, topics_path
from corpus.labels import GUIDELINE_VERSION, issue_topics
from corpus.store import CORPUS_DIR, SECOND_ANNOTATION, read_records, split_path, write_records

STORED_AS = {"train": "train", "dev": "dev", "test": "test", "test_double": SECOND_ANNOTATION}


def _answers(raw: Path) -> list[tuple[str, Path]]:
    return sorted((split, path) for split in STORED_AS for path in (raw / split).glob("*.json"))


def build(raw: Path, shared: Path, out: Path) -> tuple[dict[str, int], list[str]]:
    """Convert every answer under ``raw``; returns the records per stored split and the problems."""
    answers = _answers(raw)
    parsed: list[tuple[str, Path, dict[str, Any]]] = []
    problems: list[str] = []
    for split, path in answers:
        try:
            parsed.append((split, path, json.loads(path.read_text(encoding="utf-8"))))
        except json.JSONDecodeError as error:
            problems.append(f"{path}: not JSON: {error}")
    texts = load_texts({answer.get("id", "") for _, _, answer in parsed}, news2019_path(shared))
    topics = issue_topics(topics_path(shared))
    stored = {name: {r["id"]: r for _, r in read_records(split_path(name, out))} for name in STORED_AS.values()}
    for split, path, answer in parsed:
        article_id, annotator = path.stem.split(".", 1)
        if answer.get("id") != article_id or article_id not in texts:
            problems.append(f"{path}: id {answer.get('id')!r} does not match the file name or is no news2019 article")
            continue
        try:
            layers = convert_answer(answer, texts[article_id], topics)
        except AnswerError as error:
            problems.extend(f"{path}: {problem}" for problem in error.problems)
            continue
        stored[STORED_AS[split]][article_id] = {
            "id": article_id,
            "source": "news2019",
            "split": "test" if split == "test_double" else split,
            "annotator": annotator,
            "pre_annotated": bool(answer.get("pre_annotated", False)),
            "guideline": GUIDELINE_VERSION,
            "chars": len(texts[article_id]),
            **layers,
        }
    for name, records in stored.items():
        if records:
            write_records(split_path(name, out), list(records.values()))
    return {name: len(records) for name, records in stored.items()}, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, required=True, help="folder of answers, one subfolder per split")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=CORPUS_DIR)
    args = parser.parse_args()
    counts, problems = build(args.raw, args.shared, args.out)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(json.dumps({"stored": counts, "answers_with_problems": len({p.split(":", 1)[0] for p in problems})}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
