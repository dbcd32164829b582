"""What every request goes through before an endpoint: its id, its clock, and checks on its shape.

- The request id: a gateway's ``X-Request-ID`` is adopted when it is usable (at most 128 characters of
  ``A-Z a-z 0-9 . _ : -``), so logs on both sides line up; anything else (too long, odd characters that could
  forge log lines or headers) is replaced by a generated id, never echoed. Every answer carries the id.
- Header limits: gunicorn's own limits are set generously (gunicorn.conf.py), so that an oversized header
  reaches the app and is refused here with a 431 problem+json answer instead of gunicorn's HTML page.
- JSON bodies: a POST that routing accepted must say ``Content-Type: application/json`` (415 otherwise).
"""

from __future__ import annotations

import re
import time
import uuid

from flask import Flask, Response, g, request
from werkzeug.exceptions import RequestHeaderFieldsTooLarge, UnsupportedMediaType

REQUEST_ID_HEADER = "X-Request-ID"
_USABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# The limits gunicorn applies by default, enforced here instead so that the answer is problem+json.
MAX_HEADER_FIELDS = 100
MAX_HEADER_FIELD_BYTES = 8190


def init_app(app: Flask) -> None:
    """Give every request an id and a start time (before any other hook) and every answer the id."""
    app.before_request(start_request)
    app.after_request(tag_response)


def usable_request_id(incoming: str) -> str:
    """``incoming`` when it is a safe id, else a freshly generated one."""
    return incoming if _USABLE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def start_request() -> None:
    """Adopt or make the request id and start the clock first, so that even a refusal carries both; then
    refuse oversized headers."""
    g.request_id = usable_request_id(request.headers.get(REQUEST_ID_HEADER, ""))
    g.started = time.perf_counter()
    refuse_oversized_headers()


def elapsed() -> float:
    """Seconds since this request started (what the access log and the latency metric report)."""
    now = time.perf_counter()
    return now - g.get("started", now)


def refuse_oversized_headers() -> None:
    """431 for more than MAX_HEADER_FIELDS header fields or a field line longer than MAX_HEADER_FIELD_BYTES."""
    if len(request.headers) > MAX_HEADER_FIELDS:
        raise RequestHeaderFieldsTooLarge(f"The request has more than {MAX_HEADER_FIELDS} header fields.")
    for name, value in request.headers.items():
        if len(name) + len(": ") + len(value) > MAX_HEADER_FIELD_BYTES:
            raise RequestHeaderFieldsTooLarge(f"Header {name[:64]} is longer than {MAX_HEADER_FIELD_BYTES} bytes.")


def require_json_body() -> None:
    """415 for a POST without a JSON body. A request that routing already refused (404, 405) gets that
    answer, not a complaint about its body."""
    if request.method == "POST" and request.routing_exception is None and not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.")


def tag_response(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    return response
