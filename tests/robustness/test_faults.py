"""Faults of a real gunicorn deployment: a worker killed, the server stopped under load, bad model files."""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import psutil
import pytest

from bench.server import GunicornServer, poll_until
from service import create_app
from service.config import Settings
from tests.helpers import SHIPPED_STANCE, Pace, tiny_model_server, whole_seconds


def refuses_connections(server: GunicornServer) -> bool:
    """True once connecting fails (refused); False while a probe is still answered.

    No read timeout: how long an answer takes is not the question. A connection that the kernel completes but
    no worker accepts is never answered; it ends when the worker exits (after the requests in flight), reset
    or closed without an answer, and that fails the test here."""
    try:
        httpx.get(f"{server.url}/healthz", timeout=None)
    except httpx.ConnectError:
        return True
    except httpx.TransportError as error:
        raise AssertionError(f"a new connection was accepted but never answered ({error!r})") from None
    return False


def analyses_in_progress(server: GunicornServer, pace: Pace) -> float:
    """The server's ``analysis_requests_in_progress`` gauge, summed over its workers."""
    text = httpx.get(f"{server.url}/metrics", timeout=pace.request()).text
    return sum(
        float(line.split()[-1]) for line in text.splitlines() if line.startswith("analysis_requests_in_progress")
    )


# The text stopped under load: three analyses of it run one after another.
STOPPED_ANALYSES = 3


@pytest.fixture(scope="module")
def server(tiny_tagger_path, tmp_path_factory, pace, article_text):
    """One server for this module: first a worker is killed, then the whole server is stopped (file order).

    The server's own deadlines come from the machine: the request deadline (504) and the graceful timeout
    (after which gunicorn kills the worker) both cover the three analyses stopped under load, one after
    another. What is tested is that they finish, not how fast; on a busy machine they take minutes."""
    log = tmp_path_factory.mktemp("faults") / "server.log"
    stopped_work = pace.text(len(article_text), STOPPED_ANALYSES)
    deadlines = {"REQUEST_TIMEOUT": str(stopped_work), "GUNICORN_GRACEFUL_TIMEOUT": whole_seconds(stopped_work)}
    with tiny_model_server(tiny_tagger_path, log, pace, **deadlines) as server:
        yield server


@pytest.mark.server
def test_a_worker_killed_with_sigkill_is_replaced_and_readiness_recovers(server, pace):
    (victim,) = server.worker_pids()
    psutil.Process(victim).kill()
    poll_until(lambda: set(server.worker_pids()) - {victim}, timeout=pace.request(), what="a replacement worker")
    (replacement,) = server.worker_pids()
    assert replacement != victim
    server.wait("/readyz", timeout=pace.start())
    response = httpx.post(f"{server.url}/v1/analyze", json={"text": "Rutte sprak met Kaag."}, timeout=pace.request())
    assert response.status_code == 200
    assert server.process.poll() is None


@pytest.mark.server
def test_sigterm_under_load_finishes_requests_in_flight_refuses_new_ones_and_exits_0(server, article_text, pace):
    """Graceful shutdown: the analyses in flight at SIGTERM are all answered 200, new connections are refused
    meanwhile, and the server exits 0. No deadline here is about speed; each only ends a wait that would
    otherwise hang (derived from the machine: ``pace``)."""
    server.wait("/readyz", timeout=pace.start())
    stopped_work = pace.text(len(article_text), STOPPED_ANALYSES)
    with ThreadPoolExecutor(STOPPED_ANALYSES) as clients:
        url = f"{server.url}/v1/analyze"
        in_flight = [
            clients.submit(httpx.post, url, json={"text": article_text, "id": str(i)}, timeout=stopped_work)
            for i in range(STOPPED_ANALYSES)
        ]
        # SIGTERM only once all three are inside the worker: a connection still in the listen backlog when the
        # server stops is a new request, refused, not one in flight
        poll_until(
            lambda: analyses_in_progress(server, pace) == STOPPED_ANALYSES,
            timeout=pace.request(),
            what="three analyses in progress",
        )
        assert not any(call.done() for call in in_flight), "the analyses must still be running at SIGTERM"
        [worker] = server.worker_pids()
        server.process.send_signal(signal.SIGTERM)

        # Probed only once the worker says its listening socket is closed: a probe sent before the worker handled
        # SIGTERM may reach the listen backlog and be reset by that close, which is a new request refused too.
        # The line is gunicorn.conf.py's STOPPED_LISTENING, not imported: running the config file would set
        # PROMETHEUS_MULTIPROC_DIR in this process, and the in-process apps' metrics with it.
        stopped = f"Worker {worker} stopped listening"
        poll_until(lambda: stopped in server.log_text(), timeout=stopped_work, what="the worker to stop listening")
        poll_until(lambda: refuses_connections(server), timeout=stopped_work, what="connections refused")

        answers = [call.result() for call in in_flight]
    assert [response.status_code for response in answers] == [200] * STOPPED_ANALYSES
    assert [response.json()["id"] for response in answers] == ["0", "1", "2"]
    assert server.process.wait(pace.request()) == 0


@pytest.mark.server
def test_a_missing_model_file_keeps_the_worker_alive_but_never_ready_and_logs_one_clear_line(
    tiny_tagger_path, tmp_path, pace
):
    missing = str(tmp_path / "nowhere" / "model.pt")
    server = GunicornServer({"NER_MODEL": missing, "STANCE_MODEL": str(SHIPPED_STANCE)}, tmp_path / "server.log")
    try:
        server.wait_until(
            lambda http: http.get("/readyz").json()["status"] == "failed", "model load failed", pace.start()
        )
        detail = server.readiness(timeout=pace.request())["detail"]
        assert detail.startswith(f"NER_MODEL={missing!r} cannot be loaded: no such file")
        assert httpx.get(f"{server.url}/healthz", timeout=pace.request()).status_code == 200
        analysis = httpx.post(f"{server.url}/v1/analyze", json={"text": "Rutte sprak."}, timeout=pace.request())
        assert analysis.status_code == 503
        assert analysis.json()["detail"] == "Models failed to load."
        assert "Traceback" not in analysis.text
    finally:
        assert server.stop(timeout=pace.request()) == 0
    failures = [line for line in server.log_path.read_text().splitlines() if "model load failed" in line]
    assert len(failures) == 1 and missing in failures[0]


def corrupt_stance_copy(target: Path) -> Path:
    """A copy of the shipped stance model directory whose classifier file is garbage."""
    target.mkdir()
    for path in SHIPPED_STANCE.iterdir():
        if path.is_file():
            (target / path.name).write_bytes(path.read_bytes())
    (target / "classifier.joblib").write_bytes(b"not a joblib file")
    return target


@pytest.mark.parametrize("case", ["corrupt-ner", "missing-stance", "corrupt-stance"])
def test_a_corrupt_or_missing_model_makes_readyz_fail_naming_the_setting(tiny_tagger_path, tmp_path, case, pace):
    """The same loader as a gunicorn worker, in-process: /readyz names the setting and the path."""
    (tmp_path / "model.pt").write_bytes(b"this is not a torch file")
    setting, value = {
        "corrupt-ner": ("NER_MODEL", str(tmp_path / "model.pt")),
        "missing-stance": ("STANCE_MODEL", str(tmp_path / "no-stance-model")),
        "corrupt-stance": ("STANCE_MODEL", str(corrupt_stance_copy(tmp_path / "stance"))),
    }[case]
    settings = Settings(ner_model=str(tiny_tagger_path), stance_model=str(SHIPPED_STANCE))
    app = create_app(replace(settings, **{setting.lower(): value}))
    assert app.extensions["model_state"].wait(timeout=pace.start())
    client = app.test_client()
    readyz = client.get("/readyz")
    assert readyz.status_code == 503
    assert readyz.get_json()["status"] == "failed"
    assert readyz.get_json()["detail"].startswith(f"{setting}={value!r} cannot be loaded: ")
    assert client.get("/healthz").status_code == 200
    assert client.post("/v1/analyze", json={"text": "Rutte sprak."}).status_code == 503
