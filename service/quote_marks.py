"""Direct quotes by their marks: the one reader of quote marks in the service.

A single scan over the quote marks of every Dutch style („…”, ,,…'', ,,…”, “…”, "…", '…', ’…’, «…»). Marks that
may be apostrophes ("z'n", "Rutte's", "'s avonds") only open or close where the characters around them allow it.
A quote left open at the end of a paragraph continues when the next paragraph opens with a quote mark (the Dutch
convention for quotes over several paragraphs); otherwise an unambiguous opener (,, „ «) gives a quote bounded
by its paragraph and an ambiguous one gives nothing. Outermost quotes only.

The pipeline reads the marks once per article (``Analysis.marked_quotes``): the quote stage attributes these
quotes, reference resolution reads their spans to know that "ik" and "hij" inside a quote speak from the
speaker's side (``quoted_spans``), and the language check leaves them out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

_MARK = re.compile(r",,|''|[„“”\"‘’'«»]|\n\s*")
_ALWAYS_OPENS = {",,": "double", "„": "double", "«": "guillemet"}
_ALWAYS_CLOSES = {"»": "guillemet"}
_FAMILY = {"''": "double", "”": "double", "“": "double", '"': "double", "'": "single", "‘": "single", "’": "single"}
_CONTINUATION_OPENERS = {
    "double": (",,", "„", "“", '"', "”"),
    "single": ("'", "‘", "’"),
    "guillemet": ("«",),
}
QUOTE_CHARS = set(",„“”\"‘’'«»")
_OPEN_CONTEXT = set("([{/—–-:;") | QUOTE_CHARS
_CLOSE_CONTEXT = set(".,;:!?)]}…—–-/") | QUOTE_CHARS
_CONTRACTION = re.compile(r"(?:[stnkmr]\b|\d\d\b)", re.IGNORECASE)
SENTENCE_FINAL = set(".!?…:")


@dataclass(slots=True)
class DirectQuote:
    """A direct quote's content span and the span of its marks."""

    start: int
    end: int
    mark_start: int
    mark_end: int


@dataclass(slots=True)
class _Open:
    mark_start: int
    content_start: int
    certain: bool
    sentence_initial: bool


def direct_quotes(text: str) -> list[DirectQuote]:
    """Content spans of direct quotes, outermost only, from one pass over the quote marks."""
    found: list[DirectQuote] = []
    open_by_family: dict[str, _Open] = {}
    skip_at = -1
    for match in _MARK.finditer(text):
        mark, start, end = match.group(), match.start(), match.end()
        if mark[0] == "\n":
            skip_at = _end_paragraph(text, start, end, open_by_family, found)
            continue
        if start == skip_at:
            continue
        family, can_open, can_close = _mark_role(text, mark, start, end)
        current = open_by_family.get(family)
        if current is not None and can_close:
            _close(text, current, start, end, found)
            del open_by_family[family]
            _drop_nested(open_by_family, current.mark_start)
        elif can_open:
            open_by_family[family] = _Open(start, end, mark in _ALWAYS_OPENS, _sentence_initial(text, start))
    _end_paragraph(text, len(text), len(text), open_by_family, found)
    return _outermost(found)


def _mark_role(text: str, mark: str, start: int, end: int) -> tuple[str, bool, bool]:
    """The family of a quote mark and whether it can open or close a quote where it stands."""
    if mark in _ALWAYS_OPENS:
        return _ALWAYS_OPENS[mark], True, False
    if mark in _ALWAYS_CLOSES:
        return _ALWAYS_CLOSES[mark], False, True
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() and after.isalnum():
        return _FAMILY[mark], False, False
    can_open = (before.isspace() or before in _OPEN_CONTEXT or start == 0) and not after.isspace()
    after_sentence = before.isspace() and start >= 2 and text[start - 2] in ".!?" and after.isspace()
    can_close = (not before.isspace() and start > 0 and (after.isspace() or after in _CLOSE_CONTEXT)) or after_sentence
    if _FAMILY[mark] == "single" and can_open and _CONTRACTION.match(text, end, end + 3):
        can_open = False
    return _FAMILY[mark], can_open and end < len(text), can_close


def _sentence_initial(text: str, start: int) -> bool:
    """Whether a mark opens at a paragraph start or after a colon or a sentence end: only such quotes may
    continue into the next paragraph."""
    index = start - 1
    while index >= 0 and text[index] in " \t\r":
        index -= 1
    return index < 0 or text[index] == "\n" or text[index] in SENTENCE_FINAL or text[index] in QUOTE_CHARS


def _close(text: str, opened: _Open, close_start: int, close_end: int, found: list[DirectQuote]) -> None:
    start, end = _trim(text, opened.content_start, close_start)
    if start < end:
        found.append(DirectQuote(start, end, opened.mark_start, close_end))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _drop_nested(open_by_family: dict[str, _Open], outer_start: int) -> None:
    """Quotes opened inside one that just closed and still open were never closed: forget them."""
    for family in [f for f, opened in open_by_family.items() if opened.mark_start > outer_start]:
        del open_by_family[family]


def _end_paragraph(text: str, start: int, end: int, open_by_family: dict[str, _Open], found: list[DirectQuote]) -> int:
    """Continue, bound or drop the quotes still open at a paragraph end; returns the position of a mark that
    continues a quote (to be skipped), or -1."""
    skip_at = -1
    for family, opened in list(open_by_family.items()):
        if _continues(text, start, end, family, opened):
            skip_at = end
            continue
        del open_by_family[family]
        if opened.certain:
            _close(text, opened, start, start, found)
    return skip_at


def _continues(text: str, start: int, end: int, family: str, opened: _Open) -> bool:
    if end >= len(text) or not opened.sentence_initial:
        return False
    last = start - 1
    while last > opened.content_start and text[last] in " \t\r":
        last -= 1
    return text[last] in SENTENCE_FINAL and text.startswith(_CONTINUATION_OPENERS[family], end)


def _outermost(found: list[DirectQuote]) -> list[DirectQuote]:
    """Drop quotes nested in (or overlapping) an earlier, enclosing one."""
    kept: list[DirectQuote] = []
    for quote in sorted(found, key=lambda q: (q.mark_start, -q.mark_end)):
        if not kept or quote.mark_start >= kept[-1].mark_end:
            kept.append(quote)
    return kept


def quoted_spans(quotes: Sequence[DirectQuote]) -> list[tuple[int, int]]:
    """The content spans of ``quotes`` (``direct_quotes``' answer), in order (for ``inside``)."""
    return [(quote.start, quote.end) for quote in quotes]


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` lies in one of ``spans`` (sorted, not overlapping)."""
    index = bisect_right(spans, (position, position)) - 1
    if index + 1 < len(spans) and spans[index + 1][0] == position:
        index += 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]
