"""Article texts joined by id from ``../shared/data/news2019`` (the corpus stores no text)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def news2019_path(shared: Path = DEFAULT_SHARED) -> Path:
    return shared / "news2019" / "articles.jsonl.gz"


def topics_path(shared: Path = DEFAULT_SHARED) -> Path:
    return shared / "issuepositions" / "topics.yml"


def iter_news2019(path: Path) -> Iterator[dict]:
    """Every ``{id, title, text}`` item of the gzipped JSONL, ``text`` never ``None``."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            item["text"] = item.get("text") or ""
            yield item


def load_texts(ids: Iterable[str], path: Path) -> dict[str, str]:
    """The ``text`` of each wanted article; ids the file does not hold are simply absent from the result."""
    wanted = set(ids)
    return {item["id"]: item["text"] for item in iter_news2019(path) if item["id"] in wanted}
