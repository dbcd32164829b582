"""Per-worker admission control: a few analyses run, a few wait briefly, the rest are turned away at once.

A gateway in front waits for every request it forwards. If a worker accepted everything, a burst would pile up
inside it until the gateway timed out, and every caller would wait that long for nothing. Here at most
``max_inflight`` analyses run at a time; up to ``max_queue`` more wait for a slot; any further request is
refused immediately (the API answers 503 with ``Retry-After``) so that clients back off or go elsewhere.

Each analysis runs on one of ``max_inflight`` analysis threads while the request thread waits for it until
the request's deadline. Work that misses the deadline is not interrupted (torch cannot be stopped safely
mid-call): the caller gets an answer at once (504) and the work finishes in the background, still holding its
slot, so sustained overload turns into fast 503s instead of more stacked work.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

T = TypeVar("T")


class Overloaded(Exception):
    """Every slot is busy and the queue is full, or no slot freed up before the deadline."""


class DeadlineExceeded(Exception):
    """The analysis did not finish within the request timeout (it keeps running in the background)."""


class Admission:
    """Bounded concurrency for one worker process: ``max_inflight`` running, ``max_queue`` waiting."""

    def __init__(self, max_inflight: int, max_queue: int, timeout: float) -> None:
        self.max_inflight = max_inflight
        self.max_queue = max_queue
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(max_inflight)
        self._waiting = 0
        self._waiting_lock = threading.Lock()
        self._jobs: queue.SimpleQueue[tuple[Callable[[], object], Future]] = queue.SimpleQueue()
        for number in range(max_inflight):
            threading.Thread(target=self._serve_jobs, name=f"analysis-{number}", daemon=True).start()

    @property
    def waiting(self) -> int:
        """Requests waiting for a slot right now."""
        return self._waiting

    def run(self, work: Callable[[], T]) -> T:
        """Run ``work`` in a slot and return its result, or raise Overloaded / DeadlineExceeded."""
        deadline = time.monotonic() + self.timeout
        self._acquire_slot(deadline)
        future: Future = Future()
        self._jobs.put((work, future))  # one analysis thread per slot, so a free slot means a free thread
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            raise DeadlineExceeded(f"the analysis took longer than {self.timeout:g} s") from None

    def _serve_jobs(self) -> None:
        """The loop of one long-lived analysis thread.

        Daemon threads: a worker that shuts down waits for its requests, not for work whose caller already
        had its 504 (concurrent.futures' pool threads would hold the process until they finish). Long-lived
        rather than one per request: the models' large temporary buffers are then always allocated by the
        same few threads, which keeps the allocator's per-thread arenas few (see ``gunicorn.conf.py``).
        """
        while True:
            work, future = self._jobs.get()
            self._run_in_slot(work, future)

    def _run_in_slot(self, work: Callable[[], object], future: Future) -> None:
        """Run one job; the slot is free before the caller sees the outcome, so its next request finds it."""
        try:
            result = work()
        except BaseException as error:
            self._slots.release()
            future.set_exception(error)
        else:
            self._slots.release()
            future.set_result(result)

    def _acquire_slot(self, deadline: float) -> None:
        if self._slots.acquire(blocking=False):
            return
        with self._waiting_lock:
            if self._waiting >= self.max_queue:
                raise Overloaded(f"{self.max_inflight} analyses running and {self._waiting} waiting")
            self._waiting += 1
        try:
            acquired = self._slots.acquire(timeout=max(0.0, deadline - time.monotonic()))
        finally:
            with self._waiting_lock:
                self._waiting -= 1
        if not acquired:
            raise Overloaded(f"no analysis slot freed up within {self.timeout:g} s")
