"""Check the running container through the nginx gateway: readiness, one real analysis, the body-size limit.

Used by ``make container-test`` after the service and gateway containers are up; standard library only, so it
runs with any python3. Exits non-zero with the first failed check.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

GATEWAY_BODY_LIMIT = 16 * 1024 * 1024


class CheckFailed(AssertionError):
    """A response differs from what the gateway and the service promise."""


def call(url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """One HTTP request; returns status, headers and body also for 4xx/5xx answers."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def check_ready(base_url: str) -> None:
    status, _, body = call(f"{base_url}/readyz")
    expect(status == 200, f"GET /readyz through the gateway: {status} {body[:200]!r}")


def check_analysis(base_url: str, text: str) -> dict:
    """POST the article with our own request id; the entities must point into the text we sent."""
    request_id = f"container-test-{uuid.uuid4().hex[:12]}"
    payload = json.dumps({"id": "sample", "text": text}).encode()
    headers = {"Content-Type": "application/json", "X-Request-ID": request_id}
    status, response_headers, body = call(f"{base_url}/v1/analyze", payload, headers)
    expect(status == 200, f"POST /v1/analyze: {status} {body[:300]!r}")
    expect(response_headers.get("X-Request-ID") == request_id, f"request id not kept: {response_headers}")
    result = json.loads(body)
    expect(result.get("id") == "sample", f"id not echoed: {result.get('id')!r}")
    entities, actors = result.get("entities"), result.get("actors")
    expect(bool(entities), "no entities found in the sample article")
    for entity in entities:
        span = text[entity["start"] : entity["end"]]
        expect(span == entity["text"], f"entity offsets wrong: {entity} but text[start:end] is {span!r}")
    expect(bool(actors), "no actors in the sample article")
    expect(all(isinstance(actor.get("stances"), list) for actor in actors), "an actor lacks its stances list")
    return result


def check_body_limit(base_url: str) -> None:
    """A body over the gateway's (and service's) 16 MiB limit is refused at the gateway as problem+json.

    Only the headers are sent: nginx answers from the declared Content-Length, before any body arrives.
    """
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.putrequest("POST", f"{url.path}/v1/analyze")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(GATEWAY_BODY_LIMIT + 1))
        connection.endheaders()
        response = connection.getresponse()
        status, content_type, body = response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()
    expect(status == 413, f"oversized body: expected 413, got {status}")
    expect(content_type.startswith("application/problem+json"), f"413 content type: {content_type!r}")
    expect(json.loads(body)["status"] == 413, f"413 body: {body[:200]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="gateway base URL including the path prefix")
    parser.add_argument("--sample", required=True, help="a Dutch news article (UTF-8 text file)")
    args = parser.parse_args()
    base_url = args.url.rstrip("/")
    with open(args.sample, encoding="utf-8") as handle:
        text = handle.read()
    try:
        check_ready(base_url)
        result = check_analysis(base_url, text)
        check_body_limit(base_url)
    except CheckFailed as failure:
        print(f"container-test check failed: {failure}", file=sys.stderr)
        return 1
    stances = sum(len(actor["stances"]) for actor in result["actors"])
    print(
        f"gateway checks passed: {len(result['entities'])} entities, {len(result['actors'])} actors, "
        f"{stances} stances; request id kept; 16 MiB limit enforced at the gateway"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
