"""Soak test: many concurrent clients for minutes against a real gunicorn server; no errors, stable memory.

Run with ``make soak`` or ``python -m bench.soak`` (not part of ``make test``). It starts its own server on a
free loopback port with the configured models (``NER_MODEL`` / ``STANCE_MODEL``, default: the shipped ones),
sends the dpgMedia 2019 articles from ``--clients`` threads for ``--duration`` seconds (after a round of the
longest ones, so that the allocator's high-water mark is reached first), samples the resident memory of the
gunicorn master and workers every few seconds, then stops the server and prints a JSON summary. The exit status
is 0 only if every request got a 200 and the workers' memory after warm-up stayed within ``--rss-growth``.

The server admits every client (``MAX_QUEUE`` = clients), so a 503 here means the service failed to keep up,
not that the client was politely refused.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

from bench.harness import read_articles
from bench.server import GunicornServer, running_server
from service.config import Settings

SAMPLE_EVERY_S = 5


def request_body(article: dict) -> dict:
    """The dataset's article as an API request (ids are numbers there, dates are bare dates)."""
    return {
        "id": str(article["id"]),
        "title": article["title"],
        "text": article["text"],
        "published_at": f"{article['published_at']}T00:00:00Z",
    }


class Soak:
    """Clients that loop over the articles until the deadline, and a sampler of the server's memory."""

    def __init__(self, server: GunicornServer, articles: list[dict], clients: int, duration: float) -> None:
        self.server = server
        self.articles = [request_body(a) for a in articles if a["text"].strip()]
        self.clients = clients
        self.duration = duration
        self.statuses: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.rss_samples: list[tuple[float, int, int]] = []  # (seconds since start, master, workers)
        self._lock = threading.Lock()
        self._started = self.deadline = 0.0  # set when the timed run starts

    def warm_up(self, articles: int) -> None:
        """Send the longest articles first, from every client at once (not counted).

        The allocator keeps the high-water mark of the largest inputs seen; a soak that meets its longest
        articles late would report that step as growth. After this round, growth means a leak.
        """
        longest = sorted(self.articles, key=lambda body: len(body["text"]), reverse=True)[:articles]

        def send(bodies: list[dict]) -> None:
            with httpx.Client(base_url=self.server.url, timeout=300) as http:
                for body in bodies:
                    http.post("/v1/analyze", json=body)

        threads = [threading.Thread(target=send, args=(longest[i :: self.clients],)) for i in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def run(self) -> None:
        self._started = time.monotonic()
        self.deadline = self._started + self.duration
        threads = [threading.Thread(target=self._client, args=(i,)) for i in range(self.clients)]
        sampler = threading.Thread(target=self._sample_memory)
        for thread in [*threads, sampler]:
            thread.start()
        for thread in [*threads, sampler]:
            thread.join()

    def _client(self, index: int) -> None:
        with httpx.Client(base_url=self.server.url, timeout=300) as http:
            position = index * 37
            while time.monotonic() < self.deadline:
                body = self.articles[position % len(self.articles)]
                position += 1
                started = time.monotonic()
                try:
                    status = str(http.post("/v1/analyze", json=body).status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                with self._lock:
                    self.statuses[status] += 1
                    if status == "200":
                        self.latencies.append(time.monotonic() - started)

    def _sample_memory(self) -> None:
        master = psutil.Process(self.server.process.pid)
        while time.monotonic() < self.deadline:
            workers = sum(child.memory_info().rss for child in master.children())
            self.rss_samples.append((time.monotonic() - self._started, master.memory_info().rss, workers))
            time.sleep(SAMPLE_EVERY_S)

    def summary(self, warmup: float, rss_growth: float) -> dict:
        """Counts, latencies and memory; ``ok`` says whether the soak passed."""
        after_warmup = [workers for at, _, workers in self.rss_samples if at >= warmup]
        window = max(1, len(after_warmup) // 4)
        early = statistics.median(after_warmup[:window]) if after_warmup else 0
        late = statistics.median(after_warmup[-window:]) if after_warmup else 0
        growth = (late - early) / early if early else 0.0
        latencies = sorted(self.latencies)
        errors = sum(count for status, count in self.statuses.items() if status != "200")
        return {
            "ok": errors == 0 and bool(latencies) and growth <= rss_growth,
            "requests": sum(self.statuses.values()),
            "statuses": dict(self.statuses),
            "errors": errors,
            "latency_s": {
                "p50": round(latencies[len(latencies) // 2], 3) if latencies else None,
                "p95": round(latencies[int(len(latencies) * 0.95)], 3) if latencies else None,
                "max": round(latencies[-1], 3) if latencies else None,
            },
            "worker_rss_mb": {
                "after_warmup_first_quarter_median": round(early / 2**20, 1),
                "last_quarter_median": round(late / 2**20, 1),
                "max": round(max((w for _, _, w in self.rss_samples), default=0) / 2**20, 1),
                "growth": round(growth, 4),
                "allowed_growth": rss_growth,
            },
            "worker_rss_mb_per_30s": [round(w / 2**20) for at, _, w in self.rss_samples if at % 30 < SAMPLE_EVERY_S],
            "master_rss_mb_max": round(max((m for _, m, _ in self.rss_samples), default=0) / 2**20, 1),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=300, help="seconds of load")
    parser.add_argument("--warmup-articles", type=int, default=60, help="longest articles sent before timing")
    parser.add_argument("--warmup", type=float, default=30, help="seconds before memory counts as settled")
    parser.add_argument("--rss-growth", type=float, default=0.10, help="largest allowed worker RSS growth")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers (WEB_CONCURRENCY)")
    args = parser.parse_args()

    defaults = Settings.from_env()
    env = {
        "NER_MODEL": defaults.ner_model,
        "STANCE_MODEL": defaults.stance_model,
        "WEB_CONCURRENCY": str(args.workers),
        "MAX_QUEUE": str(args.clients),
        "LOG_LEVEL": "WARNING",
    }
    log_path = Path(tempfile.mkdtemp(prefix="soak-")) / "server.log"
    with running_server(env, log_path) as server:
        soak = Soak(server, read_articles(), args.clients, args.duration)
        soak.warm_up(args.warmup_articles)
        soak.run()
        summary = soak.summary(args.warmup, args.rss_growth)
        exit_code = server.stop()
    summary.update(
        clients=args.clients,
        duration_s=args.duration,
        workers=args.workers,
        ner_model=env["NER_MODEL"],
        server_exit_code=exit_code,
        server_log=str(log_path),
        cpu_count=os.cpu_count(),
    )
    summary["ok"] = summary["ok"] and exit_code == 0
    print(json.dumps(summary, indent=2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
