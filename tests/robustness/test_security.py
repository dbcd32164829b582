"""Security hygiene: optional API keys, no debug mode, limits and settings that refuse nonsense."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from service import create_app
from service.config import Settings, SettingsError
from tests.helpers import paced

KEYS = ("first-key-0123456789", "second-key-9876543210")
ARTICLE = {"text": "Donald Trump sprak in Helsinki met Vladimir Poetin."}


@pytest.fixture(scope="module")
def keyed(tiny_pipeline, pace):
    return create_app(paced(Settings(api_keys=KEYS), pace), tiny_pipeline).test_client()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-key"},
        {"Authorization": f"Basic {KEYS[0]}"},
        {"Authorization": "Bearer "},
        {"X-API-Key": KEYS[0][:-1]},
        {"X-API-Key": ""},
    ],
)
def test_without_a_valid_key_v1_is_401_problem_json(keyed, headers):
    response = keyed.post("/v1/analyze", json=ARTICLE, headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert KEYS[0] not in response.get_data(as_text=True)
    assert keyed.get("/v1/info", headers=headers).status_code == 401


@pytest.mark.parametrize("headers", [{"Authorization": f"Bearer {KEYS[0]}"}, {"X-API-Key": KEYS[1]}])
def test_either_header_with_any_configured_key_is_accepted(keyed, headers):
    assert keyed.post("/v1/analyze", json=ARTICLE, headers=headers).status_code == 200
    assert keyed.get("/v1/info", headers=headers).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/openapi.json"])
def test_probes_metrics_and_the_openapi_document_stay_open(keyed, path):
    assert keyed.get(path).status_code == 200


def test_the_openapi_document_declares_the_keys_and_the_401_when_keys_are_on(keyed, client):
    spec = keyed.get("/openapi.json").get_json()
    validate(spec)
    assert set(spec["components"]["securitySchemes"]) == {"bearerKey", "headerKey"}
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            if path.startswith("/v1/"):
                assert operation["security"] == [{"bearerKey": []}, {"headerKey": []}]
                assert "401" in operation["responses"]
            else:
                assert "security" not in operation
    plain = client.get("/openapi.json").get_json()
    assert "securitySchemes" not in plain.get("components", {})
    assert "401" not in plain["paths"]["/v1/analyze"]["post"]["responses"]


def test_keys_are_off_by_default_and_never_shown_in_settings():
    assert Settings.from_env({}).api_keys == ()
    settings = Settings.from_env({"API_KEYS": f" {KEYS[0]} ,, {KEYS[1]} "})
    assert settings.api_keys == KEYS
    assert KEYS[0] not in repr(settings)


def test_the_503_and_504_answers_are_documented(client):
    responses = client.get("/openapi.json").get_json()["paths"]["/v1/analyze"]["post"]["responses"]
    assert {"400", "413", "415", "422", "503", "504"} <= set(responses)


def test_flask_debug_in_the_environment_does_not_turn_on_debug_mode(monkeypatch, tiny_pipeline):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app(Settings(), tiny_pipeline)
    assert app.debug is False
    assert app.config["PROPAGATE_EXCEPTIONS"] is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAX_INFLIGHT": "0"}, "MAX_INFLIGHT must be at least 1"),
        ({"MAX_QUEUE": "-1"}, "MAX_QUEUE must be 0 or more"),
        ({"REQUEST_TIMEOUT": "0"}, "REQUEST_TIMEOUT must be more than 0"),
        ({"REQUEST_TIMEOUT": "nan"}, "REQUEST_TIMEOUT must be more than 0"),
        ({"REQUEST_TIMEOUT": "soon"}, "REQUEST_TIMEOUT must be a number"),
        ({"MAX_JSON_VALUES": "0"}, "MAX_JSON_VALUES must be at least 1"),
    ],
)
def test_invalid_robustness_settings_name_the_variable(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_robustness_settings_are_read_from_the_environment():
    settings = Settings.from_env(
        {"MAX_INFLIGHT": "3", "MAX_QUEUE": "0", "REQUEST_TIMEOUT": "2.5", "MAX_JSON_VALUES": "500"}
    )
    assert (settings.max_inflight, settings.max_queue, settings.request_timeout, settings.max_json_values) == (
        3,
        0,
        2.5,
        500,
    )
