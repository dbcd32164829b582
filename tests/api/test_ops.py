"""Operational endpoints and the OpenAPI document."""

from openapi_spec_validator import validate

from service import create_app
from service.config import Settings


def test_health_ready_info(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready"}
    info = client.get("/v1/info").get_json()
    assert {"PER", "ORG", "LOC"} <= set(info["ner"]["labels"])
    assert info["ner"]["quantized"] == []  # the fixture's tagger is loaded in fp32
    assert "immigration" in info["stance"]["topics"]
    assert info["stance"]["positions"] == ["positive", "negative", "neutral"]
    assert set(info["stance"]["calibration"]) == {"slope", "intercept"}
    assert info["stance"]["calibration"]["slope"] > 0  # a higher score is the likelier right
    assert info["limits"] == {"max_text_chars": 5000, "max_batch_docs": 4, "max_content_length": 64000}
    assert info["coref"] == {"id": "coref-nl-compact", "version": "1.0.1"}


def test_readiness_is_503_while_models_fail_to_load(tmp_path, pace):
    settings = Settings(ner_model=str(tmp_path / "missing.pt"))
    app = create_app(settings)
    assert app.extensions["model_state"].wait(timeout=pace.start()), "model loading neither failed nor finished"
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "failed"
    assert "NER_MODEL=" in response.get_json()["detail"]
    assert client.get("/healthz").status_code == 200
    refused = client.post("/v1/analyze", json={"text": "Rutte sprak."})
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert refused.mimetype == "application/problem+json"


def test_metrics_count_requests_and_documents(client):
    client.post("/v1/analyze", json={"text": "Rutte sprak in Brussel."})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'http_requests_total{endpoint="/v1/analyze",method="POST",status="200"}' in text
    assert "documents_analyzed_total" in text
    assert "analysis_requests_in_progress 0.0" in text  # the answered request has left the gauge


def test_openapi_document_is_valid_and_describes_every_endpoint_and_error(client):
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    paths = spec["paths"]
    assert {"/v1/analyze", "/v1/analyze/batch", "/v1/stance", "/healthz", "/readyz", "/v1/info", "/metrics"} <= set(
        paths
    )
    for path in ("/v1/analyze", "/v1/analyze/batch", "/v1/stance"):
        responses = paths[path]["post"]["responses"]
        assert {"200", "400", "413", "415", "422", "503"} <= set(responses), path
    problem = spec["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]
    assert "application/problem+json" in problem
    assert "Problem" in spec["components"]["schemas"]


def test_request_id_is_echoed_or_generated(client):
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert len(generated.headers["X-Request-ID"]) == 32
