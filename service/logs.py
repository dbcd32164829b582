"""JSON logs (one object per line) that carry the request id, for log shippers behind a gateway, and the
access log: one line per answered request (gunicorn's own access log is off, see gunicorn.conf.py)."""

from __future__ import annotations

import json
import logging
import time

from flask import Flask, Response, g, request

from service import requests

access_log = logging.getLogger("service.access")

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Every record as one JSON line; ``extra=`` fields become top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str) -> None:
    """Route the root logger to stderr as JSON (gunicorn's own error log goes there too)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def init_app(app: Flask) -> None:
    """Log every answered request, refusals included."""
    app.after_request(log_request)


def log_request(response: Response) -> Response:
    access_log.info(
        "request",
        extra={
            "request_id": g.get("request_id", ""),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(requests.elapsed() * 1000, 1),
            "remote_addr": request.remote_addr,
        },
    )
    return response
