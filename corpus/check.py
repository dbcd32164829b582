"""``make corpus-check``: every stored record valid against its article, or a non-zero exit naming each problem.

Checks, per record: the article exists in news2019 and has the stored length; every span lies inside the text
and neither starts nor ends on white space; every label is known; actor references resolve; no mention belongs
to two actors. Across records: an article is in one split only, the second annotation covers test articles by
another annotator, and no train annotator also annotated dev or test (blind sets are made by other annotators).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path, topics_path
from corpus.labels import issue_topics
from corpus.store import CORPUS_DIR, SECOND_ANNOTATION, SPLITS, read_records, split_path, validate


def check(folder: Path, shared: Path) -> list[str]:
    """Every problem in the corpus folder, each prefixed with ``file:line id``."""
    problems: list[str] = []
    records = {}
    for name in (*SPLITS, SECOND_ANNOTATION):
        path = split_path(name, folder)
        try:
            records[name] = [(f"{path.name}:{number}", record) for number, record in read_records(path)]
        except ValueError as error:
            problems.append(f"{path.name}: {error}")
            records[name] = []
    everything = [item for items in records.values() for item in items]
    texts = load_texts({r.get("id", "") for _, r in everything}, news2019_path(shared))
    topics = issue_topics(topics_path(shared))
    for where, record in everything:
        article_id = record.get("id")
        if article_id not in texts:
            problems.append(f"{where} {article_id}: unknown article (not in news2019)")
            continue
        problems.extend(f"{where} {article_id}: {p}" for p in validate(record, texts[article_id], topics))
    problems.extend(_cross_split_problems(records))
    return problems


def _cross_split_problems(records: dict[str, list[tuple[str, dict]]]) -> list[str]:
    problems = []
    split_of: dict[str, str] = {}
    for name in SPLITS:
        for where, record in records[name]:
            if record.get("split") != name:
                problems.append(f"{where} {record.get('id')}: split {record.get('split')!r} stored in {name}")
            if split_of.setdefault(record.get("id"), name) != name:
                problems.append(f"{where} {record.get('id')}: also in {split_of[record.get('id')]}")
    first = {r["id"]: r.get("annotator") for _, r in records["test"]}
    for where, record in records[SECOND_ANNOTATION]:
        if record.get("id") not in first:
            problems.append(f"{where} {record.get('id')}: second annotation of an article not in test")
        elif first[record["id"]] == record.get("annotator"):
            problems.append(f"{where} {record.get('id')}: second annotation by the first annotator")
    train_annotators = {r.get("annotator") for _, r in records["train"]}
    for name in ("dev", "test", SECOND_ANNOTATION):
        for where, record in records[name]:
            if record.get("annotator") in train_annotators:
                problems.append(f"{where} {record.get('id')}: annotator {record.get('annotator')} also annotated train")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args()
    problems = check(args.corpus, args.shared)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"corpus-check: {len(problems)} problem(s) in {args.corpus}", file=sys.stderr)
        return 1
    print(f"corpus-check: {args.corpus} is valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
