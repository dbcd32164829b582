"""Overload and slow requests: fast 503s from a real gunicorn worker instead of a pile-up, 504 past the
deadline, and the app keeps serving afterwards."""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import httpx
import pytest

from bench.server import poll_until
from service import create_app
from service.api.analyze import RETRY_AFTER_SECONDS
from service.config import Settings
from tests.helpers import REFERENCE_CHARS, SHORT_TEXT, tiny_model_server

PROBLEM = "application/problem+json"


def timed_post(url: str, body: dict, timeout: float) -> tuple[httpx.Response, float]:
    """POST and note when the answer arrived (monotonic clock)."""
    response = httpx.post(url, json=body, timeout=timeout)
    return response, time.monotonic()


@pytest.fixture(scope="module")
def small_server(tiny_tagger_path, tmp_path_factory, pace, article_text):
    """One analysis at a time and one waiting: the smallest admission window. The request deadline comes from
    the machine and covers the queued request (two analyses one after another): no test here is about it."""
    log = tmp_path_factory.mktemp("overload") / "server.log"
    deadline = str(pace.text(len(article_text), analyses=2))
    with tiny_model_server(
        tiny_tagger_path, log, pace, MAX_INFLIGHT="1", MAX_QUEUE="1", REQUEST_TIMEOUT=deadline
    ) as server:
        yield server


@pytest.mark.server
def test_a_burst_beyond_the_queue_gets_503_with_retry_after_before_any_analysis_ends(small_server, article_text, pace):
    url = f"{small_server.url}/v1/analyze"
    post = partial(timed_post, url, timeout=pace.text(len(article_text), analyses=2))
    with ThreadPoolExecutor(6) as clients:
        calls = [clients.submit(post, {"text": article_text}) for _ in range(6)]
        health = httpx.get(f"{small_server.url}/healthz", timeout=pace.request())
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
def test_a_request_past_request_timeout_gets_504_and_the_app_keeps_serving(tiny_pipeline, article_text, pace):
    """In-process (the same app a gunicorn worker runs): the request thread answers 504 at the deadline while
    the analysis finishes in the background holding the only slot; then requests are served again.

    The deadline must lie between a short request (served in time) and the slow one (100,000 characters, past
    it), on a fast machine as on a busy one: it comes from the machine, halfway between the two durations on a
    log scale (at the measured pace, the slow text about 20 reference analyses), so each is a wide margin."""
    slow_text = article_text * 2
    slow_s = pace.reference_s * len(slow_text) / REFERENCE_CHARS
    deadline = math.sqrt(pace.short_s * slow_s)
    client = create_app(Settings(request_timeout=deadline, max_inflight=1, max_queue=0), tiny_pipeline).test_client()
    slow = client.post("/v1/analyze", json={"text": slow_text})
    assert slow.status_code == 504
    assert slow.mimetype == PROBLEM
    assert "REQUEST_TIMEOUT" in slow.get_json()["detail"]
    assert client.get("/readyz").status_code == 200

    statuses = []

    def served() -> bool:
        quick = client.post("/v1/analyze", json={"text": SHORT_TEXT})
        statuses.append(quick.status_code)
        return quick.status_code == 200

    # the slow analysis still holds the only slot: retry as a client would (Retry-After) until it is done
    background = pace.text(len(slow_text))
    poll_until(served, timeout=background, interval=RETRY_AFTER_SECONDS, what="a short request served again")
    assert set(statuses) <= {200, 503}, "only the busy slot delays it"
