"""int8 dynamic quantization of the NER tagger: dev F1 and speed of each choice of parts against fp32.

Each variant (a value of the setting ``NER_QUANTIZE``) is loaded through the service's loader and compared
with the fp32 tagger side by side in the same run (``bench.ner_speed.compare``: every round tags all of
``ned.testa`` with both, alternating which goes first); its F1 is scored from the same predictions, exact
spans and types as ``bench.ner_accuracy`` scores them. A variant qualifies for the service when it loses at
most ``MAX_F1_DROP`` points of micro F1 and is faster (median per-round speed ratio above 1); the fastest
that qualifies is the recommended default of ``NER_QUANTIZE``. A first "variant" quantizes nothing: fp32
against fp32, the control for how far the ratio strays by itself. Only the dev file is scored here.

    python -m bench.ner_quantization [--model models/ner-nl-compact/model.pt] [--rounds 4]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import torch

from bench.harness import Run
from bench.ner_accuracy import score
from bench.ner_speed import SHIPPED, TESTA, Tagger, compare, load_tagger, quantize_parts
from service.config import NO_QUANTIZATION, Settings
from training.corpora import bio_spans, read_conll

# Issue 14: keep quantization where dev F1 drops by at most this many points.
MAX_F1_DROP = 0.3
# The first is the control: a second fp32 tagger against the first shows how far the ratio strays by itself.
VARIANTS = (
    (),
    ("tagger",),
    ("lm",),
    ("tagger", "lm"),
    ("tagger", "lm", "char"),
    ("tagger", "lm", "char", "linear"),
)


def micro_f1(gold: list[set[tuple]], predicted: list[list[tuple[int, int, str, float]]]) -> dict[str, Any]:
    """``bench.ner_accuracy.score`` of the predicted spans (micro and per type)."""
    return score(gold, [{(first, end, kind) for first, end, kind, _ in spans} for spans in predicted])


def measure_variant(
    parts: tuple[str, ...],
    fp32: Tagger,
    sentences: list[list[str]],
    gold: list[set[tuple]],
    rounds: int,
    batch_size: int,
) -> dict[str, Any]:
    """One variant against the loaded fp32 tagger: speeds, ratio, and both sides' scores."""
    quantized = load_tagger(fp32.path, parts, batch_size)
    result = compare(quantized.model, fp32.model, sentences, rounds)
    quantized_predictions, fp32_predictions = result.pop("predictions")
    return {
        "quantize": ",".join(parts) or NO_QUANTIZATION,
        "quantized_modules": list(quantized.model.quantized),
        "scores": micro_f1(gold, quantized_predictions),
        "fp32_scores": micro_f1(gold, fp32_predictions),
        **result,
    }


def verdict(variant: dict[str, Any]) -> dict[str, Any]:
    """The F1 drop against the fp32 side of the same comparison, and whether the variant qualifies."""
    drop = round(variant["fp32_scores"]["micro"]["f1"] - variant["scores"]["micro"]["f1"], 2)
    faster = variant["speed_ratio"] > 1
    return {"f1_drop": drop, "qualifies": bool(variant["quantized_modules"]) and drop <= MAX_F1_DROP and faster}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=str(SHIPPED))
    parser.add_argument("--conll", type=Path, default=TESTA, help="dev file (default ned.testa)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=Settings().ner_batch_size)
    parser.add_argument(
        "--variants",
        nargs="+",
        type=quantize_parts,
        default=list(VARIANTS),
        help="NER_QUANTIZE values to measure (default: all of VARIANTS; 'none' is the fp32 control)",
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)

    run = Run("ner_quantization")
    tagged = read_conll(args.conll)
    sentences = [[token for token, _ in tokens] for tokens in tagged]
    gold = [set(bio_spans([tag for _, tag in tokens])) for tokens in tagged]
    fp32 = load_tagger(args.model, (), args.batch_size)
    variants = []
    for parts in args.variants:
        variant = measure_variant(parts, fp32, sentences, gold, args.rounds, args.batch_size)
        variant.update(verdict(variant))
        variants.append(variant)
        print(
            f"{variant['quantize']:<24} F1 {variant['scores']['micro']['f1']:.2f} (fp32 "
            f"{variant['fp32_scores']['micro']['f1']:.2f}, drop {variant['f1_drop']:+.2f}), speed ratio "
            f"{variant['speed_ratio']} (rounds {variant['speed_ratio_spread'][0]}–{variant['speed_ratio_spread'][1]})"
        )
    qualifying = [variant for variant in variants if variant["qualifies"]]
    best = max(qualifying, key=lambda variant: variant["speed_ratio"], default=None)
    document = {
        "model": args.model,
        "data": str(args.conll),
        "batch_size": args.batch_size,
        "torch_threads": torch.get_num_threads(),
        "rule": f"qualifies: micro F1 drop <= {MAX_F1_DROP} and median per-round speed ratio (int8 / fp32) > 1",
        "variants": variants,
        "recommended_ner_quantize": best["quantize"] if best else NO_QUANTIZATION,
    }
    run.write(document)
    return document


if __name__ == "__main__":
    main()
