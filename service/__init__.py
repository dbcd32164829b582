"""Dutch news actors and stances: the Flask application factory.

``create_app()`` reads Settings from the environment, starts loading the models in the background (once per
worker process), and wires schemas, routes, errors, request ids, logs and metrics together.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, current_app, g, request
from flask_smorest import Api
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.middleware.proxy_fix import ProxyFix

from schemas.problem import ProblemSchema
from service import auth, errors, logs, metrics
from service.admission import Admission
from service.config import Settings
from service.pipeline import Pipeline
from service.state import ModelState

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("service.access")


class ProblemApi(Api):
    """flask-smorest Api whose errors (and their OpenAPI description) are problem+json."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)

    def _register_responses(self):
        self.DEFAULT_RESPONSE_CONTENT_TYPE = errors.PROBLEM_MIME
        super()._register_responses()
        self.DEFAULT_RESPONSE_CONTENT_TYPE = "application/json"


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> Flask:
    """Build the app. Pass ``pipeline`` to serve already-loaded models (tests); else they load in the
    background from ``settings`` and ``/readyz`` reports when they are ready."""
    settings = settings or Settings.from_env()
    logs.configure(settings.log_level)
    app = Flask(__name__)
    app.config.update(
        # Never debug mode, whatever FLASK_DEBUG says: no debugger, no tracebacks in responses.
        DEBUG=False,
        PROPAGATE_EXCEPTIONS=False,
        SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_content_length,
        API_TITLE="Dutch news actors and stances",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
    )
    app.json.sort_keys = False  # keep each schema's field order (id, models, entities, actors) in responses
    if settings.proxy_fix_hops:
        hops = settings.proxy_fix_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)

    state = ModelState()
    app.extensions["model_state"] = state
    if pipeline is not None:
        state.set_ready(pipeline)
    else:
        state.load_in_background(lambda: build_pipeline(settings))

    app.extensions["admission"] = Admission(settings.max_inflight, settings.max_queue, settings.request_timeout)

    extra_plugins = [auth.ApiKeyDocPlugin()] if settings.api_keys else []
    api = ProblemApi(app, spec_kwargs={"extra_plugins": extra_plugins})
    from service.api import analyze, demo, ops

    api.register_blueprint(analyze.blp)
    api.register_blueprint(ops.blp)
    app.register_blueprint(demo.blp)  # the demo page: not part of the API, so not in the OpenAPI document
    errors.register(app)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    return app


def build_pipeline(settings: Settings) -> Pipeline:
    """Load both models (the slow part of a worker's start) and the pipeline around them."""
    import torch

    from service.models.loading import ModelLoadError
    from service.models.ner import load_ner_model
    from service.models.stance import load_stance_model

    torch.set_num_threads(settings.torch_threads)
    ner = load_ner_model(settings.ner_model, batch_size=settings.ner_batch_size)
    try:
        stance = load_stance_model(settings.stance_model)
    except Exception as error:
        # Name the setting, as the NER loader does, so the one log line says what to fix.
        reason = f"{type(error).__name__}: {error}"
        raise ModelLoadError("STANCE_MODEL", settings.stance_model, reason) from error
    return Pipeline(ner, stance)


def _start_request() -> None:
    """Adopt the gateway's X-Request-ID (or make one), start the clock, check the API key (when keys are
    configured), and insist on JSON bodies."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()
    auth.require_key(current_app.config["SETTINGS"].api_keys)
    # A request that routing already refused (404, 405) gets that answer, not a complaint about its body.
    if request.method == "POST" and request.routing_exception is None and not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.")


def _finish_request(response):
    duration = time.perf_counter() - g.get("started", time.perf_counter())
    response.headers["X-Request-ID"] = g.get("request_id", "")
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    metrics.REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
    metrics.LATENCY.labels(endpoint).observe(duration)
    access_log.info(
        "request",
        extra={
            "request_id": g.get("request_id", ""),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(duration * 1000, 1),
            "remote_addr": request.remote_addr,
        },
    )
    return response
