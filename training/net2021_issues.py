"""Issue-stance units from the NET ``IP`` (issue position) statements of net2021, in the issuepositions format.

The issuepositions ``units.csv`` covers six codebook topics; net2021 codes 2,426 issue positions (actor →
issue category, ``dir`` p/n/o) of Dutch 2021 election news, several of them on topics the units lack (health,
EU, housing, government, law and order, infrastructure). This module

1. maps each NET issue category to a codebook topic and tells which codebook pole a ``p`` (the actor is *for*
   what the category names) stands for (:data:`ISSUE_TOPICS`); ``n`` is the other pole, ``o`` neutral;
2. marks the statement's actor (its ``subject`` category) in the sentence the way units mark theirs
   (``**…**``), finding the category's words through the name → category mapping learned from the data
   itself (``training.net2021.learn_name_categories``: a party leader's name maps to the party), and
3. builds the units' three-sentence window (previous + marked sentence + next, from the same article).

A statement whose category is unmapped (see :data:`UNMAPPED_ISSUES`) or whose subject has no words in the
sentence (the coder inferred the actor) gives no unit. Units are identified by ``net2021-<doc_id>`` and split by
article, stratified by topic (:func:`stratified_article_split`), so every article stays whole in one split, for
the stance units and for the relevance gate's topical windows (:func:`topical_windows`, every sentence coded
with a topic's category).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.models.stance_features import MARK, normalise_window
from training.net2021 import NameCategories, learn_name_categories, parse_markup, read_statements
from training.stance_data import SPLIT_SHARES, Unit, article_split

DOC_PREFIX = "net2021-"


@dataclass(frozen=True, slots=True)
class IssueMapping:
    """A NET issue category's codebook topic and the codebook pole (``positive``/``negative``) of ``dir = p``.

    ``pole_of_p = None``: the pole depends on what the statement is about; it is read from the statement's
    issue words (``{[…]}`` markup) by :func:`infrastructure_pole`.
    """

    topic: str
    pole_of_p: str | None
    why: str


# NET category → codebook topic (service id) and pole. Decided from the categories' names and a reading of
# their statements' ``txt`` markup (issue words, cue words, direction).
ISSUE_TOPICS: dict[str, IssueMapping] = {
    "klimaatMilieu": IssueMapping("environment", "positive", "for climate/environment measures = L"),
    "socZek": IssueMapping("economic", "positive", "for social security, benefits, pensions = L"),
    "belastHeffing": IssueMapping("economic", "positive", "for (higher) taxes and levies; tax reduction is R"),
    "ondernemingsklimaat": IssueMapping("economic", "negative", "for business and entrepreneurs = R"),
    "OenW": IssueMapping("education", "positive", "for (investing in) education and science = L"),
    "integratie": IssueMapping(
        "immigration", "positive", "for refugees, integration, against racism = L (multiculturalism)"
    ),
    "normenWaarden": IssueMapping(
        "civil_rights", "positive", "coded p for equality and anti-discrimination, n for racist talk = L"
    ),
    "vrijheidsrechten": IssueMapping("civil_rights", "positive", "for freedoms and individual rights = L"),
    "geZorg": IssueMapping("health", "positive", "for (investing in) health care = L (affordable care)"),
    "EuropeseUnie": IssueMapping("eu", "positive", "for the EU / European cooperation = L; leaving the EU is R"),
    "woning": IssueMapping("housing", "positive", "for more (rental, social) housing, against rent rises = L"),
    "bestVernieuw": IssueMapping("government", "positive", "for democracy and administrative renewal = L"),
    "bestrijdingCrim": IssueMapping("order", "negative", "for fighting crime, arrests, punishment = R"),
    "terreurbestrijding": IssueMapping("order", "negative", "for counter-terrorism = R"),
    "infrastructuur": IssueMapping(
        "infrastructure", None, "pole from the issue words: public transport/bike = L, roads/aviation = R"
    ),
}

# Categories with IP statements that give no unit, and why (documented in the model card).
UNMAPPED_ISSUES: dict[str, str] = {
    "corobestrijding": "corona measures: the codebook has no pole for strict vs. loose pandemic measures "
    "(support is health-framed, opposition freedom-framed), so p/n cannot be placed on one topic's axis",
    "coroverspreiding": "spread of the virus: a development, not a position on a policy",
    "campagne": "the campaign itself (polls, debates, coalitions): not an issue (codebook hint: party politics "
    "is no issue position)",
    "werk": "jobs and employment: claimed by both economic poles (more jobs is neither L nor R)",
    "begrotingssaldo": "budget balance: coded p both for austerity and for more spending in the statements read",
    "ontwikkelingCrim": "crime as a development (suspects, vandalism): mostly events, not positions on policy",
    "ontwikHulp": "development aid (defense topic, L): only 2 statements, too few to train or score",
    "": "no issue category coded (1,058 statements): no topic to map to",
}

# What a sentence is *about*, for the relevance gate (no pole needed): the mapped categories, plus categories
# that name a topic's subject matter without a usable pole.
ABOUT_TOPICS: dict[str, str] = {
    **{category: mapping.topic for category, mapping in ISSUE_TOPICS.items()},
    "ontwikkelingCrim": "order",
    "werk": "economic",
    "begrotingssaldo": "economic",
}

# The codebook's topics (topics.yml keys) as the service names them.
CODEBOOK_TOPICS: dict[str, str] = {
    "Defense": "defense",
    "Health": "health",
    "Agriculture": "agriculture",
    "Government": "government",
    "Economic": "economic",
    "Infrastructure": "infrastructure",
    "Immigration": "immigration",
    "Education": "education",
    "CivilRights": "civil_rights",
    "Environment": "environment",
    "Housing": "housing",
    "Order": "order",
    "EU": "eu",
}

_PUBLIC_TRANSPORT = re.compile(r"\bov\b|trein|tram|lightrail|spoor|fiets|openbaar|duurzaam transport")
_ROADS_AVIATION = re.compile(r"\bweg|snelweg|auto\b|maximumsnelheid|schiphol|airport|luchtvaart|vlucht|\bklm\b")
_ISSUE_WORDS = re.compile(r"\{([^}]*)\}")
_SPACE_BEFORE = re.compile(r" ([.,;:!?)”’])")
_SPACE_AFTER = re.compile(r"([(„“‘]) ")


@dataclass(frozen=True, slots=True)
class IssueStatement:
    """One ``IP`` row: its article, sentence number, actor category, direction, categories and markup."""

    doc_id: str
    sentence: int
    subject: str
    direction: str
    categories: tuple[str, ...]
    marked: str


def read_issue_statements(path: str | Path) -> list[IssueStatement]:
    """The ``IP`` rows of ``statements.csv`` (categories: ``issue2`` first, then ``issue``, tabs stripped)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            IssueStatement(
                doc_id=row["doc_id"],
                sentence=int(row["sentence"]),
                subject=row["subject"].strip(),
                direction=row["dir"].strip(),
                categories=tuple(dict.fromkeys(c.strip() for c in (row["issue2"], row["issue"]) if c.strip())),
                marked=row["txt"],
            )
            for row in csv.DictReader(handle)
            if row["type"] == "IP"
        ]


def infrastructure_pole(marked: str) -> str | None:
    """The pole of ``p`` for an infrastructure statement: public transport/bike issue words → ``positive``,
    roads/cars/aviation → ``negative``; both or neither → None (no clear axis)."""
    words = " ".join(_ISSUE_WORDS.findall(marked)).lower()
    transit, roads = bool(_PUBLIC_TRANSPORT.search(words)), bool(_ROADS_AVIATION.search(words))
    if transit == roads:
        return None
    return "positive" if transit else "negative"


def statement_topic_position(statement: IssueStatement) -> tuple[str, str] | None:
    """``(topic, position)`` of the first mapped category of the statement, or None when none is mapped
    (or its pole cannot be read) or the direction is not p/n/o."""
    if statement.direction not in ("p", "n", "o"):
        return None
    for category in statement.categories:
        mapping = ISSUE_TOPICS.get(category)
        if mapping is None:
            continue
        pole = mapping.pole_of_p or infrastructure_pole(statement.marked)
        if pole is None:
            return None
        if statement.direction == "o":
            return mapping.topic, "neutral"
        other = "negative" if pole == "positive" else "positive"
        return mapping.topic, pole if statement.direction == "p" else other
    return None


def detokenise(text: str) -> str:
    """NET sentences are tokenised (``Rutte .``): glue punctuation back as news text writes it."""
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


def marked_sentence(marked: str, subject: str, names: NameCategories) -> str | None:
    """The plain sentence with the first words of the ``subject`` category wrapped in ``**…**``.

    Where no words map to the subject but the sentence has exactly one actor span whose words map to no
    category at all (``[minister] [Ollongren]`` for ``kabinet``: the data maps her name nowhere), that span is
    the actor the coder saw. None when the subject has no words in the sentence (the coder inferred it).
    """
    parsed = names.find_unmarked(parse_markup(marked))
    categories = [names.category(parsed.text[start:end]) for start, end in parsed.actor_spans]
    chosen = next((span for span, c in zip(parsed.actor_spans, categories) if c == subject), None)
    if chosen is None and len(parsed.actor_spans) == 1 and categories[0] is None:
        chosen = parsed.actor_spans[0]
    if chosen is None:
        return None
    start, end = chosen
    return parsed.text[:start] + MARK + parsed.text[start:end] + MARK + parsed.text[end:]


def sentence_texts(path: str | Path) -> dict[tuple[str, int], str]:
    """Every sentence of every article, without markup: ``(doc_id, sentence number) → text``."""
    texts: dict[tuple[str, int], str] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.setdefault((row["doc_id"], int(row["sentence"])), parse_markup(row["txt"]).text)
    return texts


def issue_units(path: str | Path) -> tuple[list[Unit], dict[str, int]]:
    """Units from the mapped ``IP`` statements, and counts of what was kept and dropped (for the card).

    Duplicate statements (same sentence, actor, topic and direction: coders sometimes coded twice) count
    once. Agreement is 1.0 (one coder per statement).
    """
    names = learn_name_categories(read_statements(path))
    texts = sentence_texts(path)
    counts: Counter[str] = Counter()
    units: dict[str, Unit] = {}
    for statement in read_issue_statements(path):
        counts["ip_statements"] += 1
        mapped = statement_topic_position(statement)
        if mapped is None:
            counts["unmapped"] += 1
            continue
        sentence = marked_sentence(statement.marked, statement.subject, names)
        if sentence is None:
            counts["actor_not_in_sentence"] += 1
            continue
        topic, position = mapped
        unit_id = f"{DOC_PREFIX}{statement.doc_id}-{statement.sentence}-{statement.subject}-{topic}-{position}"
        if unit_id in units:
            counts["duplicate"] += 1
            continue
        window = window_text(texts, statement.doc_id, statement.sentence, sentence)
        units[unit_id] = Unit(unit_id, DOC_PREFIX + statement.doc_id, topic, window, position, 1.0)
    counts["units"] = len(units)
    return list(units.values()), dict(counts)


def window_text(texts: dict[tuple[str, int], str], doc_id: str, sentence: int, marked: str) -> str:
    """Previous sentence + marked sentence + next sentence of the article, as units.csv windows read."""
    parts = [texts.get((doc_id, sentence - 1), ""), marked, texts.get((doc_id, sentence + 1), "")]
    return normalise_window(detokenise(" ".join(p for p in parts if p)))


def stratified_article_split(units: Sequence[Unit]) -> dict[str, str]:
    """``net2021-<doc_id>`` → ``train``/``dev``/``test``, whole articles, stratified by topic.

    Some topics have a handful of NET units, so a plain shuffle can leave them out of test (no per-topic
    score) or out of train. Each article is grouped under its rarest topic; within a group (ordered by a hash
    of the id) the first 15 % (at least one, from two articles on) go to test, the next 15 % (at least one,
    from three articles on) to dev, the rest to train.
    """
    per_topic = Counter(u.topic for u in units)
    topics_of: dict[str, set[str]] = {}
    for unit in units:
        topics_of.setdefault(unit.doc, set()).add(unit.topic)
    groups: dict[str, list[str]] = {}
    for doc, topics in topics_of.items():
        groups.setdefault(min(topics, key=lambda t: (per_topic[t], t)), []).append(doc)
    split: dict[str, str] = {}
    for docs in groups.values():
        docs.sort(key=lambda d: hashlib.sha256(d.encode()).hexdigest())
        n_test = max(1, round(len(docs) * SPLIT_SHARES["test"])) if len(docs) >= 2 else 0
        n_dev = max(1, round(len(docs) * SPLIT_SHARES["dev"])) if len(docs) >= 3 else 0
        for rank, doc in enumerate(docs):
            split[doc] = "test" if rank < n_test else "dev" if rank < n_test + n_dev else "train"
    return split


def topical_windows(path: str | Path, split: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Relevance-gate positives per split: ``(window, topic)`` for every coded sentence (any statement type)
    whose issue category is about a topic (:data:`ABOUT_TOPICS`), each pair once. An article keeps the split
    of its units (``split``); one without units goes by a hash of its id."""
    texts = sentence_texts(path)
    pairs: dict[str, dict[tuple[str, str], None]] = {"train": {}, "dev": {}, "test": {}}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            doc_id, sentence = row["doc_id"], int(row["sentence"])
            for category in {row["issue2"].strip(), row["issue"].strip()} & set(ABOUT_TOPICS):
                window = window_text(texts, doc_id, sentence, texts[(doc_id, sentence)])
                doc = DOC_PREFIX + doc_id
                pairs[split.get(doc) or article_split(doc)][(window, ABOUT_TOPICS[category])] = None
    return {split: list(found) for split, found in pairs.items()}


def topic_counts(units: Sequence[Unit]) -> dict[str, dict[str, int]]:
    """Units per topic and position (for the card)."""
    counts: dict[str, Counter[str]] = {}
    for unit in units:
        counts.setdefault(unit.topic, Counter())[unit.position] += 1
    return {topic: dict(c) for topic, c in sorted(counts.items())}
