"""Train the stance classifier and relevance gate shipped in ``models/stance-nl-compact``.

    python -m training.stance --units ../shared/data/issuepositions/units.csv \
        --net ../shared/data/net2021/statements.csv \
        --articles ../shared/data/dpgmedia2019/articles.jsonl --out models/stance-nl-compact [--seed 13] \
        [--sample ../shared/data/samples/helsinki-2018-07.txt] [--all-variants] \
        [--word-vectors /work/ner-work/fasttext/news2019.model [--top-words 30000]] [--refit-all]

units.csv and the units built from net2021's issue positions (``training.net2021_issues``: NET categories
mapped to codebook topics and poles) are each split by document (no article in two splits; units.csv's split
is the one ``bench.stance_accuracy`` rebuilds, net2021's stratified by topic and shared with the relevance
gate's extra positives: net2021 sentences coded with a topic's category); variants are compared on dev, and the TF-IDF
baseline and the chosen variant, both fitted on train, are scored once on test. Without ``--refit-all`` the
shipped classifier is that train fit, so the test numbers describe exactly the files written; with it the chosen
configuration is fitted again on train + dev + test units for the shipped classifier (the relevance gate stays
the train fit, its thresholds calibrated on dev), and the card says which fit each figure comes from.
``--word-vectors`` (a gensim fastText model) adds the pooled word-vector variants; the word-vector table of
each fit is cut from that model for the units of the fit (``training.stance_vectors``). Inputs go through the
service's own ``normalise_window`` and feature views (``service.models.stance_features``), so training and
serving see the same text.

This is the command; the parts are ``stance_data`` (units, splits, news windows), ``stance_classifier``
(candidates compared on dev), ``stance_gate`` (relevance gate and its thresholds), ``stance_eval`` (scoring a
saved model, shared with ``bench.stance_accuracy``) and ``stance_card`` (MODEL_CARD.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from service.models.stance import POSITIONS, load_stance_model, save_stance_model
from training.net2021_issues import (
    issue_units,
    stratified_article_split,
    topic_counts,
    topical_windows,
)
from training.stance_card import model_card
from training.stance_classifier import (
    SHORTLIST,
    VARIANTS,
    VECTORIZERS,
    WORD_VECTOR_VARIANTS,
    FeatureCache,
    Selection,
    Variant,
    fit_variant,
    pooled_vectorizers,
    predict_positions,
    select_classifier,
    uses_word_vectors,
)
from training.stance_data import SEED, TOPICS, Unit, document_split, read_units, split_units
from training.stance_eval import (
    model_positions,
    per_topic_metrics,
    sample_article_check,
    stance_metrics,
    windows_per_second,
)
from training.stance_gate import train_gate
from training.stance_vectors import (
    DEFAULT_TOP_WORDS,
    build_table,
    load_fasttext_vectors,
    table_coverage,
    training_summary,
)

MODEL_ID = "stance-nl-compact"
VERSION = "1.2.0"


def directory_size(path: Path) -> int:
    """Bytes of the files the model directory ships."""
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def split_sizes(splits: dict[str, list[Unit]]) -> dict[str, dict[str, int]]:
    return {s: {"units": len(us), "docs": len({u.doc for u in us})} for s, us in splits.items()}


def save_model(
    out: Path,
    classifier: dict[str, Any],
    gate: dict[str, Any],
    thresholds: dict[str, float],
    trained_at: str,
    classifier_fit: str,
) -> dict[str, Any]:
    """Write the model directory the service loads; returns its metadata (topics and thresholds included)."""
    metadata = {
        "model_id": MODEL_ID,
        "version": VERSION,
        "topics": list(TOPICS),
        "positions": list(POSITIONS),
        "thresholds": thresholds,
        "trained_at": trained_at,
        "classifier_fit": classifier_fit,
        "training_data": "issuepositions units.csv (MIT) + net2021 IP statements mapped to codebook topics "
        "(MIT, VU Election Study 2021) + DpgMedia2019 articles (none windows for the gate)",
    }
    save_stance_model(out, classifier, gate, metadata)
    return metadata


def selection_word_vectors(
    vectors: Any, splits: dict[str, list[Unit]], top_words: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pooled-vector factories for the dev comparison, over a table of the train units' words only (so
    dev words outside it are skipped, as unseen words are in serving), and what to report about the table."""
    table = build_table(vectors, [u.window for u in splits["train"]], top_words)
    report = {
        "dimension": table.dimension,
        "top_words": top_words,
        "selection_table_words": len(table.words),
        "dev_token_coverage": table_coverage(table, [u.window for u in splits["dev"]]),
    }
    return pooled_vectorizers(table), report


def refit_on_all(
    variant: Variant, units: list[Unit], vectors: Any, top_words: int, word_vectors_report: dict[str, Any]
) -> dict[str, Any]:
    """The chosen configuration fitted on every shared unit; its word-vector table (if it reads one) holds
    the words of all of them. Notes the shipped table's size in ``word_vectors_report``."""
    factories: dict[str, Any] = {}
    if vectors is not None and uses_word_vectors(variant):
        table = build_table(vectors, [u.window for u in units], top_words)
        factories = pooled_vectorizers(table)
        word_vectors_report["shipped_table_words"] = len(table.words)
    return fit_variant(variant, FeatureCache(units, {**VECTORIZERS, **factories}))


def chosen_test_positions(selection: Selection, model: Any, test: list[Unit], refit_all: bool) -> list[str]:
    """The chosen variant's test positions from its train fit: through the saved model when that is the train
    fit (the service's own path), else through the same scorer on the train-fit artefact (the refit has seen
    the test units, so its test figure would mean nothing)."""
    if refit_all:
        return predict_positions(selection.chosen_artefact, test)
    return model_positions(model, test)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", required=True)
    parser.add_argument("--net", required=True, help="net2021 statements.csv (IP statements)")
    parser.add_argument("--articles", required=True)
    parser.add_argument("--out", default="models/stance-nl-compact")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--sample", help="sample article for the gate check (first line 'date …')")
    parser.add_argument("--sample-names", nargs="+", default=["Trump", "Poetin"])
    parser.add_argument("--all-variants", action="store_true", help="the full variant sweep, not the shortlist")
    parser.add_argument("--word-vectors", help="gensim fastText model: adds the pooled word-vector variants")
    parser.add_argument("--top-words", type=int, default=DEFAULT_TOP_WORDS, help="frequent corpus words in the table")
    parser.add_argument(
        "--refit-all", action="store_true", help="ship the chosen configuration fitted on train + dev + test units"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    trained_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    np.random.seed(args.seed)

    unit_splits = document_split(read_units(args.units), args.seed)
    net_units, net_counts = issue_units(args.net)
    net_split = stratified_article_split(net_units)
    net_splits = split_units(net_units, net_split)
    splits = {s: unit_splits[s] + net_splits[s] for s in unit_splits}
    vectors = load_fasttext_vectors(args.word_vectors) if args.word_vectors else None
    variants = list(VARIANTS if args.all_variants else SHORTLIST)
    factories: dict[str, Any] = {}
    word_vectors_report: dict[str, Any] = {}
    if vectors is not None:
        variants += WORD_VECTOR_VARIANTS
        factories, word_vectors_report = selection_word_vectors(vectors, splits, args.top_words)
        word_vectors_report |= {"model": args.word_vectors, "training": training_summary(args.word_vectors)}
    selection = select_classifier(splits, variants, factories)
    all_units = [u for s in ("train", "dev", "test") for u in splits[s]]
    if vectors is not None:
        word_vectors_report["shipped"] = uses_word_vectors(selection.chosen)
    if args.refit_all:
        shipped = refit_on_all(selection.chosen, all_units, vectors, args.top_words, word_vectors_report)
    else:
        shipped = selection.chosen_artefact
    classifier_fit = "train+dev+test" if args.refit_all else "train"
    gate, gate_report = train_gate(splits, args.articles, args.seed, topical_windows(args.net, net_split))
    out = Path(args.out)
    metadata = save_model(out, shipped, gate, gate_report["thresholds"], trained_at, classifier_fit)

    model = load_stance_model(out)
    test_baseline = predict_positions(selection.baseline, splits["test"])
    test_shipped = chosen_test_positions(selection, model, splits["test"], args.refit_all)
    report: dict[str, Any] = {
        "seed": args.seed,
        "trained_at": trained_at,
        "command": "python -m training.stance " + " ".join(argv if argv is not None else sys.argv[1:]),
        "split_sizes": split_sizes(unit_splits),
        "net_split_sizes": split_sizes(net_splits),
        "net_counts": net_counts,
        "net_topic_counts": topic_counts(net_units),
        "variants": selection.results,
        "variant_sweep": "all" if args.all_variants else "shortlist",
        "shipped_variant": selection.chosen.name,
        "classifier_fit": classifier_fit,
        "classifier_units": len(all_units) if args.refit_all else len(splits["train"]),
        "word_vectors": word_vectors_report,
        "test": {
            "baseline": stance_metrics([u.position for u in splits["test"]], test_baseline),
            "shipped": stance_metrics([u.position for u in splits["test"]], test_shipped),
        },
        "test_per_topic": {
            "baseline": per_topic_metrics(splits["test"], test_baseline),
            "shipped": per_topic_metrics(splits["test"], test_shipped),
        },
        "gate": gate_report,
        "windows_per_second": windows_per_second(model, [u.window for u in splits["test"][:512]]),
    }
    if args.sample:
        report["sample_article"] = {
            "path": args.sample,
            "names": args.sample_names,
            **sample_article_check(model, args.sample, args.sample_names),
        }
    report["wall_time_s"] = time.monotonic() - started
    report["size_bytes"] = directory_size(out)
    (out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(report, metadata), encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("test", "wall_time_s", "size_bytes")}, indent=2))


if __name__ == "__main__":
    main()
