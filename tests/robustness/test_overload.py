"""Overload and slow requests: fast 503s from a real gunicorn worker instead of a pile-up, 504 past the
deadline, and the app keeps serving afterwards."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from service import create_app
from service.api.analyze import RETRY_AFTER_SECONDS
from service.config import Settings
from tests.helpers import tiny_model_server

PROBLEM = "application/problem+json"


def timed_post(url: str, body: dict) -> tuple[httpx.Response, float]:
    """POST and note when the answer arrived (monotonic clock)."""
    response = httpx.post(url, json=body, timeout=300)
    return response, time.monotonic()


@pytest.fixture(scope="module")
def small_server(tiny_tagger_path, tmp_path_factory):
    """One analysis at a time and one waiting: the smallest admission window."""
    log = tmp_path_factory.mktemp("overload") / "server.log"
    with tiny_model_server(tiny_tagger_path, log, MAX_INFLIGHT="1", MAX_QUEUE="1", REQUEST_TIMEOUT="600") as server:
        yield server


@pytest.mark.server
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
            assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert response.json()["detail"].startswith("Busy:")
            assert answered_at < first_analysis_done, "refused at once, not after waiting for a slot"


@pytest.mark.slow
def test_a_request_past_request_timeout_gets_504_and_the_app_keeps_serving(tiny_pipeline, article_text):
    """In-process (the same app a gunicorn worker runs): the request thread answers 504 at the deadline while
    the analysis finishes in the background holding the only slot; then requests are served again."""
    client = create_app(Settings(request_timeout=0.5, max_inflight=1, max_queue=0), tiny_pipeline).test_client()
    slow = client.post("/v1/analyze", json={"text": article_text * 2})
    assert slow.status_code == 504
    assert slow.mimetype == PROBLEM
    assert "REQUEST_TIMEOUT" in slow.get_json()["detail"]
    assert client.get("/readyz").status_code == 200

    statuses = []
    for _ in range(600):
        quick = client.post("/v1/analyze", json={"text": "Rutte sprak."})
        statuses.append(quick.status_code)
        if quick.status_code == 200:
            break
        time.sleep(int(quick.headers.get("Retry-After", "1")))
    assert statuses[-1] == 200, statuses
    assert set(statuses) <= {200, 503}, "only the busy slot delays it"
