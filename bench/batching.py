"""Batching: one ``/v1/analyze/batch`` with 64 articles vs the same 64 articles as single requests.

Both go one request at a time to the default server (the singles back to back on one keep-alive connection),
so the difference is what batching itself saves: one model pass over all sentences instead of 64, and one
HTTP exchange instead of 64. Rounds alternate which side goes first. The speed-up is the ratio of the median
round times. ``REQUEST_TIMEOUT`` is raised for this server so that a slow machine still measures the batch
(instead of a 504); the result says whether the batch would have fitted the default timeout.

    python -m bench.batching [--documents 64] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import httpx

from bench.harness import Run, analyze_body, load_articles, running_server, side_by_side
from service.config import Settings

GOAL = 2.0


def time_singles(client: httpx.Client, bodies: list[bytes]) -> float:
    started = time.perf_counter()
    for body in bodies:
        client.post("/v1/analyze", content=body).raise_for_status()
    return time.perf_counter() - started


def time_batch(client: httpx.Client, body: bytes, documents: int) -> float:
    started = time.perf_counter()
    response = client.post("/v1/analyze/batch", content=body)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    if len(response.json()["results"]) != documents:
        raise RuntimeError("the batch answered a different number of results than it was sent")
    return elapsed


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)

    run = Run("batching")
    texts = load_articles(args.documents)
    singles = [analyze_body(text, i) for i, text in enumerate(texts)]
    batch = json.dumps({"documents": [{"id": f"article-{i}", "text": t} for i, t in enumerate(texts)]}).encode()
    with (
        running_server({"REQUEST_TIMEOUT": "600"}) as server,
        httpx.Client(base_url=server.url, timeout=600, headers={"Content-Type": "application/json"}) as client,
    ):
        time_singles(client, singles[:4])  # warm-up
        single_rounds, batch_rounds = [], []
        for round_number in range(args.rounds):
            single_s, batch_s = side_by_side(
                round_number, lambda: time_singles(client, singles), lambda: time_batch(client, batch, len(texts))
            )
            single_rounds.append(single_s)
            batch_rounds.append(batch_s)

    speedup = statistics.median(single_rounds) / statistics.median(batch_rounds)
    document = {
        "documents": len(texts),
        "characters": sum(len(t) for t in texts),
        "server_env": server.env,
        "server_layout": server.layout,
        "single_requests_s": [round(t, 3) for t in single_rounds],
        "batch_request_s": [round(t, 3) for t in batch_rounds],
        "singles_articles_per_s": round(len(texts) / statistics.median(single_rounds), 2),
        "batch_articles_per_s": round(len(texts) / statistics.median(batch_rounds), 2),
        "speedup": round(speedup, 3),
        "batch_within_default_request_timeout": max(batch_rounds) < Settings().request_timeout,
        "goal": f"speedup >= {GOAL}",
        "goal_met": speedup >= GOAL,
    }
    print(
        f"{len(texts)} singles {statistics.median(single_rounds):.2f} s, one batch "
        f"{statistics.median(batch_rounds):.2f} s: speed-up {speedup:.2f}x"
    )
    run.write(document)
    return document


if __name__ == "__main__":
    main()
