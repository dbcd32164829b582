"""Shared fixtures: real Flair models (a tiny tagger trained here, the shipped compact models), the real
Flask app, and a real gunicorn process (bench/server.py). Helpers that test modules import live in
tests/helpers.py: a conftest module is pytest's to load, never imported by a test."""

from __future__ import annotations

import os

# No model hub here: make Flair/huggingface fail at once instead of retrying (set before they are imported).
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path

import pytest

from service import create_app
from service.config import Settings
from tests.helpers import (
    SAMPLE_ARTICLE,
    SHIPPED_COREF,
    SHIPPED_NER,
    SHIPPED_QUOTES,
    SHIPPED_STANCE,
    Pace,
    measure_pace,
    paced,
    tiny_model_server,
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the session's gunicorn server is a ``server`` test even where its module forgot to say
    so, so that ``make test-fast`` (``-m "not server ..."``) never starts gunicorn."""
    for item in items:
        if "gunicorn_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.server)


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
def actor_stance_model():
    from service.state import load_actor_stance

    return load_actor_stance(Settings().actor_stance_model)


@pytest.fixture(scope="session")
def language_identifier():
    from service.models.language import load_language_identifier

    return load_language_identifier()


@pytest.fixture(scope="session")
def coref_ranker():
    from service.coref_ranker import CorefRanker

    return CorefRanker.load(SHIPPED_COREF)


@pytest.fixture(scope="session")
def tiny_pipeline(tiny_tagger_path, stance_model, actor_stance_model, language_identifier, coref_ranker):
    from service.models.ner import load_ner_model
    from service.pipeline import Pipeline

    ner = load_ner_model(str(tiny_tagger_path))
    return Pipeline(ner, stance_model, actor_stance_model, language_identifier, coref=coref_ranker)


@pytest.fixture(scope="session")
def shipped_ner():
    from service.models.ner import load_ner_model

    return load_ner_model(str(SHIPPED_NER))


@pytest.fixture(scope="session")
def shipped_pipeline(shipped_ner, stance_model, language_identifier, coref_ranker):
    """The pipeline as the service builds it: the quote tagger and the actor-stance heads read the NER vectors."""
    from service.models.quote_tagger import load_quote_tagger
    from service.pipeline import Pipeline
    from service.state import load_actor_stance

    quotes = load_quote_tagger(str(SHIPPED_QUOTES), shipped_ner)
    actor_stance = load_actor_stance(Settings().actor_stance_model, shipped_ner, Settings().ner_quantize)
    return Pipeline(
        shipped_ner, stance_model, actor_stance, language_identifier, quote_tagger=quotes, coref=coref_ranker
    )


@pytest.fixture(scope="session")
def pace(tiny_pipeline) -> Pace:
    """This machine's pace now, measured once per session: the bounds of every wait in the tests derive from it
    (tests/helpers.py, ``Pace``), so a busy machine waits longer instead of failing."""
    return measure_pace(tiny_pipeline)


@pytest.fixture()
def app(tiny_pipeline, pace):
    settings = Settings(max_text_chars=5_000, max_batch_docs=4, max_content_length=64_000)
    return create_app(paced(settings, pace), tiny_pipeline)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def gunicorn_server(tiny_tagger_path, tmp_path_factory, pace):
    """One gunicorn server on the tiny tagger with the same small limits as ``app``, for the whole session.

    Its request deadline comes from the machine (the largest body: a batch of 4 texts at the limit), so that a
    busy machine never turns a valid request into a 504; no test here is about that deadline."""
    limits = {"MAX_BATCH_DOCS": "4", "MAX_CONTENT_LENGTH": "64000", "MAX_TEXT_CHARS": "5000"}
    deadline = {"REQUEST_TIMEOUT": str(pace.text(4 * 5000))}
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    with tiny_model_server(tiny_tagger_path, log, pace, **limits, **deadline) as server:
        yield server
