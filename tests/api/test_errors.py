"""Every error is application/problem+json with the right status, and no traceback ever leaks."""

import re

import pytest

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["type"].endswith(str(status))
    assert body["title"] and body["request_id"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_malformed_json_is_400(client):
    response = client.post("/v1/analyze", data="{not json", content_type="application/json")
    assert_problem(response, 400)


def test_wrong_content_type_is_415(client):
    response = client.post("/v1/analyze", data="text=hallo", content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415)


def test_body_over_max_content_length_is_413(client):
    response = client.post("/v1/analyze", json={"text": "a " * 40_000})
    assert_problem(response, 413)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": " \n\t "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({}, "text"),
        ({"text": 42}, "text"),
        ({"text": "Rutte", "colour": "red"}, "colour"),
        ({"text": "Rutte", "published_at": "yesterday"}, "published_at"),
        ({"text": "Rutte", "options": {"actor_types": ["CAT"]}}, "options"),
        ({"text": "Rutte", "options": {"min_confidence": 2}}, "options"),
    ],
)
def test_invalid_analyze_bodies_are_422_with_field_messages(client, body, field):
    problem = assert_problem(client.post("/v1/analyze", json=body), 422)
    assert field in problem["errors"]["json"]


def test_batch_over_the_limit_is_422(client):
    documents = [{"text": "Rutte sprak."}] * 5
    problem = assert_problem(client.post("/v1/analyze/batch", json={"documents": documents}), 422)
    assert "limit is 4" in str(problem["errors"])


def test_batch_with_one_bad_document_names_its_index(client):
    documents = [{"text": "Rutte sprak."}, {"text": ""}]
    problem = assert_problem(client.post("/v1/analyze/batch", json={"documents": documents}), 422)
    assert "1" in problem["errors"]["json"]["documents"]


@pytest.mark.parametrize("span", [{"start": 5, "end": 5}, {"start": 0, "end": 999}, {"start": 5, "end": 6}])
def test_stance_span_outside_text_or_blank_is_422(client, span):
    problem = assert_problem(client.post("/v1/stance", json={"text": "Rutte en Kaag", "actor": span}), 422)
    assert "actor" in problem["errors"]["json"]


def test_unknown_route_is_404_and_wrong_method_is_405(client):
    assert_problem(client.get("/v1/nothing"), 404)
    response = client.get("/v1/analyze")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_request_id_from_the_gateway_appears_in_the_problem(client):
    response = client.post("/v1/analyze", json={"text": ""}, headers={"X-Request-ID": "gw-42"})
    assert assert_problem(response, 422)["request_id"] == "gw-42"


@pytest.mark.parametrize("value", [0, 1, "yes", None])
def test_options_stances_takes_only_json_booleans(client, value):
    problem = assert_problem(client.post("/v1/analyze", json={"text": "Rutte", "options": {"stances": value}}), 422)
    assert "stances" in problem["errors"]["json"]["options"]


@pytest.mark.parametrize("request_id", ["a" * 129, "with space", "<b>", "new\u2028line", ""])
def test_an_unusable_request_id_is_replaced_by_a_generated_one(client, request_id):
    response = client.post("/v1/analyze", json={"text": ""}, headers={"X-Request-ID": request_id})
    generated = assert_problem(response, 422)["request_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert response.headers["X-Request-ID"] == generated


def test_a_request_id_of_128_safe_characters_is_kept(client):
    request_id = "gw:1_2.3-" + "x" * 119
    assert client.get("/healthz", headers={"X-Request-ID": request_id}).headers["X-Request-ID"] == request_id


@pytest.mark.parametrize(
    "headers",
    [{"X-Big": "a" * 8200}, {f"X-Extra-{i}": "1" for i in range(120)}],
    ids=["one header over 8190 bytes", "over 100 header fields"],
)
def test_oversized_headers_are_431_before_anything_else(client, headers):
    # Even without a JSON body (which would be 415) the headers are refused first.
    assert_problem(client.post("/v1/analyze", data="x", headers=headers), 431)


def test_headers_within_the_limits_pass(client):
    headers = {"X-Big": "a" * 8000, **{f"X-Extra-{i}": "1" for i in range(90)}}
    assert client.get("/healthz", headers=headers).status_code == 200
