"""The annotator's tool: show an article, and turn an answer into offsets or say exactly what to fix.

    python -m corpus.annotate show ID [ID ...]     # the article text exactly as stored, to copy strings from
    python -m corpus.annotate check ANSWER.json    # resolve every span; prints problems, or a summary when valid
    python -m corpus.annotate spans ANSWER.json    # as check, then each resolved span with the text it covers

An answer is one JSON object for one article, written as ``docs/annotation-guide.md`` shows.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus.annotations import AnswerError, convert_answer
from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path, topics_path
from corpus.labels import issue_topics


def show(ids: list[str], shared: Path) -> int:
    texts = load_texts(ids, news2019_path(shared))
    for article_id in ids:
        if article_id not in texts:
            print(f"unknown article {article_id}", file=sys.stderr)
            return 1
        print(f"===== article {article_id} ({len(texts[article_id])} characters) =====")
        print(texts[article_id])
        print()
    return 0


def check(path: Path, shared: Path, list_spans: bool) -> int:
    try:
        answer = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"{path}: not readable JSON: {error}", file=sys.stderr)
        return 1
    text = load_texts([answer.get("id", "")], news2019_path(shared)).get(answer.get("id", ""))
    if text is None:
        print(f"{path}: unknown article id {answer.get('id')!r}", file=sys.stderr)
        return 1
    try:
        layers = convert_answer(answer, text, issue_topics(topics_path(shared)))
    except AnswerError as error:
        print(f"{path}: {len(error.problems)} problem(s)", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    counts = {layer: len(items) for layer, items in layers.items()}
    counts["actor_mentions"] = sum(len(actor["mentions"]) for actor in layers["actors"])
    print(f"{path}: valid {json.dumps(counts)}")
    if list_spans:
        _print_spans(layers, text)
    return 0


def _print_spans(layers: dict, text: str) -> None:
    def cut(span: list[int] | None) -> str:
        return "-" if span is None else repr(text[span[0] : span[1]])

    for start, end, kind in layers["entities"]:
        print(f"entity {kind} {cut([start, end])}")
    for actor in layers["actors"]:
        print(f"actor {actor['id']} {actor['type']}: " + " | ".join(cut(m) for m in actor["mentions"]))
    for quote in layers["quotes"]:
        print(f"quote {quote['kind']} speaker={quote['speaker']} mention={cut(quote['speaker_mention'])} "
              f"cue={cut(quote['cue'])}: {cut(quote['content'])}")  # fmt: skip
    for stance in layers["actor_stances"]:
        print(f"stance {stance['source']} -> {stance['target']} {stance['stance']}: {cut(stance['evidence'])}")
    for unit in layers["issue_positions"]:
        print(f"issue actor {unit['actor']} {unit['topic']} {unit['position']}: {cut(unit['evidence'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("show").add_argument("ids", nargs="+")
    sub.add_parser("check").add_argument("answer", type=Path)
    sub.add_parser("spans").add_argument("answer", type=Path)
    args = parser.parse_args(argv)
    if args.command == "show":
        return show(args.ids, args.shared)
    return check(args.answer, args.shared, list_spans=args.command == "spans")


if __name__ == "__main__":
    sys.exit(main())
