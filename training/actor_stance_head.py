"""Train the actor-stance model's pair heads (``service.models.pair_head``) on the annotated corpus and join them
to the scikit-learn scorer already in the model directory (``training.actor_stance_corpus``):

    python -m training.actor_stance_head --model models/actor-stance-nl-compact \\
        --ner models/ner-nl-compact/model.pt --seeds 13,1,2 --epochs 10

The examples are ``training.actor_stance_corpus``'s (every place two gold actors meet, labelled from the
annotation). Each evidence sentence is embedded once by the NER model's stack, int8 as served, exactly as the
service computes it (``NerModel.tag_layers``); one head per seed learns from those vectors. On the dev split are
chosen, together, the epoch (the same for every seed), the heads' weight against the scorer's, and the per-side
thresholds: the combination with the best pair F1 (ties: the higher precision). The directory gets
``pair_head.pt`` (the heads and the NER file's fp32 stack), a new ``metadata.json`` and ``head_report.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from corpus.articles import load_texts, news2019_path
from corpus.store import TRAIN_ARTICLES_HELP, all_ids, load_split
from service.config import Settings
from service.models.actor_stance import METADATA_FILE, POSITIONS, load_actor_stance_model, mark_pair
from service.models.ner import embed_tokens, load_ner_model
from service.models.pair_head import (
    HEAD_FILE,
    PairHead,
    PairTokens,
    embedded_pair_tokens,
    head_scores,
    padded,
    save_heads,
)
from training.actor_stance_corpus import (
    CARD_FILE,
    CorpusExample,
    SplitData,
    net2021_examples,
    pair_metrics,
    pooled_pairs,
    reliability,
    render_card,
    select_thresholds,
    split_data,
    verdicts_at,
)
from training.actor_stance_silver import read_silver
from training.net2021 import PairExample

VERSION = "3.0.0"
HEAD_REPORT_FILE = "head_report.json"
HEAD_WEIGHTS = (0.3, 0.5, 0.7)
BATCH = 32
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 1e-5


def evidence_tokens(examples: Sequence[CorpusExample], embeddings: Any) -> list[PairTokens]:
    """Each example's evidence as the heads read it; every distinct sentence is embedded once."""
    return embedded_pair_tokens(
        lambda token_lists: embed_tokens(embeddings, token_lists),
        [(e.evidence.sentence.text, *e.evidence.sentence_spans(), e.evidence.kind == "quote") for e in examples],
    )


def statement_tokens(examples: Sequence[PairExample], embeddings: Any) -> list[PairTokens]:
    """net2021 statements and silver examples (a marked sentence each) as the heads read a sentence's evidence."""
    return embedded_pair_tokens(
        lambda token_lists: embed_tokens(embeddings, token_lists),
        [(e.sentence, e.source, e.target, False) for e in examples],
    )


def class_weights(labels: Sequence[int]) -> torch.Tensor:
    """The square root of the balanced class weights: stance examples are rare (about 1 in 15), and fully
    balanced weights made the heads call most pairs a side."""
    counts = np.bincount(labels, minlength=len(POSITIONS)).astype(float)
    return torch.tensor(np.sqrt(counts.sum() / (len(POSITIONS) * counts)), dtype=torch.float)


def length_batches(lengths: Sequence[int], size: int = BATCH) -> list[list[int]]:
    """Indices in batches of similar length (little padding, some jitter so they differ per epoch), the batches
    in random order (``random``'s state: the caller seeds it)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i] + random.random() * 8)
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    random.shuffle(batches)
    return batches


def train_seed(
    seed: int, items: Sequence[PairTokens], labels: Sequence[int], dev: Sequence[PairTokens], epochs: int
) -> list[tuple[dict, np.ndarray]]:
    """One head per seed; after each epoch its weights and its dev scores."""
    random.seed(seed)
    torch.manual_seed(seed)
    head = PairHead(items[0].vectors.shape[1])
    optimiser = torch.optim.Adam(head.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    loss_function = nn.CrossEntropyLoss(weight=class_weights(labels))
    targets = torch.tensor(labels)
    per_epoch = []
    for epoch in range(epochs):
        head.train()
        started, total = time.monotonic(), 0.0
        batches = length_batches([len(item.vectors) for item in items])
        for batch in batches:
            loss = loss_function(head(*padded([items[i] for i in batch])), targets[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
        head.eval()
        per_epoch.append(({k: v.clone() for k, v in head.state_dict().items()}, head_scores([head], dev)))
        seconds = time.monotonic() - started
        print(f"seed {seed} epoch {epoch}: loss {total / len(batches):.4f}, {seconds:.0f} s", flush=True)
    return per_epoch


def choose(
    runs: Sequence[list[tuple[dict, np.ndarray]]], scorer_scores: np.ndarray, dev: SplitData
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The epoch, head weight and thresholds with the best dev pair F1 (ties: precision), and every row."""
    rows = []
    for epoch in range(len(runs[0])):
        heads = np.mean([run[epoch][1] for run in runs], axis=0)
        for weight in HEAD_WEIGHTS:
            blended = (1 - weight) * scorer_scores + weight * heads
            thresholds, table = select_thresholds(blended, dev)
            best = next(row for row in table if row["thresholds"] == thresholds)
            rows.append({"epoch": epoch, "head_weight": weight, **best})
    return max(rows, key=lambda row: (row["f1"], row["precision"])), rows


def train(args: argparse.Namespace) -> dict[str, Any]:
    torch.set_num_threads(args.threads)
    texts = load_texts(all_ids(), news2019_path())
    data = {
        split: split_data(load_split(split, texts, train_articles=args.train_articles)) for split in ("train", "dev")
    }
    train_examples = [e for e in data["train"].examples if e.label is not None]
    ner = load_ner_model(args.ner, quantize=Settings().ner_quantize)
    started = time.monotonic()
    train_items = evidence_tokens(train_examples, ner.embeddings)
    dev_items = evidence_tokens(data["dev"].examples, ner.embeddings)
    print(f"embedded {len(train_items)} + {len(dev_items)} examples in {time.monotonic() - started:.0f} s", flush=True)
    labels = [POSITIONS.index(e.label) for e in train_examples]
    statements = net2021_examples(args.net2021) * args.net2021_copies + read_silver(args.silver) * args.silver_copies
    if statements:
        train_items += statement_tokens(statements, ner.embeddings)
        labels += [POSITIONS.index(e.position) for e in statements]
    runs = [train_seed(seed, train_items, labels, dev_items, args.epochs) for seed in args.seeds]

    model = load_actor_stance_model(args.model)
    dev_marked = [
        mark_pair(e.evidence.model_text, e.evidence.source_span, e.evidence.target_span) for e in data["dev"].examples
    ]
    scorer_scores = model.scorer.scores(dev_marked)
    scorer_thresholds, _ = select_thresholds(scorer_scores, data["dev"])
    scorer_verdicts = verdicts_at(scorer_scores, scorer_thresholds)
    scorer_alone = pair_metrics(pooled_pairs(data["dev"], scorer_verdicts), data["dev"].gold)
    chosen, rows = choose(runs, scorer_scores, data["dev"])
    heads = []
    for run in runs:
        head = PairHead(train_items[0].vectors.shape[1])
        head.load_state_dict(run[chosen["epoch"]][0])
        heads.append(head.eval())
    blended = (1 - chosen["head_weight"]) * scorer_scores + chosen["head_weight"] * head_scores(heads, dev_items)
    report = {
        "version": VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seeds": list(args.seeds),
        "epochs": args.epochs,
        "ner": args.ner,
        "train_examples": len(train_items),
        "net2021_cc_copies": args.net2021_copies if args.net2021 else 0,
        "silver_copies": args.silver_copies if args.silver else 0,
        "scorer_alone_dev": {"thresholds": scorer_thresholds, **scorer_alone},
        "chosen": chosen,
        "served_thresholds": args.thresholds or chosen["thresholds"],
        "rows": rows,
        "reliability_dev": reliability(blended, data["dev"]),
    }
    out = Path(args.model)
    save_heads(out / HEAD_FILE, heads, load_ner_model(args.ner).embeddings)
    # A confidence curve belongs to the model it was fitted to: training.calibration fits the new one's.
    metadata = {key: value for key, value in model.metadata.items() if key != "calibration"}
    metadata.update(
        version=VERSION,
        thresholds=args.thresholds or chosen["thresholds"],
        head_weight=chosen["head_weight"],
        heads=f"{len(heads)} BiLSTM pair heads over the NER model's token vectors ({HEAD_FILE})",
        trained_on="the annotated corpus (corpus/v1) train split; heads' epoch and weight and the thresholds "
        "chosen on its dev split",
    )
    (out / METADATA_FILE).write_text(json.dumps(metadata, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / HEAD_REPORT_FILE).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    write_card(out)
    return report


def write_card(out: Path) -> None:
    """The model card of a directory with both reports."""
    from training.actor_stance_corpus import REPORT_FILE

    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    heads = json.loads((out / HEAD_REPORT_FILE).read_text(encoding="utf-8"))
    (out / CARD_FILE).write_text(render_card(report, heads["version"], head_section(heads)), encoding="utf-8")


def head_section(heads: Mapping[str, Any]) -> list[str]:
    """The model card's lines on the pair heads."""
    chosen, alone = heads["chosen"], heads["scorer_alone_dev"]
    served = heads.get("served_thresholds", chosen["thresholds"])
    best_per_weight: dict[float, Mapping[str, Any]] = {}
    for row in sorted(heads["rows"], key=lambda row: (row["f1"], row["precision"])):
        best_per_weight[row["head_weight"]] = row
    return [
        "## Pair heads (version 3)",
        "",
        f"{len(heads['seeds'])} small BiLSTM heads (`service.models.pair_head`, seeds {heads['seeds']}) read the",
        "evidence sentence as the NER tagger's embedding stack sees it, int8 as served, with the source, the target,",
        "the words between them and the evidence kind flagged per token. In the service they read the vectors the",
        "NER pass already computed, so they add no embedding pass. Their averaged probabilities are averaged with the",
        f"scorer's at weight {chosen['head_weight']}; trained on {heads['train_examples']} train examples,",
        f"{heads['epochs']} epochs each; epoch, weight and thresholds chosen together on dev by pair F1.",
        "",
        "`predict(pairs, tokens)` takes the heads' input from the pipeline (`Pipeline._pair_tokens`: the sentence's",
        "vectors from the NER pass and the flags); without `tokens` (`POST /v1/stance` with a target) the model",
        "embeds the sentence itself. `pair_head.pt` (the heads and a copy of the compact NER model's embedding stack,",
        "fp32, used where `NER_MODEL` is another model) holds no text; the stack's word vectors and character language",
        "models were trained on unlabeled text, see `models/ner-nl-compact/MODEL_CARD.md` for that data and its terms.",
        "The probabilities rank well but are not calibrated frequencies (the table below): a side at 0.5 was right",
        "about half the time on dev, one at 0.4 less than a third.",
        "",
        "Cost: the heads' LSTM and output layer run int8 (on dev the same right pairs as fp32); their projection runs",
        "fp32 once per sentence, shared by the pairs in it. A whole analysis with them costs more than",
        "with version 2, side by side on the same articles (`bench/results/pipeline_cost.json`; the README's",
        "performance section has the ratio): the heads are worth it because version 2 returned about three wrong",
        "sides for each right one on dev, and the heads halve that at nearly the same recall (gold actors).",
        "",
        "| on dev (pairs, gold actors) | thresholds (pos. / neg.) | returned | precision | recall | F1 | opposite |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        _row("scorer alone (version 2)", alone),
        *(
            _row(f"scorer + heads at {weight}, best epoch {row['epoch'] + 1}", row)
            for weight, row in sorted(best_per_weight.items())
        ),
        "",
        f"**Shipped:** heads after epoch {chosen['epoch'] + 1} at weight {chosen['head_weight']}, thresholds "
        f"positive {served['positive']}, negative {served['negative']}"
        + ("." if served == chosen["thresholds"] else " (chosen through the whole service on dev; see above)."),
        "",
        "Reliability of the shipped scores on dev (examples; per bin of the larger side probability, how often the",
        "example's label is that side):",
        "",
        "| side probability | examples | label is that side |",
        "| --- | --- | --- |",
        *(f"| {r['from']:.1f}–{r['to']:.1f} | {r['n']} | {r['right']} |" for r in heads["reliability_dev"]),
        "",
    ]


def _row(name: str, row: Mapping[str, Any]) -> str:
    thresholds = row["thresholds"]
    return (
        f"| {name} | {thresholds['positive']} / {thresholds['negative']} | {row['returned']} | "
        f"{row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['opposite']} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="the actor-stance model directory (scorer already trained)")
    parser.add_argument("--ner", required=True, help="the NER model whose vectors the heads read")
    parser.add_argument("--seeds", type=lambda value: [int(s) for s in value.split(",")], default=[13, 1, 2])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--net2021", type=Path, help="net2021 statements.csv: its CC statements join the examples")
    parser.add_argument("--net2021-copies", type=int, default=0, help="how many times they join")
    parser.add_argument("--silver", type=Path, help="silver examples (training.actor_stance_silver's JSON lines)")
    parser.add_argument("--silver-copies", type=int, default=1, help="how many times they join")
    parser.add_argument("--train-articles", type=int, help=TRAIN_ARTICLES_HELP)
    parser.add_argument(
        "--thresholds",
        type=lambda value: dict(zip(("positive", "negative"), map(float, value.split(",")), strict=True)),
        help="POSITIVE,NEGATIVE: serve these thresholds instead of the ones chosen on gold actors (chosen "
        "through the whole service on dev, bench.corpus_accuracy)",
    )
    report = train(parser.parse_args(argv))
    print(json.dumps({k: report[k] for k in ("scorer_alone_dev", "chosen")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
