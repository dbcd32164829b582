"""From an annotator's surface strings to character offsets, refusing anything that is not found exactly.

Annotators are good at saying *what* a span is and poor at counting characters, so they write the words and, when
the words occur more than once, a longer anchor around them (``near``) or which occurrence they mean. A span given
by ``from``/``to`` runs from the start of one anchor to the end of the next occurrence of the other, so a long quote
needs only its first and last words. Matching ignores the kind of quote mark and of space (``’`` = ``'``,
``„`` = ``"``, a no-break space = a space) because annotators retype them; it maps one character to one character,
so offsets found in the normalised text index the original.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

_SAME_AS = str.maketrans({"‘": "'", "’": "'", "‚": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                          "«": '"', "»": '"', "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ", "\n": " ",
                          "–": "-", "—": "-", "‐": "-", "‑": "-"})  # fmt: skip


# A quote or evidence span longer than this is an anchor that matched too far away.
MAX_SPAN_CHARS = 3000


class SpanError(ValueError):
    """A span the article does not contain exactly as specified; the message says what to change."""


def normalise(text: str) -> str:
    """``text`` with quote marks, dashes and spaces of every kind made one kind each; same length as ``text``."""
    return text.translate(_SAME_AS)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "-"


def _occurrences(haystack: str, needle: str, start: int = 0, end: int | None = None) -> Iterator[int]:
    """Start offsets of ``needle`` in ``haystack[start:end]`` as a whole word: no letter, digit or hyphen glued
    to either side (so "Trump" is not found inside "Trumps" or "Trump-regering")."""
    end = len(haystack) if end is None else end
    position = haystack.find(needle, start, end)
    while position != -1:
        after = position + len(needle)
        glued_before = position > 0 and _is_word_char(haystack[position - 1]) and _is_word_char(needle[0])
        glued_after = after < len(haystack) and _is_word_char(haystack[after]) and _is_word_char(needle[-1])
        if not glued_before and not glued_after:
            yield position
        position = haystack.find(needle, position + 1, end)


def _clean(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpanError(f"{field!r} must be a non-empty string, got {value!r}")
    return normalise(value.strip())


def _one(haystack: str, needle: str, what: str, start: int = 0, end: int | None = None) -> int:
    found = list(_occurrences(haystack, needle, start, end))
    if len(found) != 1:
        where = "in the article" if start == 0 and end is None else "inside its 'near' anchor"
        fix = "copy it exactly" if not found else "give a longer 'near' anchor or an 'occurrence'"
        raise SpanError(f"{what} {needle!r} occurs {len(found)} times {where}; {fix}")
    return found[0]


def _window(text: str, spec: Mapping[str, Any]) -> tuple[int, int]:
    """The part of the article a span must lie in: the unique ``near`` anchor, or the whole text."""
    if "near" not in spec:
        return 0, len(text)
    near = _clean(spec["near"], "near")
    start = _one(text, near, "near anchor")
    return start, start + len(near)


def resolve_all(text: str, spec: Mapping[str, Any]) -> list[tuple[int, int]]:
    """Every span a mention spec names: all whole-word occurrences of ``text`` (the default for names, which
    repeat), or the single one that ``near`` or ``occurrence`` picks."""
    if "near" in spec or "occurrence" in spec or "from" in spec:
        return [resolve_one(text, spec)]
    haystack = normalise(text)
    needle = _clean(spec.get("text"), "text")
    found = [(s, s + len(needle)) for s in _occurrences(haystack, needle)]
    if not found:
        raise SpanError(f"text {needle!r} does not occur in the article as a whole word; copy it exactly")
    return found


def resolve_one(text: str, spec: Mapping[str, Any]) -> tuple[int, int]:
    """Exactly one span: ``{"text"}`` unique in the article, ``{"text", "near"}`` unique inside the anchor,
    ``{"text", "occurrence": n}`` the n-th (1-based) whole-word occurrence, or ``{"from", "to"}`` (optionally
    with ``near``) from the start of ``from`` to the end of the first ``to`` that ends at or after it."""
    if not isinstance(spec, Mapping):
        raise SpanError(f"a span must be an object like {{'text': ...}}, got {spec!r}")
    haystack = normalise(text)
    window_start, window_end = _window(haystack, spec)
    if "from" in spec:
        return _from_to(haystack, spec, window_start, window_end)
    needle = _clean(spec.get("text"), "text")
    if "occurrence" in spec:
        found = list(_occurrences(haystack, needle, window_start, window_end))
        index = spec["occurrence"]
        if not isinstance(index, int) or not 1 <= index <= len(found):
            raise SpanError(f"occurrence {index!r} of {needle!r}: it occurs {len(found)} times as a whole word")
        start = found[index - 1]
    else:
        start = _one(haystack, needle, "text", window_start, window_end)
    return start, start + len(needle)


def _from_to(haystack: str, spec: Mapping[str, Any], window_start: int, window_end: int) -> tuple[int, int]:
    """``from`` must be unique in its window; ``to`` is its first occurrence that ends after ``from`` ends
    (the span may run past the ``near`` anchor, which only places ``from``)."""
    first = _clean(spec.get("from"), "from")
    last = _clean(spec.get("to"), "to")
    start = _one(haystack, first, "from anchor", window_start, window_end)
    end = haystack.find(last, start)
    while end != -1 and end + len(last) < start + len(first):
        end = haystack.find(last, end + 1)
    if end == -1:
        raise SpanError(f"to anchor {last!r} does not occur after from anchor {first!r}; copy it exactly")
    if end + len(last) - start > MAX_SPAN_CHARS:
        raise SpanError(f"span from {first!r} to {last!r} is over {MAX_SPAN_CHARS} characters; check the anchors")
    return start, end + len(last)
