"""Train the stance classifier and relevance gate shipped in ``models/stance-nl-compact``.

    python -m training.stance --units ../shared/data/issuepositions/units.csv \
        --articles ../shared/data/dpgmedia2019/articles.jsonl --out models/stance-nl-compact [--seed 13] \
        [--sample ../shared/data/samples/helsinki-2018-07.txt]

units.csv is split by document (no article in two splits); variants are compared on dev, and the TF-IDF
baseline and the shipped model are scored once on test. The shipped model is the one fitted on the train
split, so the test numbers describe exactly the files written. Inputs go through the service's own
``normalise_window`` and feature views, so training and serving see the same text.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from service.models.stance import (
    FEATURE_VIEWS,
    GATE_FILE,
    METADATA_FILE,
    POSITIONS,
    SKLEARN_CLASSIFIER_FILE,
    TOPICS,
    SklearnMember,
    SklearnStanceScorer,
    StanceModel,
    featurise,
    load_stance_model,
    normalise_window,
    plain_text,
    stance_window,
)
from service.text import split_sentences

SEED = 13
MODEL_ID = "stance-nl-compact"
VERSION = "1.0.0"
POLE_POSITIONS = {"L": "positive", "R": "negative", "N": "neutral"}
SPLIT_SHARES = {"dev": 0.15, "test": 0.15}

# Windows from the unlabeled news that match any of these stems may be about a topic, so they are never
# used as "none" examples for the relevance gate (Dutch compounds: substring match, lower case).
TOPIC_KEYWORDS = {
    "immigration": "asiel migra migrant immigr vluchteling statushouder azc nareiz integratie inburger expat "
    "vreemdeling grens islam moslim",
    "civil_rights": "discrimin racis homo lhbt lgbt transgender gender abortus euthanas meningsuiting "
    "privacy gelijke rechten antisemit religi geloof christ gezin vrijheid woke kerk moskee",
    "environment": "klimaat milieu co2 uitstoot duurza energie natuur zonne windmol windpark kerncentrale "
    "kernenerg fossiel aardgas gaswinning vervuil dierenwelzijn biomassa isolat",
    "economic": "belasting loon lonen pensioen uitkering armoede toeslag bestaanszeker inkomen koopkracht "
    "begroting bezuinig ondernemer btw werkloos econom zekerheid staatsschuld huur mkb arbeidsmarkt salaris",
    "agriculture": "boer landbouw stikstof veestapel platteland veehoud melkvee mest glastuin visserij",
    "education": "onderwijs school scholen leraar leraren docent student universiteit hogeschool "
    "studiefinanc basisbeurs cultuur omroep wetenschap museum kunst",
}
_KEYWORD_PATTERN = re.compile("|".join(re.escape(k) for v in TOPIC_KEYWORDS.values() for k in v.split()))


@dataclass(frozen=True, slots=True)
class Unit:
    """One coded unit: the actor's window, its topic id and the majority position."""

    unit_id: str
    doc: str
    topic: str
    window: str
    position: str
    agreement: float


def topic_id(name: str) -> str:
    """``CivilRights`` -> ``civil_rights`` (topics.yml keys to the service's topic ids)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def read_units(path: str | Path) -> list[Unit]:
    """units.csv rows as :class:`Unit`, windows normalised exactly as the service normalises its own."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            Unit(
                unit_id=row["unit_id"],
                doc=row["unit_id"].split("-", 1)[0],
                topic=topic_id(row["topic"]),
                window=normalise_window(row["text"]),
                position=POLE_POSITIONS[row["majority"]],
                agreement=float(row["agreement"]),
            )
            for row in csv.DictReader(handle)
        ]


def document_split(units: Sequence[Unit], seed: int = SEED) -> dict[str, list[Unit]]:
    """Train/dev/test by document (shuffled sorted doc ids), so no article contributes to two splits."""
    docs = sorted({u.doc for u in units})
    random.Random(seed).shuffle(docs)
    n_dev, n_test = (round(len(docs) * SPLIT_SHARES[s]) for s in ("dev", "test"))
    split_of = {d: "test" for d in docs[:n_test]}
    split_of.update({d: "dev" for d in docs[n_test : n_test + n_dev]})
    splits: dict[str, list[Unit]] = {"train": [], "dev": [], "test": []}
    for unit in units:
        splits[split_of.get(unit.doc, "train")].append(unit)
    return splits


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


# --- stance classifier variants -------------------------------------------------------------------


def char_tfidf(**extra: Any) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, min_df=2, **extra)


def word_tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, token_pattern=r"(?u)\b\w+\b")


def cross_tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True, min_df=2)


def mention_tfidf() -> TfidfVectorizer:
    return TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)


VECTORIZERS: dict[str, Callable[[], TfidfVectorizer]] = {
    "baseline_char": lambda: TfidfVectorizer(analyzer="char", ngram_range=(2, 5)),
    "char": char_tfidf,
    "word": word_tfidf,
    "cross": cross_tfidf,
    "mention": mention_tfidf,
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


@dataclass
class FeatureCache:
    """Fitted vectorisers and members, so that variants sharing them do not refit them."""

    train: Sequence[Unit]
    vectorizers_fitted: dict[tuple[str, str], Any] = field(default_factory=dict)
    members_fitted: dict[Member, dict[str, Any]] = field(default_factory=dict)

    def vectorizers(self, features: Sequence[tuple[str, str]]) -> tuple[Any, ...]:
        for view, name in features:
            if (view, name) not in self.vectorizers_fitted:
                vec = VECTORIZERS[name]()
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


def pairs(units: Sequence[Unit]) -> list[tuple[str, str]]:
    return [(u.window, u.topic) for u in units]


def fit_variant(variant: Variant, cache: FeatureCache) -> dict[str, Any]:
    """Fit one variant on the cache's train units; returns the ``classifier.joblib`` artefact."""
    return {"members": [cache.member(member) for member in variant.members]}


def predict_positions(artefact: dict[str, Any], units: Sequence[Unit]) -> list[str]:
    """Positions through the service's own scorer (same averaging and class order as in serving)."""
    scorer = SklearnStanceScorer(tuple(SklearnMember(**part) for part in artefact["members"]))
    return [POSITIONS[i] for i in scorer.scores(pairs(units)).argmax(axis=1)]


def select_classifier(
    splits: dict[str, list[Unit]],
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """Fit every variant and score it on dev: (baseline artefact, best artefact, per-variant dev results)."""
    cache = FeatureCache(splits["train"])
    dev_gold = [u.position for u in splits["dev"]]
    results, artefacts = [], []
    for variant in VARIANTS:
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
    best = max(range(len(VARIANTS)), key=lambda i: results[i]["dev_macro_f1"])
    results[best]["shipped"] = True
    return artefacts[0], artefacts[best], results


# --- relevance gate -------------------------------------------------------------------------------


def read_articles(path: str | Path) -> Iterator[tuple[str, str]]:
    """``(id, title + body)`` of every non-empty article (kept whole, so the split is by article)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            text = "\n\n".join(part for part in (article.get("title"), article.get("text")) if (part or "").strip())
            if text:
                yield str(article["id"]), text


def article_split(article_id: str) -> str:
    """A stable train/dev/test assignment of an article (hash of its id: independent of file order)."""
    bucket = int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def sentence_windows(text: str) -> list[str]:
    """A window per sentence, built by the service's window code (first token marked; the gate strips it)."""
    sentences = split_sentences(text)
    return [stance_window(text, sentences, i, s.tokens[0].start, s.tokens[0].end) for i, s in enumerate(sentences)]


def news_windows(path: str | Path) -> dict[str, list[str]]:
    """All sentence windows of the unlabeled news per article split."""
    windows: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    for article_id, text in read_articles(path):
        windows[article_split(article_id)].extend(sentence_windows(text))
    return windows


def is_off_topic(window: str) -> bool:
    return _KEYWORD_PATTERN.search(plain_text(window).lower()) is None


def gate_examples(units: Sequence[Unit], none_windows: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Distinct windows with their topic indicator rows (a window coded for two topics is positive for both);
    ``none`` windows are all-zero rows."""
    topics_of: dict[str, set[str]] = {}
    for unit in units:
        topics_of.setdefault(plain_text(unit.window), set()).add(unit.topic)
    windows = list(topics_of) + list(none_windows)
    labels = np.zeros((len(windows), len(TOPICS)), dtype=int)
    for row, window in enumerate(topics_of):
        for topic in topics_of[window]:
            labels[row, TOPICS.index(topic)] = 1
    return windows, labels


def sample(items: Sequence[str], k: int, seed: int) -> list[str]:
    return random.Random(seed).sample(list(items), min(k, len(items)))


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


def train_gate(splits: dict[str, list[Unit]], articles: str | Path, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit the gate on train, calibrate thresholds on dev, report held-out test precision/recall."""
    news = news_windows(articles)
    off_topic = {s: [w for w in ws if is_off_topic(w)] for s, ws in news.items()}
    sizes = {"train": 8000, "dev": 2000, "test": 2000}
    none = {s: sample(off_topic[s], sizes[s], seed) for s in sizes}
    gate = fit_gate(*gate_examples(splits["train"], none["train"]))
    dev_windows, dev_labels = gate_examples(splits["dev"], none["dev"])
    thresholds = calibrate_thresholds(gate_relevance(gate, dev_windows), dev_labels)
    test_windows, test_labels = gate_examples(splits["test"], none["test"])
    report = {
        "news_windows": {s: len(ws) for s, ws in news.items()},
        "off_topic_windows": {s: len(ws) for s, ws in off_topic.items()},
        "none_examples": {s: len(ws) for s, ws in none.items()},
        "thresholds": thresholds,
        "test": gate_metrics(gate_relevance(gate, test_windows), test_labels, thresholds),
        "test_firing_rate_unfiltered_news": firing_rate(gate, sample(news["test"], 3000, seed), thresholds),
    }
    return gate, report


# --- evaluation of the saved model, sample article, model card -------------------------------------


def model_positions(model: StanceModel, units: Sequence[Unit], batch: int = 256) -> list[str]:
    """Each unit's predicted position for its own topic, through the service's ``StanceModel.predict``."""
    positions: list[str] = []
    for topic in TOPICS:
        of_topic = [u for u in units if u.topic == topic]
        for i in range(0, len(of_topic), batch):
            chunk = of_topic[i : i + batch]
            positions.extend(s[0].position for s in model.predict([u.window for u in chunk], [topic]))
    order = [u for topic in TOPICS for u in units if u.topic == topic]
    by_id = {u.unit_id: p for u, p in zip(order, positions)}
    return [by_id[u.unit_id] for u in units]


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


MODEL_CARD = """# {model_id} {version}

Stance of an actor on six Dutch political issues ({topics}) from a three-sentence window with the
actor mention wrapped in `**…**`, plus a relevance gate that says whether the window is about each topic.

Positions: `positive` = the topic's positive pole in issuepositions `topics.yml` (coded L), `negative` =
its negative pole (R), `neutral` = no clear position (N). Report a stance only where `relevant` is true.

## Data

- Stance: issuepositions `units.csv` (MIT licence), 6,502 human-coded units from Dutch 2023 election
  news; label = the coders' majority. Windows go through `service.models.stance.normalise_window`
  (glued sentences separated), the function the service applies to its own windows.
- Split by document (seed {seed}): {split_sizes}. Variants selected on dev; test scored once for the
  baseline and the shipped model.
- Relevance-gate negatives (`none`): sentence windows of DpgMedia2019 news articles (2019; split by
  article with a hash of its id) containing none of the keyword stems in `training/stance.py`
  (`TOPIC_KEYWORDS`): {none_sizes}.

## Models

- Stance classifier (`classifier.joblib`): {shipped_variant}. Fitted on the train split only.
- Relevance gate (`gate.joblib`): one-vs-rest logistic regression per topic over the unmarked window
  (word 1-2 + char_wb 3-5 TF-IDF). A window coded for several topics is positive for each; `none`
  windows are negative for all (a classifier over {{6 topics, none}} with independent topic
  probabilities). Thresholds maximise F0.5 (precision first) per topic on dev units + dev `none`
  windows: {thresholds}.

## Test results (document-level test split)

{shipped_table}
{baseline_table}
### Relevance gate (test units + test `none` windows, calibrated thresholds)

| topic | precision | recall | F1 | positives |
|---|---|---|---|---|
{gate_rows}

Other-topic test units count as "not this topic", although a window coded for one topic may touch
another, so precision is a lower bound. Share of arbitrary (unfiltered) test news windows gated
relevant: {firing_rate}.

{sample_check}## Variants tried (document-level dev split)

| variant | dev macro-F1 | dev accuracy |
|---|---|---|
{variant_rows}

No Flair `TextClassifier` was trained: no pretrained embeddings can be downloaded here and the CPUs
were shared with the NER training. `load_stance_model` loads one from `model.pt` instead of
`classifier.joblib` (input `topic | window`, labels = positions).

## Speed and size

- {speed:.0f} windows/s on all six topics (gate + classifier, batches of 64, 1 thread, on a 2-core
  machine shared with a training run: a lower bound).
- {size_mb:.1f} MB on disk (classifier, gate, metadata).

## Reproduce

```
{command}
```

Wall time {wall_time_s:.0f} s (1 thread, shared 2-core machine). Trained {trained_at}.

## Limits

Trained on 2023 Dutch election coverage. The gate's positives include units coded for a topic whose
window is mostly campaign talk, so campaign talk can look topical. Education has only 44 units (its
threshold stays 0.5 when dev has fewer than 10 positives) and economic `negative` (tax cuts, support
for business) only 89, so e.g. "wants lower taxes for entrepreneurs" can come out `positive`. Stances
about foreign countries are outside the codebook.
"""


def _metrics_table(title: str, metrics: dict[str, Any]) -> str:
    f1 = metrics["f1"]
    rows = [
        f"**{title}**: accuracy {metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f} "
        f"(n = {metrics['n']}); F1 positive {f1['positive']:.3f}, negative {f1['negative']:.3f}, "
        f"neutral {f1['neutral']:.3f}.",
        "",
        "| gold \\ predicted | positive | negative | neutral |",
        "|---|---|---|---|",
        *(f"| {p} | " + " | ".join(map(str, row)) + " |" for p, row in zip(POSITIONS, metrics["confusion"]["matrix"])),
    ]
    return "\n".join(rows) + "\n"


def _sample_check_text(report: dict[str, Any]) -> str:
    if "sample_article" not in report:
        return ""
    check = report["sample_article"]
    relevant = ", ".join(f"{t} {n}" for t, n in check["relevant"].items())
    highest = ", ".join(f"{t} {v}" for t, v in check["max_relevance"].items())
    return (
        f"## Sample article check\n\n`{check['path']}` (Trump-Putin summit, foreign policy): "
        f"{check['windows']} windows around {', '.join(check['names'])}. "
        f"Gated relevant per topic: {relevant}. "
        f"Highest relevance per topic: {highest}.\n\n"
    )


def model_card(report: dict[str, Any]) -> str:
    """MODEL_CARD.md from the training report (every number in it is measured by this script)."""
    gate = report["gate"]
    splits = ("train", "dev", "test")
    return MODEL_CARD.format(
        model_id=MODEL_ID,
        version=VERSION,
        topics=", ".join(TOPICS),
        seed=report["seed"],
        split_sizes=", ".join(
            f"{s} {report['split_sizes'][s]['units']} units / {report['split_sizes'][s]['docs']} docs" for s in splits
        ),
        none_sizes=", ".join(
            f"{s} {gate['none_examples'][s]} sampled of {gate['off_topic_windows'][s]} off-topic "
            f"of {gate['news_windows'][s]} windows"
            for s in splits
        ),
        shipped_variant=report["shipped_variant"],
        thresholds=", ".join(f"{t} {v}" for t, v in gate["thresholds"].items()),
        shipped_table=_metrics_table("Shipped model", report["test"]["shipped"]),
        baseline_table=_metrics_table("TF-IDF baseline (char 2-5, topic prefixed, LR)", report["test"]["baseline"]),
        gate_rows="\n".join(
            f"| {t} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['positives']} |"
            for t, m in gate["test"].items()
        ),
        firing_rate=", ".join(f"{t} {v:.1%}" for t, v in gate["test_firing_rate_unfiltered_news"].items()),
        sample_check=_sample_check_text(report),
        variant_rows="\n".join(
            f"| {v['variant']}{' **(shipped)**' if v.get('shipped') else ''} "
            f"| {v['dev_macro_f1']:.3f} | {v['dev_accuracy']:.3f} |"
            for v in report["variants"]
        ),
        speed=report["windows_per_second"],
        size_mb=report["size_bytes"] / 1e6,
        command=report["command"],
        wall_time_s=report["wall_time_s"],
        trained_at=report["trained_at"],
    )


def directory_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def save_model(
    out: Path, classifier: dict[str, Any], gate: dict[str, Any], thresholds: dict[str, float], trained_at: str
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(classifier, out / SKLEARN_CLASSIFIER_FILE, compress=3)
    joblib.dump(gate, out / GATE_FILE, compress=3)
    metadata = {
        "model_id": MODEL_ID,
        "version": VERSION,
        "topics": list(TOPICS),
        "positions": list(POSITIONS),
        "thresholds": thresholds,
        "trained_at": trained_at,
        "training_data": "issuepositions units.csv (MIT) + DpgMedia2019 articles (none windows for the gate)",
    }
    (out / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", required=True)
    parser.add_argument("--articles", required=True)
    parser.add_argument("--out", default="models/stance-nl-compact")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--sample", help="sample article for the gate check (first line 'date …')")
    parser.add_argument("--sample-names", nargs="+", default=["Trump", "Poetin"])
    args = parser.parse_args(argv)
    started = time.monotonic()
    trained_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    np.random.seed(args.seed)

    splits = document_split(read_units(args.units), args.seed)
    baseline, shipped, variants = select_classifier(splits)
    gate, gate_report = train_gate(splits, args.articles, args.seed)
    out = Path(args.out)
    save_model(out, shipped, gate, gate_report["thresholds"], trained_at)

    model = load_stance_model(out)
    test_gold = [u.position for u in splits["test"]]
    report: dict[str, Any] = {
        "seed": args.seed,
        "trained_at": trained_at,
        "command": "python -m training.stance " + " ".join(argv if argv is not None else sys.argv[1:]),
        "split_sizes": {s: {"units": len(us), "docs": len({u.doc for u in us})} for s, us in splits.items()},
        "variants": variants,
        "shipped_variant": next(v["variant"] for v in variants if v.get("shipped")),
        "test": {
            "baseline": stance_metrics(test_gold, predict_positions(baseline, splits["test"])),
            "shipped": stance_metrics(test_gold, model_positions(model, splits["test"])),
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
    (out / "MODEL_CARD.md").write_text(model_card(report), encoding="utf-8")
    print(json.dumps({k: report[k] for k in ("test", "wall_time_s", "size_bytes")}, indent=2))


if __name__ == "__main__":
    main()
