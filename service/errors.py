"""problem+json (RFC 7807) for every error: the only place that shapes an error body.

That covers the app's own errors, flask-smorest's (``ProblemApi``) and the few that gunicorn answers before the
app sees a request (a malformed request line, a header line over gunicorn's limits), which gunicorn.conf.py's
worker writes with :func:`problem_body`.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from flask import Flask, Response, g, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

from schemas.problem import ProblemSchema

PROBLEM_MIME = "application/problem+json"
PROBLEM_BASE = "https://httpstatuses.io/"

log = logging.getLogger("service.errors")
_schema = ProblemSchema()


class ProblemApi(Api):
    """flask-smorest Api whose errors (and their OpenAPI description) are problem+json."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"

    def handle_http_exception(self, error):
        return handle_http_exception(error)

    def _register_responses(self):
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_MIME
        super()._register_responses()
        self.DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"


def problem_body(
    status: int, detail: str | None, instance: str | None, request_id: str, errors: dict | None = None
) -> str:
    """The problem+json text, dumped through ``ProblemSchema``; ``instance`` is None when no path was read.

    ASCII-escaped: a field name the client sent may hold a lone surrogate, which UTF-8 cannot encode."""
    body: dict = {"type": f"{PROBLEM_BASE}{status}", "title": HTTPStatus(status).phrase, "status": status}
    if instance is not None:
        body["instance"] = instance
    body["request_id"] = request_id
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return json.dumps(_schema.dump(body))


def problem_response(
    status: int, detail: str | None = None, errors: dict | None = None, headers: dict | None = None
) -> Response:
    """A problem+json response for the current request."""
    text = problem_body(status, detail, request.path, g.get("request_id", ""), errors)
    response = Response(text, status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def handle_http_exception(error: HTTPException) -> Response:
    """Every HTTPException (abort, routing, webargs validation) becomes problem+json."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    headers = dict(data.get("headers") or {})
    if error.code == 413:
        # The unread body is still on the connection: close it so that no client reuses a desynced socket.
        headers["Connection"] = "close"
    if error.code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    detail = data.get("message") or error.description
    if error.code == 422 and errors and not data.get("message"):
        detail = "The request body does not match the schema; see errors."
    return problem_response(error.code or 500, detail, errors, headers)


def handle_unexpected(error: Exception) -> Response:
    """Log the traceback server-side; the client sees a plain 500 problem with the request id only."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error", extra={"request_id": g.get("request_id", "")})
    return problem_response(500, "An internal error occurred; quote the request id when reporting it.")


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
