"""What the service costs over the bare model: in-process ``Pipeline.analyze`` vs the same article over HTTP.

One run, same articles, same settings (the server's default configuration; the in-process pipeline built by
``service.state.build_pipeline`` from the same Settings and torch threads). The two are interleaved article by
article, alternating which goes first, so a change in background load hits both sides alike. Concurrency 1:
one request at a time, so the ratio is the per-request cost of HTTP, validation, serialisation and logging.
Each round also times one ``GET /healthz`` (no body, no analysis): the floor of an HTTP exchange with the
server, which tells the fixed cost of the transport apart from what grows with the article (JSON in and out).

    python -m bench.overhead [--articles 60] [--max-seconds 90]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import httpx

from bench.harness import Run, analyze_body, load_articles, running_server, side_by_side, summarise_latencies
from service.config import Settings
from service.pipeline import Document
from service.state import build_pipeline

GOAL = 1.05


def time_in_process(pipeline, text: str, index: int) -> float:
    started = time.perf_counter()
    pipeline.analyze([Document(text=text, id=f"article-{index}")])
    return time.perf_counter() - started


def time_http(client: httpx.Client, body: bytes, response_sizes: list[int]) -> float:
    """Seconds for one analysis over HTTP; the answer's size goes to ``response_sizes``."""
    started = time.perf_counter()
    response = client.post("/v1/analyze", content=body)
    response.read()
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    response_sizes.append(len(response.content))
    return elapsed


def time_healthz(client: httpx.Client) -> float:
    """One round trip that does no work in the app: gunicorn, Flask routing, the hooks, a tiny JSON body."""
    started = time.perf_counter()
    client.get("/healthz").raise_for_status()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--max-seconds", type=float, default=90, help="stop measuring after this long")
    args = parser.parse_args(argv)

    run = Run("overhead")
    texts = load_articles(args.articles)
    bodies = [analyze_body(text, i) for i, text in enumerate(texts)]
    with running_server() as server:
        settings = Settings.from_env({**os.environ, **server.env})  # exactly what the server read
        pipeline = build_pipeline(settings)
        with httpx.Client(base_url=server.url, timeout=600, headers={"Content-Type": "application/json"}) as client:
            for text, body in zip(texts[-3:], bodies[-3:]):  # warm both sides (first calls allocate)
                time_in_process(pipeline, text, 0)
                time_http(client, body, [])
            in_process, over_http, healthz, response_sizes = [], [], [], []
            deadline = time.monotonic() + args.max_seconds
            for i, (text, body) in enumerate(zip(texts, bodies)):
                if time.monotonic() > deadline:
                    break
                healthz.append(time_healthz(client))
                local_s, http_s = side_by_side(
                    i,
                    lambda text=text, i=i: time_in_process(pipeline, text, i),
                    lambda body=body: time_http(client, body, response_sizes),
                )
                in_process.append(local_s)
                over_http.append(http_s)

    ratio = sum(over_http) / sum(in_process)
    per_article = [h / p for h, p in zip(over_http, in_process)]
    added_ms = [(h - p) * 1000 for h, p in zip(over_http, in_process)]
    document = {
        "articles": len(in_process),
        "concurrency": 1,
        "server_env": server.env,
        "server_layout": server.layout,
        "in_process": {"total_s": round(sum(in_process), 3), **summarise_latencies(in_process)},
        "http": {"total_s": round(sum(over_http), 3), **summarise_latencies(over_http)},
        "overhead_ratio": round(ratio, 4),
        "median_per_article_ratio": round(statistics.median(per_article), 4),
        "median_added_ms": round(statistics.median(added_ms), 2),
        "median_healthz_round_trip_ms": round(statistics.median(healthz) * 1000, 2),
        "mean_request_bytes": round(statistics.fmean(len(body) for body in bodies[: len(in_process)])),
        "mean_response_bytes": round(statistics.fmean(response_sizes)),
        "goal": f"ratio <= {GOAL}",
        "goal_met": ratio <= GOAL,
    }
    print(
        f"in-process {sum(in_process):.2f} s, HTTP {sum(over_http):.2f} s over {len(in_process)} articles: "
        f"ratio {ratio:.3f} (median +{document['median_added_ms']} ms per request)"
    )
    run.write(document)
    return document


if __name__ == "__main__":
    main()
