"""Request ids and the answers gunicorn gives before the app sees a request, on a real gunicorn process.

Every answer is problem+json, including a malformed request line and headers over gunicorn's own limits
(gunicorn.conf.py's ProblemJsonWorker); an unusable X-Request-ID is replaced, never echoed.
"""

from __future__ import annotations

import json
import re
import socket
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = pytest.mark.server

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
def http(gunicorn_server, pace):
    with httpx.Client(base_url=gunicorn_server.url, timeout=pace.request()) as client:
        yield client


@pytest.fixture(scope="module")
def address(gunicorn_server) -> tuple[str, int]:
    url = urlsplit(gunicorn_server.url)
    return url.hostname, url.port


def send_raw(address: tuple[str, int], request: bytes, timeout: float) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (no client library would send a broken request) and read the whole answer."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
    return int(status_line.split(" ")[1]), headers, body


def assert_problem(status: int, headers: dict[str, str], body: bytes, expected: int) -> dict:
    assert status == expected, body
    assert headers["content-type"].startswith("application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == expected
    assert problem["type"].endswith(str(expected))
    assert GENERATED_ID.fullmatch(problem["request_id"])
    assert headers["x-request-id"] == problem["request_id"]
    return problem


def test_a_usable_request_id_of_128_characters_is_kept(http):
    request_id = "gw-" + "a" * 125
    assert http.get("/healthz", headers={"X-Request-ID": request_id}).headers["X-Request-ID"] == request_id


def test_an_oversized_request_id_is_replaced_by_a_generated_one(http):
    response = http.post("/v1/analyze", json={"text": ""}, headers={"X-Request-ID": "a" * 129})
    assert response.status_code == 422
    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])
    assert response.json()["request_id"] == response.headers["X-Request-ID"]


@pytest.mark.parametrize("request_id", ["with space", "<script>", 'quote"d', "semi;colon", "slash/ed", "ünï"])
def test_a_request_id_with_odd_characters_is_replaced_not_echoed(http, request_id):
    response = http.get("/healthz", headers={"X-Request-ID": request_id.encode()})
    assert response.status_code == 200
    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])


@pytest.mark.parametrize("request_id", [b"a\rforged", b"a\x01b"])
def test_a_request_id_with_control_characters_is_a_400_problem_that_does_not_echo_it(address, pace, request_id):
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-ID: " + request_id + b"\r\n\r\n"
    status, headers, body = send_raw(address, request, pace.request())
    assert_problem(status, headers, body, 400)
    assert request_id not in body


@pytest.mark.parametrize(
    ("extra_headers", "detail"),
    [
        ({"X-Big": "a" * 10_000}, "X-Big is longer than 8190 bytes"),  # over the app's limit, under gunicorn's
        ({"X-Big": "a" * 40_000}, "one longer than 32768 bytes"),  # over gunicorn's own limit
        ({f"X-Extra-{i}": "1" for i in range(150)}, "more than 100 header fields"),  # over the app's count
        ({f"X-Extra-{i}": "1" for i in range(250)}, "more than 200 header fields"),  # over gunicorn's count
    ],
)
def test_oversized_headers_are_a_431_problem(http, extra_headers, detail):
    response = http.get("/healthz", headers=extra_headers)
    problem = assert_problem(response.status_code, dict(response.headers), response.content, 431)
    assert detail in problem["detail"]


@pytest.mark.parametrize(
    ("raw_request", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"G@T /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n", 400),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    ],
)
def test_a_malformed_request_gets_a_problem_not_an_html_page(address, pace, raw_request, status):
    answer_status, headers, body = send_raw(address, raw_request, pace.request())
    assert_problem(answer_status, headers, body, status)
    assert b"<html" not in body


def test_the_server_still_answers_after_refusing_malformed_requests(address, http, pace):
    send_raw(address, b"GARBAGE\r\n\r\n", pace.request())
    assert http.get("/healthz").json() == {"status": "ok"}
