"""Prometheus metrics. Under gunicorn every worker writes to PROMETHEUS_MULTIPROC_DIR (set by
gunicorn.conf.py) and ``/metrics`` sums them, so a scrape sees the whole container, not one worker."""

from __future__ import annotations

import os

from flask import Flask, Response, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from service import requests

REQUESTS = Counter("http_requests_total", "HTTP requests answered", ["method", "endpoint", "status"])
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time from request to response",
    ["endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
DOCUMENTS = Counter("documents_analyzed_total", "Documents analysed (single and batch)")
CHARACTERS = Counter("characters_analyzed_total", "Characters of text analysed")
# Summed over the live workers ("livesum"): what a scrape, or a test stopping the server under load, needs to
# know is how many analysis requests are inside the container right now (running or waiting for a slot).
ANALYSES_IN_PROGRESS = Gauge(
    "analysis_requests_in_progress", "Analysis requests admitted and not yet answered", multiprocess_mode="livesum"
)


def init_app(app: Flask) -> None:
    """Count and time every answered request, refusals included."""
    app.after_request(observe_request)


def observe_request(response: Response) -> Response:
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(requests.elapsed())
    return response


def exposition() -> tuple[bytes, str]:
    """The metrics text and its content type, merged across workers when running under gunicorn."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
