"""What a change costs per article: two versions of the pipeline, side by side on the same dpgMedia articles.

Each version runs in its own long-lived worker process (two versions of the ``service`` package cannot share
one interpreter), started from its own source tree with its own shipped models and one torch thread. The
parent sends the articles to both workers one by one, alternating which goes first, so that a change in
background load hits both sides alike. A worker times ``Pipeline.analyze`` on one article in-process, and
then the response schema's dump of the result (the rest of what a request costs beyond HTTP).

The baseline is usually a git worktree of the last commit:

    git worktree add /work/old HEAD
    python -m bench.pipeline_cost --baseline /work/old [--articles 100]

Writes ``pipeline_cost.json`` (to ``BENCH_RESULTS`` or ``bench/results/``) with the per-version totals,
latency percentiles and the cost ratio (this tree / baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The budget: the pipeline may cost at most this much more per article than the baseline.
GOAL = 1.15
WARMUP_ARTICLES = 3


def serve(root: Path) -> None:
    """Worker: load ``root``'s pipeline, then time one article per request line until stdin closes.

    Results go out on a duplicate of the original stdout; anything the libraries print goes to stderr, so it
    can never corrupt the channel.
    """
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.path.insert(0, str(root))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    from schemas.response import AnalysisSchema
    from service import pipeline as pipeline_module
    from service.config import Settings
    from service.pipeline import Document
    from service.state import build_pipeline

    torch.set_num_threads(1)
    # Each tree builds its pipeline as its service does, with the default settings: its own shipped models.
    pipeline = build_pipeline(Settings())
    schema = AnalysisSchema()
    _send(channel, {"ready": True, "pipeline_module": pipeline_module.__file__})
    for line in sys.stdin:
        article = json.loads(line)
        started = time.perf_counter()
        result = pipeline.analyze([Document(text=article["text"], id=article["id"])])[0]
        analysed = time.perf_counter()
        schema.dump(result)
        _send(channel, {"analyze_s": analysed - started, "dump_s": time.perf_counter() - analysed})


def _send(channel: IO[str], message: dict[str, Any]) -> None:
    channel.write(json.dumps(message) + "\n")
    channel.flush()


class Worker:
    """The parent's handle on one worker process."""

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.pipeline_cost", "--serve", str(root)],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        ready = self._receive()
        if not ready.get("ready"):
            raise RuntimeError(f"the {name} worker ({root}) did not start")
        if not Path(ready["pipeline_module"]).resolve().is_relative_to(root):
            raise RuntimeError(f"the {name} worker imported {ready['pipeline_module']}, not the pipeline of {root}")

    def time(self, article: dict[str, str]) -> dict[str, float]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(article) + "\n")
        self.process.stdin.flush()
        return self._receive()

    def _receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.name} worker ({self.root}) exited with {self.process.wait()}")
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def _side(timings: list[dict[str, float]]) -> dict[str, Any]:
    from bench.harness import summarise_latencies

    analyze = [t["analyze_s"] for t in timings]
    total = [t["analyze_s"] + t["dump_s"] for t in timings]
    return {
        "analyze_total_s": round(sum(analyze), 3),
        "with_dump_total_s": round(sum(total), 3),
        "analyze": summarise_latencies(analyze),
        "with_dump": summarise_latencies(total),
    }


def compare(baseline: Path, articles: int) -> dict[str, Any]:
    """Time both versions on the same ``articles``, interleaved, and summarise."""
    from bench.harness import load_articles, side_by_side

    texts = load_articles(articles + WARMUP_ARTICLES)
    workers = {"baseline": Worker("baseline", baseline), "current": Worker("current", PROJECT_ROOT)}
    timings: dict[str, list[dict[str, float]]] = {"baseline": [], "current": []}
    try:
        for index, text in enumerate(texts):
            article = {"id": f"article-{index}", "text": text}
            baseline_timing, current_timing = side_by_side(
                index,
                lambda article=article: workers["baseline"].time(article),
                lambda article=article: workers["current"].time(article),
            )
            if index >= WARMUP_ARTICLES:  # the first calls allocate; both sides warm up alike
                timings["baseline"].append(baseline_timing)
                timings["current"].append(current_timing)
    finally:
        for worker in workers.values():
            worker.close()
    ratio = sum(t["analyze_s"] for t in timings["current"]) / sum(t["analyze_s"] for t in timings["baseline"])
    with_dump = sum(t["analyze_s"] + t["dump_s"] for t in timings["current"]) / sum(
        t["analyze_s"] + t["dump_s"] for t in timings["baseline"]
    )
    per_article = [c["analyze_s"] / b["analyze_s"] for c, b in zip(timings["current"], timings["baseline"])]
    return {
        "articles": len(timings["current"]),
        "baseline_tree": str(baseline),
        "current_tree": str(PROJECT_ROOT),
        "torch_threads": 1,
        "baseline": _side(timings["baseline"]),
        "current": _side(timings["current"]),
        "cost_ratio": round(ratio, 4),
        "cost_ratio_with_dump": round(with_dump, 4),
        "median_per_article_ratio": round(statistics.median(per_article), 4),
        "goal": f"cost_ratio <= {GOAL}",
        "goal_met": ratio <= GOAL,
    }


def main(argv: list[str] | None = None) -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="source tree of the version to compare with")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve.resolve())
        return None
    if args.baseline is None:
        parser.error("--baseline is required")
    from bench.harness import Run

    run = Run("pipeline_cost")
    document = compare(args.baseline.resolve(), args.articles)
    print(
        f"baseline {document['baseline']['analyze_total_s']} s, current {document['current']['analyze_total_s']} s "
        f"over {document['articles']} articles: cost ratio {document['cost_ratio']} "
        f"(with the response dump {document['cost_ratio_with_dump']})"
    )
    run.write(document)
    return document


if __name__ == "__main__":
    main()
