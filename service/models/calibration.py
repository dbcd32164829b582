"""A stance's confidence as the chance that it is right, read off the model's raw score.

The stance models' scores rank well but are no frequencies: on the annotated corpus's dev split, issue stances
the model scored 0.7 or more were right less than half the time. ``training/calibration.py`` fits Platt scaling
(a logistic curve over the raw score of the returned position) to the stances the whole service returns on that
split, each marked right or wrong against the annotation, and stores the curve in the model's ``metadata.json``;
the service reports the curve's value as the stance's ``confidence`` and keeps the raw scores in ``scores``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Calibration:
    """Platt scaling: ``P(right) = 1 / (1 + exp(-(slope * score + intercept)))``."""

    slope: float
    intercept: float

    def __call__(self, score: float) -> float:
        return 1.0 / (1.0 + math.exp(-(self.slope * score + self.intercept)))

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> Calibration | None:
        """The curve a model's metadata holds under ``calibration``, or None for a model without one (its raw
        score is then the confidence)."""
        fitted = metadata.get("calibration")
        return None if fitted is None else cls(float(fitted["slope"]), float(fitted["intercept"]))


def calibrated(calibration: Calibration | None, score: float) -> float:
    """``score`` through ``calibration`` where the model has one."""
    return score if calibration is None else calibration(score)
