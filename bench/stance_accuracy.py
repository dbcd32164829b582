"""Stance accuracy of a shipped model on a units.csv-format file, through the API's ``StanceModel.predict``.

    python -m bench.stance_accuracy --units ../shared/data/issuepositions/units.csv \
        [--model models/stance-nl-compact] [--split test|all] [--seed 13] \
        [--out bench/results/stance_accuracy.json] [--sample ../shared/data/samples/helsinki-2018-07.txt]

``--split test`` rebuilds the training script's document-level split (same function, same seed), so the
number matches the model card; ``--split all`` scores every row (for a new, unseen file). ``--sample`` adds
the relevance-gate check on a sample article (windows around ``--sample-names``).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from service.models.stance import load_stance_model
from training.stance_data import SEED, document_split, read_units
from training.stance_eval import model_positions, sample_article_check, stance_metrics


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", required=True)
    parser.add_argument("--model", default="models/stance-nl-compact")
    parser.add_argument("--split", choices=("test", "all"), default="test")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", default="bench/results/stance_accuracy.json")
    parser.add_argument("--sample", help="sample article (first line 'date …') for the relevance-gate check")
    parser.add_argument("--sample-names", nargs="+", default=["Trump", "Poetin"])
    args = parser.parse_args(argv)

    units = read_units(args.units)
    if args.split == "test":
        units = document_split(units, args.seed)["test"]
    model = load_stance_model(args.model)
    started = time.perf_counter()
    predicted = model_positions(model, units)
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {
        "model": {"path": args.model, "model_id": model.model_id, "version": model.version},
        "units": args.units,
        "split": args.split,
        "seed": args.seed,
        **stance_metrics([u.position for u in units], predicted),
        "seconds": round(elapsed, 2),
    }
    if args.sample:
        result["sample_article"] = {
            "path": args.sample,
            "names": args.sample_names,
            **sample_article_check(model, args.sample, args.sample_names),
        }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
