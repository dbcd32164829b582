"""Actor stance on political issues: the stance classifier and the relevance gate, loaded from a directory.

The input windows and feature views are built by :mod:`service.models.stance_features`, the code training
shares with serving. The topics a model knows are the ones its ``metadata.json`` lists (with a threshold for
each); nothing here keeps a second list.

A stance is only meaningful when the window is about the topic, so every prediction carries the relevance
gate's probability for that topic and whether it passes the threshold calibrated on held-out data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import joblib
import numpy as np

from service.models.calibration import Calibration
from service.models.loading import ModelFileError, load_model, read_joblib_dict, read_metadata
from service.models.stance_features import featurise, served_vectorizer, trusted_inputs

POSITIONS: tuple[str, ...] = ("positive", "negative", "neutral")

METADATA_FILE = "metadata.json"
SKLEARN_CLASSIFIER_FILE = "classifier.joblib"
GATE_FILE = "gate.joblib"


class StanceModelError(ModelFileError):
    """The stance model directory or one of its files is missing or cannot be read."""


@dataclass(frozen=True, slots=True)
class TopicStance:
    """The stance of one window's actor on one topic.

    ``scores`` holds the probability of each position (summing to 1); ``relevance`` is the gate's
    probability that the window is about ``topic`` and ``relevant`` whether it reaches the calibrated
    threshold. Callers should only report ``position`` where ``relevant`` is true.
    """

    topic: str
    position: str
    scores: dict[str, float]
    relevance: float
    relevant: bool


def _reorder(probabilities: np.ndarray, classes: Sequence[str], order: Sequence[str]) -> np.ndarray:
    """Columns of ``probabilities`` (labelled ``classes``) in ``order``; absent ones 0; rows sum to 1."""
    index = {label: i for i, label in enumerate(classes)}
    columns = [probabilities[:, index[label]] if label in index else np.zeros(len(probabilities)) for label in order]
    out = np.column_stack(columns)
    totals = out.sum(axis=1, keepdims=True)
    return np.divide(out, totals, out=np.full_like(out, 1 / len(order)), where=totals > 0)


@dataclass(frozen=True)
class SklearnMember:
    """Feature views + their fitted vectorisers + a scikit-learn classifier with ``predict_proba``."""

    views: tuple[str, ...]
    vectorizers: tuple[Any, ...]
    classifier: Any

    def scores(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        with trusted_inputs():
            probabilities = self.classifier.predict_proba(featurise(pairs, self.views, self.vectorizers))
        return _reorder(probabilities, list(self.classifier.classes_), POSITIONS)


@dataclass(frozen=True)
class SklearnStanceScorer:
    """The average of its members' position probabilities (one member: a plain classifier).

    Averaging a character model and a word/topic-cross model measured better on dev than either alone.
    """

    members: tuple[SklearnMember, ...]

    def scores(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Position probabilities, shape ``(len(pairs), len(POSITIONS))`` in ``POSITIONS`` order."""
        return np.mean([member.scores(pairs) for member in self.members], axis=0)


@dataclass(frozen=True)
class RelevanceGate:
    """One-vs-rest topic classifiers over the unmarked window; ``none`` windows are negatives for all."""

    views: tuple[str, ...]
    vectorizers: tuple[Any, ...]
    classifier: Any
    topics: tuple[str, ...]

    def relevance(self, windows: Sequence[str]) -> np.ndarray:
        """Probability that each window is about each topic, shape ``(len(windows), len(self.topics))``."""
        with trusted_inputs():
            features = featurise([(w, "") for w in windows], self.views, self.vectorizers)
            return np.asarray(self.classifier.predict_proba(features), dtype=float)


class StanceModel:
    """Stance classifier + relevance gate, loaded once; ``predict`` mutates nothing (thread-safe)."""

    def __init__(
        self,
        model_id: str,
        version: str,
        topics: Sequence[str],
        scorer: SklearnStanceScorer,
        gate: RelevanceGate,
        thresholds: Mapping[str, float],
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.model_id = model_id
        self.version = version
        self.topics: tuple[str, ...] = tuple(topics)
        self.thresholds: Mapping[str, float] = MappingProxyType(dict(thresholds))
        self.metadata: Mapping[str, Any] = MappingProxyType(dict(metadata or {}))
        # Pooled pole scores closer than this are reported neutral (``pipeline.aggregate_stances``); 0 = argmax.
        self.pole_margin = float(self.metadata.get("pole_margin", 0.0))
        # A stance's confidence as the chance it is right (fitted on corpus dev); None: the raw score.
        self.calibration = Calibration.from_metadata(self.metadata)
        self._scorer = scorer
        self._gate = gate
        self._gate_column = {topic: i for i, topic in enumerate(gate.topics)}

    def predict(self, windows: list[str], topics: Sequence[str] | None = None) -> list[list[TopicStance]]:
        """For every window, the stance on every requested topic (default: all), in one batched call each
        for the gate and the classifier."""
        wanted = self._check_topics(topics)
        if not windows or not wanted:
            return [[] for _ in windows]
        relevance = self._gate.relevance(windows)[:, [self._gate_column[topic] for topic in wanted]]
        pairs = [(window, topic) for window in windows for topic in wanted]
        scores = self._scorer.scores(pairs).reshape(len(windows), len(wanted), len(POSITIONS))
        return [
            [self._stance(topic, scores[w, t], relevance[w, t]) for t, topic in enumerate(wanted)]
            for w in range(len(windows))
        ]

    def predict_relevant(self, windows: list[str]) -> list[list[TopicStance]]:
        """For every window, the stances on only the topics the gate passes.

        The gate is cheap and passes few (window, topic) pairs in real articles, so scoring just those with
        the classifier (one batched call) saves most of the stance time of ``/v1/analyze``.
        """
        if not windows:
            return []
        relevance = self._gate.relevance(windows)[:, [self._gate_column[topic] for topic in self.topics]]
        thresholds = np.array([self.thresholds[topic] for topic in self.topics])
        passed = np.argwhere(relevance >= thresholds)
        results: list[list[TopicStance]] = [[] for _ in windows]
        if len(passed) == 0:
            return results
        scores = self._scorer.scores([(windows[w], self.topics[t]) for w, t in passed])
        for (w, t), row in zip(passed, scores):
            results[w].append(self._stance(self.topics[t], row, relevance[w, t]))
        return results

    def _check_topics(self, topics: Sequence[str] | None) -> tuple[str, ...]:
        if topics is None:
            return self.topics
        unknown = [t for t in topics if t not in self.topics]
        if unknown:
            raise ValueError(f"unknown topic(s) {unknown}; this model knows {list(self.topics)}")
        return tuple(dict.fromkeys(topics))

    def _stance(self, topic: str, scores: np.ndarray, relevance: float) -> TopicStance:
        by_position = {p: float(s) for p, s in zip(POSITIONS, scores)}
        return TopicStance(
            topic=topic,
            position=POSITIONS[int(np.argmax(scores))],
            scores=by_position,
            relevance=float(relevance),
            relevant=bool(relevance >= self.thresholds[topic]),
        )


def save_stance_model(
    out: Path, classifier: Mapping[str, Any], gate: Mapping[str, Any], metadata: Mapping[str, Any]
) -> None:
    """Write the directory :func:`read_stance_model` reads: the two joblib artefacts and ``metadata.json``."""
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(dict(classifier), out / SKLEARN_CLASSIFIER_FILE, compress=3)
    joblib.dump(dict(gate), out / GATE_FILE, compress=3)
    (out / METADATA_FILE).write_text(json.dumps(dict(metadata), indent=2) + "\n", encoding="utf-8")


def _read_metadata(directory: Path) -> dict[str, Any]:
    path = directory / METADATA_FILE
    metadata = read_metadata(path, ("model_id", "version", "topics", "thresholds"), StanceModelError, "stance model")
    unthresholded = [t for t in metadata["topics"] if t not in metadata["thresholds"]]
    if unthresholded:
        raise StanceModelError(f"stance model metadata {path}: no threshold for topics {unthresholded}")
    return metadata


def _load_artefact(path: Path) -> dict[str, Any]:
    """A joblib dict written by ``training.stance``."""
    return read_joblib_dict(path, (), StanceModelError, "stance model")


def _member(part: Mapping[str, Any]) -> SklearnMember:
    vectorizers = tuple(served_vectorizer(vectorizer) for vectorizer in part["vectorizers"])
    return SklearnMember(tuple(part["views"]), vectorizers, part["classifier"])


def _load_scorer(directory: Path) -> SklearnStanceScorer:
    """The scikit-learn ``classifier.joblib`` ensemble."""
    path = directory / SKLEARN_CLASSIFIER_FILE
    artefact = _load_artefact(path)
    try:
        return SklearnStanceScorer(tuple(_member(part) for part in artefact["members"]))
    except (KeyError, TypeError) as error:
        raise StanceModelError(f"stance model file {path} lacks {error}") from error


def _load_gate(directory: Path) -> RelevanceGate:
    path = directory / GATE_FILE
    artefact = _load_artefact(path)
    try:
        member = _member(artefact)
        return RelevanceGate(member.views, member.vectorizers, member.classifier, tuple(artefact["topics"]))
    except (KeyError, TypeError) as error:
        raise StanceModelError(f"stance model file {path} lacks {error}") from error


def load_stance_model(reference: str | Path) -> StanceModel:
    """Load the stance model directory (setting ``STANCE_MODEL``); any fault is a ModelLoadError naming it."""
    return load_model("STANCE_MODEL", str(reference), read_stance_model, hub_ids=False)


def read_stance_model(path: str | Path) -> StanceModel:
    """The model in a directory of metadata.json, gate.joblib and classifier.joblib (StanceModelError if not)."""
    directory = Path(path)
    if not directory.is_dir():
        raise StanceModelError(f"stance model directory not found: {directory}")
    metadata = _read_metadata(directory)
    gate = _load_gate(directory)
    if not set(metadata["topics"]) <= set(gate.topics):
        raise StanceModelError(f"relevance gate in {directory} does not cover topics {metadata['topics']}")
    return StanceModel(
        model_id=metadata["model_id"],
        version=metadata["version"],
        topics=metadata["topics"],
        scorer=_load_scorer(directory),
        gate=gate,
        thresholds={t: float(metadata["thresholds"][t]) for t in metadata["topics"]},
        metadata=metadata,
    )
