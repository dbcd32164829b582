"""Throughput and latency through gunicorn on real articles, per server configuration and client concurrency.

For each configuration a fresh server starts (all workers loaded), gets a short warm-up, and then each
concurrency level sends real articles (dpgmedia2019, empty texts skipped, fixed shuffled order) from the
load generator process, bounded by a request count and a time limit.

    python -m bench.throughput [--configs default 2-workers ...] [--concurrency 1 2 4 8] \
        [--max-requests 400] [--max-seconds 10] [--articles 400]
"""

from __future__ import annotations

import argparse
from typing import Any

from bench.harness import Run, analyze_body, load_articles, run_load, running_server, summarise_latencies

# Worker processes x gunicorn threads, and torch intra-op threads per worker (2-core machine in mind).
CONFIGS: dict[str, dict[str, str]] = {
    "default": {},  # whatever gunicorn.conf.py and config.py choose (1 worker, TORCH_THREADS=1)
    "torch-threads-2": {"TORCH_THREADS": "2"},
    "2-workers": {"WEB_CONCURRENCY": "2"},
    "2-workers-1-thread": {"WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "1"},
}


def measure_config(
    env: dict[str, str], texts: list[str], levels: list[int], max_requests: int, max_seconds: float
) -> dict[str, Any]:
    bodies = [analyze_body(text, i) for i, text in enumerate(texts)]
    with running_server(env) as server:
        url = server.url + "/v1/analyze"
        warm = run_load(url, bodies[-8:], concurrency=max(levels), max_requests=2 * max(levels), max_seconds=60)
        cells = []
        for concurrency in levels:
            report = run_load(url, bodies, concurrency, max_requests, max_seconds)
            chars = sum(len(texts[i]) for i in report["body_indices"])
            cells.append(
                {
                    "concurrency": concurrency,
                    "requests": report["requests"],
                    "ok": report["ok"],
                    "statuses": report["statuses"],
                    "wall_s": report["wall_s"],
                    "articles_per_s": report["requests_per_s"],
                    "chars_per_s": round(chars / report["wall_s"]) if report["wall_s"] else 0,
                    **summarise_latencies(report["latencies_s"] or [0.0]),
                }
            )
        return {"env": server.env, "layout": server.layout, "warmup_requests": warm["ok"], "cells": cells}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", nargs="+", choices=sorted(CONFIGS), default=list(CONFIGS))
    parser.add_argument("--concurrency", nargs="+", type=int, default=[1, 2, 4, 8])
    parser.add_argument("--max-requests", type=int, default=400, help="per concurrency level")
    parser.add_argument("--max-seconds", type=float, default=10, help="per concurrency level")
    parser.add_argument("--articles", type=int, default=400)
    args = parser.parse_args(argv)

    run = Run("throughput")
    texts = load_articles(args.articles)
    results = {}
    for name in args.configs:
        results[name] = measure_config(CONFIGS[name], texts, args.concurrency, args.max_requests, args.max_seconds)
        for cell in results[name]["cells"]:
            print(
                f"{name:>18} c={cell['concurrency']}: {cell['articles_per_s']:.2f} articles/s, "
                f"p50 {cell['p50_ms']} ms, p95 {cell['p95_ms']} ms, p99 {cell['p99_ms']} ms ({cell['ok']} ok)"
            )
    document = {
        "articles": {"source": "dpgmedia2019/articles.jsonl", "non_empty_used": len(texts), "order": "seed 2019"},
        "bounds": {"max_requests": args.max_requests, "max_seconds": args.max_seconds},
        "configs": results,
    }
    run.write(document)
    return document


if __name__ == "__main__":
    main()
