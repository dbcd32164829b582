"""Fit the stance models' confidence curves (``service/models/calibration.py``) on the corpus dev split.

    python -m bench.corpus_accuracy --split dev --out /tmp/dev.json
    python -m training.calibration --dev /tmp/dev.json [--version issue_stance=2.1.0 --version actor_stance=3.1.0]

``bench.corpus_accuracy`` lists every stance the whole service returns on dev with the raw score of its position
and whether the annotation agrees (``scored``: issue stances, and the sides of actor stances). A logistic
regression of rightness on that score (Platt scaling: one slope, one intercept, practically unregularised) is
the curve; it goes into the model's ``metadata.json`` under ``calibration``, with the Brier score (mean squared
error of the confidence against right = 1, wrong = 0) of the raw scores and of the curve on those stances. The
bench records the raw score whatever the model's calibration, so a rerun after calibrating fits the same curve.
``--version`` gives a model the version its calibrated release carries. The test split is not read here.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from service.models.calibration import Calibration

# The models whose stances the bench lists, by the bench's section name.
MODELS = {"issue_stance": Path("models/stance-nl-compact"), "actor_stance": Path("models/actor-stance-nl-compact")}
# Practically no regularisation: two parameters, fitted to a hundred stances or more.
INVERSE_REGULARISATION = 1e4


def fit(scored: Sequence[Sequence[float]]) -> dict[str, Any]:
    """The Platt curve of ``[raw score, right]`` rows, with how well raw and calibrated scores fit them."""
    from sklearn.linear_model import LogisticRegression

    raw = np.array([[row[0]] for row in scored], dtype=float)
    right = np.array([int(row[1]) for row in scored])
    model = LogisticRegression(C=INVERSE_REGULARISATION).fit(raw, right)
    curve = Calibration(float(model.coef_[0][0]), float(model.intercept_[0]))
    calibrated = np.array([curve(score) for score in raw[:, 0]])
    return {
        "slope": round(curve.slope, 4),
        "intercept": round(curve.intercept, 4),
        "fitted_on": "corpus/v1 dev: the stances the whole service returns, right or wrong against the annotation "
        "(bench.corpus_accuracy, training/calibration.py)",
        "stances": len(right),
        "right": int(right.sum()),
        "brier_raw": round(float(np.mean((raw[:, 0] - right) ** 2)), 4),
        "brier_calibrated": round(float(np.mean((calibrated - right) ** 2)), 4),
    }


def write_calibration(model_dir: Path, calibration: dict[str, Any], version: str | None = None) -> None:
    """Add ``calibration`` (and a new ``version``) to the model's metadata.json, keeping the file's layout."""
    path = model_dir / "metadata.json"
    text = path.read_text(encoding="utf-8")
    indent = len(text.splitlines()[1]) - len(text.splitlines()[1].lstrip())
    metadata = {**json.loads(text), "calibration": calibration}
    if version is not None:
        metadata["version"] = version
    path.write_text(json.dumps(metadata, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, required=True, help="bench.corpus_accuracy's report on the dev split")
    parser.add_argument("--models", type=Path, default=Path("."), help="the folder that holds models/")
    parser.add_argument(
        "--version", action="append", default=[], metavar="SECTION=VERSION", help="a model's new version, by section"
    )
    args = parser.parse_args(argv)
    versions = dict(item.split("=", 1) for item in args.version)
    if unknown := set(versions) - set(MODELS):
        parser.error(f"--version names {sorted(unknown)}; the sections are {sorted(MODELS)}")
    report = json.loads(args.dev.read_text(encoding="utf-8"))
    if report.get("split") != "dev":
        parser.error(f"{args.dev} is a report on {report.get('split')!r}; the curves are fitted on dev only")
    for section, model_dir in MODELS.items():
        calibration = fit(report[section]["scored"])
        write_calibration(args.models / model_dir, calibration, versions.get(section))
        print(section, json.dumps(calibration))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
