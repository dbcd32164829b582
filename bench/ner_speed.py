"""Tagging speed of two NER taggers side by side: tokens per second on the same sentences, in one run.

Absolute speed differs about 2× between the machines here and with whatever else runs, so a tagger is only
ever compared with another one measured in the same run: each round tags every sentence with both, the side
that goes first alternating (``bench.harness.side_by_side``), and the result is the ratio of their speeds
(``--model`` over ``--vs``: above 1 means ``--model`` is faster), with each round's ratio to show the spread.
Both load through the service's loader, so ``--quantize`` / ``--vs-quantize`` apply exactly what the
setting ``NER_QUANTIZE`` applies (int8 dynamic quantization of the named parts, see
``service.models.ner.QUANTIZABLE_PARTS``). Gold tags in the file are not read: this measures speed, and
reports only how many sentences the two taggers tag differently.

    python -m bench.ner_speed --model models/ner-nl-compact/model.pt --quantize tagger,lm   # int8 vs fp32
    python -m bench.ner_speed --model NEW/final-model.pt --vs models/ner-nl-compact/model.pt
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from bench.harness import Run, side_by_side
from service.config import PROJECT_ROOT, Settings, SettingsError
from service.models.ner import NerModel, file_version, load_ner_model
from training.corpora import read_conll

SHIPPED = PROJECT_ROOT / "models" / "ner-nl-compact" / "model.pt"
TESTA = PROJECT_ROOT.parent / "shared" / "data" / "conll2002-nl" / "ned.testa"
WARM_UP_SENTENCES = 64

Spans = list[list[tuple[int, int, str, float]]]


@dataclass
class Tagger:
    """One side of the comparison: the model file, the parts quantized, and the loaded model."""

    path: str
    quantize: tuple[str, ...]
    model: NerModel

    def describe(self) -> dict[str, Any]:
        return {
            "model": self.path,
            "model_version": file_version(self.path),
            "quantize": list(self.quantize),
            "quantized_modules": list(self.model.quantized),
        }


def load_tagger(path: str, quantize: tuple[str, ...], batch_size: int) -> Tagger:
    return Tagger(path, quantize, load_ner_model(path, batch_size=batch_size, quantize=quantize))


def quantize_parts(raw: str) -> tuple[str, ...]:
    """An ``NER_QUANTIZE`` value as the service reads and checks it."""
    try:
        return Settings.from_env({"NER_QUANTIZE": raw}).ner_quantize
    except SettingsError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def read_sentences(conll: Path, limit: int) -> list[list[str]]:
    """The tokens of the first ``limit`` sentences of a CoNLL file (0: all)."""
    sentences = [[token for token, _ in tokens] for tokens in read_conll(conll)]
    return sentences[:limit] if limit else sentences


def timed_tagging(model: NerModel, sentences: list[list[str]]) -> tuple[float, Spans]:
    """Seconds for one batched ``predict_spans`` call over all ``sentences``, and its spans."""
    started = time.perf_counter()
    spans = model.predict_spans(sentences)
    return time.perf_counter() - started, spans


def compare(first: NerModel, second: NerModel, sentences: list[list[str]], rounds: int) -> dict[str, Any]:
    """``rounds`` side-by-side rounds of both taggers over ``sentences``; speeds, ratios, and the first
    round's predictions of each side (under ``predictions``, for callers that score them)."""
    for model in (first, second):
        model.predict_spans(sentences[:WARM_UP_SENTENCES])  # first-call allocations stay out of round 0
    tokens = sum(len(sentence) for sentence in sentences)
    first_speeds, second_speeds, ratios = [], [], []
    predictions: tuple[Spans, Spans] | None = None
    for round_number in range(rounds):
        (first_s, first_spans), (second_s, second_spans) = side_by_side(
            round_number, lambda: timed_tagging(first, sentences), lambda: timed_tagging(second, sentences)
        )
        first_speeds.append(tokens / first_s)
        second_speeds.append(tokens / second_s)
        ratios.append(second_s / first_s)
        predictions = predictions or (first_spans, second_spans)
    assert predictions is not None, "at least one round"
    return {
        "sentences": len(sentences),
        "tokens": tokens,
        "rounds": rounds,
        "tokens_per_s": {
            "model": [round(speed, 1) for speed in first_speeds],
            "vs": [round(speed, 1) for speed in second_speeds],
        },
        "median_tokens_per_s": {
            "model": round(statistics.median(first_speeds), 1),
            "vs": round(statistics.median(second_speeds), 1),
        },
        "speed_ratio": round(statistics.median(ratios), 3),
        "speed_ratio_per_round": [round(ratio, 3) for ratio in ratios],
        "speed_ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)],
        "sentences_tagged_differently": sum(
            _labelled(a) != _labelled(b) for a, b in zip(predictions[0], predictions[1], strict=True)
        ),
        "predictions": predictions,
    }


def _labelled(spans: list[tuple[int, int, str, float]]) -> set[tuple[int, int, str]]:
    return {(first, end, kind) for first, end, kind, _ in spans}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(SHIPPED), help="tagger file measured (default: the shipped one)")
    parser.add_argument("--vs", help="tagger file it is compared with (default: the same file as --model)")
    parser.add_argument("--quantize", type=quantize_parts, default=(), help="NER_QUANTIZE for --model: tagger,lm")
    parser.add_argument("--vs-quantize", type=quantize_parts, default=(), help="NER_QUANTIZE for --vs")
    parser.add_argument("--conll", type=Path, default=TESTA, help="sentences to tag (default: ned.testa)")
    parser.add_argument("--sentences", type=int, default=0, help="first N sentences only (default: all)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=Settings().ner_batch_size)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1, as the service)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    torch.set_num_threads(args.threads)

    run = Run("ner_speed")
    measured = load_tagger(args.model, args.quantize, args.batch_size)
    baseline = load_tagger(args.vs or args.model, args.vs_quantize, args.batch_size)
    sentences = read_sentences(args.conll, args.sentences)
    result = compare(measured.model, baseline.model, sentences, args.rounds)
    del result["predictions"]
    document = {
        "model": measured.describe(),
        "vs": baseline.describe(),
        "data": str(args.conll),
        "batch_size": args.batch_size,
        "torch_threads": torch.get_num_threads(),
        **result,
    }
    print(
        f"{result['tokens']} tokens × {args.rounds} rounds: {result['median_tokens_per_s']['model']} vs "
        f"{result['median_tokens_per_s']['vs']} tokens/s (median), ratio {result['speed_ratio']} "
        f"(rounds {result['speed_ratio_spread'][0]}–{result['speed_ratio_spread'][1]})"
    )
    run.write(document)
    return document


if __name__ == "__main__":
    main()
