"""Scoring a stance model: position metrics, the model's own predictions on units, speed, and the
relevance-gate check on a sample article. Used by the training script and by ``bench.stance_accuracy``."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from service.models.stance import POSITIONS, StanceModel
from service.models.stance_features import stance_window
from service.text import split_sentences
from training.stance_data import Unit


def stance_metrics(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class F1 and the confusion matrix (rows gold, columns predicted)."""
    per_class = f1_score(gold, predicted, labels=list(POSITIONS), average=None, zero_division=0)
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(f1_score(gold, predicted, labels=list(POSITIONS), average="macro", zero_division=0)),
        "f1": {p: float(f) for p, f in zip(POSITIONS, per_class)},
        "confusion": {
            "labels": list(POSITIONS),
            "matrix": confusion_matrix(gold, predicted, labels=list(POSITIONS)).tolist(),
        },
    }


def per_topic_metrics(units: Sequence[Unit], predicted: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per topic: n, accuracy and macro-F1 over the positions that occur (in gold or predicted) for that topic,
    so a topic whose few test units are all one position is not scored on positions it never has; plus
    ``macro``, the unweighted mean over topics."""
    out: dict[str, dict[str, Any]] = {}
    for topic in sorted({u.topic for u in units}):
        rows = [(u.position, p) for u, p in zip(units, predicted) if u.topic == topic]
        gold, guess = [g for g, _ in rows], [p for _, p in rows]
        labels = [p for p in POSITIONS if p in set(gold) | set(guess)]
        out[topic] = {
            "n": len(rows),
            "accuracy": float(accuracy_score(gold, guess)),
            "macro_f1": float(f1_score(gold, guess, labels=labels, average="macro", zero_division=0)),
        }
    out["macro"] = {
        "n": len(units),
        "accuracy": float(sum(m["accuracy"] for m in out.values()) / len(out)),
        "macro_f1": float(sum(m["macro_f1"] for m in out.values()) / len(out)),
    }
    return out


def model_positions(model: StanceModel, units: Sequence[Unit], batch: int = 256) -> list[str]:
    """Each unit's predicted position for its own topic, through the service's ``StanceModel.predict``."""
    unknown = sorted({u.topic for u in units} - set(model.topics))
    if unknown:
        raise ValueError(f"units on topics {unknown} that model {model.model_id} does not know")
    positions: dict[str, str] = {}
    for topic in model.topics:
        of_topic = [u for u in units if u.topic == topic]
        for i in range(0, len(of_topic), batch):
            chunk = of_topic[i : i + batch]
            for unit, stances in zip(chunk, model.predict([u.window for u in chunk], [topic])):
                positions[unit.unit_id] = stances[0].position
    return [positions[u.unit_id] for u in units]


def windows_per_second(model: StanceModel, windows: Sequence[str], batch: int = 64) -> float:
    """Windows scored per second on all topics (gate + classifier), in batches as the API sends them."""
    started = time.perf_counter()
    for i in range(0, len(windows), batch):
        model.predict(list(windows[i : i + batch]))
    return len(windows) / (time.perf_counter() - started)


_SAMPLE_HEADER = re.compile(r"^\s*date\s+\S+\s*")


def sample_article_check(model: StanceModel, path: str | Path, names: Sequence[str]) -> dict[str, Any]:
    """Windows around each occurrence of ``names`` in a sample article: how many are relevant per topic."""
    text = _SAMPLE_HEADER.sub("", Path(path).read_text(encoding="utf-8"), count=1)
    sentences = split_sentences(text)
    windows = [
        stance_window(text, sentences, i, token.start, token.end)
        for i, sentence in enumerate(sentences)
        for token in sentence.tokens
        if any(token.text.startswith(name) for name in names)
    ]
    stances = model.predict(windows)
    return {
        "windows": len(windows),
        "relevant": {t: sum(row[i].relevant for row in stances) for i, t in enumerate(model.topics)},
        "max_relevance": {
            t: round(max((row[i].relevance for row in stances), default=0.0), 3) for i, t in enumerate(model.topics)
        },
    }
