"""Scaling with input size: latency of one request vs article length, from 1k to 100k characters.

Texts of each length are real articles joined end to end and cut at a sentence end. Each length is sent a few
times, one request at a time, to the default server; the script fits latency = a + b x length by least squares
and reports R^2 and the time per 1,000 characters at each length (flat when growth is linear).
``REQUEST_TIMEOUT`` is raised for this server only, so the longest texts finish instead of answering 504.

    python -m bench.scaling [--lengths 1000 2000 5000 10000 20000 50000 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import httpx
import numpy as np

from bench.harness import Run, analyze_body, clip, load_articles, running_server

LENGTHS = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]


def text_of_length(articles: list[str], length: int) -> str:
    """Whole articles, in order, joined by blank lines until ``length`` is reached, then cut there."""
    parts, total = [], 0
    for article in articles:
        parts.append(article)
        total += len(article) + 2
        if total >= length:
            break
    return clip("\n\n".join(parts), length)


def linear_fit(lengths: list[int], latencies: list[float]) -> dict[str, float]:
    slope, intercept = np.polyfit(lengths, latencies, 1)
    predicted = np.polyval([slope, intercept], lengths)
    residual = float(np.sum((np.asarray(latencies) - predicted) ** 2))
    spread = float(np.sum((np.asarray(latencies) - np.mean(latencies)) ** 2))
    return {
        "ms_per_1k_chars": round(slope * 1000 * 1000, 2),
        "intercept_ms": round(intercept * 1000, 1),
        "r_squared": round(1 - residual / spread, 4) if spread else 1.0,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lengths", nargs="+", type=int, default=LENGTHS)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    run = Run("scaling")
    articles = load_articles()
    texts = {length: text_of_length(articles, length) for length in args.lengths}
    points = []
    with (
        running_server({"REQUEST_TIMEOUT": "600"}) as server,
        httpx.Client(base_url=server.url, timeout=600, headers={"Content-Type": "application/json"}) as client,
    ):
        client.post("/v1/analyze", content=analyze_body(texts[min(texts)])).raise_for_status()  # warm-up
        for text in texts.values():
            body = analyze_body(text)
            times = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                response = client.post("/v1/analyze", content=body)
                times.append(time.perf_counter() - started)
                response.raise_for_status()
            median = statistics.median(times)
            points.append(
                {
                    "chars": len(text),
                    "median_ms": round(median * 1000, 1),
                    "all_ms": [round(t * 1000, 1) for t in times],
                    "ms_per_1k_chars": round(median * 1000 / (len(text) / 1000), 2),
                    "entities": len(response.json()["entities"]),
                }
            )
            print(f"{len(text):>7} chars: {median * 1000:8.1f} ms ({points[-1]['ms_per_1k_chars']} ms per 1k chars)")

    fit = linear_fit([p["chars"] for p in points], [p["median_ms"] / 1000 for p in points])
    document = {"server_env": server.env, "server_layout": server.layout, "repeats": args.repeats, "points": points}
    document["linear_fit"] = fit
    print(f"fit: {fit['ms_per_1k_chars']} ms per 1k chars + {fit['intercept_ms']} ms, R^2 {fit['r_squared']}")
    run.write(document)
    return document


if __name__ == "__main__":
    main()
