"""Train the issue-stance model on the annotated corpus: 13 topics, relevance learned from real negatives.

    python -m training.stance_corpus --out models/stance-nl-compact [--seed 13] [--threshold 0.1] \
        [--pole-margin 0.2] [--kinds name other] [--with-units] [--train-articles N]

The examples are the service's own inputs (``training.stance_corpus_data``): for every mention of a gold actor of a
corpus train article, the window ``stance_window`` builds around it, labelled with the topics and positions of that
actor's issue units in the mention's sentence; every other window is "not relevant" for all topics (the corpus is
annotated exhaustively). The relevance gate is two-stage (``service.models.stance_relevance``): "does the marked
actor take an issue position here" learned from all windows, "on which topic" from the positive ones. The
classifier is the TF-IDF ensemble of ``training.stance_classifier`` on the labelled windows (``--with-units`` adds
issuepositions ``units.csv`` and the net2021 units). One threshold on the gate's probability for all topics was
chosen end to end on corpus dev (``bench.corpus_accuracy --split dev``); corpus test is never read here.
The card is written afterwards from the end-to-end dev bench of the written model (``training.stance_corpus_card``).
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
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.multiclass import OneVsRestClassifier

from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path, topics_path
from corpus.store import CORPUS_DIR, TRAIN_ARTICLES_HELP, Article, load_split, read_records, split_path
from service.models.stance import POSITIONS, read_stance_model, save_stance_model
from service.models.stance_features import FEATURE_VIEWS, featurise
from service.models.stance_relevance import TwoStageRelevance
from training.net2021_issues import issue_units
from training.stance_classifier import (
    ACTOR,
    BASELINE_FEATURES,
    CROSS,
    MENTION,
    WINDOW,
    FeatureCache,
    Member,
    Variant,
    fit_variant,
    logreg,
    mention_tfidf,
    predict_positions,
    word_tfidf,
)
from training.stance_corpus_data import CorpusWindow, corpus_topics, corpus_windows, stance_units
from training.stance_data import SEED, Unit, read_units
from training.stance_eval import stance_metrics, windows_per_second

MODEL_ID = "stance-nl-compact"
VERSION = "2.3.0"
DEFAULT_THRESHOLD = 0.1
DEFAULT_POLE_MARGIN = 0.1
CLASSIFIER = Variant(
    "mean of char 2-5 LR (topic prefixed) + (window + topic x word + topic x mention) balanced LR + "
    "(actor clause + topic x mention) balanced LR",
    (
        Member(BASELINE_FEATURES, logreg(1.0, False), agreement_weighted=True),
        Member(WINDOW + CROSS + MENTION, logreg(1.0), agreement_weighted=True),
        Member(ACTOR + MENTION, logreg(1.0), agreement_weighted=True),
    ),
)
# What the gate reads: the unmarked window (words, character n-grams), the marked actor's clause (words) and
# the actor's own words (a party or minister takes positions, a victim or a city seldom does).
GATE_VIEWS = (
    ("plain_text", lambda: word_tfidf()),
    ("plain_text", lambda: TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=3)),
    ("actor_context", lambda: word_tfidf()),
    ("mention_topic", lambda: mention_tfidf()),
)


def load_articles(split: str, corpus: Path, shared: Path, train_articles: int | None = None) -> list[Article]:
    """The split's articles with their texts; of train only the first ``train_articles`` (``load_split``)."""
    ids = [r["id"] for _, r in read_records(split_path(split, corpus))]
    return load_split(split, load_texts(ids, news2019_path(shared)), corpus, train_articles)


def topic_labels(windows: list[CorpusWindow], topics: tuple[str, ...]) -> np.ndarray:
    return np.array([[t in w.labels for t in topics] for w in windows], dtype=int)


def fit_gate(windows: list[CorpusWindow], topics: tuple[str, ...], seed: int) -> dict[str, Any]:
    """The two-stage gate over ``GATE_VIEWS``, as ``gate.joblib`` stores it."""
    texts = [w.window for w in windows]
    labels = topic_labels(windows, topics)
    views = tuple(view for view, _ in GATE_VIEWS)
    vectorizers = tuple(make() for _, make in GATE_VIEWS)
    for view, vectorizer in zip(views, vectorizers):
        vectorizer.fit([FEATURE_VIEWS[view](t, "") for t in texts])
    features = featurise([(t, "") for t in texts], views, vectorizers)
    any_issue = (labels.sum(axis=1) > 0).astype(int)
    positive = np.flatnonzero(any_issue)
    stage_one = LogisticRegression(C=1.0, max_iter=3000, random_state=seed).fit(features, any_issue)
    stage_two = OneVsRestClassifier(LogisticRegression(C=4.0, max_iter=3000, random_state=seed))
    stage_two.fit(features[positive], labels[positive])
    return {
        "views": views,
        "vectorizers": vectorizers,
        "classifier": TwoStageRelevance(stage_one, stage_two),
        "topics": topics,
    }


def gate_report(gate: dict[str, Any], windows: list[CorpusWindow], topics: tuple[str, ...], threshold: float) -> dict:
    """Window-level average precision and precision/recall at ``threshold`` per topic (corpus dev windows)."""
    texts = [w.window for w in windows]
    features = featurise([(t, "") for t in texts], gate["views"], gate["vectorizers"])
    relevance = gate["classifier"].predict_proba(features)
    labels = topic_labels(windows, topics)
    out = {}
    for k, topic in enumerate(topics):
        passed = relevance[:, k] >= threshold
        gold = labels[:, k].astype(bool)
        out[topic] = {
            "positives": int(gold.sum()),
            "average_precision": (
                round(float(average_precision_score(gold, relevance[:, k])), 4) if gold.any() else None
            ),
            "precision": round(float((passed & gold).sum() / passed.sum()), 4) if passed.any() else None,
            "recall": round(float((passed & gold).sum() / gold.sum()), 4) if gold.any() else None,
        }
    return out


def file_sizes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.suffix == ".joblib"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="models/stance-nl-compact")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="gate threshold, every topic")
    parser.add_argument(
        "--pole-margin", type=float, default=DEFAULT_POLE_MARGIN, help="pooled poles closer than this: neutral"
    )
    parser.add_argument("--kinds", nargs="+", default=["name"], choices=("name", "other"), help="mentions read")
    parser.add_argument("--with-units", action="store_true", help="add issuepositions units.csv + net2021 units")
    parser.add_argument("--train-articles", type=int, help=TRAIN_ARTICLES_HELP)
    args = parser.parse_args(argv)
    started = time.monotonic()
    np.random.seed(args.seed)
    out = Path(args.out)
    topics = corpus_topics(topics_path(args.shared))
    train_articles = load_articles("train", args.corpus, args.shared, args.train_articles)
    train = corpus_windows(train_articles, args.kinds)
    dev = corpus_windows(load_articles("dev", args.corpus, args.shared), ["name"])
    units: list[Unit] = stance_units(train)
    extra_units: list[Unit] = []
    if args.with_units:
        extra_units = read_units(args.shared / "issuepositions" / "units.csv")
        extra_units += issue_units(args.shared / "net2021" / "statements.csv")[0]
    classifier = fit_variant(CLASSIFIER, FeatureCache(units + extra_units))
    gate = fit_gate(train, topics, args.seed)
    trained_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    data = "corpus v1 train windows (news2019 texts, never shipped; labels: this repository)"
    if args.with_units:
        data += " + issuepositions units.csv (MIT) + net2021 IP statements (MIT)"
    metadata = {
        "model_id": MODEL_ID,
        "version": VERSION,
        "topics": list(topics),
        "positions": list(POSITIONS),
        "thresholds": dict.fromkeys(topics, args.threshold),
        "pole_margin": args.pole_margin,
        "trained_at": trained_at,
        "training_data": data,
    }
    save_stance_model(out, classifier, gate, metadata)
    model = read_stance_model(out)
    dev_units = stance_units(dev)
    report: dict[str, Any] = {
        "seed": args.seed,
        "trained_at": trained_at,
        "command": "python -m training.stance_corpus " + " ".join(argv if argv is not None else sys.argv[1:]),
        "threshold": args.threshold,
        "pole_margin": args.pole_margin,
        "kinds": args.kinds,
        "train_articles": len(train_articles),
        "train_windows": len(train),
        "train_windows_labelled": sum(bool(w.labels) for w in train),
        "classifier_units": {"corpus": len(units), "units_csv_and_net2021": len(extra_units)},
        "train_topic_units": {t: sum(u.topic == t for u in units) for t in topics},
        "classifier": CLASSIFIER.name,
        "dev_windows": len(dev),
        "dev_stance_gold_windows": stance_metrics(
            [u.position for u in dev_units], predict_positions(classifier, dev_units)
        ),
        "dev_gate": gate_report(gate, dev, topics, args.threshold),
        "windows_per_second": windows_per_second(model, [w.window for w in dev[:512]]),
        "file_sizes": file_sizes(out),
        "wall_time_s": round(time.monotonic() - started, 1),
    }
    (out / "training_report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("dev_stance_gold_windows", "file_sizes", "wall_time_s")}, indent=2))


if __name__ == "__main__":
    main()
