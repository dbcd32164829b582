"""HTTP routes: ``analyze`` (analyze, batch, stance) and ``ops`` (healthz, readyz, info, metrics)."""

from __future__ import annotations

from flask import current_app
from flask_smorest import abort

from service.pipeline import Pipeline


def ready_pipeline() -> Pipeline:
    """The worker's pipeline, or a 503 (with Retry-After) while models are loading or failed."""
    state = current_app.extensions["model_state"]
    if state.pipeline is None:
        detail = "Models are still loading." if state.status == "loading" else "Models failed to load."
        abort(503, message=detail, headers={"Retry-After": "5"})
    return state.pipeline
