"""Overload and slow requests against real gunicorn workers: fast 503s instead of a pile-up, 504 past the
deadline, and the worker keeps serving afterwards."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psutil
import pytest

from tests.robustness.conftest import running_server

PROBLEM = "application/problem+json"


def timed_post(url: str, body: dict) -> tuple[httpx.Response, float]:
    """POST and note when the answer arrived (monotonic clock)."""
    response = httpx.post(url, json=body, timeout=300)
    return response, time.monotonic()


@pytest.fixture(scope="module")
def small_server(tiny_tagger_path, tmp_path_factory):
    """One analysis at a time and one waiting: the smallest admission window."""
    log = tmp_path_factory.mktemp("overload") / "server.log"
    with running_server(tiny_tagger_path, log, MAX_INFLIGHT="1", MAX_QUEUE="1", REQUEST_TIMEOUT="600") as server:
        yield server


def test_a_burst_beyond_the_queue_gets_503_with_retry_after_before_any_analysis_ends(small_server, article_text):
    url = f"{small_server.url}/v1/analyze"
    with ThreadPoolExecutor(6) as clients:
        calls = [clients.submit(timed_post, url, {"text": article_text}) for _ in range(6)]
        health = httpx.get(f"{small_server.url}/healthz", timeout=30)
        answers = [call.result() for call in calls]

    assert health.status_code == 200, "probes are answered while every analysis slot is busy"
    statuses = sorted(response.status_code for response, _ in answers)
    assert set(statuses) == {200, 503}, statuses
    assert statuses.count(200) >= 2, "the running request and the queued one are both served"
    first_analysis_done = min(at for response, at in answers if response.status_code == 200)
    for response, answered_at in answers:
        if response.status_code == 503:
            assert response.headers["Content-Type"].startswith(PROBLEM)
            assert int(response.headers["Retry-After"]) > 0
            assert response.json()["detail"].startswith("Busy:")
            assert answered_at < first_analysis_done, "refused at once, not after waiting for a slot"


def test_a_request_past_request_timeout_gets_504_and_the_worker_keeps_serving(
    tiny_tagger_path, tmp_path_factory, article_text
):
    log = tmp_path_factory.mktemp("timeout") / "server.log"
    with running_server(tiny_tagger_path, log, REQUEST_TIMEOUT="0.5", MAX_INFLIGHT="1") as server:
        workers_before = {child.pid for child in psutil.Process(server.process.pid).children()}
        slow = httpx.post(f"{server.url}/v1/analyze", json={"text": article_text * 2}, timeout=300)
        assert slow.status_code == 504
        assert slow.headers["Content-Type"].startswith(PROBLEM)
        assert "REQUEST_TIMEOUT" in slow.json()["detail"]
        assert httpx.get(f"{server.url}/readyz", timeout=30).status_code == 200

        # The abandoned analysis finishes in the background, holding the only slot until then (503 or 504
        # meanwhile); then short requests are served again by the same worker.
        statuses = []
        for _ in range(600):
            quick = httpx.post(f"{server.url}/v1/analyze", json={"text": "Rutte sprak."}, timeout=300)
            statuses.append(quick.status_code)
            if quick.status_code == 200:
                break
            time.sleep(int(quick.headers.get("Retry-After", "1")))
        assert statuses[-1] == 200, statuses
        assert set(statuses) <= {200, 503, 504}
        assert {child.pid for child in psutil.Process(server.process.pid).children()} == workers_before
