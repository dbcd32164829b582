"""Entity-level accuracy and speed of a Flair tagger on a CoNLL-format file, written as JSON.

Gold and predicted entities are compared as exact spans with exact types (CoNLL's conlleval convention):
micro and per-type precision, recall and F1. The tagger reads the file's own tokens, and is loaded through
the service's loader, so a local path and a hub id (``flair/ner-dutch``) are measured the same way.

    python -m bench.ner_accuracy --model models/ner-nl-compact/model.pt \
        --conll ../shared/data/conll2002-nl/ned.testb --out bench/results/ner_accuracy_testb.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections import Counter
from pathlib import Path

import torch

from service.models.ner import load_ner_model
from training.corpora import bio_spans, read_conll


def score(gold: list[set[tuple]], predicted: list[set[tuple]]) -> dict:
    """Micro and per-type P/R/F1 (in %) over sentences of ``(start, end, type)`` spans."""
    counts: dict[str, Counter] = {}
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        for span in predicted_spans:
            counts.setdefault(span[2], Counter())["tp" if span in gold_spans else "fp"] += 1
        for span in gold_spans - predicted_spans:
            counts.setdefault(span[2], Counter())["fn"] += 1
    per_type = {kind: _prf(c) for kind, c in sorted(counts.items())}
    return {"micro": _prf(sum(counts.values(), Counter())), "per_type": per_type}


def _prf(counts: Counter) -> dict:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(100 * precision, 2),
        "recall": round(100 * recall, 2),
        "f1": round(100 * f1, 2),
        "support": tp + fn,
        "predicted": tp + fp,
    }


def evaluate(model_ref: str, conll: Path, batch_size: int) -> dict:
    """Tag every sentence of ``conll`` (one predict call, ``batch_size`` per mini-batch) and score it."""
    load_started = time.perf_counter()
    model = load_ner_model(model_ref, batch_size=batch_size)
    load_s = time.perf_counter() - load_started
    sentences = read_conll(conll)
    started = time.perf_counter()
    found = model.predict_spans([[token for token, _ in tokens] for tokens in sentences])
    elapsed = time.perf_counter() - started
    gold = [set(bio_spans([tag for _, tag in tokens])) for tokens in sentences]
    predicted = [{(first, end, kind) for first, end, kind, _ in spans} for spans in found]
    tokens = sum(len(s) for s in sentences)
    return {
        "model": model_ref,
        "model_version": model.version,
        "model_size_mb": round(Path(model_ref).stat().st_size / 2**20, 1) if Path(model_ref).is_file() else None,
        "data": str(conll),
        "sentences": len(sentences),
        "tokens": tokens,
        **score(gold, predicted),
        "speed": {
            "sentences_per_s": round(len(sentences) / elapsed, 1),
            "tokens_per_s": round(tokens / elapsed, 1),
            "seconds": round(elapsed, 2),
            "model_load_s": round(load_s, 2),
            "batch_size": batch_size,
            "torch_threads": torch.get_num_threads(),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="local model path or hub id")
    parser.add_argument("--conll", required=True, type=Path)
    parser.add_argument("--out", type=Path, help="JSON file to write (default: print only)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    result = evaluate(args.model, args.conll, args.batch_size)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
