"""Closed-loop HTTP load generator: ``--concurrency`` clients, each sending its next request when the last
one is answered, until ``--max-requests`` have been sent or ``--max-seconds`` have passed.

Runs in its own process (started by ``bench.harness.run_load``) so that the client's work does not share a
Python interpreter with the code that starts and watches the server. Each client thread keeps one
keep-alive connection, as a real caller would. Request bodies are prepared JSON lines, read before the
clock starts; responses are read in full but not parsed.

    python -m bench.loadgen --url http://127.0.0.1:8000/v1/analyze --bodies bodies.jsonl \
        --concurrency 4 --max-requests 200 --max-seconds 20
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path

import httpx


class LoadGenerator:
    def __init__(self, url: str, bodies: list[bytes], max_requests: int, max_seconds: float) -> None:
        self.url = url
        self.bodies = bodies
        self.max_requests = max_requests
        self.max_seconds = max_seconds
        self._next = 0
        self._lock = threading.Lock()
        self.records: list[tuple[int, float, float, int]] = []  # (body index, start offset, latency, status)
        self.started = 0.0

    def _claim(self) -> int | None:
        """The next request number, or None once the count or time budget is spent."""
        with self._lock:
            if self._next >= self.max_requests or time.perf_counter() - self.started > self.max_seconds:
                return None
            self._next += 1
            return self._next - 1

    def _client_loop(self) -> None:
        headers = {"Content-Type": "application/json"}
        with httpx.Client(timeout=600, headers=headers) as client:
            while (number := self._claim()) is not None:
                body_index = number % len(self.bodies)
                sent = time.perf_counter()
                try:
                    status = client.post(self.url, content=self.bodies[body_index]).status_code
                except httpx.TransportError:
                    status = 0
                answered = time.perf_counter()
                with self._lock:
                    self.records.append((body_index, sent - self.started, answered - sent, status))

    def run(self, concurrency: int) -> dict:
        self.started = time.perf_counter()
        threads = [threading.Thread(target=self._client_loop, daemon=True) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - self.started
        statuses: dict[str, int] = {}
        for *_, status in self.records:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        ok = [r for r in self.records if r[3] == 200]
        return {
            "concurrency": concurrency,
            "requests": len(self.records),
            "ok": len(ok),
            "statuses": statuses,
            "wall_s": round(wall, 3),
            "requests_per_s": round(len(ok) / wall, 3) if wall else 0.0,
            "latencies_s": [round(r[2], 5) for r in ok],
            "body_indices": [r[0] for r in ok],
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--bodies", required=True, help="one JSON request body per line")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--max-requests", type=int, default=100)
    parser.add_argument("--max-seconds", type=float, default=30)
    args = parser.parse_args(argv)
    bodies = [line for line in Path(args.bodies).read_bytes().splitlines() if line.strip()]
    report = LoadGenerator(args.url, bodies, args.max_requests, args.max_seconds).run(args.concurrency)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
