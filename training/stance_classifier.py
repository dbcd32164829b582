"""The stance classifier candidates, fitted on the train split and compared on dev.

Each candidate is an average of members (feature views + vectorisers + a scikit-learn classifier); the one
with the best dev macro-F1 is shipped as ``classifier.joblib`` in the form ``SklearnStanceScorer`` reads.
Given a word-vector table (``training.stance_vectors``), the ``WORD_VECTOR_VARIANTS`` add pooled fastText
features (``service.models.pooled_vectors``) to the candidates: as a member of their own or beside TF-IDF.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from service.models.pooled_vectors import PooledWordVectors, WordVectorTable
from service.models.stance import POSITIONS, SklearnMember, SklearnStanceScorer
from service.models.stance_features import FEATURE_VIEWS, featurise
from training.stance_data import Unit, pairs
from training.stance_eval import stance_metrics


def char_tfidf(**extra: Any) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, min_df=2, **extra)


def word_tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, token_pattern=r"(?u)\b\w+\b")


def cross_tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True, min_df=2)


def mention_tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)


VECTORIZERS: dict[str, Callable[[], Any]] = {
    "baseline_char": lambda: TfidfVectorizer(analyzer="char", ngram_range=(2, 5)),
    "char": char_tfidf,
    "word": word_tfidf,
    "cross": cross_tfidf,
    "mention": mention_tfidf,
}


def pooled_vectorizers(table: WordVectorTable) -> dict[str, Callable[[], PooledWordVectors]]:
    """The pooled word-vector "vectorisers" over ``table``, named as the feature sets below name them."""
    return {
        "pooled_sif": lambda: PooledWordVectors(table),
        "pooled_mean": lambda: PooledWordVectors(table, weighted=False),
        "pooled_sif_topic": lambda: PooledWordVectors(table, topic_crossed=True),
    }


def logreg(c: float = 1.0, balanced: bool = True) -> Callable[[], LogisticRegression]:
    return lambda: LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)


def calibrated_svm(c: float) -> Callable[[], CalibratedClassifierCV]:
    return lambda: CalibratedClassifierCV(LinearSVC(C=c, class_weight="balanced"), method="sigmoid", cv=3)


@dataclass(frozen=True)
class Member:
    """Feature set (view, vectoriser name) + classifier factory; optionally units weighted by coder agreement
    (a unit the coders disagreed on is a noisier example)."""

    features: tuple[tuple[str, str], ...]
    classifier: Callable[[], Any]
    agreement_weighted: bool = False


@dataclass(frozen=True)
class Variant:
    """A classifier candidate: the average of its members' probabilities (usually one member)."""

    name: str
    members: tuple[Member, ...]


BASELINE_FEATURES = (("topic_text", "baseline_char"),)
WINDOW = (("topic_text", "char"), ("topic_text", "word"))
ACTOR = (("actor_context", "char"), ("actor_context", "word"))
CROSS = (("topic_words", "cross"),)
MENTION = (("mention_topic", "mention"),)
BASELINE_LR = Member(BASELINE_FEATURES, logreg(1.0, False))
BASELINE_LR_AGREEMENT = Member(BASELINE_FEATURES, logreg(1.0, False), agreement_weighted=True)
WINDOW_CROSS_MENTION_AGREEMENT = Member(WINDOW + CROSS + MENTION, logreg(1.0), agreement_weighted=True)
BASELINE = Variant("baseline: char 2-5 TF-IDF (topic prefixed) + LR C=1", (BASELINE_LR,))
VARIANTS = (
    BASELINE,
    Variant("baseline + class_weight=balanced", (Member(BASELINE_FEATURES, logreg(1.0)),)),
    Variant("window char 2-5 + word 1-2 (sublinear, min_df 2), balanced LR C=1", (Member(WINDOW, logreg(1.0)),)),
    Variant("window, balanced LR C=0.5", (Member(WINDOW, logreg(0.5)),)),
    Variant("window, balanced LR C=2", (Member(WINDOW, logreg(2.0)),)),
    Variant("window + actor clause (±10 words), balanced LR C=1", (Member(WINDOW + ACTOR, logreg(1.0)),)),
    *(
        Variant(
            f"window + actor clause + topic x word cross, balanced LR C={c:g}",
            (Member(WINDOW + ACTOR + CROSS, logreg(c)),),
        )
        for c in (1.0, 3.0, 10.0)
    ),
    Variant(
        "window + actor clause + topic x word cross, LinearSVC C=0.1 sigmoid-calibrated",
        (Member(WINDOW + ACTOR + CROSS, calibrated_svm(0.1)),),
    ),
    Variant("window + topic x word cross, balanced LR C=1", (Member(WINDOW + CROSS, logreg(1.0)),)),
    Variant("window + topic x mention cross, balanced LR C=1", (Member(WINDOW + MENTION, logreg(1.0)),)),
    Variant(
        "window + topic x word + topic x mention, balanced LR C=1",
        (Member(WINDOW + CROSS + MENTION, logreg(1.0)),),
    ),
    Variant(
        "window + topic x word + topic x mention, balanced LR C=1, agreement-weighted",
        (WINDOW_CROSS_MENTION_AGREEMENT,),
    ),
    Variant(
        "baseline char + window + topic x word + topic x mention in one balanced LR C=1, agreement-weighted",
        (Member(BASELINE_FEATURES + WINDOW + CROSS + MENTION, logreg(1.0), agreement_weighted=True),),
    ),
    Variant(
        "mean of baseline LR + (window + topic x word + topic x mention, agreement-weighted)",
        (BASELINE_LR, WINDOW_CROSS_MENTION_AGREEMENT),
    ),
    Variant(
        "mean of baseline LR + (window + topic x word + topic x mention), both agreement-weighted",
        (BASELINE_LR_AGREEMENT, WINDOW_CROSS_MENTION_AGREEMENT),
    ),
)


# Pooled fastText vectors of the window and of the actor's clause: SIF-weighted or plain mean, shared by all
# topics or also crossed with the topic (a direction may mean a different pole per topic).
VECTORS_SIF = (("plain_text", "pooled_sif"), ("actor_context", "pooled_sif"))
VECTORS_MEAN = (("plain_text", "pooled_mean"), ("actor_context", "pooled_mean"))
VECTORS_SIF_TOPIC = (("topic_text", "pooled_sif_topic"), ("topic_actor_context", "pooled_sif_topic"))
WORD_VECTOR_VARIANTS = (
    *(
        Variant(
            f"fastText only: pooled window + actor clause ({name}), balanced LR C={c:g}, agreement-weighted",
            (Member(features, logreg(c), agreement_weighted=True),),
        )
        for name, features, cs in (
            ("SIF", VECTORS_SIF, (1.0,)),
            ("mean", VECTORS_MEAN, (1.0,)),
            ("SIF, topic-crossed", VECTORS_SIF_TOPIC, (0.1, 0.3, 1.0, 3.0)),
        )
        for c in cs
    ),
    Variant(
        "mean of baseline LR + (window + topic x word + topic x mention + pooled fastText SIF topic-crossed), "
        "both agreement-weighted",
        (
            BASELINE_LR_AGREEMENT,
            Member(WINDOW + CROSS + MENTION + VECTORS_SIF_TOPIC, logreg(1.0), agreement_weighted=True),
        ),
    ),
    *(
        Variant(
            f"mean of baseline LR + (window + topic x word + topic x mention) + fastText-only LR C={c:g} "
            "(SIF, topic-crossed), all agreement-weighted",
            (
                BASELINE_LR_AGREEMENT,
                WINDOW_CROSS_MENTION_AGREEMENT,
                Member(VECTORS_SIF_TOPIC, logreg(c), agreement_weighted=True),
            ),
        )
        for c in (0.1, 0.3, 1.0, 3.0)
    ),
)


# The quick sweep (``training.stance`` default): the baseline and the two best variants of the full sweep
# (``--all-variants``), so a retraining on the shared CPU stays within minutes.
SHORTLIST = (BASELINE, *VARIANTS[-2:])


@dataclass
class FeatureCache:
    """Fitted vectorisers and members, so that variants sharing them do not refit them."""

    train: Sequence[Unit]
    factories: dict[str, Callable[[], Any]] = field(default_factory=lambda: dict(VECTORIZERS))
    vectorizers_fitted: dict[tuple[str, str], Any] = field(default_factory=dict)
    members_fitted: dict[Member, dict[str, Any]] = field(default_factory=dict)

    def vectorizers(self, features: Sequence[tuple[str, str]]) -> tuple[Any, ...]:
        for view, name in features:
            if (view, name) not in self.vectorizers_fitted:
                vec = self.factories[name]()
                vec.fit([FEATURE_VIEWS[view](u.window, u.topic) for u in self.train])
                self.vectorizers_fitted[(view, name)] = vec
        return tuple(self.vectorizers_fitted[f] for f in features)

    def member(self, member: Member) -> dict[str, Any]:
        """The fitted member as the service stores it: views, fitted vectorisers, classifier."""
        if member not in self.members_fitted:
            views = tuple(view for view, _ in member.features)
            vectorizers = self.vectorizers(member.features)
            weights = np.array([u.agreement for u in self.train]) if member.agreement_weighted else None
            classifier = member.classifier()
            classifier.fit(
                featurise(pairs(self.train), views, vectorizers),
                [u.position for u in self.train],
                sample_weight=weights,
            )
            self.members_fitted[member] = {
                "views": views,
                "vectorizers": vectorizers,
                "classifier": classifier,
            }
        return self.members_fitted[member]


def fit_variant(variant: Variant, cache: FeatureCache) -> dict[str, Any]:
    """Fit one variant on the cache's train units; returns the ``classifier.joblib`` artefact."""
    return {"members": [cache.member(member) for member in variant.members]}


def predict_positions(artefact: dict[str, Any], units: Sequence[Unit]) -> list[str]:
    """Positions through the service's own scorer (same averaging and class order as in serving)."""
    scorer = SklearnStanceScorer(tuple(SklearnMember(**part) for part in artefact["members"]))
    return [POSITIONS[i] for i in scorer.scores(pairs(units)).argmax(axis=1)]


def uses_word_vectors(variant: Variant) -> bool:
    """Whether any member of ``variant`` reads pooled word vectors (then its artefact carries their table)."""
    return any(name.startswith("pooled") for member in variant.members for _, name in member.features)


@dataclass(frozen=True)
class Selection:
    """The outcome of the dev comparison: the baseline and the best variant, both fitted on train."""

    baseline: dict[str, Any]
    chosen: Variant
    chosen_artefact: dict[str, Any]
    results: list[dict[str, Any]]


def select_classifier(
    splits: dict[str, list[Unit]],
    variants: Sequence[Variant] = VARIANTS,
    factories: dict[str, Callable[[], Any]] | None = None,
) -> Selection:
    """Fit every variant (the first is the baseline) on train and score it on dev; ``factories`` adds
    vectorisers (the pooled word vectors) to ``VECTORIZERS``."""
    cache = FeatureCache(splits["train"], {**VECTORIZERS, **(factories or {})})
    dev_gold = [u.position for u in splits["dev"]]
    results, artefacts = [], []
    for variant in variants:
        started = time.monotonic()
        artefact = fit_variant(variant, cache)
        dev = stance_metrics(dev_gold, predict_positions(artefact, splits["dev"]))
        results.append({"variant": variant.name, "dev_macro_f1": dev["macro_f1"], "dev_accuracy": dev["accuracy"]})
        artefacts.append(artefact)
        elapsed = time.monotonic() - started
        print(
            f"dev macro-F1 {dev['macro_f1']:.4f} acc {dev['accuracy']:.4f} ({elapsed:.0f}s) {variant.name}",
            flush=True,
        )
    best = max(range(len(variants)), key=lambda i: results[i]["dev_macro_f1"])
    results[best]["shipped"] = True
    return Selection(artefacts[0], variants[best], artefacts[best], results)
