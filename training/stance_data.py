"""The stance training data: issuepositions units, their document split, and unlabeled news windows.

Units are read through the service's own ``normalise_window`` and news windows are built by the service's own
window code (``service.models.stance_features``), so the model is trained on exactly the text it serves.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from service.models.stance_features import normalise_window, plain_text, stance_window
from service.text import split_sentences
from training.corpora import split_documents

SEED = 13
POLE_POSITIONS = {"L": "positive", "R": "negative", "N": "neutral"}
SPLIT_SHARES = {"dev": 0.15, "test": 0.15}

# The topics the model is trained on, each with word stems: windows from the unlabeled news that match any
# stem may be about a topic, so they are never used as "none" examples for the relevance gate (Dutch
# compounds: substring match, lower case).
TOPIC_KEYWORDS = {
    "immigration": "asiel migra migrant immigr vluchteling statushouder azc nareiz integratie inburger expat "
    "vreemdeling grens islam moslim",
    "civil_rights": "discrimin racis homo lhbt lgbt transgender gender abortus euthanas meningsuiting "
    "privacy gelijke rechten antisemit religi geloof christ gezin vrijheid woke kerk moskee",
    "environment": "klimaat milieu co2 uitstoot duurza energie natuur zonne windmol windpark kerncentrale "
    "kernenerg fossiel aardgas gaswinning vervuil dierenwelzijn biomassa isolat",
    "economic": "belasting loon lonen pensioen uitkering armoede toeslag bestaanszeker inkomen koopkracht "
    "begroting bezuinig ondernemer btw werkloos econom zekerheid staatsschuld huur mkb arbeidsmarkt salaris",
    "agriculture": "boer landbouw stikstof veestapel platteland veehoud melkvee mest glastuin visserij",
    "education": "onderwijs school scholen leraar leraren docent student universiteit hogeschool "
    "studiefinanc basisbeurs cultuur omroep wetenschap museum kunst",
    # Topics trained on net2021 issue positions only (training.net2021_issues maps their categories).
    "health": "zorg ziekenhui gezondheid patiënt huisarts verpleeg medisch ggd corona vaccin",
    "eu": "europ brussel eurozone vrijhandel handelsverdrag nexit",
    "housing": "woning huizen hypothe corporatie dakloos",
    "government": "democratie grondwet referendum kiesstelsel bestuurlijk rechtsstaat",
    "order": "politie misdaad crimin strafrecht straffen gevangen terroris veiligheid justitie drugs rechter",
    "infrastructure": "snelweg verkeer trein spoor schiphol luchtvaart vliegveld fiets",
}
# In the order of the gate's columns; written to the model's metadata.json, where the service and the
# evaluation read them from.
TOPICS: tuple[str, ...] = tuple(TOPIC_KEYWORDS)
_KEYWORD_PATTERN = re.compile("|".join(re.escape(k) for v in TOPIC_KEYWORDS.values() for k in v.split()))


@dataclass(frozen=True, slots=True)
class Unit:
    """One coded unit: the actor's window, its topic id and the majority position."""

    unit_id: str
    doc: str
    topic: str
    window: str
    position: str
    agreement: float


def topic_id(name: str) -> str:
    """``CivilRights`` -> ``civil_rights``, ``EU`` -> ``eu`` (topics.yml keys to the service's topic ids)."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


def read_units(path: str | Path) -> list[Unit]:
    """units.csv rows as :class:`Unit`, windows normalised exactly as the service normalises its own."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            Unit(
                unit_id=row["unit_id"],
                doc=row["unit_id"].split("-", 1)[0],
                topic=topic_id(row["topic"]),
                window=normalise_window(row["text"]),
                position=POLE_POSITIONS[row["majority"]],
                agreement=float(row["agreement"]),
            )
            for row in csv.DictReader(handle)
        ]


def document_split(units: Sequence[Unit], seed: int = SEED) -> dict[str, list[Unit]]:
    """Train/dev/test by document (shuffled sorted doc ids), so no article contributes to two splits."""
    return split_units(units, split_documents((u.doc for u in units), seed, SPLIT_SHARES))


def split_units(units: Sequence[Unit], split: dict[str, str]) -> dict[str, list[Unit]]:
    """The units of each split, given each document's split."""
    splits: dict[str, list[Unit]] = {"train": [], "dev": [], "test": []}
    for unit in units:
        splits[split[unit.doc]].append(unit)
    return splits


def pairs(units: Sequence[Unit]) -> list[tuple[str, str]]:
    return [(u.window, u.topic) for u in units]


def read_articles(path: str | Path) -> Iterator[tuple[str, str]]:
    """``(id, title + body)`` of every non-empty article (kept whole, so the split is by article)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            text = "\n\n".join(part for part in (article.get("title"), article.get("text")) if (part or "").strip())
            if text:
                yield str(article["id"]), text


def article_split(article_id: str) -> str:
    """A stable train/dev/test assignment of an article (hash of its id: independent of file order)."""
    bucket = int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def sentence_windows(text: str) -> list[str]:
    """A window per sentence, built by the service's window code (first token marked; the gate strips it)."""
    sentences = split_sentences(text)
    return [stance_window(text, sentences, i, s.tokens[0].start, s.tokens[0].end) for i, s in enumerate(sentences)]


def news_windows(path: str | Path) -> dict[str, list[str]]:
    """All sentence windows of the unlabeled news per article split."""
    windows: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    for article_id, text in read_articles(path):
        windows[article_split(article_id)].extend(sentence_windows(text))
    return windows


def is_off_topic(window: str) -> bool:
    return _KEYWORD_PATTERN.search(plain_text(window).lower()) is None


def sample(items: Sequence[str], k: int, seed: int) -> list[str]:
    return random.Random(seed).sample(list(items), min(k, len(items)))
