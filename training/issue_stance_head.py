"""Experiment: do BiLSTM heads over the NER tagger's token vectors help issue stances, as they helped actor stances?

    python -m training.issue_stance_head --ner models/ner-nl-compact/model.pt \\
        --model models/stance-nl-compact --seeds 13,1,2 --epochs 10 --out bench/results/issue_stance_head_dev.json

The examples are the stance model's own (``training.stance_corpus_data.mention_windows``): every gold actor's name
mention, labelled with the topics and positions of that actor's issue units whose evidence sentence is the
mention's sentence. A head reads the mention's sentence (the service's ``split_sentences``) as the NER stack embeds
it, int8 as served (``training.actor_stance_head.evidence_tokens`` does the same for actor pairs), plus one flag per
token: the mention's words. A BiLSTM over those, max-pooled over the sentence and mean-pooled over the mention, gives
per topic four classes (none, positive, negative, neutral); the loss is the cross-entropy per topic, with the square
root of the balanced class weights (counted over all topics), so "none" is down-weighted.

Evaluation on the corpus dev split, on gold actors and gold mentions (no NER in between), counted as
``bench.corpus_accuracy`` counts issue stances: per (article, gold actor, topic), the mentions whose relevance
reaches the threshold are pooled as ``service.pipeline.aggregate_stances`` pools them (mean position scores, argmax,
the model's pole margin); gold is the most frequent position of the actor's units on the topic; macro-F1 over the
topics with gold or returned stances, and the opposite-pole rate. Compared: the served stance model alone (its
windows as ``Pipeline._issue_stances`` builds them), the heads alone (relevance = 1 - P(none), positions = the other
three renormalised), blends of both at head weights 0.3 / 0.5 / 0.7 (relevance and positions averaged), and the
served gate with only the position scores blended; epoch, threshold and pole margin (0 or the model's) of every
row but the served model's own are chosen on dev, so those rows are optimistic. One fixed configuration (served
gate and threshold, last epoch, weight 0.5) is compared with the served model by a paired bootstrap over dev
articles. ``--cache`` and ``--runs-cache`` (files outside the repository) keep the embedded inputs and the heads'
dev probabilities, so that the evaluation can be rerun without embedding or training again. The corpus test split
is never read. Nothing here changes ``service/`` or ``models/``: the report is the result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from corpus.articles import load_texts, news2019_path, topics_path
from corpus.pairs import sentence_of
from corpus.store import TRAIN_ARTICLES_HELP, Article, load_split, read_records, split_path
from service.config import Settings
from service.models.ner import embed_tokens, load_ner_model
from service.models.pair_head import padded
from service.models.stance import POSITIONS, load_stance_model
from service.models.stance_features import stance_window
from service.text import split_sentences, tokenize
from training.actor_stance_head import length_batches
from training.stance_corpus_data import corpus_topics, mention_windows, positions_by_actor_sentence
from training.stance_data import topic_id

CLASSES = ("none", *POSITIONS)
OPPOSITE = {"positive": "negative", "negative": "positive"}
HEAD_WEIGHTS = (0.3, 0.5, 0.7)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.951, 0.05))
BATCH = 32
EVAL_BATCH = 128
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 1e-5
_MASKED = -1e4


@dataclass(frozen=True)
class MentionExample:
    """One gold actor's name mention: its article, actor, window (the served model's input), sentence text, the
    mention's span in that sentence, and the positions its actor takes there (topic -> position)."""

    doc: str
    actor: int
    window: str
    sentence: str
    span: tuple[int, int]
    labels: dict[str, str] = field(default_factory=dict)


def mention_examples(article: Article) -> list[MentionExample]:
    """The name mentions ``mention_windows`` keeps, in its order and with its labels, plus each one's sentence."""
    text, record = article.text, article.record
    sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    names = {(s, e) for s, e, _ in record["entities"]}
    units = positions_by_actor_sentence(record, starts)
    out = []
    for actor in record["actors"]:
        for start, end in actor["mentions"]:
            if (start, end) not in names:
                continue
            index = sentence_of(starts, start)
            sentence = sentences[index]
            if not sentence.start <= start < end <= sentence.end:
                continue
            out.append(
                MentionExample(
                    article.id,
                    actor["id"],
                    stance_window(text, sentences, index, start, end),
                    text[sentence.start : sentence.end],
                    (start - sentence.start, end - sentence.start),
                    dict(units.get((actor["id"], index), {})),
                )
            )
    expected = [(w.window, w.labels) for w in mention_windows(article)]
    if expected != [(e.window, e.labels) for e in out]:
        raise AssertionError(f"article {article.id}: examples differ from training.stance_corpus_data's windows")
    return out


@dataclass(frozen=True)
class HeadInput:
    """A mention as the head reads it: the sentence's token vectors and the actor flag per token."""

    vectors: torch.Tensor
    flags: torch.Tensor


def head_inputs(examples: Sequence[MentionExample], embeddings: Any) -> list[HeadInput]:
    """Each example's sentence vectors (every distinct sentence embedded once, kept fp16) and its actor flag."""
    sentences = sorted({example.sentence for example in examples})
    tokenised = {text: tokenize(text) for text in sentences}
    embedded = embed_tokens(embeddings, [[t.text for t in tokenised[s]] for s in sentences])
    vectors = {s: v.half() for s, v in zip(sentences, embedded, strict=True)}
    items = []
    for example in examples:
        tokens = tokenised[example.sentence]
        start, end = example.span
        flags = torch.tensor([[float(t.start < end and start < t.end)] for t in tokens])
        items.append(HeadInput(vectors[example.sentence], flags))
    return items


class IssueHead(nn.Module):
    """Actor flag joined to each token vector, a projection, a BiLSTM, max over the sentence and mean over the
    actor's tokens, and four classes per topic."""

    def __init__(
        self, vector_size: int, topics: int, projection: int = 128, hidden: int = 64, dropout: float = 0.3
    ) -> None:
        super().__init__()
        self.topics = topics
        self.dropout = nn.Dropout(dropout)
        self.projection = nn.Linear(vector_size + 1, projection)
        self.rnn = nn.LSTM(projection, hidden, batch_first=True, bidirectional=True)
        self.output = nn.Linear(hidden * 2 * 2, topics * len(CLASSES))

    def forward(self, vectors: torch.Tensor, flags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits of shape ``(batch, topics, CLASSES)`` for a padded batch (``mask`` 1 on real tokens); packed,
        so that a score does not depend on the batch."""
        states = torch.relu(self.projection(self.dropout(torch.cat([vectors, flags], -1))))
        lengths = mask.sum(1).long().cpu()
        packed = nn.utils.rnn.pack_padded_sequence(states, lengths, batch_first=True, enforce_sorted=False)
        unpacked = nn.utils.rnn.pad_packed_sequence(self.rnn(packed)[0], batch_first=True, total_length=mask.shape[1])
        states = self.dropout(unpacked[0])
        filled = torch.where(mask.unsqueeze(-1) > 0, states, torch.full_like(states, _MASKED))
        actor = flags[..., 0]
        pools = [
            filled.max(1).values,
            (states * actor.unsqueeze(-1)).sum(1) / actor.sum(1, keepdim=True).clamp(min=1),
        ]
        return self.output(torch.cat(pools, -1)).view(-1, self.topics, len(CLASSES))


def head_probabilities(heads: Sequence[IssueHead], items: Sequence[HeadInput]) -> np.ndarray:
    """Class probabilities averaged over ``heads``, shape ``(len(items), topics, CLASSES)``."""
    out = np.zeros((len(items), heads[0].topics, len(CLASSES)))
    order = sorted(range(len(items)), key=lambda i: len(items[i].vectors))
    with torch.inference_mode():
        for first in range(0, len(order), EVAL_BATCH):
            chosen = order[first : first + EVAL_BATCH]
            batch = padded([items[i] for i in chosen])
            out[chosen] = torch.stack([torch.softmax(head(*batch), -1) for head in heads]).mean(0).double().numpy()
    return out


def label_matrix(examples: Sequence[MentionExample], topics: Sequence[str]) -> torch.Tensor:
    """Class index per example and topic (0: none)."""
    return torch.tensor(
        [[CLASSES.index(example.labels.get(topic, "none")) for topic in topics] for example in examples]
    )


def class_weights(labels: torch.Tensor) -> torch.Tensor:
    """The square root of the balanced class weights, counted over all topics."""
    counts = np.bincount(labels.flatten().numpy(), minlength=len(CLASSES)).astype(float)
    return torch.tensor(np.sqrt(counts.sum() / (len(CLASSES) * np.maximum(counts, 1))), dtype=torch.float)


def train_seed(
    seed: int, items: Sequence[HeadInput], labels: torch.Tensor, dev: Sequence[HeadInput], epochs: int
) -> list[np.ndarray]:
    """One head per seed; after each epoch its dev probabilities."""
    random.seed(seed)
    torch.manual_seed(seed)
    topics = labels.shape[1]
    head = IssueHead(items[0].vectors.shape[1], topics)
    optimiser = torch.optim.Adam(head.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    loss_function = nn.CrossEntropyLoss(weight=class_weights(labels))
    per_epoch = []
    for epoch in range(epochs):
        head.train()
        started, total = time.monotonic(), 0.0
        batches = length_batches([len(item.vectors) for item in items], BATCH)
        for batch in batches:
            logits = head(*padded([items[i] for i in batch]))
            # Cross-entropy per topic, summed over topics.
            loss = loss_function(logits.reshape(-1, len(CLASSES)), labels[batch].reshape(-1)) * topics
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
        head.eval()
        per_epoch.append(head_probabilities([head], dev))
        seconds = time.monotonic() - started
        print(f"seed {seed} epoch {epoch}: loss {total / len(batches):.4f}, {seconds:.0f} s", flush=True)
    return per_epoch


def head_scores(probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Relevance (1 - P(none)), shape ``(n, topics)``, and position scores (the three positions renormalised),
    shape ``(n, topics, POSITIONS)``."""
    relevance = 1.0 - probabilities[..., 0]
    positions = probabilities[..., 1:]
    return relevance, positions / positions.sum(-1, keepdims=True).clip(min=1e-12)


def gold_stances(articles: Sequence[Article]) -> dict[tuple[str, int, str], str]:
    """(article, actor, topic) -> the most frequent position of the actor's units on the topic."""
    votes: dict[tuple[str, int, str], Counter] = defaultdict(Counter)
    for article in articles:
        for unit in article.record["issue_positions"]:
            votes[(article.id, unit["actor"], topic_id(unit["topic"]))][unit["position"]] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def pooled_stances(
    examples: Sequence[MentionExample],
    topics: Sequence[str],
    relevance: np.ndarray,
    positions: np.ndarray,
    threshold: float,
    pole_margin: float,
) -> dict[tuple[str, int, str], str]:
    """(article, actor, topic) -> position, as ``aggregate_stances`` pools an actor's mentions: the mean position
    scores over the mentions whose relevance reaches ``threshold``, argmax, a near tie of the poles neutral."""
    passed: dict[tuple[str, int, str], list[np.ndarray]] = defaultdict(list)
    for i, example in enumerate(examples):
        for t, topic in enumerate(topics):
            if relevance[i, t] >= threshold:
                passed[(example.doc, example.actor, topic)].append(positions[i, t])
    out = {}
    for key, rows in passed.items():
        mean = np.mean(rows, axis=0)
        position = POSITIONS[int(np.argmax(mean))]
        if position != "neutral" and abs(mean[0] - mean[1]) < pole_margin:
            position = "neutral"
        out[key] = position
    return out


def stance_metrics(
    returned: dict[tuple[str, int, str], str], gold: dict[tuple[str, int, str], str], topics: Sequence[str]
) -> dict[str, Any]:
    """``bench.corpus_accuracy``'s issue-stance numbers: macro-F1 over topics with gold or returned stances,
    returned count, opposite-pole rate, no-position rate."""
    counts: dict[str, Counter] = defaultdict(Counter)
    opposite = no_position = 0
    for (doc, actor, topic), position in returned.items():
        expected = gold.get((doc, actor, topic))
        counts[topic].update(predicted=1, correct=expected == position)
        opposite += expected is not None and OPPOSITE.get(position) == expected
        no_position += expected is None
    for _doc, _actor, topic in gold:
        counts[topic]["gold"] += 1
    f1 = {}
    for topic in topics:
        c = counts[topic]
        if c["predicted"] or c["gold"]:
            f1[topic] = round(2 * c["correct"] / (c["predicted"] + c["gold"]), 4)
    n = len(returned)
    return {
        "macro_f1": round(sum(f1.values()) / len(f1), 4) if f1 else None,
        "topics_scored": len(f1),
        "returned": n,
        "correct": sum(c["correct"] for c in counts.values()),
        "gold": len(gold),
        "opposite_pole_rate": round(opposite / n, 4) if n else None,
        "no_position_rate": round(no_position / n, 4) if n else None,
        "per_topic_f1": f1,
    }


def best_threshold(
    examples: Sequence[MentionExample],
    topics: Sequence[str],
    relevance: np.ndarray,
    positions: np.ndarray,
    gold: dict[tuple[str, int, str], str],
    pole_margin: float,
) -> dict[str, Any]:
    """The dev threshold with the best macro-F1 (ties: fewer opposite poles, then the higher threshold)."""
    rows = []
    for threshold in THRESHOLDS:
        returned = pooled_stances(examples, topics, relevance, positions, threshold, pole_margin)
        rows.append({"threshold": threshold, **stance_metrics(returned, gold, topics)})
    return max(rows, key=lambda r: (r["macro_f1"] or 0.0, -(r["opposite_pole_rate"] or 0.0), r["threshold"]))


def model_scores(model: Any, windows: list[str], topics: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The served model's relevance ``(n, topics)`` and position scores ``(n, topics, POSITIONS)`` on every
    topic (``StanceModel.predict``; ``predict_relevant`` scores the passed pairs alone, with the same numbers)."""
    predictions = model.predict(windows, list(topics))
    relevance = np.array([[stance.relevance for stance in row] for row in predictions])
    positions = np.array([[[stance.scores[p] for p in POSITIONS] for stance in row] for row in predictions])
    return relevance, positions


def served_stances(model: Any, examples: Sequence[MentionExample]) -> dict[tuple[str, int, str], str]:
    """The served model exactly as the pipeline calls it (``predict_relevant``), pooled per actor and topic."""
    passed: dict[tuple[str, int, str], list[Any]] = defaultdict(list)
    for example, prediction in zip(examples, model.predict_relevant([e.window for e in examples]), strict=True):
        for stance in prediction:
            if stance.relevant:
                passed[(example.doc, example.actor, stance.topic)].append(stance)
    out = {}
    for key, stances in passed.items():
        mean = {p: sum(s.scores[p] for s in stances) / len(stances) for p in POSITIONS}
        position = max(POSITIONS, key=mean.get)
        if position != "neutral" and abs(mean["positive"] - mean["negative"]) < model.pole_margin:
            position = "neutral"
        out[key] = position
    return out


def embedded_inputs(
    examples: dict[str, list[MentionExample]], args: argparse.Namespace
) -> tuple[dict[str, list[HeadInput]], float]:
    """The head inputs of every split and the seconds the embedding took (kept in ``--cache`` when given)."""
    cache = Path(args.cache) if args.cache else None
    key = {"examples": {split: len(found) for split, found in examples.items()}}
    if saved := read_cache(cache, key):
        return saved["items"], saved["seconds"]
    ner = load_ner_model(args.ner, quantize=Settings().ner_quantize)
    started = time.monotonic()
    items = {split: head_inputs(found, ner.embeddings) for split, found in examples.items()}
    seconds = time.monotonic() - started
    if cache:
        torch.save({"key": key, "items": items, "seconds": seconds}, cache)
    return items, seconds


def read_cache(path: Path | None, key: dict[str, Any]) -> dict[str, Any] | None:
    """What a ``--cache`` or ``--runs-cache`` file holds, when it was written for the same ``key`` (the examples
    per split, and for runs the seeds and epochs): another ``--train-articles`` or a grown corpus gives other
    examples, whose inputs and runs these are not."""
    if path is None or not path.exists():
        return None
    saved = torch.load(path, weights_only=False)
    if saved.get("key") != key:
        raise SystemExit(f"{path} was written for {saved.get('key')}, not {key}: remove it or name another file")
    return saved


def mention_diagnostics(relevance: np.ndarray, positions: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """Per (mention, topic), before any pooling: the average precision of the relevance for "the actor takes a
    position on the topic here", and the share of the labelled (mention, topic) pairs whose argmax position is the
    label (and the share on the opposite pole)."""
    from sklearn.metrics import average_precision_score

    labelled = labels > 0
    predicted = positions.argmax(-1) + 1
    poles = {1: 2, 2: 1}
    opposite = np.array([poles.get(int(p)) == int(g) for p, g in zip(predicted[labelled], labels[labelled])])
    return {
        "relevance_average_precision": round(float(average_precision_score(labelled.ravel(), relevance.ravel())), 4),
        "labelled_pairs": int(labelled.sum()),
        "position_accuracy": round(float((predicted[labelled] == labels[labelled]).mean()), 4),
        "position_opposite": round(float(opposite.mean()), 4),
    }


def resampled_f1(
    returned: dict[tuple[str, int, str], str],
    gold: dict[tuple[str, int, str], str],
    weights: dict[str, int],
    topics: Sequence[str],
) -> float:
    """Macro-F1 with every article repeated as often as a bootstrap drew it (``weights``: article -> copies)."""

    def copies(table: dict[tuple[str, int, str], str]) -> dict[tuple[str, int, str], str]:
        return {
            (f"{doc}#{c}", actor, topic): v
            for (doc, actor, topic), v in table.items()
            for c in range(weights.get(doc, 0))
        }

    return stance_metrics(copies(returned), copies(gold), topics)["macro_f1"] or 0.0


def bootstrap(
    examples: Sequence[MentionExample],
    topics: Sequence[str],
    gold: dict[tuple[str, int, str], str],
    base: dict[tuple[str, int, str], str],
    variant: dict[tuple[str, int, str], str],
    rounds: int = 2000,
    seed: int = 13,
) -> dict[str, Any]:
    """The variant's and the base's metrics, and over ``rounds`` resamples of the dev articles (with replacement)
    the mean macro-F1 difference, its 2.5 / 97.5 percentiles and the share of resamples where the variant wins."""
    docs = sorted({doc for doc, _, _ in gold} | {e.doc for e in examples})
    rng = np.random.default_rng(seed)
    differences = []
    for _ in range(rounds):
        drawn = Counter(rng.choice(len(docs), len(docs)))
        weights = {docs[i]: n for i, n in drawn.items()}

        differences.append(resampled_f1(variant, gold, weights, topics) - resampled_f1(base, gold, weights, topics))
    low, high = np.percentile(differences, [2.5, 97.5])
    keep = ("macro_f1", "returned", "correct", "opposite_pole_rate")
    return {
        "variant": {k: stance_metrics(variant, gold, topics)[k] for k in keep},
        "served": {k: stance_metrics(base, gold, topics)[k] for k in keep},
        "changed_stances": sum(base.get(k) != v for k, v in variant.items()),
        "mean_difference": round(float(np.mean(differences)), 4),
        "interval_95": [round(float(low), 4), round(float(high), 4)],
        "variant_wins": round(float(np.mean(np.array(differences) > 0)), 3),
        "ties": round(float(np.mean(np.array(differences) == 0)), 3),
    }


def split_articles(name: str, train_articles: int | None = None) -> list[Article]:
    """The articles of one split (train or dev) with their texts; of train only the first ``train_articles``."""
    ids = [record["id"] for _, record in read_records(split_path(name))]
    return load_split(name, load_texts(ids, news2019_path()), train_articles=train_articles)


def run(args: argparse.Namespace) -> dict[str, Any]:
    torch.set_num_threads(args.threads)
    topics = corpus_topics(topics_path())
    articles = {split: split_articles(split, args.train_articles) for split in ("train", "dev")}
    examples = {split: [e for a in found for e in mention_examples(a)] for split, found in articles.items()}
    gold = gold_stances(articles["dev"])
    print({s: len(e) for s, e in examples.items()}, f"dev gold pairs {len(gold)}", flush=True)

    model = load_stance_model(args.model)
    if set(model.topics) != set(topics):
        raise SystemExit(f"the stance model's topics {model.topics} are not the corpus topics {topics}")
    dev_windows = [e.window for e in examples["dev"]]
    model_relevance, model_positions = model_scores(model, dev_windows, topics)
    served = stance_metrics(served_stances(model, examples["dev"]), gold, topics)
    threshold = float(next(iter(model.thresholds.values())))
    rescored = stance_metrics(
        pooled_stances(examples["dev"], topics, model_relevance, model_positions, threshold, model.pole_margin),
        gold,
        topics,
    )
    if rescored != served:
        raise AssertionError("scoring every topic does not reproduce predict_relevant's pooled stances")

    items, embed_seconds = embedded_inputs(examples, args)
    distinct = {split: len({e.sentence for e in found}) for split, found in examples.items()}
    print(f"embedded {distinct} sentences in {embed_seconds:.0f} s", flush=True)

    labels = label_matrix(examples["train"], topics)
    runs_cache = Path(args.runs_cache) if args.runs_cache else None
    runs_key = {"examples": {split: len(found) for split, found in examples.items()}}
    runs_key |= {"seeds": list(args.seeds), "epochs": args.epochs}
    if saved := read_cache(runs_cache, runs_key):
        runs, train_seconds = saved["runs"], saved["seconds"]
    else:
        started = time.monotonic()
        runs = [train_seed(seed, items["train"], labels, items["dev"], args.epochs) for seed in args.seeds]
        train_seconds = time.monotonic() - started
        if runs_cache:
            torch.save({"key": runs_key, "runs": runs, "seconds": train_seconds}, runs_cache)

    dev_labels = label_matrix(examples["dev"], topics).numpy()
    rows, gate_rows, diagnostics = [], [], []
    for epoch in range(args.epochs):
        head_relevance, head_positions = head_scores(np.mean([run[epoch] for run in runs], axis=0))
        diagnostics.append({"epoch": epoch + 1, **mention_diagnostics(head_relevance, head_positions, dev_labels)})
        for weight in (1.0, *HEAD_WEIGHTS):
            relevance = weight * head_relevance + (1 - weight) * model_relevance
            positions = weight * head_positions + (1 - weight) * model_positions
            for margin in (0.0, model.pole_margin):
                best = best_threshold(examples["dev"], topics, relevance, positions, gold, margin)
                rows.append({"epoch": epoch + 1, "head_weight": weight, "pole_margin": margin, **best})
                if weight == 1.0:
                    continue
                # The served gate decides relevance alone; the heads only join the position scores.
                best = best_threshold(examples["dev"], topics, model_relevance, positions, gold, margin)
                gate_rows.append({"epoch": epoch + 1, "head_weight": weight, "pole_margin": margin, **best})
    model_best = best_threshold(examples["dev"], topics, model_relevance, model_positions, gold, model.pole_margin)
    model_no_margin = best_threshold(examples["dev"], topics, model_relevance, model_positions, gold, 0.0)
    # A fixed configuration (no choice on dev): the served gate and threshold, the last epoch's heads joining the
    # position scores at weight 0.5, with and without the served pole margin; paired bootstrap over dev articles.
    head_relevance, head_positions = head_scores(np.mean([run[-1] for run in runs], axis=0))
    fixed = {}
    for margin in (model.pole_margin, 0.0):
        blended = 0.5 * head_positions + 0.5 * model_positions
        fixed[str(margin)] = bootstrap(
            examples["dev"],
            topics,
            gold,
            pooled_stances(examples["dev"], topics, model_relevance, model_positions, threshold, model.pole_margin),
            pooled_stances(examples["dev"], topics, model_relevance, blended, threshold, margin),
        )

    def best_of(table: list[dict[str, Any]], weight: float, epoch: int | None = None) -> dict[str, Any]:
        chosen = [r for r in table if r["head_weight"] == weight and (epoch is None or r["epoch"] == epoch)]
        return max(chosen, key=lambda r: (r["macro_f1"], -(r["opposite_pole_rate"] or 0.0)))

    report = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "split": "dev",
        "examples": {split: len(found) for split, found in examples.items()},
        "labelled_train_examples": int((labels > 0).any(1).sum()),
        "labelled_dev_examples": int((dev_labels > 0).any(1).sum()),
        "distinct_sentences": distinct,
        "dev_gold_actor_topic_pairs": len(gold),
        "dev_gold_pairs_with_a_name_mention_in_the_unit_sentence": len(
            {(e.doc, e.actor, topic) for e in examples["dev"] for topic in e.labels}
        ),
        "seeds": list(args.seeds),
        "epochs": args.epochs,
        "embedding_seconds": round(embed_seconds),
        "training_seconds": round(train_seconds),
        "a_served_model": {"threshold": threshold, "pole_margin": model.pole_margin, **served},
        "a_served_model_threshold_on_dev": model_best,
        "a_served_model_no_pole_margin_threshold_on_dev": model_no_margin,
        "d_fixed_served_gate_heads_last_epoch_weight_0.5_vs_served_by_pole_margin": fixed,
        "b_head_alone": best_of(rows, 1.0),
        "b_head_alone_last_epoch": best_of(rows, 1.0, args.epochs),
        "c_blends": {str(w): best_of(rows, w) for w in HEAD_WEIGHTS},
        "c_blends_last_epoch": {str(w): best_of(rows, w, args.epochs) for w in HEAD_WEIGHTS},
        "d_served_gate_blended_positions": {str(w): best_of(gate_rows, w) for w in HEAD_WEIGHTS},
        "d_served_gate_blended_positions_last_epoch": {
            str(w): best_of(gate_rows, w, args.epochs) for w in HEAD_WEIGHTS
        },
        "mention_level_model": mention_diagnostics(model_relevance, model_positions, dev_labels),
        "mention_level_heads": diagnostics,
        "rows": [{k: v for k, v in r.items() if k != "per_topic_f1"} for r in rows],
        "gate_rows": [{k: v for k, v in r.items() if k != "per_topic_f1"} for r in gate_rows],
    }
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/stance-nl-compact", help="the served stance model directory")
    parser.add_argument("--ner", default="models/ner-nl-compact/model.pt", help="the NER model whose vectors to read")
    parser.add_argument("--seeds", type=lambda value: [int(s) for s in value.split(",")], default=[13, 1, 2])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cache", default="", help="a file (outside the repository) to keep the embedded inputs in")
    parser.add_argument(
        "--runs-cache", default="", help="a file (outside the repository) to keep the heads' dev scores in"
    )
    parser.add_argument("--out", default="bench/results/issue_stance_head_dev.json")
    parser.add_argument("--train-articles", type=int, help=TRAIN_ARTICLES_HELP)
    report = run(parser.parse_args(argv))
    keys = ("a_served_model", "a_served_model_threshold_on_dev", "b_head_alone", "c_blends", "mention_level_model")
    print(json.dumps({k: report[k] for k in keys}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
