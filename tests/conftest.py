"""Shared fixtures: real Flair models (a tiny tagger trained here, the shipped compact models), the real
Flask app, and a real gunicorn process."""

from __future__ import annotations

import os

# No model hub here: make Flair/huggingface fail at once instead of retrying (set before they are imported).
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from service import create_app
from service.config import PROJECT_ROOT, Settings

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
SAMPLE_ARTICLE = SHARED_DATA / "samples" / "helsinki-2018-07.txt"
SHIPPED_NER = PROJECT_ROOT / "models" / "ner-nl-compact" / "model.pt"
SHIPPED_STANCE = PROJECT_ROOT / "models" / "stance-nl-compact"


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_tagger_path(tmp_path_factory) -> Path:
    from tests.tiny_models import train_tiny_tagger

    return train_tiny_tagger(tmp_path_factory.mktemp("tiny-tagger"))


@pytest.fixture(scope="session")
def stance_model():
    from service.models.stance import load_stance_model

    return load_stance_model(SHIPPED_STANCE)


@pytest.fixture(scope="session")
def tiny_pipeline(tiny_tagger_path, stance_model):
    from service.models.ner import load_ner_model
    from service.pipeline import Pipeline

    return Pipeline(load_ner_model(str(tiny_tagger_path)), stance_model)


@pytest.fixture(scope="session")
def shipped_pipeline(stance_model):
    from service.models.ner import load_ner_model
    from service.pipeline import Pipeline

    return Pipeline(load_ner_model(str(SHIPPED_NER)), stance_model)


@pytest.fixture()
def app(tiny_pipeline):
    return create_app(Settings(max_text_chars=5_000, max_batch_docs=4, max_content_length=64_000), tiny_pipeline)


@pytest.fixture()
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    """A real gunicorn process serving ``service.wsgi:app`` on a free loopback port."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log_path.open("w")
        full_env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(self.port), **env}
        full_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"],
            cwd=PROJECT_ROOT,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.log_path = log_path

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"gunicorn not ready: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> int:
        self.process.terminate()
        try:
            return self.process.wait(timeout=30)
        finally:
            self._log.close()


@pytest.fixture(scope="session")
def gunicorn_server(tiny_tagger_path, tmp_path_factory):
    server = GunicornServer(
        {
            "NER_MODEL": str(tiny_tagger_path),
            "STANCE_MODEL": str(SHIPPED_STANCE),
            "MAX_BATCH_DOCS": "4",
            "MAX_CONTENT_LENGTH": "64000",
            "MAX_TEXT_CHARS": "5000",
            "WEB_CONCURRENCY": "1",
        },
        tmp_path_factory.mktemp("gunicorn") / "server.log",
    )
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
