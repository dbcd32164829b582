"""Choose the reference ranker's thresholds through the whole service on the corpus dev split.

``training.coref_ranker`` scores links on gold actors, where a threshold's cost to the quotes does not show: the
service links references among its own actors, and its quote stage gives a pronoun the speaker before it where
the ranker leaves the pronoun unlinked. So each candidate threshold of one kind of reference (pronoun or
description) runs the whole service on dev, and is compared article by article (``bench.corpus_compare``: a
paired bootstrap) with the candidate whose quotes with a named speaker are the most precise. Kept: of the
candidates whose quotes with a named speaker are not worse than that one's, neither in precision nor in recall
(the 95 % interval of the difference reaches zero or above), the one with the best mention links F1; ties go to
the higher threshold.

``--out`` gets the ranker with the chosen thresholds (``ranker.json``) and every candidate's figures and
comparison (``thresholds_report.json``). One process loads the models once and sets the thresholds between runs.

    python -m training.coref_thresholds --ranker models/coref-nl-compact/ranker.json --out /tmp/coref \
        --choose nominal 0.15 0.25 0.35 0.45 0.55 --choose pronoun 0.55 0.6 0.65 0.7 0.75 0.8
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bench.corpus_accuracy import Scores, score_articles
from bench.corpus_compare import compare
from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path, topics_path
from corpus.labels import issue_topics
from corpus.store import CORPUS_DIR, Article, load_split, read_records, split_path
from service.config import Settings
from training.coref_ranker import KINDS

if TYPE_CHECKING:
    from service.pipeline import Pipeline

log = logging.getLogger("training.coref_thresholds")
REPORT_FILE = "thresholds_report.json"
# The quote figures a lower threshold must not make worse, and the figure it is chosen by.
QUOTE_PRECISION = "named_speaker_precision"
GUARDED = (QUOTE_PRECISION, "named_speaker_recall")
CHOSEN_BY = "links_f1"


def not_worse(comparison: Mapping[str, Mapping]) -> bool:
    """Whether none of the ``GUARDED`` figures is significantly lower (its interval's upper end is below 0)."""
    return all(comparison[name]["ci95"] is None or comparison[name]["ci95"][1] >= 0 for name in GUARDED)


def choose(comparisons: Mapping[float, Mapping[str, Mapping]]) -> float:
    """The threshold whose ``CHOSEN_BY`` figure is best among those ``not_worse`` than the reference (each
    comparison is ``compare(reference, candidate)``; the reference's own is all zeros, so it always qualifies);
    the higher threshold on a tie."""
    eligible = [threshold for threshold, comparison in comparisons.items() if not_worse(comparison)]
    return max(eligible, key=lambda threshold: (comparisons[threshold][CHOSEN_BY]["b"] or 0.0, threshold))


def sweep(
    pipeline: Pipeline, kind: str, candidates: Sequence[float], articles: Sequence[Article], topics: Sequence[str]
) -> dict:
    """Every candidate of ``kind`` through the service against the one with the most precise quotes (the higher
    threshold on a tie); sets the chosen one on the ranker."""
    ranker = pipeline.coref
    runs: dict[float, list[Scores]] = {}
    precision: dict[float, float] = {}
    for threshold in sorted(candidates):
        ranker.thresholds = {**ranker.thresholds, kind: threshold}
        runs[threshold] = score_articles(pipeline, articles, topics)
        figures = Scores.merged(topics, runs[threshold]).headline()
        precision[threshold] = figures[QUOTE_PRECISION] or 0.0
        log.info("%s %.2f: %s", kind, threshold, figures)
    reference = max(runs, key=lambda threshold: (precision[threshold], threshold))
    comparisons = {threshold: compare(topics, runs[reference], parts) for threshold, parts in runs.items()}
    chosen = choose(comparisons)
    ranker.thresholds = {**ranker.thresholds, kind: chosen}
    return {"reference": reference, "chosen": chosen, "candidates": {str(t): c for t, c in comparisons.items()}}


def main(argv: list[str] | None = None) -> dict:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ranker", type=Path, required=True, help="the ranker.json to choose thresholds for")
    parser.add_argument("--out", type=Path, required=True, help="folder for ranker.json and the report")
    parser.add_argument(
        "--choose", nargs="+", action="append", required=True, metavar="KIND THRESHOLD",
        help=f"a kind ({', '.join(KINDS)}) and its candidate thresholds, chosen in the order given",
    )  # fmt: skip
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args(argv)
    choices = _candidates(parser, args.choose)
    from service.state import build_pipeline  # loads torch: only when the choice really runs

    pipeline = build_pipeline(replace(Settings.from_env(), coref_model=str(args.ranker)))
    ids = [record["id"] for _, record in read_records(split_path("dev", args.corpus))]
    articles = load_split("dev", load_texts(ids, news2019_path(args.shared)), args.corpus)
    topics = issue_topics(topics_path(args.shared))
    report = {"split": "dev", "articles": len(articles), "chosen_by": CHOSEN_BY, "guarded": list(GUARDED)}
    for kind, candidates in choices.items():
        report[kind] = sweep(pipeline, kind, candidates, articles, topics)
    saved = json.loads(args.ranker.read_text(encoding="utf-8"))
    extra = {key: saved[key] for key in ("version", "C") if key in saved}
    args.out.mkdir(parents=True, exist_ok=True)
    pipeline.coref.save(args.out / "ranker.json", {**extra, "thresholds_chosen": "training.coref_thresholds"})
    (args.out / REPORT_FILE).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({kind: report[kind]["chosen"] for kind in choices}))
    return report


def _candidates(parser: argparse.ArgumentParser, choose: list[list[str]]) -> dict[str, list[float]]:
    """``--choose`` as kind -> candidate thresholds, checked before any model loads."""
    choices: dict[str, list[float]] = {}
    for kind, *values in choose:
        if kind not in KINDS or kind in choices:
            parser.error(f"--choose {kind}: a kind is one of {', '.join(KINDS)}, each chosen once")
        try:
            choices[kind] = [float(value) for value in values]
        except ValueError as error:
            parser.error(f"--choose {kind}: {error}")
        if not choices[kind] or not all(0.0 <= value <= 1.0 for value in choices[kind]):
            parser.error(f"--choose {kind}: give one or more thresholds between 0 and 1")
    return choices


if __name__ == "__main__":
    main()
