"""Confidence curves: read from a model's metadata, fitted to the stances a split scores right or wrong."""

from __future__ import annotations

import json

import pytest

from service.models.calibration import Calibration, calibrated
from training.calibration import fit, write_calibration


def test_a_model_without_a_curve_reports_its_raw_score():
    assert Calibration.from_metadata({"version": "1"}) is None
    assert calibrated(None, 0.73) == 0.73


def test_the_curve_in_the_metadata_is_a_rising_logistic_curve():
    curve = Calibration.from_metadata({"calibration": {"slope": 4.0, "intercept": -3.0, "stances": 10}})
    assert curve == Calibration(4.0, -3.0)
    assert curve(0.75) == pytest.approx(0.5)
    assert curve(0.5) < curve(0.75) < curve(1.0)


def test_the_fitted_curve_follows_how_often_stances_are_right_at_each_score():
    # right 2 in 10 at score 0.3, 8 in 10 at score 0.9
    scored = [[0.3, int(i < 2)] for i in range(10)] + [[0.9, int(i < 8)] for i in range(10)]
    fitted = fit(scored)
    curve = Calibration(fitted["slope"], fitted["intercept"])
    assert curve(0.3) == pytest.approx(0.2, abs=0.02)
    assert curve(0.9) == pytest.approx(0.8, abs=0.02)
    assert (fitted["stances"], fitted["right"]) == (20, 10)
    assert fitted["brier_calibrated"] < fitted["brier_raw"]


def test_the_curve_joins_the_metadata_as_the_file_was_laid_out(tmp_path):
    path = tmp_path / "metadata.json"
    path.write_text(json.dumps({"model_id": "m", "thresholds": {"a": 0.5}}, indent=2) + "\n", encoding="utf-8")
    write_calibration(tmp_path, {"slope": 1.0, "intercept": 0.0})
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == {
        "model_id": "m",
        "thresholds": {"a": 0.5},
        "calibration": {"slope": 1.0, "intercept": 0.0},
    }
    assert text.splitlines()[1].startswith('  "model_id"')
