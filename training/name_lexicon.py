"""Mine the names that the annotated corpus's train split types one way almost always and tags almost everywhere
they stand, into ``service/lexicon/nl/corpus_names.txt`` (the entity rule ``corpus_names`` of
``service.entities`` reads it):

    python -m training.name_lexicon [--types ORG,MISC,LOC] [--min-count 3] [--min-type-share 0.9] \\
        [--min-tagged-share 0.8] [--train-articles N]

A name is kept for a type when the train annotations give it that type at least ``min_count`` times and in at
least ``min_type_share`` of its tagged occurrences, and tag at least ``min_tagged_share`` of its whole-word
occurrences in the train texts (so imposing it wherever it stands agrees with how annotators read it). The types
were chosen on corpus dev (the README of ``service/entities.py``): PER names gained nothing there. Only names are
written (no text); the dev and test splits are never read here.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from corpus.articles import load_texts, news2019_path
from corpus.store import TRAIN_ARTICLES_HELP, Article, all_ids, load_split

OUT = Path(__file__).resolve().parent.parent / "service" / "lexicon" / "nl" / "corpus_names.txt"
HEADER = """# Names of 2019 Dutch news that the tagger may still miss or type otherwise ("Philips" PER, "Haagse"
# untagged): the names the annotated corpus's train split (corpus/v1) gives one type in at least {share:.0%} of at least
# {count} tagged occurrences, and tags in at least {tagged:.0%} of the places the name stands as whole words.
# Matched as written, case and all, token by token.
# Source: mined by training/name_lexicon.py from the project's own annotations (names only).
# Tag org: an organisation (ORG).
# Tag misc: a miscellaneous name (MISC): nationalities, events, titles, party roles ("VVD-Kamerlid").
# Tag loc: a place (LOC).
"""


def typed_names(
    articles: Sequence[Article], types: Sequence[str], min_count: int, min_type_share: float, min_tagged_share: float
) -> list[tuple[str, str]]:
    """``(name, type)`` of the kept names, by type in ``types`` order, most frequent first."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        for start, end, label in article.record["entities"]:
            counts[article.text[start:end]][label] += 1
    candidates = {
        (name, label)
        for name, by_type in counts.items()
        for label in types
        if by_type[label] >= min_count and by_type[label] / sum(by_type.values()) >= min_type_share and ":" not in name
    }
    kept = [
        (name, label)
        for name, label in candidates
        if sum(counts[name].values()) / max(_standing(name, articles), 1) >= min_tagged_share
    ]
    return sorted(kept, key=lambda item: (types.index(item[1]), -counts[item[0]][item[1]], item[0]))


def _standing(name: str, articles: Sequence[Article]) -> int:
    """How often ``name`` stands as whole words in the articles' texts."""
    pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
    return sum(len(pattern.findall(article.text)) for article in articles)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--types", type=lambda value: value.split(","), default=["ORG", "MISC", "LOC"])
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-type-share", type=float, default=0.9)
    parser.add_argument("--min-tagged-share", type=float, default=0.8)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--train-articles", type=int, help=TRAIN_ARTICLES_HELP)
    args = parser.parse_args(argv)
    articles = load_split("train", load_texts(all_ids(), news2019_path()), train_articles=args.train_articles)
    names = typed_names(articles, args.types, args.min_count, args.min_type_share, args.min_tagged_share)
    header = HEADER.format(share=args.min_type_share, count=args.min_count, tagged=args.min_tagged_share)
    lines = [f"{name}: {label.lower()}" for name, label in names]
    args.out.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
