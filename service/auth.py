"""Optional API keys, for deployments without an authenticating gateway in front.

Off unless ``API_KEYS`` is set. Then every ``/v1/*`` request needs one of the keys, as
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; probes and scrapers (``/healthz``, ``/readyz``,
``/metrics``) and ``/openapi.json`` stay open. Keys are compared in constant time.
"""

from __future__ import annotations

import hmac

from apispec import BasePlugin
from flask import Flask, current_app, request
from werkzeug.exceptions import Unauthorized

PROTECTED_PREFIX = "/v1/"
SECURITY_SCHEMES = {
    "bearerKey": {"type": "http", "scheme": "bearer", "description": "One of the API_KEYS as a bearer token"},
    "headerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "One of the API_KEYS"},
}


def presented_key() -> str:
    """The key the request carries, from ``Authorization: Bearer`` or ``X-API-Key`` (empty when none)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("X-API-Key", "").strip()


def is_valid(key: str, keys: tuple[str, ...]) -> bool:
    """Constant-time membership: every configured key is compared, whatever matches first."""
    matches = [hmac.compare_digest(key.encode(), known.encode()) for known in keys]
    return bool(key) and any(matches)


def init_app(app: Flask) -> None:
    """Check the key of every request; the hook does nothing while ``API_KEYS`` is unset."""
    app.before_request(require_key)


def require_key() -> None:
    """Raise 401 for a protected path without a valid key; do nothing when keys are off or the path is open."""
    keys = current_app.config["SETTINGS"].api_keys
    if not keys or not request.path.startswith(PROTECTED_PREFIX):
        return
    if not is_valid(presented_key(), keys):
        error = Unauthorized("Send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")
        error.data = {"headers": {"WWW-Authenticate": 'Bearer realm="nl-news-actors"'}}
        raise error


class ApiKeyDocPlugin(BasePlugin):
    """Marks every ``/v1/*`` operation as needing a key and documents its 401 in the OpenAPI document."""

    def init_spec(self, spec) -> None:
        for name, scheme in SECURITY_SCHEMES.items():
            spec.components.security_scheme(name, scheme)

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        if not path or not path.startswith(PROTECTED_PREFIX) or not operations:
            return
        for operation in operations.values():
            operation["security"] = [{name: []} for name in SECURITY_SCHEMES]
            operation.setdefault("responses", {})["401"] = "UNAUTHORIZED"
