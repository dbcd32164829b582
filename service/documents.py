"""What the pipeline is asked to analyse: a document and its options, as the request schema builds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Options:
    """Per-document analysis options (defaults match the request schema's)."""

    actor_types: frozenset[str] = frozenset({"PER", "ORG"})
    min_confidence: float = 0.0
    stances: bool = True
    check_language: bool = True


@dataclass(frozen=True)
class Document:
    """One article; ``id``, ``title`` and ``published_at`` are echoed in the result, never analysed."""

    text: str
    options: Options = Options()
    id: str | None = None
    title: str | None = None
    published_at: datetime | None = None
