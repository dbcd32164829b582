"""Sentence splitting and tokenisation that keep exact character offsets.

Every offset the API returns is computed here, against the text exactly as the caller sent it, so that
``text[start:end]`` always reproduces the token, sentence or entity. Training (``training/``) uses the same
tokeniser, so the models see the same token boundaries in training and in service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service import lexicon

# Words after which a full stop does not end a sentence ("dhr.", "o.a.").
_ABBREVIATIONS = lexicon.words("abbreviations")
_ABBREVIATION_WORDS = "|".join(sorted((a for a in _ABBREVIATIONS if "." not in a), key=len, reverse=True))

# Words keep inner hyphens and apostrophes ("PVV-stemmers", "z'n"), numbers keep their separators
# ("1.200,50"); every other non-space character is a token of its own, so ",," becomes two "," tokens,
# exactly as in the CoNLL-2002 training data. That data also keeps the full stop of an abbreviation or
# initial in its token ("St.", "dr.", "J.", "o.a.") and a number's hyphenated word ("39-jarige"), so the
# tagger reads "St. Petersburg" as it learned it: dotted letter runs ("o.a.", "J.P.", "z.g."), listed
# abbreviations with their stops ("prof.dr."), and a capital initial before the next word.
_TOKEN_PATTERN = re.compile(
    r"\d+(?:[.,:]\d+)*(?:-\w+)*"
    r"|(?:[^\W\d_]\.){2,}"
    rf"|\b(?![A-Z]{{2,}}\.)(?:(?i:{_ABBREVIATION_WORDS})\.)+(?![^\W\d_])"
    r"|[A-ZÀ-ÖØ-Þ]\.(?=\s+\w)"
    r"|\w+(?:[-'’]\w+)*"
    r"|[^\w\s]",
    re.UNICODE,
)
# Longest word the full-stop rule looks back at: no abbreviation or initials run is longer, and the cap keeps
# the look-back (and so the splitter) linear even in a text without spaces.
_MAX_ABBREVIATION_CHARS = 24
# A dotted run of single letters ("o.a", "z.g", "J.P", "prof.dr" ends in "dr"): an abbreviation or initials.
_DOTTED_LETTERS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_NON_SPACE = re.compile(r"\S")
# A sentence ends at final punctuation (with closing quotes/brackets), or at a single line break after a
# line that ends in a letter, digit or closing quote: a heading or pull-quote attribution ("Donald Trump")
# on its own line is not glued to the sentence under it.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]»]*|(?<=[\w\"'”’)\]»])[ \t]*\r?\n")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_OPENING_QUOTE = re.compile(r",,|[\"'„“‘«]")


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


def word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list, so long lexicons stay readable."""
    return frozenset(words.split())


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split ``text`` into tokens; ``offset`` is added to every span (for tokenising a slice)."""
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN_PATTERN.finditer(text)]


def _ends_sentence(text: str, stop_start: int, stop_end: int) -> bool:
    """Whether the punctuation (or line break) at ``text[stop_start:stop_end]`` ends a sentence.

    Looks only at the characters next to the stop and at most ``_MAX_ABBREVIATION_CHARS`` back (never
    rescans the text), so splitting stays linear in the text length.
    """
    if text[stop_end - 1] == "\n":
        return _opens_sentence(text, stop_end)
    if stop_end < len(text) and not text[stop_end].isspace():
        return False
    following = _NON_SPACE.search(text, stop_end)
    if following and following.group().islower():
        return False
    if text[stop_start] != ".":
        return True
    return not _is_abbreviation(_word_before(text, stop_start))


def _opens_sentence(text: str, position: int) -> bool:
    """Whether the next line (which starts at ``position``) can open a sentence: a capital, a digit or an
    opening quote (",," included). A lower-case start is a hard-wrapped line of the same sentence."""
    following = _NON_SPACE.search(text, position)
    if following is None:
        return False
    first = following.group()
    return first.isupper() or first.isdigit() or _OPENING_QUOTE.match(text, following.start()) is not None


def _word_before(text: str, position: int) -> str:
    """The word that ends at ``position``, without opening quotes or brackets; empty when it is longer than
    any abbreviation (the look-back stops there)."""
    word_start = position
    limit = max(0, position - _MAX_ABBREVIATION_CHARS)
    while word_start > limit and not text[word_start - 1].isspace():
        word_start -= 1
    if word_start > 0 and not text[word_start - 1].isspace():
        return ""
    return text[word_start:position].lstrip("(\"'‘“„")


def _is_abbreviation(word: str) -> bool:
    """A listed abbreviation ("st", "dr"), an initial ("j"), or a dotted letter run ("o.a", "j.p", "z.g")
    whose last part is listed or a single letter ("prof.dr"). An empty word (a lone stop) is none, and so is
    an acronym in capitals ("ING", "MIN"): a name, not "ing." or "min."."""
    if not word or (len(word) > 1 and word.isupper() and word.isalpha()):
        return False
    word = word.lower()
    last_part = word.rsplit(".", 1)[-1]
    is_letter = len(last_part) == 1 and last_part.isalpha()
    return (
        word in _ABBREVIATIONS
        or last_part in _ABBREVIATIONS
        or (is_letter and (len(word) == 1 or _DOTTED_LETTERS.fullmatch(word) is not None))
    )


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences: paragraph breaks, sentence-final punctuation and heading lines split."""
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
