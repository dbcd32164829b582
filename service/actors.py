"""Grouping entity mentions into actors ("Donald Trump" = "Trump" = "Trumps"), and their salience.

Rules, in order of evidence:
- A multi-word person name founds an actor. A shorter mention joins it when its words are the end of that
  name ("Trump", "Van der Bellen"), case-insensitively, after removing a possessive ("Trumps", "Trump's");
  a lone first name joins the one full name that starts with it ("Ivanka").
- A surname shared by two founded names ("Donald Trump", "Ivanka Trump") is ambiguous: a bare "Trump" then
  joins neither and stays an actor of its own rather than merging different people without evidence.
- Organisations and locations group by their normalised full text (with the same possessive rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.models.ner import Entity

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’|s)$")


@dataclass
class Actor:
    """One real-world actor and every mention of it in the document."""

    type: str
    mentions: list[Entity] = field(default_factory=list)
    key: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The longest mention (most words, then most frequent, then first) is the canonical name."""
        counts: dict[str, int] = {}
        for mention in self.mentions:
            counts[mention.text] = counts.get(mention.text, 0) + 1
        return max(counts, key=lambda text: (len(text.split()), counts[text], -self._first(text)))

    def _first(self, text: str) -> int:
        return next(m.start for m in self.mentions if m.text == text)

    @property
    def id(self) -> str:
        slug = re.sub(r"[^\w]+", "-", self.name.casefold()).strip("-")
        return f"{self.type.lower()}:{slug}"


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+(?:[-'’]\w+)*", text.casefold()))


def _strip_possessive(words: tuple[str, ...]) -> tuple[str, ...]:
    if not words:
        return words
    return (*words[:-1], _POSSESSIVE.sub("", words[-1]))


def group_actors(entities: list[Entity], actor_types: set[str]) -> list[Actor]:
    """Group the entities of ``actor_types`` into actors, ordered by first mention."""
    actors: list[Actor] = []
    for entity_type in sorted(actor_types):
        mentions = [e for e in entities if e.type == entity_type]
        group = _group_people if entity_type == "PER" else _group_by_name
        actors.extend(group(mentions, entity_type))
    actors.sort(key=lambda actor: min(m.start for m in actor.mentions))
    return actors


def _group_by_name(mentions: list[Entity], entity_type: str) -> list[Actor]:
    """Group by normalised text; a possessive form joins its plain form when that occurs too."""
    by_key: dict[tuple[str, ...], list[Entity]] = {}
    for mention in mentions:
        by_key.setdefault(_words(mention.text), []).append(mention)
    merged: dict[tuple[str, ...], list[Entity]] = {}
    for key, group in by_key.items():
        plain = _strip_possessive(key)
        merged.setdefault(plain if plain != key and plain in by_key else key, []).extend(group)
    return [Actor(entity_type, sorted(group, key=lambda m: m.start), key) for key, group in merged.items()]


def _group_people(mentions: list[Entity], entity_type: str) -> list[Actor]:
    """Full names found actors; shorter mentions join the one full name that ends with them.

    Longer names go first, and within a length plain forms before possible possessives, so that every
    mention meets the names it could belong to.
    """

    def order(mention: Entity) -> tuple[int, bool, int]:
        words = _words(mention.text)
        return (-len(words), _strip_possessive(words) != words, mention.start)

    founded: list[Actor] = []
    for mention in sorted(mentions, key=order):
        words = _words(mention.text)
        if not words:
            continue
        actor = _find_actor(founded, words) or _find_actor(founded, _strip_possessive(words))
        if actor is None:
            founded.append(Actor(entity_type, [mention], key=words))
        else:
            actor.mentions.append(mention)
    for actor in founded:
        actor.mentions.sort(key=lambda m: m.start)
    return founded


def _find_actor(actors: list[Actor], words: tuple[str, ...]) -> Actor | None:
    """The actor named exactly ``words``; else the only one whose name ends with them ("Trump"); else, for
    a single word, the only one whose name starts with it ("Ivanka"); else None."""
    for actor in actors:
        if actor.key == words:
            return actor
    longer = [actor for actor in actors if len(words) < len(actor.key)]
    endings = [actor for actor in longer if actor.key[-len(words) :] == words]
    if endings:
        return endings[0] if len(endings) == 1 else None
    first_names = [actor for actor in longer if len(words) == 1 and actor.key[0] == words[0]]
    return first_names[0] if len(first_names) == 1 else None


def salience(actors: list[Actor]) -> dict[int, float]:
    """Each actor's share of all actor mentions, so saliences of one document sum to 1."""
    total = sum(len(actor.mentions) for actor in actors)
    return {index: round(len(actor.mentions) / total, 4) for index, actor in enumerate(actors)} if total else {}
