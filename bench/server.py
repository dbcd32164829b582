"""The one way tests, benchmarks and the soak run the service: a real gunicorn process on a free loopback port.

``gunicorn -c gunicorn.conf.py service.wsgi:app``, exactly as deployed, with environment overrides; waiting
polls HTTP until a condition holds, failing at once (with the server's log) if gunicorn exits, so a broken
server is reported as such instead of as a timeout. Stopping is SIGTERM, then SIGKILL if it hangs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from service.config import PROJECT_ROOT

# A stopped server gets this long to finish requests in flight before it is killed (gunicorn's own graceful
# timeout is 30 s by default).
STOP_TIMEOUT_S = 60
LOG_TAIL_CHARS = 3000


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def poll_until(condition: Callable[[], Any], timeout: float, interval: float = 0.3, what: str = "condition") -> None:
    """Call ``condition`` every ``interval`` seconds until it returns something true; TimeoutError after
    ``timeout`` seconds. Exceptions from ``condition`` propagate, so it can fail the wait early."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not met after {timeout} s")
        time.sleep(interval)


class GunicornServer:
    """A started gunicorn process serving the app on ``url``; its output goes to ``log_path``.

    ``env`` overrides the current environment (NER_MODEL, WEB_CONCURRENCY, ...). Without ``log_path`` the
    log is a temporary file, removed by ``stop``.
    """

    def __init__(self, env: Mapping[str, str] | None = None, log_path: Path | None = None) -> None:
        self.env = dict(env or {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._owns_log = log_path is None
        if log_path is None:
            handle, name = tempfile.mkstemp(prefix="gunicorn-", suffix=".log")
            os.close(handle)
            log_path = Path(name)
        self.log_path = log_path
        self._log = log_path.open("w")
        full_env = {**os.environ, **self.env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        # A multiprocess metrics directory inherited from a caller's server would mix two servers' metrics.
        full_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"],
            cwd=PROJECT_ROOT,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_tail(self) -> str:
        return self.log_text()[-LOG_TAIL_CHARS:]

    def wait_until(
        self, check: Callable[[httpx.Client], bool], what: str, timeout: float = 300, interval: float = 0.05
    ) -> float:
        """Seconds from process start until ``check(client)`` held; a connection error counts as not yet."""

        def satisfied() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode} ({what}):\n{self.log_tail()}")
            try:
                return check(client)
            except httpx.TransportError:
                return False

        with httpx.Client(base_url=self.url, timeout=5) as client:
            try:
                poll_until(satisfied, timeout, interval, what)
            except TimeoutError as error:
                raise TimeoutError(f"{error}\n{self.log_tail()}") from None
        return time.monotonic() - self.started

    def wait(self, path: str = "/readyz", timeout: float = 300, interval: float = 0.05) -> float:
        """Seconds from process start until ``GET path`` answered 200."""
        return self.wait_until(lambda client: client.get(path).status_code == 200, f"GET {path} 200", timeout, interval)

    def readiness(self, timeout: float = 5) -> dict[str, Any]:
        """The body of ``/readyz`` (status and detail), or {} while nothing answers within ``timeout`` seconds."""
        try:
            return httpx.get(f"{self.url}/readyz", timeout=timeout).json()
        except httpx.TransportError:
            return {}

    def worker_pids(self) -> list[int]:
        """The gunicorn master's child processes (its workers), from /proc."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return sorted(int(pid) for pid in children)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> int:
        """SIGTERM (SIGKILL after ``timeout`` seconds) and the exit status; a server that already exited is
        only collected."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self._log.closed:
            self._log.close()
            if self._owns_log:
                self.log_path.unlink(missing_ok=True)
        return self.process.returncode


@contextmanager
def running_server(
    env: Mapping[str, str] | None = None, log_path: Path | None = None, timeout: float = 300
) -> Iterator[GunicornServer]:
    """A server whose ``/readyz`` answered 200 (its models are loaded); stopped on exit."""
    server = GunicornServer(env, log_path)
    try:
        server.wait(timeout=timeout)
        yield server
    finally:
        server.stop()
