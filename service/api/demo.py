"""The demo page at ``GET /``: plain HTML, CSS and JS that call the public API and show entities, actors and
stances the way people read them.

The page is static (no templates, no CDN) so it works offline and shows exactly what any API client gets;
it is a plain Flask blueprint, not a flask-smorest one, so it stays out of the OpenAPI document.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app

from service.config import PROJECT_ROOT
from service.errors import problem_response

SAMPLE_ARTICLE = PROJECT_ROOT.parent / "shared" / "data" / "samples" / "helsinki-2018-07.txt"
SAMPLE_CONFIG_KEY = "DEMO_SAMPLE_PATH"

# Only this origin's own files may run or style the page: proof that nothing comes from a CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

blp = Blueprint("demo", __name__)


@blp.route("/", methods=["GET"])
def page() -> Response:
    """The demo page itself; its CSS and JS are the app's static files (``service/static``, at ``/static``)."""
    response = current_app.send_static_file("index.html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("/demo/sample", methods=["GET"])
def sample_article() -> Response:
    """The sample article as plain text, for the page's "Load sample article" button.

    It is read from the shared data folder beside the project (not copied into the repository); where that
    folder is absent, as in a slim container, the page gets a 404 problem and says so.
    """
    path = Path(current_app.config.get(SAMPLE_CONFIG_KEY, SAMPLE_ARTICLE))
    if not path.is_file():
        return problem_response(404, "No sample article on this server; paste an article instead.")
    return Response(path.read_text(encoding="utf-8"), mimetype="text/plain")
