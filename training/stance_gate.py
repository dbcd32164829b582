"""The relevance gate: is a window about each topic at all? Fitted on train units + unlabeled ``none``
windows, its per-topic thresholds calibrated on dev, its precision and recall reported on test."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.multiclass import OneVsRestClassifier

from service.models.stance_features import featurise, plain_text
from training.stance_classifier import word_tfidf
from training.stance_data import TOPICS, Unit, is_off_topic, news_windows, sample


def gate_examples(
    units: Sequence[Unit], none_windows: Sequence[str], topical: Sequence[tuple[str, str]] = ()
) -> tuple[list[str], np.ndarray]:
    """Distinct windows with their topic indicator rows (a window coded for two topics is positive for both);
    ``topical`` adds ``(window, topic)`` positives that have no stance label; ``none`` windows are all-zero
    rows."""
    topics_of: dict[str, set[str]] = {}
    for window, topic in [*((u.window, u.topic) for u in units), *topical]:
        topics_of.setdefault(plain_text(window), set()).add(topic)
    windows = list(topics_of) + list(none_windows)
    labels = np.zeros((len(windows), len(TOPICS)), dtype=int)
    for row, window in enumerate(topics_of):
        for topic in topics_of[window]:
            labels[row, TOPICS.index(topic)] = 1
    return windows, labels


def fit_gate(windows: Sequence[str], labels: np.ndarray) -> dict[str, Any]:
    views = ("plain_text", "plain_text")
    vectorizers = (
        word_tfidf(),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=3),
    )
    for vec in vectorizers:
        vec.fit([plain_text(w) for w in windows])
    classifier = OneVsRestClassifier(LogisticRegression(C=4.0, max_iter=3000))
    classifier.fit(featurise([(w, "") for w in windows], views, vectorizers), labels)
    return {"views": views, "vectorizers": vectorizers, "classifier": classifier, "topics": TOPICS}


def gate_relevance(gate: dict[str, Any], windows: Sequence[str]) -> np.ndarray:
    return gate["classifier"].predict_proba(featurise([(w, "") for w in windows], gate["views"], gate["vectorizers"]))


def calibrate_thresholds(relevance: np.ndarray, labels: np.ndarray, beta: float = 0.5) -> dict[str, float]:
    """Per topic, the threshold that maximises F-beta (beta < 1: precision first) on held-out windows.

    A topic with fewer than 10 held-out positives keeps 0.5 (too few to calibrate on).
    """
    thresholds = {}
    for t, topic in enumerate(TOPICS):
        if labels[:, t].sum() < 10:
            thresholds[topic] = 0.5
            continue
        grid = np.arange(0.05, 0.96, 0.025)
        scores = []
        for threshold in grid:
            _p, _r, f, _ = precision_recall_fscore_support(
                labels[:, t], relevance[:, t] >= threshold, beta=beta, average="binary", zero_division=0
            )
            scores.append(f)
        thresholds[topic] = round(float(grid[int(np.argmax(scores))]), 3)
    return thresholds


def gate_metrics(relevance: np.ndarray, labels: np.ndarray, thresholds: dict[str, float]) -> dict[str, Any]:
    """Precision/recall/F1 per topic and micro-averaged at the calibrated thresholds."""
    predicted = np.column_stack([relevance[:, t] >= thresholds[topic] for t, topic in enumerate(TOPICS)])
    out: dict[str, Any] = {}
    for t, topic in enumerate(TOPICS):
        p, r, f, _ = precision_recall_fscore_support(labels[:, t], predicted[:, t], average="binary", zero_division=0)
        out[topic] = {
            "precision": float(p),
            "recall": float(r),
            "f1": float(f),
            "positives": int(labels[:, t].sum()),
        }
    p, r, f, _ = precision_recall_fscore_support(labels, predicted, average="micro", zero_division=0)
    out["micro"] = {"precision": float(p), "recall": float(r), "f1": float(f), "positives": int(labels.sum())}
    return out


def firing_rate(gate: dict[str, Any], windows: Sequence[str], thresholds: dict[str, float]) -> dict[str, float]:
    """Share of arbitrary news windows (no keyword filter) gated relevant per topic: a sanity figure."""
    relevance = gate_relevance(gate, windows)
    return {topic: float((relevance[:, t] >= thresholds[topic]).mean()) for t, topic in enumerate(TOPICS)}


def train_gate(
    splits: dict[str, list[Unit]],
    articles: str | Path,
    seed: int,
    topical: dict[str, list[tuple[str, str]]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit the gate on train, calibrate thresholds on dev, report held-out test precision/recall.

    ``topical``: extra positives per split (net2021 sentences coded with a topic's issue category), which give
    the topics with few stance units enough positives to learn and calibrate on."""
    topical = topical or {}
    news = news_windows(articles)
    off_topic = {s: [w for w in ws if is_off_topic(w)] for s, ws in news.items()}
    sizes = {"train": 8000, "dev": 2000, "test": 2000}
    none = {s: sample(off_topic[s], sizes[s], seed) for s in sizes}
    gate = fit_gate(*gate_examples(splits["train"], none["train"], topical.get("train", ())))
    dev_windows, dev_labels = gate_examples(splits["dev"], none["dev"], topical.get("dev", ()))
    thresholds = calibrate_thresholds(gate_relevance(gate, dev_windows), dev_labels)
    test_windows, test_labels = gate_examples(splits["test"], none["test"], topical.get("test", ()))
    report = {
        "news_windows": {s: len(ws) for s, ws in news.items()},
        "off_topic_windows": {s: len(ws) for s, ws in off_topic.items()},
        "none_examples": {s: len(ws) for s, ws in none.items()},
        "topical_examples": {s: len(ws) for s, ws in topical.items()},
        "thresholds": thresholds,
        "test": gate_metrics(gate_relevance(gate, test_windows), test_labels, thresholds),
        "test_firing_rate_unfiltered_news": firing_rate(gate, sample(news["test"], 3000, seed), thresholds),
    }
    return gate, report
