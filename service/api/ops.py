"""Operational endpoints for orchestrators and scrapers: liveness, readiness, info, metrics."""

from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint

from schemas.response import HealthSchema, InfoSchema, ReadinessSchema
from service import metrics
from service.api import ready_pipeline
from service.pipeline import POSITIONS
from service.relations import TARGET_TYPES

blp = Blueprint("ops", __name__, description="Health, readiness, model info and metrics")

SERVICE_NAME = "nl-news-actors"
SERVICE_VERSION = "1.0.0"


@blp.route("/healthz", methods=["GET"])
@blp.response(200, HealthSchema)
def healthz() -> dict:
    """Liveness: the process answers (models may still be loading)."""
    return {"status": "ok"}


@blp.route("/readyz", methods=["GET"])
@blp.response(200, ReadinessSchema)
@blp.alt_response(503, schema=ReadinessSchema, description="Models are loading or failed to load")
def readyz():
    """Readiness: 200 only when the models are loaded and requests can be served."""
    state = current_app.extensions["model_state"]
    if state.status == "ready":
        return {"status": "ready"}
    body = {"status": state.status, "detail": state.error or "models are loading"}
    return ReadinessSchema().dump(body), 503


@blp.route("/v1/info", methods=["GET"])
@blp.response(200, InfoSchema)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def info() -> dict:
    """Model ids and versions, label sets, stance topics, actor-stance target types and request limits."""
    pipeline = ready_pipeline()
    settings = current_app.config["SETTINGS"]
    models = pipeline.model_info()
    return {
        "service": SERVICE_NAME,
        "version": SERVICE_VERSION,
        "ner": {**models["ner"], "labels": list(pipeline.ner.labels), "quantized": list(pipeline.ner.quantized)},
        "stance": {
            **models["stance"],
            "topics": list(pipeline.stance_model.topics),
            "positions": list(POSITIONS),
            "calibration": pipeline.stance_model.calibration,
        },
        "actor_stance": {
            **models["actor_stance"],
            "positions": list(POSITIONS),
            "thresholds": dict(pipeline.actor_stance_model.thresholds),
            "target_types": sorted(TARGET_TYPES),
            "calibration": pipeline.actor_stance_model.calibration,
        },
        "quotes": models["quotes"],
        "coref": models["coref"],
        "limits": {
            "max_text_chars": settings.max_text_chars,
            "max_batch_docs": settings.max_batch_docs,
            "max_content_length": settings.max_content_length,
        },
    }


@blp.route("/metrics", methods=["GET"])
@blp.doc(responses={200: {"description": "Prometheus text exposition", "content": {"text/plain": {}}}})
def prometheus_metrics() -> Response:
    """Prometheus metrics (requests, latency, documents), summed over all workers."""
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)
