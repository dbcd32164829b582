"""The demo page's routes through the Flask app: the page, its sample article, and what stays out of the API."""

from __future__ import annotations

import re

from service.api.demo import SAMPLE_CONFIG_KEY

EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_page_is_served_with_a_policy_that_allows_only_its_own_files(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    html = response.get_data(as_text=True)
    assert not EXTERNAL_URL.search(html)
    for asset in ("static/demo.js", "static/demo.css"):
        assert f'"{asset}"' in html
        assert client.get(f"/{asset}").status_code == 200


def test_sample_article_is_the_shared_sample_as_plain_text(client, sample_text):
    response = client.get("/demo/sample")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == sample_text


def test_missing_sample_article_is_a_404_problem(app, client, tmp_path):
    app.config[SAMPLE_CONFIG_KEY] = str(tmp_path / "absent.txt")
    response = client.get("/demo/sample")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert "paste an article" in response.get_json()["detail"]


def test_demo_routes_stay_out_of_the_openapi_document(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert "/v1/analyze" in paths
    assert "/" not in paths
    assert "/demo/sample" not in paths
