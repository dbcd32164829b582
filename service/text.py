"""Sentence splitting and tokenisation that keep exact character offsets.

Every offset the API returns is computed here, against the text exactly as the caller sent it, so that
``text[start:end]`` always reproduces the token, sentence or entity. Training (``training/``) uses the same
tokeniser, so the models see the same token boundaries in training and in service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words keep inner hyphens and apostrophes ("PVV-stemmers", "z'n"), numbers keep their separators
# ("1.200,50"); every other non-space character is a token of its own, so ",," becomes two "," tokens,
# exactly as in the CoNLL-2002 training data.
_TOKEN_PATTERN = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "dhr",
        "mevr",
        "mw",
        "mr",
        "dr",
        "drs",
        "ir",
        "ing",
        "prof",
        "ds",
        "st",
        "nr",
        "blz",
        "bijv",
        "bv",
        "enz",
        "etc",
        "ca",
        "vs",
        "jl",
        "jr",
        "sr",
        "mln",
        "mld",
        "mrd",
        "min",
        "max",
        "resp",
        "incl",
        "excl",
        "zgn",
        "evt",
        "aug",
        "sept",
        "okt",
        "nov",
        "dec",
        "jan",
        "feb",
        "febr",
        "mrt",
        "apr",
        "jun",
        "jul",
        "tel",
        "vgl",
        "o.a",
        "d.w.z",
        "i.p.v",
        "m.b.t",
        "t.o.v",
        "a.s",
        "z.g.a.n",
    ]
)
_NON_SPACE = re.compile(r"\S")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n\s*\r\n")


@dataclass(frozen=True, slots=True)
class Token:
    """A token with its character span in the original text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its span in the original text and its tokens (offsets also into the original)."""

    start: int
    end: int
    tokens: tuple[Token, ...]


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into tokens; ``offset`` is added to every span (for tokenising a slice)."""
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN_PATTERN.finditer(text)]


def _ends_sentence(text: str, stop_start: int, stop_end: int) -> bool:
    """Whether the punctuation at ``text[stop_start:stop_end]`` ends a sentence.

    Looks only at the characters next to the stop (never rescans the text), so splitting stays linear in
    the text length.
    """
    if stop_end < len(text) and not text[stop_end].isspace():
        return False
    following = _NON_SPACE.search(text, stop_end)
    if following and following.group().islower():
        return False
    if text[stop_start] != ".":
        return True
    word_start = stop_start
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    previous = text[word_start:stop_start].lower().lstrip("(\"'‘“")
    if not previous:
        return True
    is_initial = len(previous) == 1 and previous.isalpha()
    return previous not in _ABBREVIATIONS and not is_initial


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences: paragraph breaks and sentence-final punctuation split."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _paragraph_spans(text):
        start = block_start
        for match in _SENTENCE_END.finditer(text, block_start, block_end):
            if _ends_sentence(text, match.start(), match.end()):
                spans.append((start, match.end()))
                start = match.end()
        spans.append((start, block_end))
    return [_strip_span(text, s, e) for s, e in spans if text[s:e].strip()]


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into tokenised sentences whose offsets index ``text`` itself."""
    sentences = []
    for start, end in _sentence_spans(text):
        tokens = tuple(tokenize(text[start:end], offset=start))
        if tokens:
            sentences.append(Sentence(start, end, tokens))
    return sentences
