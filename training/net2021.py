"""Actor-to-actor stance examples from the NET-method codings of Dutch 2021 election news (net2021).

net2021's ``statements.csv`` codes *who* supports or criticises *whom* (``CC`` statements: subject → object,
``dir`` p/n/o), but its subjects and objects are normalised categories (a party leader is coded as the
party), not spans. The sentence column ``txt`` keeps the coders' dictionary markup, ``[actor words]``,
``{[issue words]}``, ``<cue>`` and ``~negation|``, so the actor words are known, but not which category each
stands for. This module

1. strips the markup into a plain sentence with the character spans of the bracketed actor words,
2. learns a name → category mapping from the data itself: a name is mapped to the category that the
   statements of its sentences most often have as subject or object (``Rutte`` → ``VVD``), and
3. turns each statement whose subject and object both have a span into an example
   ``(sentence, source span, target span, position)``: the input the service's stance backend scores.

Nothing here is shipped: the text stays in the data folder, the model learns from it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from service.models.actor_stance import Span

DIRECTION_POSITIONS = {"p": "positive", "n": "negative", "o": "neutral"}
SPLIT_SHARES = {"dev": 0.2, "test": 0.2}
# A name is mapped to a category only when that category comes with it in at least this share of its
# statements and at least MIN_NAME_SUPPORT times (a name seen once says little).
MIN_CATEGORY_SHARE = 0.4
MIN_NAME_SUPPORT = 2
_SPAN_EDGE_PUNCTUATION = ".,;:!?'\"()"
_NAME_KEY = re.compile(r"\W+")


@dataclass(frozen=True, slots=True)
class Statement:
    """One coded statement: its sentence (markup kept), article, type, categories and direction."""

    doc_id: str
    type: str
    source: str
    subject: str
    object: str
    direction: str
    marked: str


@dataclass(frozen=True, slots=True)
class ParsedSentence:
    """A sentence without markup and the character spans of its bracketed actor words."""

    text: str
    actor_spans: tuple[Span, ...]

    def name(self, span: Span) -> str:
        return self.text[span[0] : span[1]]


@dataclass(frozen=True, slots=True)
class PairExample:
    """A training example: the source actor's stance toward the target actor in ``sentence``."""

    doc_id: str
    kind: str
    sentence: str
    source: Span
    target: Span
    position: str


def read_statements(path: str | Path) -> list[Statement]:
    """Every row of ``statements.csv`` (a row without a type is a sentence in which nothing was coded)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            Statement(
                doc_id=row["doc_id"],
                type=row["type"],
                source=row["src"],
                subject=row["subject"],
                object=row["object"],
                direction=row["dir"],
                marked=row["txt"],
            )
            for row in csv.DictReader(handle)
        ]


def parse_markup(marked: str) -> ParsedSentence:
    """The sentence without the coders' markup, and the spans of its actor words.

    Adjacent bracketed words (``[Gert-Jan] [Segers]``) form one span; brackets inside ``{…}`` mark issue
    words, not actors; a ``]`` without its ``[`` (the coders' markup is not always balanced) closes a span
    that starts at the beginning of its word; edge punctuation caught inside brackets (``[FvD.]``) is left
    out of the span.
    """
    out: list[str] = []
    spans: list[list[int]] = []
    open_at: int | None = None
    in_issue = False
    for char in marked:
        if char == "{":
            in_issue = True
        elif char == "}":
            in_issue = False
        elif char == "[":
            open_at = len(out)
        elif char == "]":
            start = open_at if open_at is not None else _word_start(out)
            if not in_issue:
                _add_span(out, spans, start, len(out))
            open_at = None
        elif char not in "<>~|":
            out.append(char)
    if open_at is not None and not in_issue:
        _add_span(out, spans, open_at, len(out))
    return ParsedSentence("".join(out), tuple((start, end) for start, end in spans))


def _word_start(chars: Sequence[str]) -> int:
    position = len(chars)
    while position > 0 and not chars[position - 1].isspace():
        position -= 1
    return position


def _add_span(chars: Sequence[str], spans: list[list[int]], start: int, end: int) -> None:
    """Trim edge punctuation/space, then merge with the previous span when only spaces separate them."""
    while start < end and (chars[start].isspace() or chars[start] in _SPAN_EDGE_PUNCTUATION):
        start += 1
    while end > start and (chars[end - 1].isspace() or chars[end - 1] in _SPAN_EDGE_PUNCTUATION):
        end -= 1
    if start == end:
        return
    if spans and spans[-1][1] <= start and not "".join(chars[spans[-1][1] : start]).strip():
        spans[-1][1] = end
    else:
        spans.append([start, end])


def name_key(name: str) -> str:
    """Lower case, punctuation and spaces folded: ``Gert-Jan Segers`` and ``gert jan segers`` are one name."""
    return _NAME_KEY.sub(" ", name.lower()).strip()


def actor_categories(statement: Statement) -> set[str]:
    """The actor categories a statement codes: its source, its subject, and for ``CC`` its object (the object
    of other types is an issue or a value, not an actor)."""
    coded = [statement.source, statement.subject, *([statement.object] if statement.type == "CC" else [])]
    return {c.strip() for c in coded if c.strip() and not c.startswith("?") and c != "journalist"}


@dataclass
class NameCategories:
    """Actor names → categories learned from the statements, and the surface forms to find unmarked names."""

    by_key: dict[str, str]
    surface_forms: tuple[str, ...]

    def category(self, name: str) -> str | None:
        """The whole name's category, else its last word's (``premier Mark Rutte``), else its first word's
        in a hyphenated name (``CDA-coryfee Henk Bleker``, ``ChristenUnie-voorstel``)."""
        key = name_key(name)
        if key in self.by_key:
            return self.by_key[key]
        words = key.split()
        if len(words) > 1 and words[-1] in self.by_key:
            return self.by_key[words[-1]]
        return self.by_key.get(words[0]) if len(words) > 1 and "-" in name else None

    @cached_property
    def _surface_pattern(self) -> re.Pattern[str]:
        """Any surface form as a whole word, longest first (``Mark Rutte`` before ``Rutte``)."""
        return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, self.surface_forms)) + r")(?!\w)")

    def find_unmarked(self, parsed: ParsedSentence) -> ParsedSentence:
        """``parsed`` with the known names the coders left unbracketed added as spans."""
        if not self.surface_forms:
            return parsed
        spans = list(parsed.actor_spans)
        for match in self._surface_pattern.finditer(parsed.text):
            if not any(match.start() < end and start < match.end() for start, end in spans):
                spans.append(match.span())
        return ParsedSentence(parsed.text, tuple(sorted(spans)))


def learn_name_categories(statements: Iterable[Statement]) -> NameCategories:
    """Actor names and the category each stands for, learned from which categories their sentences code.

    Per distinct sentence, each bracketed name counts once toward every actor category coded in that
    sentence's statements. Over all sentences the party leader's name comes with the party far more often
    than with any other category. A name equal to a category (``VVD``) is that category. Mapped names
    are also looked for where the coders did not bracket them.
    """
    categories_of: dict[str, set[str]] = defaultdict(set)
    for statement in statements:
        if statement.type:
            categories_of[statement.marked] |= actor_categories(statement)
    seen: Counter[str] = Counter()
    with_category: dict[str, Counter[str]] = defaultdict(Counter)
    surface: dict[str, set[str]] = defaultdict(set)
    for marked, coded in categories_of.items():
        parsed = parse_markup(marked)
        names = {parsed.name(span) for span in parsed.actor_spans}
        for key in {name_key(name) for name in names}:
            seen[key] += 1
            with_category[key].update(sorted(coded))
        for name in names:
            surface[name_key(name)].add(name)
    by_key = {}
    for key, counts in with_category.items():
        if counts:
            category, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
            if count >= MIN_NAME_SUPPORT and count / seen[key] >= MIN_CATEGORY_SHARE:
                by_key[key] = category
    all_categories = sorted(set().union(*categories_of.values()))
    by_key.update({name_key(c): c for c in all_categories})
    forms = {form for key in by_key for form in surface.get(key, ())}
    return NameCategories(by_key, tuple(sorted(forms, key=lambda form: (-len(form), form))))


def statement_pair(
    statement: Statement, source_category: str, target_category: str, names: NameCategories
) -> tuple[str, Span, Span] | None:
    """The sentence and the closest (source span, target span) whose names map to the two categories
    (spans outside brackets first).

    None when either category has no span in the sentence (the coder inferred it) or both are the same
    category (a stance toward oneself is not an actor-to-actor stance).
    """
    if source_category == target_category:
        return None
    parsed = names.find_unmarked(parse_markup(statement.marked))
    categories = [names.category(parsed.name(span)) for span in parsed.actor_spans]
    sources = [span for span, c in zip(parsed.actor_spans, categories) if c == source_category]
    targets = [span for span, c in zip(parsed.actor_spans, categories) if c == target_category]
    if not sources or not targets:
        return None
    source, target = min(
        ((s, t) for s in sources for t in targets),
        key=lambda pair: (_in_brackets(parsed.text, pair), max(pair[0][0], pair[1][0]) - min(pair[0][1], pair[1][1])),
    )
    return parsed.text, source, target


def _in_brackets(text: str, pair: tuple[Span, Span]) -> int:
    """How many of the pair's spans are a bracketed aside (``Rutte ( VVD )``): the name before it is the
    actor the sentence is about, and the one a reader (and the service) would mark."""
    return sum(text[:start].rstrip().endswith("(") for start, _ in pair)


def pair_examples(statements: Iterable[Statement], names: NameCategories) -> list[PairExample]:
    """``CC`` statements (subject → object) and ``EVA`` statements by an actor (source → evaluated subject)."""
    examples = []
    for statement in statements:
        if statement.direction not in DIRECTION_POSITIONS:
            continue
        if statement.type == "CC":
            categories = (statement.subject, statement.object)
        elif statement.type == "EVA" and statement.source in actor_categories(statement):
            categories = (statement.source, statement.subject)
        else:
            continue
        found = statement_pair(statement, *categories, names)
        if found is not None:
            sentence, source, target = found
            position = DIRECTION_POSITIONS[statement.direction]
            examples.append(PairExample(statement.doc_id, statement.type, sentence, source, target, position))
    return examples


def unrelated_examples(statements: Sequence[Statement], names: NameCategories) -> list[PairExample]:
    """Neutral examples (kind ``NONE``) for actor pairs that share a sentence but no coded relation.

    The service scores every pair an actor speaks about, most of which carry no stance; the coders coded
    every support or criticism they saw, so two actors of different categories in a sentence with no ``CC``
    or ``EVA`` statement linking them are such pairs. The first mention of each is marked, in text order.
    """
    related: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
    for statement in statements:
        key = (statement.doc_id, statement.marked)
        related.setdefault(key, set())
        if statement.type in ("CC", "EVA"):
            related[key].add(frozenset(actor_categories(statement)))
    examples = []
    for (doc_id, marked), linked in related.items():
        parsed = names.find_unmarked(parse_markup(marked))
        first_span: dict[str, Span] = {}
        for span in parsed.actor_spans:
            category = names.category(parsed.name(span))
            if category is not None:
                first_span.setdefault(category, span)
        mentioned = sorted(first_span.items(), key=lambda item: item[1])
        for i, (source_category, source) in enumerate(mentioned):
            for target_category, target in mentioned[i + 1 :]:
                if frozenset({source_category, target_category}) not in linked:
                    examples.append(PairExample(doc_id, "NONE", parsed.text, source, target, "neutral"))
    return examples
