"""Grouping mentions into actors ("Donald Trump" = "Trump" = "Trumps" = "hij" = "de Amerikaanse president"),
and their salience.

Names group first, across the tagger's types, because the tagger types each mention alone ("Poetin" PER in
one sentence, ORG in the next) while the words of a name say who it is. Rules, in order of evidence:

- A longer name founds an actor. A shorter mention joins the actor named exactly like it (ignoring case and
  accents: "Guaido" = "Guaidó"); else, after removing a genitive or possessive ("Trumps", "Poetins",
  "Rutte's", "Wilders'"), the actor named exactly like that; else, if the actor was founded by a person name
  (PER), the one whose name ends with its words ("Trump", "Van der Bellen") or, for a single word, the one
  whose name starts with it ("Ivanka"). A surname shared by two founded names ("Donald Trump", "Ivanka
  Trump") is ambiguous: a bare "Trump" then joins neither. A person's leading title is no part of the name
  ("Eurocommissaris Timmermans" joins "Frans Timmermans").
- An organisation's longer name founds it too; a single word that opens or closes exactly one such name joins
  it ("Forum" → "Forum voor Democratie", "Kamer" → "Tweede Kamer"), unless the tagger was confident the word
  is a person or place. Hyphens separate words, so "Al-Qaida" and "Al Qaida" are one name.
- Joining a person by part of the name works whatever type the tagger gave that one mention, unless the tagger
  was confident (``CONFIDENT``) of another type: "Washington" LOC at 0.99 is the city, not George Washington.
  A genitive typed MISC still joins ("Trumps" MISC 0.87): CoNLL-2002, which the tagger learnt from, tags a
  person's genitive as MISC.
- An organisation named "ministerie van Defensie" also goes by "Defensie" (the words after an opener of
  ``service/lexicon/nl/name_openers_dropped.txt`` and "van"), exactly as if that were its name.
- An abbreviation joins the one organisation or place whose longer name its letters spell as the initials of
  all the name's words or, three letters or more, of its capitalised ones ("EU" → "Europese Unie", "VS" →
  "Verenigde Staten", "FvD" → "Forum voor Democratie", "NCTV" → "Nationaal Coördinator Terrorismebestrijding en
  Veiligheid"; "EU's" as "EU"). An abbreviation is one word of two to six letters, two or more of them capitals;
  one the tagger was confident is of another type than the name's first mention joins nothing ("VK" ORG, de
  Volkskrant, is not "Verenigd Koninkrijk" LOC).
- An actor's type is the confidence-weighted vote of its name mentions' types, so one mistyped mention does
  not make a second actor or change the actor's type.

Then a resolver adds the pronouns ("hij", "zijn") and descriptions ("de Russische president") that refer to
them: the reference ranker trained on the annotated corpus (``service.coref_ranker``) as the service runs, or the
rules of ``service.coref`` alone (``COREF_MODEL=none``). Every mention carries its kind (name, pronoun, nominal).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from service import lexicon
from service.coref import NamedActor, resolve_references, role_of
from service.entities import CONFIDENT
from service.models.ner import Entity
from service.quote_marks import DirectQuote, direct_quotes, quoted_spans
from service.results import Mention, MentionKind
from service.text import Sentence

# Pronouns and descriptions -> (actor index, mention), given the named actors, the text, its sentences and the
# content spans of its direct quotes (``quote_marks.quoted_spans``).
Resolver = Callable[[Sequence[NamedActor], str, list[Sentence], Sequence[tuple[int, int]]], list[tuple[int, Mention]]]

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’|s)$")
# "ministerie van Defensie" also goes by "Defensie" (``service/lexicon/nl/name_openers_dropped.txt``).
_OPENERS_DROPPED = lexicon.words("name_openers_dropped")
# An abbreviation as news writes one: "EU", "VS", "FvD", "PvdD", "SodM", "NCTV".
_ABBREVIATION = re.compile(r"(?=(?:\w*[A-Z]){2})[A-Za-z]{2,6}")
_ABBREVIATION_POSSESSIVE = re.compile(r"['’]s?$")

# How much one mention of each kind adds to an actor's salience. A name is the article naming the actor; a
# description ("de premier") refers to it as surely but is a resolver's reading; a pronoun is the weakest and
# most frequent evidence, so many "hij"s must not outweigh the names of another actor.
SALIENCE_WEIGHTS: dict[MentionKind, float] = {"name": 1.0, "nominal": 0.75, "pronoun": 0.5}


@dataclass
class Actor:
    """One real-world actor and every mention of it in the document (sorted by start)."""

    type: str
    mentions: list[Mention] = field(default_factory=list)
    key: tuple[str, ...] = ()
    public_id: str = ""

    @property
    def name(self) -> str:
        """The longest name mention (most words, then most frequent, then first) is the canonical name."""
        counts: dict[str, int] = {}
        for mention in self.mentions:
            if mention.kind == "name":
                counts[mention.text] = counts.get(mention.text, 0) + 1
        return max(counts, key=lambda text: (len(text.split()), counts[text], -self._first(text)))

    def _first(self, text: str) -> int:
        return next(m.start for m in self.mentions if m.text == text)

    @property
    def id(self) -> str:
        """The public id, ``type:slug-of-the-name``: the one ``group_actors`` gave (unique in the document), else
        made from the name."""
        return self.public_id or self.slug()

    def slug(self) -> str:
        slug = re.sub(r"[^\w]+", "-", self.name.casefold()).strip("-")
        return f"{self.type.lower()}:{slug}"


@dataclass
class _Group:
    """Name mentions being grouped: the founding mention's type decides whether partial names may join."""

    founder_type: str
    key: tuple[str, ...]
    entities: list[Entity] = field(default_factory=list)

    def voted_type(self) -> str:
        votes: dict[str, float] = {}
        for entity in self.entities:
            votes[entity.type] = votes.get(entity.type, 0.0) + entity.confidence
        return max(votes, key=lambda kind: (votes[kind], kind == self.founder_type))


def group_actors(
    entities: list[Entity],
    actor_types: set[str],
    text: str,
    sentences: list[Sentence],
    resolve: Resolver = resolve_references,
    marked_quotes: Sequence[DirectQuote] | None = None,
) -> list[Actor]:
    """Group ``entities`` into actors, resolve pronouns and descriptions to them (``resolve``: the trained
    ranker of ``service.coref_ranker`` as the service runs, or the rules of ``service.coref``), and keep the
    actors whose voted type is in ``actor_types``, ordered by first mention. ``marked_quotes`` are the text's
    direct quotes where the caller has read them (the pipeline's layer); else they are read here.

    Resolution sees every named actor (also of the types the caller does not want), so that an actor's
    mentions do not depend on which other types the caller asked for.
    """
    actors = [
        Actor(group.voted_type(), [_name_mention(e) for e in sorted(group.entities, key=lambda e: e.start)], group.key)
        for group in _group_names(entities)
    ]
    quoted = quoted_spans(direct_quotes(text) if marked_quotes is None else marked_quotes)
    for index, mention in resolve(actors, text, sentences, quoted):
        actors[index].mentions.append(mention)
    for actor in actors:
        actor.mentions.sort(key=lambda m: (m.start, m.end))
    actors.sort(key=lambda actor: actor.mentions[0].start)
    _give_unique_ids(actors)
    return [actor for actor in actors if actor.type in actor_types]


def _give_unique_ids(actors: list[Actor]) -> None:
    """Each actor's public id, made once, unique in the document: two actors whose names make one slug (names
    the grouping kept apart, such as an ambiguous bare surname) are told apart by a number, in order of first
    mention ("per:trump", "per:trump-2")."""
    taken: set[str] = set()
    for actor in actors:
        base = candidate = actor.slug()
        number = 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        actor.public_id = candidate


def _name_mention(entity: Entity) -> Mention:
    return Mention(entity.text, entity.start, entity.end, entity.sentence, entity.confidence, kind="name")


def _words(text: str) -> tuple[str, ...]:
    """The words of a name, case- and accent-folded and split at hyphens: "Guaidó" and "Guaido", "Al-Qaida" and
    "Al Qaida" are one actor in one article."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return tuple(re.findall(r"\w+(?:['’]\w+)*", folded))


def _name_words(entity: Entity) -> tuple[str, ...]:
    """The words that identify a name: a person's leading title ("Eurocommissaris Timmermans", "Premier Rutte", a
    role of ``service/lexicon/nl/roles.txt``) is no part of it. The corpus guideline leaves titles out of a name,
    and a tagger mostly does; where it takes one in, the person still joins "Frans Timmermans" and "Timmermans"."""
    words = _words(entity.text)
    while entity.type == "PER" and len(words) > 1 and role_of(words[0]) is not None:
        words = words[1:]
    return words


def _abbreviations(name: str) -> set[str]:
    """What a name of several words may be abbreviated to: the initials of all its words ("Partij voor de
    Dieren" → "pvdd") and, three or more, of its capitalised words ("Nationaal Coördinator Terrorismebestrijding
    en Veiligheid" → "nctv"; two would make "Forum voor Democratie" the "FD", a newspaper), case-folded; hyphens
    separate words ("Christen-Democratisch Appèl" → "cda")."""
    words = re.findall(r"\w+", name)
    capitalised = "".join(word[0] for word in words if word[0].isupper())
    initials = {"".join(word[0] for word in words), *([capitalised] if len(capitalised) >= 3 else [])}
    return {abbreviation.casefold() for abbreviation in initials if len(abbreviation) >= 2}


def _strip_possessive(words: tuple[str, ...]) -> tuple[str, ...]:
    if not words:
        return words
    return (*words[:-1], _POSSESSIVE.sub("", words[-1]))


class _Groups:
    """The groups founded so far, indexed by name, by every ending of a person's name ("trump",
    "van der bellen"), by a person's first name and by what an organisation's or place's name abbreviates to
    ("eu"), so each mention finds its group in constant time."""

    def __init__(self) -> None:
        self.all: list[_Group] = []
        self.by_key: dict[tuple[str, ...], _Group] = {}
        self.people_by_ending: dict[tuple[str, ...], list[_Group]] = {}
        self.people_by_first_name: dict[str, list[_Group]] = {}
        self.organisations_by_end_word: dict[str, list[_Group]] = {}
        self.by_abbreviation: dict[str, list[_Group]] = {}

    def found(self, entity: Entity, words: tuple[str, ...]) -> None:
        group = _Group(entity.type, words, [entity])
        self.all.append(group)
        self.by_key.setdefault(words, group)
        if entity.type in ("ORG", "LOC") and len(words) > 1:
            for abbreviation in _abbreviations(entity.text):
                self.by_abbreviation.setdefault(abbreviation, []).append(group)
        if entity.type == "PER" and len(words) > 1:
            for cut in range(1, len(words)):
                self.people_by_ending.setdefault(words[cut:], []).append(group)
            self.people_by_first_name.setdefault(words[0], []).append(group)
        if entity.type == "ORG" and len(words) > 1:
            for word in {words[0], words[-1]}:
                self.organisations_by_end_word.setdefault(word, []).append(group)
        if entity.type == "ORG" and len(words) > 2 and words[0] in _OPENERS_DROPPED and words[1] == "van":
            self.by_key.setdefault(words[2:], group)

    def find(self, words: tuple[str, ...], entity: Entity) -> _Group | None:
        """The group named exactly ``words`` (or its form without possessive); else the name an abbreviation
        spells; else a person or organisation found by part of the name (see the module docstring); else None."""
        stripped = _strip_possessive(words)
        for candidate in (words, stripped):
            if candidate in self.by_key:
                return self.by_key[candidate]
        if spelled := self._spelled_by(entity):
            return spelled
        # CoNLL-2002 tags a person's genitive as MISC ("Arafats", "Mugabes"), so a tagger trained on it is
        # confident of MISC exactly there: a confident MISC genitive may still join a person.
        person_genitive = entity.type == "MISC" and stripped != words
        if entity.type not in ("PER", "ORG") and entity.confidence >= CONFIDENT and not person_genitive:
            return None
        if entity.type == "ORG" and entity.confidence >= CONFIDENT:
            return self._organisation_by_part(words)
        return self._person_by_part(words) or self._person_by_part(stripped) or self._organisation_by_part(words)

    def _spelled_by(self, entity: Entity) -> _Group | None:
        """The only organisation or place whose name ``entity`` abbreviates (see the module docstring); else None."""
        abbreviation = _ABBREVIATION_POSSESSIVE.sub("", entity.text)
        if not _ABBREVIATION.fullmatch(abbreviation):
            return None
        spelled = self.by_abbreviation.get(abbreviation.casefold(), [])
        if len(spelled) != 1:
            return None
        confidently_other = entity.confidence >= CONFIDENT and entity.type != spelled[0].founder_type
        return None if confidently_other else spelled[0]

    def _organisation_by_part(self, words: tuple[str, ...]) -> _Group | None:
        """For a single word, the only organisation whose longer name starts or ends with it ("Forum" for
        "Forum voor Democratie", "Kamer" for "Tweede Kamer"); else None."""
        found = self.organisations_by_end_word.get(words[0], []) if len(words) == 1 else []
        return found[0] if len(found) == 1 else None

    def _person_by_part(self, words: tuple[str, ...]) -> _Group | None:
        """The only person whose name ends with ``words`` ("Trump"); else, for a single word, the only one
        whose name starts with it ("Ivanka"); else None (no match, or ambiguous)."""
        endings = self.people_by_ending.get(words, [])
        if endings:
            return endings[0] if len(endings) == 1 else None
        first_names = self.people_by_first_name.get(words[0], []) if len(words) == 1 else []
        return first_names[0] if len(first_names) == 1 else None


def _group_names(entities: list[Entity]) -> list[_Group]:
    """Longer names first, and within a length plain forms before possible possessives, so that every
    mention meets the names it could belong to."""

    def order(entity: Entity) -> tuple[int, bool, int]:
        words = _name_words(entity)
        return (-len(words), _strip_possessive(words) != words, entity.start)

    groups = _Groups()
    for entity in sorted(entities, key=order):
        words = _name_words(entity)
        if not words:
            continue
        group = groups.find(words, entity)
        if group is None:
            groups.found(entity, words)
        else:
            group.entities.append(entity)
    return groups.all


def salience(actors: list[Actor]) -> dict[int, float]:
    """Each actor's share of the document's weighted actor mentions (``SALIENCE_WEIGHTS`` per kind), so the
    saliences of one document sum to 1. Unrounded: the response rounds every score in one place."""
    weights = [sum(SALIENCE_WEIGHTS[m.kind] for m in actor.mentions) for actor in actors]
    total = sum(weights)
    return {index: weight / total for index, weight in enumerate(weights)} if total else {}
