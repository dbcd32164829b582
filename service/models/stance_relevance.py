"""A relevance gate in two stages, pickled inside ``gate.joblib`` (so it lives in the service package).

Whether an actor takes a position on some issue in a sentence is learned from every labelled window at once;
which topic, from the windows that hold a position. ``P(topic) = P(any issue) * P(topic | an issue)`` shares
the data of all 13 topics in the first stage, where one-vs-rest classifiers had about 150 positives each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression


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
        topics = self._topic_probabilities(features)
        return issue[:, None] * topics / np.maximum(topics.sum(axis=1, keepdims=True), 1e-9)

    def _topic_probabilities(self, features: Any) -> np.ndarray:
        """Each topic's probability from its binary logistic regression, as ``topic_classifier.predict_proba``
        gives it, computed here from the weights: scikit-learn checks the input again for every topic, and those
        13 checks took most of the gate's time on one article. A one-vs-rest classifier of anything else is asked
        itself."""
        estimators = getattr(self.topic_classifier, "estimators_", [None])
        if not all(isinstance(e, LogisticRegression) and len(e.classes_) == 2 for e in estimators):
            return np.asarray(self.topic_classifier.predict_proba(features), dtype=float)
        return expit(np.column_stack([features @ e.coef_[0] + e.intercept_[0] for e in estimators]))
