"""Admission control with real threads: what runs, what waits, what is refused, what times out."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from service.admission import Admission, DeadlineExceeded, Overloaded


def wait_until(condition, attempts: int = 500) -> None:
    """Poll a condition that another thread is about to make true."""
    ready = threading.Event()
    for _ in range(attempts):
        if condition():
            return
        ready.wait(0.01)
    raise AssertionError("condition never became true")


def test_beyond_running_and_waiting_a_request_is_refused_at_once():
    admission = Admission(max_inflight=1, max_queue=1, timeout=60)
    started, release = threading.Event(), threading.Event()

    def first() -> str:
        started.set()
        release.wait()
        return "first"

    with ThreadPoolExecutor(2) as clients:
        running = clients.submit(admission.run, first)
        started.wait()
        queued = clients.submit(admission.run, lambda: "second")
        wait_until(lambda: admission.waiting == 1)
        with pytest.raises(Overloaded, match="1 analyses running and 1 waiting"):
            admission.run(lambda: "third")
        release.set()
        assert (running.result(), queued.result()) == ("first", "second")
    assert admission.run(lambda: "after") == "after"


def test_work_past_the_deadline_answers_at_once_and_keeps_its_slot_until_done():
    admission = Admission(max_inflight=1, max_queue=0, timeout=0.2)
    release, finished = threading.Event(), threading.Event()

    def slow() -> str:
        release.wait()
        finished.set()
        return "late"

    with pytest.raises(DeadlineExceeded, match=r"longer than 0\.2 s"):
        admission.run(slow)
    assert not finished.is_set()
    with pytest.raises(Overloaded):
        admission.run(lambda: "while the slow one still runs")
    release.set()
    finished.wait()
    wait_until(lambda: _admits(admission))


def test_a_queued_request_gives_up_when_no_slot_frees_before_its_deadline():
    admission = Admission(max_inflight=1, max_queue=4, timeout=0.2)
    started, release = threading.Event(), threading.Event()

    def hold_the_slot() -> None:
        started.set()
        release.wait()

    with ThreadPoolExecutor(1) as clients:
        clients.submit(admission.run, hold_the_slot)
        started.wait()
        with pytest.raises(Overloaded, match=r"no analysis slot freed up within 0\.2 s"):
            admission.run(lambda: "never runs")
        release.set()


def test_an_error_in_the_work_reaches_the_caller_and_frees_the_slot():
    admission = Admission(max_inflight=1, max_queue=0, timeout=60)

    def broken() -> None:
        raise ValueError("model said no")

    with pytest.raises(ValueError, match="model said no"):
        admission.run(broken)
    assert admission.run(lambda: "next") == "next"


def _admits(admission: Admission) -> bool:
    """Whether a trivial request is admitted now (a refused probe leaves no trace)."""
    try:
        admission.run(lambda: None)
    except (Overloaded, DeadlineExceeded):
        return False
    return True
