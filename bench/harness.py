"""Shared pieces of the speed benchmarks: real articles, the gunicorn server (bench/server.py) with the benchmark
settings, the load generator, results.

Every result file carries the machine it ran on and how busy that machine was with *other* work during the
run (load average, and the CPU share not used by the benchmark's own processes), because a number measured
next to a training job is not a number to size a deployment from.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import platform
import random
import runpy
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bench.server import GunicornServer
from service.config import PROJECT_ROOT, Settings

ARTICLES = PROJECT_ROOT.parent / "shared" / "data" / "dpgmedia2019" / "articles.jsonl"
# BENCH_RESULTS sends trial runs elsewhere, so that bench/results/ only ever holds a full `make bench` run.
RESULTS = Path(os.environ.get("BENCH_RESULTS") or PROJECT_ROOT / "bench" / "results")
# The "default" configuration is whatever gunicorn.conf.py and service/config.py choose when nothing is set;
# only the log level is pinned, because readiness of every worker is read from its "models loaded" line.
SERVER_ENV = {"LOG_LEVEL": "INFO"}
# Another process using more than this share of the machine's CPUs makes the figures unrepresentative.
CONTENTION_LIMIT = 0.10
# The line each worker logs once its models are loaded (service/state.py, at the default LOG_LEVEL INFO).
MODELS_LOADED = "models loaded"


def read_articles(limit: int | None = None, path: Path = ARTICLES) -> list[dict[str, Any]]:
    """The dataset's articles (id, title, text, published_at), the first ``limit`` in file order."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in itertools.islice(lines, limit)]


def load_articles(limit: int | None = None, seed: int = 2019, path: Path = ARTICLES) -> list[str]:
    """Non-empty article texts in a fixed shuffled order, so that the first ``limit`` are a fair sample."""
    texts = [text for article in read_articles(path=path) if (text := article.get("text") or "").strip()]
    random.Random(seed).shuffle(texts)
    return texts[:limit] if limit else texts


A = TypeVar("A")
B = TypeVar("B")


def side_by_side(round_number: int, first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """Run both sides of one round of an A/B measurement, ``first`` first in even rounds and last in odd ones,
    so that a change in background load hits both sides alike; the results come back as ``(first, second)``."""
    if round_number % 2 == 0:
        a = first()
        return a, second()
    b = second()
    return first(), b


def write_report(report: dict[str, Any], path: Path) -> None:
    """Write an accuracy bench's report as indented JSON to ``path`` (its folder made if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


def clip(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` at a sentence end (else a space); 0 leaves it whole."""
    if not max_chars or len(text) <= max_chars:
        return text
    head = text[:max_chars]
    cut = max(head.rfind(". "), head.rfind("\n"))
    return head[: cut + 1] if cut > 0 else head.rsplit(" ", 1)[0]


def summarise_latencies(latencies: list[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max in milliseconds (nearest-rank percentiles: every value was really observed)."""
    ordered = sorted(latencies)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {
        "p50_ms": round(rank(50) * 1000, 1),
        "p95_ms": round(rank(95) * 1000, 1),
        "p99_ms": round(rank(99) * 1000, 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


# --- the machine and how busy it was ---------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _busy_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values[:8]) - idle, sum(values[:8])


def _own_cpu_seconds() -> float:
    """CPU seconds of this process and every child it has waited for (servers, load generators)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def machine() -> dict[str, Any]:
    import flair
    import torch

    return {
        "hostname": platform.node(),
        "cpu": _cpu_model(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "memory_gib": _memory_gib(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "flair": flair.__version__,
    }


def models() -> dict[str, str]:
    """The models the servers load (NER_MODEL / STANCE_MODEL as the environment sets them), with versions."""
    from service.models.ner import file_version

    settings = Settings.from_env()
    return {
        "ner": settings.ner_model,
        "ner_version": file_version(settings.ner_model),
        "stance": settings.stance_model,
    }


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if out.returncode == 0 else None


@dataclass
class Run:
    """One benchmark run: its name, the machine, and the background CPU use measured around it."""

    name: str
    started: float = field(default_factory=time.time)
    _wall: float = field(default_factory=time.monotonic)
    _jiffies: tuple[int, int] = field(default_factory=_busy_jiffies)
    _own: float = field(default_factory=_own_cpu_seconds)
    _load_before: tuple[float, float, float] = field(default_factory=os.getloadavg)

    def contention(self) -> dict[str, Any]:
        """How much CPU other processes took during the run, as a share of all the machine's CPUs."""
        busy, total = _busy_jiffies()
        busy_share = (busy - self._jiffies[0]) / max(1, total - self._jiffies[1])
        cpus = os.cpu_count() or 1
        wall = time.monotonic() - self._wall
        own_share = (_own_cpu_seconds() - self._own) / max(1e-9, wall * cpus)
        other = max(0.0, busy_share - own_share)
        return {
            "loadavg_before": [round(v, 2) for v in self._load_before],
            "loadavg_after": [round(v, 2) for v in os.getloadavg()],
            "machine_busy_share": round(busy_share, 3),
            "benchmark_cpu_share": round(own_share, 3),
            "other_processes_cpu_share": round(other, 3),
            "contaminated": other > CONTENTION_LIMIT,
            "note": os.environ.get("BENCH_NOTE", ""),
        }

    def write(self, results: dict[str, Any], directory: Path = RESULTS) -> Path:
        """Write ``<name>.json`` with the results, the machine, the models, and the contention record."""
        directory.mkdir(parents=True, exist_ok=True)
        document = {
            "benchmark": self.name,
            "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "duration_s": round(time.monotonic() - self._wall, 1),
            "command": " ".join([Path(sys.executable).name, "-m", f"bench.{self.name}", *sys.argv[1:]]),
            "git": _git_commit(),
            "machine": machine(),
            "models": models(),
            "contention": self.contention(),
            **results,
        }
        path = directory / f"{self.name}.json"
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
        return path


# --- a real gunicorn server ---------------------------------------------------------------------------------


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


class Server(GunicornServer):
    """The launcher's gunicorn server with the benchmark environment (``SERVER_ENV`` under ``env``)."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        # SIGTERM becomes SystemExit, so the caller's ``finally: server.stop()`` runs: no orphaned servers.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        merged = {**SERVER_ENV, **(env or {})}
        self.layout = server_layout(merged)
        super().__init__(merged)

    def wait_all_workers_ready(self, workers: int, timeout: float = 300) -> float:
        """Seconds from process start until every worker has loaded its models.

        Each worker loads its own models after the fork and logs one "models loaded" line (service/state.py);
        /readyz alone cannot tell which worker answered, so the log lines are counted as well.
        """
        self.wait("/readyz", timeout)
        remaining = max(0.0, self.started + timeout - time.monotonic())
        self.wait_until(
            lambda _: self.log_text().count(MODELS_LOADED) >= workers, f"{workers} workers loaded", remaining
        )
        return time.monotonic() - self.started

    def worker_rss_mib(self) -> dict[int, float]:
        """Resident memory of each worker process in MiB (VmRSS)."""
        return {pid: rss for pid in self.worker_pids() if (rss := rss_mib(pid)) is not None}


def server_layout(overrides: dict[str, str]) -> dict[str, int]:
    """Workers and threads per worker that gunicorn.conf.py gives under ``overrides`` (read from the file
    itself, so the benchmark reports the real defaults, not a copy of them)."""
    saved = dict(os.environ)
    os.environ.update(overrides)
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.gettempdir())  # skip the file's mkdtemp
    try:
        conf = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    settings = Settings.from_env({**os.environ, **overrides})
    return {
        "workers": int(conf["workers"]),
        "threads": int(conf["threads"]),
        "torch_threads": settings.torch_threads,
        "ner_batch_size": settings.ner_batch_size,
    }


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


@contextmanager
def running_server(env: dict[str, str] | None = None) -> Iterator[Server]:
    """A started server whose workers have all loaded their models; stopped on exit."""
    server = Server(env)
    try:
        server.wait_all_workers_ready(server.layout["workers"])
        yield server
    finally:
        server.stop()


# --- the load generator, in its own process ---------------------------------------------------------------


def run_load(
    url: str,
    bodies: list[bytes],
    concurrency: int,
    max_requests: int,
    max_seconds: float,
) -> dict[str, Any]:
    """Send ``bodies`` (cycled) to ``url`` from ``bench.loadgen`` in a separate process; its JSON report."""
    with tempfile.NamedTemporaryFile("wb", prefix="bench-bodies-", suffix=".jsonl", delete=False) as handle:
        for body in bodies:
            handle.write(body.replace(b"\n", b" ") + b"\n")
    try:
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.loadgen",
                "--url",
                url,
                "--bodies",
                handle.name,
                "--concurrency",
                str(concurrency),
                "--max-requests",
                str(max_requests),
                "--max-seconds",
                str(max_seconds),
            ],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(handle.name).unlink(missing_ok=True)
    return json.loads(completed.stdout)


def analyze_body(text: str, index: int = 0) -> bytes:
    return json.dumps({"id": f"article-{index}", "text": text}, ensure_ascii=False).encode("utf-8")
