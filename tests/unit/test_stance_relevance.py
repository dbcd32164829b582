"""The two-stage relevance gate: P(any issue) shared out over the topics."""

import numpy as np

from service.models.stance_relevance import TwoStageRelevance


class Fixed:
    def __init__(self, rows):
        self.rows = np.asarray(rows, dtype=float)

    def predict_proba(self, features):
        return self.rows


def test_topic_probabilities_share_out_the_any_issue_probability():
    gate = TwoStageRelevance(Fixed([[0.2, 0.8], [0.9, 0.1]]), Fixed([[0.6, 0.2], [0.5, 0.5]]))
    relevance = gate.predict_proba(None)
    assert relevance.shape == (2, 2)
    np.testing.assert_allclose(relevance, [[0.6, 0.2], [0.05, 0.05]])
    np.testing.assert_allclose(relevance.sum(axis=1), [0.8, 0.1])
