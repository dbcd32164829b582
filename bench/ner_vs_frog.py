"""The shipped NER tagger vs Frog (Debian's ``frog``, NER only) on the same CoNLL-2002 tokens, side by side.

Absolute speeds differ about 2x between the machines this project runs on, so the figure that travels is the
ratio of the two taggers measured in one run. Both get the same pre-tokenised sentences (the first
``--sentences`` of ``ned.testb``) and one thread each: the tagger with ``torch.set_num_threads(1)`` and the
service's NER batch size; Frog with ``-n --skip=tlacmp --threads=1`` (one sentence per line, its tokeniser,
lemmatiser, morphology, chunker, multi-word units and parser off; its POS tagger still runs because its NER
reads the tags). Rounds alternate which tagger goes first, so a change in background load hits both alike.

Model loading is left out of both sides: the tagger is loaded once before the rounds, and Frog's time is its
own "Frogging in total took" figure (processing only); Frog's wall time with its start-up is reported too.
``make bench-deps`` installs Frog.

    python -m bench.ner_vs_frog [--sentences 1000] [--rounds 3] [--out bench/results/ner_vs_frog.json]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

from bench.harness import RESULTS, Run, side_by_side
from service.config import PROJECT_ROOT, Settings
from service.models.ner import NerModel, load_ner_model
from training.corpora import read_conll

TESTB = PROJECT_ROOT.parent / "shared" / "data" / "conll2002-nl" / "ned.testb"
FROG_ARGS = ["-n", "--skip=tlacmp", "--threads=1"]
# Frog's own timer line on stderr, e.g. "Frogging in total took: 0 seconds, 31 milliseconds and 691 microseconds".
FROG_TOTAL = re.compile(r"Frogging in total took:(.*)")
UNIT_SECONDS = {"hour": 3600.0, "minute": 60.0, "second": 1.0, "millisecond": 1e-3, "microsecond": 1e-6}


def parse_frog_duration(text: str) -> float:
    """Seconds in a ticcutils timer phrase ("1 minutes, 2 seconds, 3 milliseconds and 4 microseconds")."""
    pairs = re.findall(r"(\d+)\s+(hour|minute|second|millisecond|microsecond)s?\b", text)
    if not pairs:
        raise ValueError(f"no duration in {text!r}")
    return sum(int(value) * UNIT_SECONDS[unit] for value, unit in pairs)


def time_tagger(model: NerModel, token_lists: list[list[str]]) -> float:
    """Seconds the tagger takes for all sentences in one batched call (the service's own path)."""
    started = time.perf_counter()
    model.predict_spans(token_lists)
    return time.perf_counter() - started


def time_frog(input_file: Path, tokens: int, workdir: Path) -> dict[str, float]:
    """Frog's processing seconds (its own timer) and its wall seconds including start-up, for ``input_file``.

    Raises if Frog fails or answers a different number of tokens than it was given, which would mean its
    tokeniser was not off and the two sides did not tag the same tokens."""
    started = time.perf_counter()
    finished = subprocess.run(
        ["frog", *FROG_ARGS, "-t", str(input_file)],
        cwd=workdir,  # Frog leaves debug files in its working directory
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if finished.returncode != 0:
        raise RuntimeError(f"frog failed ({finished.returncode}): {finished.stderr[-2000:]}")
    answered = sum(1 for line in finished.stdout.splitlines() if line.strip())
    if answered != tokens:
        raise RuntimeError(f"frog answered {answered} tokens for {tokens}: its tokeniser re-split the input")
    total = FROG_TOTAL.search(finished.stderr)
    if total is None:
        raise RuntimeError("frog did not report its processing time on stderr")
    return {"processing_s": parse_frog_duration(total.group(1)), "wall_s": wall}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conll", type=Path, default=TESTB)
    parser.add_argument("--sentences", type=int, default=1000, help="the first N sentences of the file")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each tagger, alternating")
    parser.add_argument("--out", type=Path, default=RESULTS / "ner_vs_frog.json")
    args = parser.parse_args(argv)
    if shutil.which("frog") is None:
        parser.error("frog is not installed: run `make bench-deps`")

    run = Run("ner_vs_frog")
    token_lists = [[token for token, _ in sentence] for sentence in read_conll(args.conll)[: args.sentences]]
    tokens = sum(len(tokens) for tokens in token_lists)
    torch.set_num_threads(1)
    settings = Settings.from_env()
    model = load_ner_model(settings.ner_model, batch_size=settings.ner_batch_size)
    model.predict_spans(token_lists[:64])  # warm-up: first calls allocate

    tagger_s: list[float] = []
    frog_runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="ner_vs_frog-") as workdir:
        input_file = Path(workdir) / "sentences.txt"
        input_file.write_text("".join(" ".join(tokens) + "\n" for tokens in token_lists), encoding="utf-8")
        for round_number in range(args.rounds):
            tagger_run, frog_run = side_by_side(
                round_number,
                lambda: time_tagger(model, token_lists),
                lambda: time_frog(input_file, tokens, Path(workdir)),
            )
            tagger_s.append(tagger_run)
            frog_runs.append(frog_run)

    frog_s = [r["processing_s"] for r in frog_runs]
    tagger_rate = tokens / statistics.median(tagger_s)
    frog_rate = tokens / statistics.median(frog_s)
    document = {
        "data": f"{args.conll.name}, first {len(token_lists)} sentences",
        "sentences": len(token_lists),
        "tokens": tokens,
        "rounds": args.rounds,
        "tagger": {
            "model": settings.ner_model,
            "torch_threads": torch.get_num_threads(),
            "batch_size": model.batch_size,
            "runs_s": [round(t, 3) for t in tagger_s],
            "tokens_per_s": round(tagger_rate, 1),
        },
        "frog": {
            "version": _frog_version(),
            "command": " ".join(["frog", *FROG_ARGS, "-t", "FILE"]),
            "processing_runs_s": [round(t, 3) for t in frog_s],
            "wall_runs_s_with_startup": [round(r["wall_s"], 3) for r in frog_runs],
            "tokens_per_s": round(frog_rate, 1),
        },
        "tagger_over_frog_speed": round(tagger_rate / frog_rate, 3),
        "per_round_ratios": [round(f / t, 3) for t, f in zip(tagger_s, frog_s)],
        "note": "ratio of the median runs (per round: the two runs of a round side by side); model loading "
        "excluded on both sides; Frog's POS tagger runs (its NER needs it)",
    }
    print(
        f"{tokens} tokens: tagger {tagger_rate:.0f} tokens/s, Frog {frog_rate:.0f} tokens/s, "
        f"ratio {document['tagger_over_frog_speed']:.2f}"
    )
    written = run.write(document, directory=args.out.parent)
    if written != args.out:
        written.replace(args.out)
    return document


def _frog_version() -> str:
    """Frog's first banner line ("frog 0.20 (c) ..."), which names its version."""
    banner = subprocess.run(["frog", "-V"], capture_output=True, text=True, check=False)
    return next((line for line in (banner.stdout + banner.stderr).splitlines() if line.startswith("frog")), "")


if __name__ == "__main__":
    main()
