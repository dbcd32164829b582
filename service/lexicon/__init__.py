"""Language knowledge as data: one small file per concept under ``nl/`` (speech verbs, roles, pronouns, ...).

The rules in ``service`` say how words are used; which words those are lives here, once, where a linguist can
read and extend a list without reading code (as spaCy keeps ``spacy/lang/nl/stop_words.py``).

A file ``nl/<concept>.txt`` holds one entry per line, lower case unless the file says it is matched as written.
A line that starts with ``#`` is a comment; each file opens with a header saying what the concept is, where its
entries came from, and the tags it uses ("# Tag feminine: ..."). An entry may carry tags after a colon ("zij:
feminine plural subject"), so that one concept keeps its variants together instead of in a file per variant.
Each file is read once per process, on first use at import time, never during a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType

LANGUAGE = "nl"


@cache
def entries(concept: str) -> Mapping[str, frozenset[str]]:
    """Every entry of ``concept`` with its tags (empty where it has none), in file order."""
    # Through the package, not a path on disk, so it also reads from a wheel or a zipped package.
    return parse_entries(files(__package__).joinpath(LANGUAGE, f"{concept}.txt").read_text(encoding="utf-8"))


def parse_entries(text: str) -> Mapping[str, frozenset[str]]:
    """Every entry of a text in this format (``entry: tags`` lines, ``#`` comments) with its tags, in order; also
    read by training for its own data files."""
    table: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            entry, _, tags = line.partition(":")
            table[entry.strip()] = frozenset(tags.split())
    return MappingProxyType(table)


def words(concept: str) -> frozenset[str]:
    """The entries of ``concept``, without their tags."""
    return frozenset(entries(concept))


def tagged(concept: str, tag: str) -> frozenset[str]:
    """The entries of ``concept`` that carry ``tag``."""
    return frozenset(entry for entry, tags in entries(concept).items() if tag in tags)
