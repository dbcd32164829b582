"""A relevance gate in two stages, pickled inside ``gate.joblib`` (so it lives in the service package).

Whether an actor takes a position on some issue in a sentence is learned from every labelled window at once;
which topic, from the windows that hold a position. ``P(topic) = P(any issue) * P(topic | an issue)`` shares
the data of all 13 topics in the first stage, where one-vs-rest classifiers had about 150 positives each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class TwoStageRelevance:
    """``predict_proba`` of shape ``(n, topics)``: a binary "any issue" classifier times a topic classifier.

    ``topic_classifier`` is a multilabel one-vs-rest classifier over the topics (rows of windows with a
    position), normalised per row so that the topic probabilities share out ``P(any issue)``.
    """

    any_classifier: Any
    topic_classifier: Any

    def predict_proba(self, features: Any) -> np.ndarray:
        issue = self.any_classifier.predict_proba(features)[:, 1]
        topics = np.asarray(self.topic_classifier.predict_proba(features), dtype=float)
        return issue[:, None] * topics / np.maximum(topics.sum(axis=1, keepdims=True), 1e-9)
