"""Mine the organisation names that the annotated corpus's train split types ORG almost always and tags almost
everywhere they stand, into ``service/lexicon/nl/corpus_organisations.txt`` (the entity rule
``corpus_organisations`` of ``service.entities`` reads it):

    python -m training.organisation_lexicon [--min-count 3] [--min-org-share 0.9] [--min-tagged-share 0.8]

A name is kept when the train annotations type it ORG at least ``min_count`` times and in at least
``min_org_share`` of its tagged occurrences, and tag at least ``min_tagged_share`` of its whole-word occurrences
in the train texts (so imposing it wherever it stands agrees with how annotators read it). Names the hand-written
``known_organisations`` list already holds are left out (one place per name). Only names are written (no text);
the dev and test splits are never read here.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from corpus.articles import load_texts, news2019_path
from corpus.store import Article, all_ids, load_split
from service import lexicon

OUT = Path(__file__).resolve().parent.parent / "service" / "lexicon" / "nl" / "corpus_organisations.txt"
HEADER = """# Organisation names of 2019 Dutch news that the tagger may still type otherwise ("Philips" PER): the names
# the annotated corpus's train split (corpus/v1) types ORG in at least {org:.0%} of at least {count} tagged
# occurrences, and tags in at least {tagged:.0%} of the places the name stands as whole words, less the names of
# known_organisations.txt. Matched as written, case and all, token by token.
# Source: mined by training/organisation_lexicon.py from the project's own annotations (names only).
"""


def organisation_names(
    articles: Sequence[Article], min_count: int, min_org_share: float, min_tagged_share: float
) -> list[str]:
    """The kept names, most frequent first."""
    types: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        for start, end, label in article.record["entities"]:
            types[article.text[start:end]][label] += 1
    candidates = {
        name: counts
        for name, counts in types.items()
        if counts["ORG"] >= min_count
        and counts["ORG"] / sum(counts.values()) >= min_org_share
        and ":" not in name
        and name not in lexicon.words("known_organisations")
    }
    standing = Counter()
    for name in candidates:
        pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
        standing[name] = sum(len(pattern.findall(article.text)) for article in articles)
    kept = [
        name for name, counts in candidates.items() if sum(counts.values()) / max(standing[name], 1) >= min_tagged_share
    ]
    return sorted(kept, key=lambda name: (-candidates[name]["ORG"], name))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-org-share", type=float, default=0.9)
    parser.add_argument("--min-tagged-share", type=float, default=0.8)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    articles = load_split("train", load_texts(all_ids(), news2019_path()))
    names = organisation_names(articles, args.min_count, args.min_org_share, args.min_tagged_share)
    header = HEADER.format(org=args.min_org_share, count=args.min_count, tagged=args.min_tagged_share)
    args.out.write_text(header + "\n" + "\n".join(names) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
