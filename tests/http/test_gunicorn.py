"""The service as deployed: a real gunicorn process on a loopback port, spoken to over HTTP."""

import httpx
import pytest

pytestmark = pytest.mark.server

ARTICLE = "Donald Trump sprak in Helsinki met Vladimir Poetin. Volgens Trump is de NAVO te zwak."


@pytest.fixture(scope="module")
def http(gunicorn_server, pace):
    with httpx.Client(base_url=gunicorn_server.url, timeout=pace.text(4 * 5000)) as client:
        yield client


def test_analyze_over_http(http):
    response = http.post("/v1/analyze", json={"text": ARTICLE, "id": "x"}, headers={"X-Request-ID": "req-1"})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "req-1"
    body = response.json()
    assert body["id"] == "x"
    assert any(a["name"] == "Donald Trump" for a in body["actors"])
    for entity in body["entities"]:
        assert ARTICLE[entity["start"] : entity["end"]] == entity["text"]


def test_quotes_and_speakers_over_http(http):
    text = ARTICLE + ' ,,We hebben goed gepraat", aldus Trump.'
    body = http.post("/v1/analyze", json={"text": text}).json()
    quotes = {q["text"]: q for q in body["quotes"]}
    direct = quotes["We hebben goed gepraat"]
    assert (direct["kind"], direct["speaker"], direct["cue"]["text"]) == ("direct", "per:donald-trump", "aldus")
    [reported] = [q for q in body["quotes"] if "NAVO te zwak" in q["text"]]
    assert (reported["kind"], reported["cue"]["text"]) == ("indirect", "Volgens")
    trump = next(a for a in body["actors"] if a["id"] == "per:donald-trump")
    assert "We hebben goed gepraat" in [q["text"] for q in trump["quotes"]]
    assert all(m["kind"] in {"name", "pronoun", "nominal"} for a in body["actors"] for m in a["mentions"])
    for quote in body["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]


def test_batch_and_stance_over_http(http):
    batch = http.post("/v1/analyze/batch", json={"documents": [{"text": ARTICLE}, {"text": "Rutte sprak."}]})
    assert batch.status_code == 200
    assert len(batch.json()["results"]) == 2
    start = ARTICLE.index("Poetin")
    stance = http.post("/v1/stance", json={"text": ARTICLE, "actor": {"start": start, "end": start + 6}})
    assert stance.status_code == 200
    assert stance.json()["text"] == "Poetin"


def test_health_readiness_info_openapi_metrics_over_http(http):
    assert http.get("/healthz").json() == {"status": "ok"}
    assert http.get("/readyz").status_code == 200
    assert http.get("/v1/info").json()["limits"]["max_batch_docs"] == 4
    assert "/v1/analyze" in http.get("/openapi.json").json()["paths"]
    http.post("/v1/analyze", json={"text": ARTICLE})
    metrics = http.get("/metrics")
    assert metrics.status_code == 200
    assert 'http_requests_total{endpoint="/v1/analyze",method="POST",status="200"}' in metrics.text


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        (
            {
                "method": "POST",
                "url": "/v1/analyze",
                "content": b"{oops",
                "headers": {"Content-Type": "application/json"},
            },
            400,
        ),
        (
            {"method": "POST", "url": "/v1/analyze", "content": b"text=x", "headers": {"Content-Type": "text/plain"}},
            415,
        ),
        ({"method": "POST", "url": "/v1/analyze", "json": {"text": "a " * 40_000}}, 413),
        ({"method": "POST", "url": "/v1/analyze", "json": {"text": "   "}}, 422),
        ({"method": "POST", "url": "/v1/analyze/batch", "json": {"documents": [{"text": "a"}] * 5}}, 422),
        ({"method": "GET", "url": "/nowhere"}, 404),
        ({"method": "DELETE", "url": "/v1/analyze"}, 405),
    ],
)
def test_error_codes_over_http_are_problem_json(gunicorn_server, pace, request_kwargs, status):
    # One connection per case: a 413 is answered before its body is read, and whether the client can reuse
    # that connection depends on how far it got sending the body; each case here is about one answer's body.
    with httpx.Client(base_url=gunicorn_server.url, timeout=pace.request()) as client:
        response = client.request(**request_kwargs)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == status
    assert "Traceback" not in response.text
