"""Fixtures for robustness tests: real gunicorn servers with chosen limits, and real article text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, SHIPPED_STANCE, GunicornServer

ARTICLES = SHARED_DATA / "dpgmedia2019" / "articles.jsonl"


def read_articles(limit: int | None = None) -> list[dict]:
    """dpgMedia 2019 articles (id, title, text, published_at), in file order."""
    articles = []
    with ARTICLES.open(encoding="utf-8") as lines:
        for line in lines:
            articles.append(json.loads(line))
            if limit is not None and len(articles) >= limit:
                break
    return articles


def real_text(chars: int) -> str:
    """At least ``chars`` characters of real Dutch news text (whole articles joined by blank lines), cut."""
    parts, total = [], 0
    for article in read_articles():
        parts.append(article["text"])
        total += len(article["text"]) + 2
        if total >= chars:
            break
    return "\n\n".join(parts)[:chars]


@contextmanager
def running_server(tagger: Path, log_path: Path, **env: str) -> Iterator[GunicornServer]:
    """A gunicorn server on the tiny tagger and the shipped stance model, ready, stopped afterwards."""
    server = GunicornServer(
        {"NER_MODEL": str(tagger), "STANCE_MODEL": str(SHIPPED_STANCE), "WEB_CONCURRENCY": "1", **env}, log_path
    )
    try:
        server.wait_ready()
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()


@pytest.fixture(scope="session")
def article_text() -> str:
    """About 50,000 characters of real text: an analysis takes seconds, so it is still running when we look."""
    return real_text(50_000)
