"""Property-based fuzzing of the running service from its own OpenAPI document (schemathesis).

schemathesis reads ``/openapi.json`` of a real gunicorn process (the session's ``gunicorn_server``, tiny
tagger) and sends valid and invalid requests to every operation: boundary cases first (its coverage phase:
wrong types, missing fields, undeclared methods), then property-based examples. Every response is checked
against the same document: no 5xx, only documented status codes and content types, bodies that match the
response schemas, invalid data rejected with 4xx, undeclared methods answered with 405.

Left out: ``positive_data_acceptance``. Some rules depend on runtime settings or on the text itself
(``MAX_TEXT_CHARS``, "not only whitespace", a span inside the text) and are not in the static schema, so
schema-valid bodies may rightly get a documented 422.

The command-line runner is used rather than the pytest plugin: its lazy fixture loader does not work with
pytest 9 (it sets ``Node._nodeid``, which pytest 9 no longer has). The seed is fixed, so a run is repeatable.
"""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_every_response_conforms_to_the_openapi_document(gunicorn_server, pace, tmp_path):
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{gunicorn_server.url}/openapi.json",
        "--max-examples=100",
        "--seed=20261128",
        "--exclude-checks=positive_data_acceptance",
        # from the machine: twice the server's own request deadline (a batch of 4 texts at its limit), so
        # that the server answers first
        f"--request-timeout={2 * pace.text(4 * 5000):.0f}",
        "--no-color",
    ]
    # Run in a scratch directory: schemathesis keeps a cache of its findings in the working directory, and reads
    # its configuration there. An invalid body larger than MAX_CONTENT_LENGTH is refused by its size (413) before
    # the schema sees it: a rejection too, which schemathesis's default list of rejection statuses lacks.
    (tmp_path / "schemathesis.toml").write_text(
        "[checks.negative_data_rejection]\n"
        'expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429",'
        ' "5xx"]\n'
    )
    # No deadline for the whole run: its examples are bounded (--max-examples) and so is each request.
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-6000:]
    paths = httpx.get(f"{gunicorn_server.url}/openapi.json", timeout=pace.request()).json()["paths"]
    operations = sum(len(methods) for methods in paths.values())
    assert f"{operations} selected / {operations} total" in report, "every documented operation was fuzzed"
