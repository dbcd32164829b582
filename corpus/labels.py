"""The label sets of every layer, in one place: the guideline, the converter and the checker all read these."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
# Actors are who can act or be acted upon by name: people, organisations and places acting as a polity.
ACTOR_TYPES = ("PER", "ORG", "LOC")
QUOTE_KINDS = ("direct", "indirect")
ACTOR_STANCES = ("positive", "negative")
ISSUE_POSITIONS = ("positive", "negative", "neutral")
GUIDELINE_VERSION = "1"


@cache
def issue_topics(topics_file: Path) -> tuple[str, ...]:
    """The 13 topic keys of ``issuepositions/topics.yml``, whose poles ``positive``/``negative`` refer to."""
    return tuple(yaml.safe_load(topics_file.read_text(encoding="utf-8")))
