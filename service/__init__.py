"""Dutch news actors and stances: the Flask application factory.

``create_app()`` reads Settings from the environment and wires the parts together: the models (loaded in the
background, once per worker process), the API and its errors, and the request hooks of the modules they
belong to (request ids, API keys, logs, metrics).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from service import auth, errors, logs, metrics, requests
from service.admission import Admission
from service.config import Settings
from service.pipeline import Pipeline
from service.state import ModelState, build_pipeline


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
    api = errors.ProblemApi(app, spec_kwargs={"extra_plugins": extra_plugins})
    from service.api import analyze, demo, ops

    api.register_blueprint(analyze.blp)
    api.register_blueprint(ops.blp)
    app.register_blueprint(demo.blp)  # the demo page: not part of the API, so not in the OpenAPI document
    errors.register(app)
    # Before-request hooks run in this order: the id first (every refusal carries it), then the key (an
    # unauthenticated client learns nothing about its body), then the body's content type.
    requests.init_app(app)
    auth.init_app(app)
    app.before_request(requests.require_json_body)
    metrics.init_app(app)
    logs.init_app(app)
    return app
