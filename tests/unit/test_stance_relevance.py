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


def test_the_topics_one_vs_rest_regressions_give_scikit_learns_own_probabilities():
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    rng = np.random.default_rng(0)
    features = sparse.random(60, 40, density=0.2, format="csr", random_state=1)
    topics = (rng.random((60, 3)) < 0.4).astype(int)
    topic_classifier = OneVsRestClassifier(LogisticRegression()).fit(features, topics)
    any_classifier = LogisticRegression().fit(features, topics.any(axis=1).astype(int))
    gate = TwoStageRelevance(any_classifier, topic_classifier)
    expected = topic_classifier.predict_proba(features)
    issue = any_classifier.predict_proba(features)[:, 1]
    np.testing.assert_allclose(
        gate.predict_proba(features), issue[:, None] * expected / expected.sum(axis=1, keepdims=True), rtol=1e-12
    )
