"""Every ``python -m training.…`` / ``bench.…`` / ``corpus.…`` command the documentation names is a command:
run with ``--help`` it prints its usage and exits 0 (a module whose entry point went missing would silently do
nothing, and a documented way to rebuild a model or rerun a bench would be gone)."""

from __future__ import annotations

import contextlib
import io
import re
import runpy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [
    ROOT / "README.md",
    ROOT / "Makefile",
    *ROOT.glob("models/*/MODEL_CARD.md"),
    *ROOT.glob("docs/*.md"),
    *ROOT.glob("corpus/*.md"),
    *ROOT.glob("training/*.py"),
    *ROOT.glob("bench/*.py"),
]
COMMAND = re.compile(r"python -m ((?:training|bench|corpus)\.[a-z_0-9]+)")
DOCUMENTED = sorted({name for path in DOCUMENTS for name in COMMAND.findall(path.read_text(encoding="utf-8"))})


def test_the_documentation_names_the_model_builds_and_benches():
    assert {"training.ner", "training.quote_tagger", "training.coref_ranker", "bench.corpus_accuracy"} <= set(
        DOCUMENTED
    )


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("module", DOCUMENTED)
def test_a_documented_command_answers_help(module, monkeypatch):
    monkeypatch.setattr(sys, "argv", [module, "--help"])
    usage = io.StringIO()
    with pytest.raises(SystemExit) as exited, contextlib.redirect_stdout(usage):
        runpy.run_module(module, run_name="__main__", alter_sys=False)
    assert exited.value.code in (0, None)
    assert "usage" in usage.getvalue().lower()
