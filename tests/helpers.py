"""Paths, real text and servers that several test modules share (conftest modules only define fixtures)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from bench.harness import read_articles
from bench.server import GunicornServer, running_server
from service.config import PROJECT_ROOT

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
SAMPLE_ARTICLE = SHARED_DATA / "samples" / "helsinki-2018-07.txt"
SHIPPED_NER = PROJECT_ROOT / "models" / "ner-nl-compact" / "model.pt"
SHIPPED_STANCE = PROJECT_ROOT / "models" / "stance-nl-compact"


def real_text(chars: int) -> str:
    """At least ``chars`` characters of real Dutch news text (whole articles joined by blank lines), cut."""
    parts: list[str] = []
    total = 0
    for article in read_articles():
        parts.append(article["text"])
        total += len(article["text"]) + 2
        if total >= chars:
            break
    return "\n\n".join(parts)[:chars]


def tiny_model_server(tagger: Path, log_path: Path, **env: str) -> AbstractContextManager[GunicornServer]:
    """A ready gunicorn server (one worker) on ``tagger`` and the shipped stance model, stopped afterwards."""
    return running_server(
        {"NER_MODEL": str(tagger), "STANCE_MODEL": str(SHIPPED_STANCE), "WEB_CONCURRENCY": "1", **env}, log_path
    )
