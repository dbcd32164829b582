"""Two runs of ``bench.corpus_accuracy`` on the same articles, compared article by article.

Each run's ``--per-article`` file holds every article's counts. For each headline figure (``Scores.headline``)
this gives run B minus run A with a 95 % paired bootstrap interval: the articles are drawn again with replacement
(``RESAMPLES`` times, seeded) and both runs are scored on the same draw, so what the two runs share (the articles
that are easy or hard for both) cancels out, and the interval is narrower than either run's own. ``b_better``
is the share of draws in which B's figure is higher. A difference whose interval holds 0 is no evidence that B
is better.

    python -m bench.corpus_accuracy --split dev --out /tmp/a.json --per-article /tmp/a.jsonl
    NER_MODEL=... python -m bench.corpus_accuracy --split dev --out /tmp/b.json --per-article /tmp/b.jsonl
    python -m bench.corpus_compare /tmp/a.jsonl /tmp/b.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from pathlib import Path

from bench.corpus_accuracy import RESAMPLES, SEED, Scores, percentiles, read_article_counts


def compare(
    topics: Sequence[str], runs_a: Sequence[Scores], runs_b: Sequence[Scores], resamples: int = RESAMPLES
) -> dict[str, dict]:
    """B minus A per headline figure; ``runs_a[i]`` and ``runs_b[i]`` are one article's counts in each run."""
    if len(runs_a) != len(runs_b):
        raise ValueError(f"the runs scored {len(runs_a)} and {len(runs_b)} articles")
    draw = random.Random(SEED)
    figures_a = Scores.merged(topics, runs_a).headline()
    figures_b = Scores.merged(topics, runs_b).headline()
    differences: dict[str, list[float]] = {name: [] for name in figures_a}
    for _ in range(resamples):
        chosen = draw.choices(range(len(runs_a)), k=len(runs_a))
        a = Scores.merged(topics, [runs_a[i] for i in chosen]).headline()
        b = Scores.merged(topics, [runs_b[i] for i in chosen]).headline()
        for name in differences:
            if a[name] is not None and b[name] is not None:
                differences[name].append(b[name] - a[name])
    return {
        name: {
            "a": figures_a[name],
            "b": figures_b[name],
            "difference": _difference(figures_a[name], figures_b[name]),
            "ci95": percentiles(differences[name]),
            "b_better": round(sum(d > 0 for d in differences[name]) / len(differences[name]), 3)
            if differences[name]
            else None,
        }
        for name in figures_a
    }


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 4)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path, help="run A's --per-article file")
    parser.add_argument("b", type=Path, help="run B's --per-article file")
    args = parser.parse_args(argv)
    header_a, articles_a = read_article_counts(args.a)
    header_b, articles_b = read_article_counts(args.b)
    if header_a != header_b or articles_a.keys() != articles_b.keys():
        parser.error("the two runs are not of the same articles (split, topics and article ids must match)")
    ids = sorted(articles_a)
    result = compare(header_a["topics"], [articles_a[i] for i in ids], [articles_b[i] for i in ids])
    print(json.dumps({"split": header_a["split"], "articles": len(ids), "b_minus_a": result}, indent=1))
    return result


if __name__ == "__main__":
    main()
