"""Pronouns and definite descriptions resolved to the actors the article names, or left unresolved, by rules.

The service runs the trained reference ranker (``service.coref_ranker``), which reads these rules' choice as one
of its features and keeps their possessive links; with ``COREF_MODEL=none`` the rules alone resolve.

Precision first: a wrong link puts words in the wrong actor's mouth, a missing one only loses a mention. So a
reference resolves only where the article leaves one reading:

Pronouns ("hij", "hem", "zijn", "z'n", "diens"; "zij"/"ze", "haar")
- Candidates are the actors mentioned (by name, or by a reference already resolved) in the pronoun's sentence
  before it, or in the previous sentence: never further back, so no pronoun reaches across a paragraph of
  other actors. A pronoun resolves only when exactly one compatible actor is a candidate.
- Compatible: a person (PER) actor. "zij"/"ze" only a person the article marks as a woman ("mevrouw",
  "woordvoerster", ...), and not after two coordinated actors ("May en Juncker ... ze" is plural); or, right
  before a singular verb ("Ze laat weten", "Zij bedankte"), the one person among the candidates when nothing
  marks that person as a man. A person once called "hij" is not "haar", and the other way round.
- Plural "hun"/"hen" stay unresolved: they refer to groups the tagger does not name ("de Britten", "twee
  mannen"); linking them to an organisation was wrong in every case seen on dpgMedia articles.
- A subject or object pronoun never refers to an actor named later in its own sentence ("Hij had erover
  gehoord van Donald Trump": "hij" is not Trump). No pronoun refers forward: "Met zijn aankomst plaatste
  de oppositieleider president Maduro voor een dilemma" names the wrong man after "zijn".
- A pronoun inside a direct quote ("„Hij kan niet komen”, waarschuwde de president", also between single
  quotes or guillemets: ``service.quote_marks``) speaks from the speaker's point of view, about someone else
  than the actors around it: it stays unresolved.
- "zijn" is a possessive only by position: in second place ("Er zijn", "Maar blijkbaar zijn": Dutch puts the
  verb there), after a modal, a pronoun or "niet"/"nog"/"wel" ("zal zijn", "dit zijn", "tegen hem zijn
  ingediend", "niet zijn teruggetreden"), right after a name ("de Verenigde Staten zijn"), or before an
  article, pronoun, adverb, preposition or punctuation ("zijn de eerste stappen", "zijn ze") it is the verb.

Descriptions ("de Russische president", "de premier", "de VVD-leider", "de 48-jarige")
- A description is "de"/"het", up to three modifiers, and a head that is a role of ``ROLES`` (also in
  compounds: "regeringsleider", "VVD-leider", "oud-premier"), an age ("48-jarige") or a party member ("de
  PVV'er": the party identifies), not followed by a name.
- The article teaches which actor holds which description, from appositions: "de Russische president Poetin",
  "premier Rutte", "VVD-leider Rutte", "de 48-jarige Rutte", "Poetin, de Russische president,", "Rutte (48)",
  "Jansen (PVV)", also when the tagger took the role into the name ("PVV-Kamerlid Markuszower").
  Capitalised modifiers ("Russische", "VVD") and ages identify; lower-case ones ("nieuwe") do not.
- A description whose identifying modifiers the article taught for exactly one actor resolves to it anywhere
  ("De Russische leider" once "de Russische president Poetin" occurs). A bare role learned for exactly one
  actor ("de premier" after "premier Rutte") resolves to it when no other person is a candidate nearby; else,
  as for pronouns, the one compatible candidate nearby, never an actor taught a different identifying
  modifier ("de Amerikaanse president" is not the Russian one). Each resolution teaches its modifiers too.

Nouns for organisations and places ("de organisatie", "het bedrijf", "de oppositiepartij", "het land", "de
stad")
- resolve to the one actor of their type (ORG, or LOC for "land"/"stad") mentioned in the previous sentence or
  earlier in their own, not already named in their own sentence, unless a name or "van" follows the noun ("de
  partij GroenLinks", "de partij van Wilders"). Only "partij" heads compounds: "het moederbedrijf" and "het
  buurland" are other actors.

Confidences are fixed by the kind of evidence (``CONFIDENCE``); they rank, they are not probabilities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice, pairwise
from typing import Protocol

from service import lexicon
from service.quote_marks import inside
from service.results import Mention, MentionKind
from service.text import Sentence, Token

# Person roles a definite description can be headed by (also as the end of a compound: "regeringsleider").
ROLES = lexicon.words("roles")
# "fractievoorzitter" is its own role before it is a "voorzitter": the longest matching role wins.
_ROLES_LONGEST_FIRST = tuple(sorted(ROLES, key=lambda role: (-len(role), role)))
# Roles and titles that tell an actor's gender (what "zij"/"ze" and "haar" versus "hij" may refer to).
_FEMININE_WORDS = lexicon.tagged("roles", "feminine") | lexicon.tagged("person_titles", "feminine")
_MASCULINE_WORDS = lexicon.tagged("roles", "masculine") | lexicon.tagged("person_titles", "masculine")

_MASCULINE = lexicon.tagged("pronouns", "masculine")
_FEMININE = lexicon.tagged("pronouns", "feminine")
_MAYBE_PLURAL = _FEMININE & lexicon.tagged("pronouns", "plural")
_POSSESSIVES = (_MASCULINE | _FEMININE) & lexicon.tagged("pronouns", "possessive")
_PRONOUNS = _MASCULINE | _FEMININE

# Words around "zijn" that make it the verb.
_BEFORE_VERB_ZIJN = lexicon.tagged("verb_zijn_context", "before")
_AFTER_VERB_ZIJN = lexicon.tagged("verb_zijn_context", "after")
# Singular finite verbs right after "ze" ("Ze laat weten", "ze prees"): the common irregular ones, and present
# or weak past forms by their ending ("bedankt", "noemde", "maakte"); the plural ends in -en ("ze zeiden").
_SINGULAR_VERBS = lexicon.words("singular_verbs") | lexicon.tagged("auxiliary_verbs", "singular")
_SINGULAR_VERB_ENDING = re.compile(r"[a-zà-ÿ]{2,}(?:t|de|te)")
# Words ending like a verb ("niet", "echt"; "tegen", "alleen") that are not.
_NOT_VERBS = lexicon.words("not_verbs")
_DEFINITE_ARTICLES = lexicon.tagged("determiners", "definite")
_CONJUNCTIONS = lexicon.words("coordinating_conjunctions")
_AGE = re.compile(r"\d{1,3}-jarige")
# A party member named by the party ("de PVV'er", "de D66’er"); the party is what identifies the person.
_PARTY_MEMBER = re.compile(r"([A-Z][\w]*)['’]er")
_PARTY_MEMBER_ROLE = "partijlid"
# A party after a name, "Kamerlid Jansen (PVV)": one capitalised word in brackets.
_PARTY_IN_BRACKETS = re.compile(r"[A-Z][\w-]{1,11}")
# Nouns that stand for an organisation or a place already named ("de organisatie", "het land"), by the actor type
# they refer to; only those tagged "compound" also head compounds ("de oppositiepartij").
_GROUP_NOUNS = {noun: "ORG" for noun in lexicon.tagged("group_nouns", "ORG")}
_GROUP_NOUNS |= {noun: "LOC" for noun in lexicon.tagged("group_nouns", "LOC")}
_GROUP_COMPOUND_HEADS = tuple(sorted(lexicon.tagged("group_nouns", "compound")))
_MAX_MODIFIERS = 3
# More actors than this in a pronoun's window (or holding one role) is no single reading; it also bounds
# the work per reference on texts with thousands of names.
_MAX_CANDIDATES = 20

CONFIDENCE = {"taught": 0.9, "taught_nearby": 0.8, "nearby": 0.7}


class NamedActor(Protocol):
    """What resolution reads of an actor: its type and its name mentions."""

    type: str
    mentions: list[Mention]


@dataclass
class Profile:
    """What the article teaches about one actor."""

    type: str
    roles: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    gender: str | None = None


@dataclass(frozen=True)
class _Reference:
    actor: int
    start: int
    end: int


@dataclass(frozen=True)
class _Description:
    """A description's head role and its identifying (capitalised or age) modifiers."""

    head: str
    identifiers: frozenset[str]


@dataclass
class _SentenceReferences:
    """One sentence's names, and the actors referred to so far while the walk goes through it."""

    names: list[_Reference]
    last_named: dict[int, int] = field(default_factory=dict)
    coordinated_from: int | None = None
    seen: dict[int, None] = field(default_factory=dict)


def resolve_references(
    actors: Sequence[NamedActor], text: str, sentences: list[Sentence], quoted: Sequence[tuple[int, int]]
) -> list[tuple[int, Mention]]:
    """``(actor index, mention)`` for every pronoun and description of ``text`` that resolves to one of
    ``actors`` (whose name mentions are already grouped); ``quoted`` are the content spans of its direct quotes."""
    by_sentence = _names_by_sentence(actors, sentences)
    profiles = _learn(actors, sentences, by_sentence)
    references = [_sentence_references(names, text) for names in by_sentence]
    return _Resolver(profiles, sentences, references, text, quoted).run()


def learn_profiles(actors: Sequence[NamedActor], sentences: list[Sentence]) -> list[Profile]:
    """What the appositions around every name teach about each actor (roles, identifying modifiers, gender)."""
    return _learn(actors, sentences, _names_by_sentence(actors, sentences))


def _names_by_sentence(actors: Sequence[NamedActor], sentences: list[Sentence]) -> list[list[_Reference]]:
    by_sentence: list[list[_Reference]] = [[] for _ in sentences]
    for sentence, start, end, index in sorted(
        (m.sentence, m.start, m.end, index) for index, actor in enumerate(actors) for m in actor.mentions
    ):
        by_sentence[sentence].append(_Reference(index, start, end))
    return by_sentence


def _sentence_references(names: list[_Reference], text: str) -> _SentenceReferences:
    references = _SentenceReferences(names, {reference.actor: reference.start for reference in names})
    references.coordinated_from = next(
        (
            second.start
            for first, second in pairwise(names)
            if first.actor != second.actor and text[first.end : second.start].strip() == "en"
        ),
        None,
    )
    return references


def _learn(
    actors: Sequence[NamedActor], sentences: list[Sentence], by_sentence: list[list[_Reference]]
) -> list[Profile]:
    """Profiles from the appositions around every name: roles, identifying modifiers, ages, gender."""
    profiles = [Profile(actor.type) for actor in actors]
    for sentence, references in zip(sentences, by_sentence):
        tokens = sentence.tokens
        starts = {token.start: i for i, token in enumerate(tokens)}
        ends = {token.end: i for i, token in enumerate(tokens)}
        for reference in references:
            first, last = starts.get(reference.start), ends.get(reference.end)
            if first is None or last is None:
                continue
            profile = profiles[reference.actor]
            within = _description_at(tokens, first, first) if last > first else None  # "PVV-Kamerlid Markuszower"
            for description in (_description_before(tokens, first), _description_after(tokens, last), within):
                if description is not None:
                    _teach(profile, description)
            profile.gender = profile.gender or _gender_before(tokens, first)
    return profiles


def _teach(profile: Profile, description: _Description) -> None:
    profile.roles.add(description.head)
    profile.identifiers |= description.identifiers
    profile.gender = profile.gender or _gender_of(description.head)


def _gender_of(word: str) -> str | None:
    if word in _FEMININE_WORDS:
        return "feminine"
    if word in _MASCULINE_WORDS:
        return "masculine"
    return None


def _gender_before(tokens: tuple[Token, ...], first: int) -> str | None:
    """Gender from a title right before the name ("mevrouw Jansen", "de heer Jansen", "dhr. Jansen")."""
    if first == 0:
        return None
    return _gender_of(tokens[first - 1].text.lower().rstrip("."))


def role_of(word: str) -> tuple[str, frozenset[str]] | None:
    """The role a word is headed by, with the identifying part of a compound ("VVD-leider" -> leider, {vvd});
    an age ("48-jarige") is its own head. None when the word is no role."""
    lowered = word.lower()
    if _AGE.fullmatch(lowered):
        return lowered, frozenset()
    if party := _PARTY_MEMBER.fullmatch(word):
        return _PARTY_MEMBER_ROLE, frozenset([party.group(1).lower()])
    for role in _ROLES_LONGEST_FIRST:
        if lowered.endswith(role):
            prefix = word[: len(word) - len(role)].rstrip("-")
            identifying = prefix[:1].isupper() and "-" in word
            return role, frozenset([prefix.lower()]) if identifying else frozenset()
    return None


def _heads_description(word: str) -> bool:
    """Whether ``word`` can end a description: a person's role or a noun for an organisation or place."""
    return role_of(word) is not None or group_type(word) is not None


def group_type(word: str) -> str | None:
    """The actor type a noun for an organisation or place refers to ("partij", "oppositiepartij", "land"),
    or None."""
    lowered = word.lower()
    if lowered in _GROUP_NOUNS:
        return _GROUP_NOUNS[lowered]
    compound = word.isalpha() and lowered.endswith(_GROUP_COMPOUND_HEADS)
    return "ORG" if compound else None


def is_modifier(word: str) -> bool:
    """An inflected adjective ("Russische", "nieuwe") or an age ("48-jarige")."""
    return (word.isalpha() and word.lower().endswith("e") and len(word) > 2) or _AGE.fullmatch(word) is not None


def identifier_of(word: str) -> str | None:
    """Capitalised modifiers and ages identify an actor ("Russische", "48-jarige"); others ("nieuwe") do not."""
    return word.lower() if word[:1].isupper() or _AGE.fullmatch(word) else None


def _description_at(tokens: tuple[Token, ...], head: int, first_modifier: int) -> _Description | None:
    role = role_of(tokens[head].text)
    if role is None:
        return None
    head_role, identifiers = role
    modifiers = [tokens[i].text for i in range(first_modifier, head)]
    found = {identifier for word in modifiers if (identifier := identifier_of(word))}
    if _AGE.fullmatch(head_role):
        found.add(head_role)
    return _Description(head_role, frozenset(found | identifiers))


def _description_before(tokens: tuple[Token, ...], first: int) -> _Description | None:
    """ "de Russische president Poetin", "premier Rutte", "VVD-leider Rutte", "de 48-jarige Rutte"."""
    head = first - 1
    if head < 0 or role_of(tokens[head].text) is None:
        return None
    start = head
    while start > 0 and head - start < _MAX_MODIFIERS and is_modifier(tokens[start - 1].text):
        start -= 1
    return _description_at(tokens, head, start)


def _description_after(tokens: tuple[Token, ...], last: int) -> _Description | None:
    """ "Poetin, de Russische president,", "Rutte (48)" and "Jansen (PVV)"."""
    following = [token.text for token in tokens[last + 1 : last + 4]]
    if len(following) == 3 and following[0] == "(" and following[2] == ")":
        if following[1].isdigit():
            return _Description(f"{following[1]}-jarige", frozenset([f"{following[1]}-jarige"]))
        if _PARTY_IN_BRACKETS.fullmatch(following[1]):
            return _Description(_PARTY_MEMBER_ROLE, frozenset([following[1].lower()]))
    if len(following) < 3 or following[0] != "," or following[1].lower() not in _DEFINITE_ARTICLES:
        return None
    for head in range(last + 3, min(len(tokens), last + 4 + _MAX_MODIFIERS)):
        if role_of(tokens[head].text) is not None:
            closes = head + 1 == len(tokens) or tokens[head + 1].text in {",", ".", ")"}
            modifiers_only = all(is_modifier(t.text) for t in tokens[last + 3 : head])
            return _description_at(tokens, head, last + 3) if closes and modifiers_only else None
    return None


class _Resolver:
    """Walks the text in order, so that a resolved reference is a candidate for the next one.

    Every step looks at a bounded neighbourhood (a few tokens, the actors of two sentences, capped at
    ``_MAX_CANDIDATES``), so resolution stays linear in the text, however many names or pronouns it holds.
    """

    def __init__(
        self,
        profiles: list[Profile],
        sentences: list[Sentence],
        references: list[_SentenceReferences],
        text: str,
        quoted: Sequence[tuple[int, int]],
    ) -> None:
        self.profiles = profiles
        self.sentences = sentences
        self.references = references
        self.text = text
        self.name_ends_at = {r.start: r.end for refs in references for r in refs.names}
        self.name_ends = set(self.name_ends_at.values())
        self.quoted = quoted
        self.by_role: dict[str, set[int]] = {}
        self.by_identifier: dict[str, set[int]] = {}
        for index, profile in enumerate(profiles):
            self._index(index, profile.roles, profile.identifiers)

    def _index(self, actor: int, roles: Iterable[str], identifiers: Iterable[str]) -> None:
        if self.profiles[actor].type != "PER":
            return
        for role in roles:
            self.by_role.setdefault(role, set()).add(actor)
        for identifier in identifiers:
            self.by_identifier.setdefault(identifier, set()).add(actor)

    def run(self) -> list[tuple[int, Mention]]:
        resolved: list[tuple[int, Mention]] = []
        previous: dict[int, None] = {}
        for index, sentence in enumerate(self.sentences):
            references = self.references[index]
            passed, position = 0, 0
            while position < len(sentence.tokens):
                token_start = sentence.tokens[position].start
                while passed < len(references.names) and references.names[passed].end <= token_start:
                    references.seen[references.names[passed].actor] = None
                    passed += 1
                found, position = self._reference_at(index, position, previous)
                if found is not None:
                    references.seen[found[0]] = None
                    resolved.append(found)
            references.seen.update((reference.actor, None) for reference in references.names)
            previous = references.seen
        return resolved

    def _reference_at(
        self, sentence_index: int, position: int, previous: dict[int, None]
    ) -> tuple[tuple[int, Mention] | None, int]:
        """The resolved reference starting at token ``position`` (if any) and the next position to look at."""
        tokens = self.sentences[sentence_index].tokens
        token = tokens[position]
        if token.start in self.name_ends_at:
            end = self.name_ends_at[token.start]
            return None, next((i for i in range(position, len(tokens)) if tokens[i].start >= end), len(tokens))
        word = token.text.lower()
        if word in _DEFINITE_ARTICLES:
            return self._description(sentence_index, position, previous)
        if word not in _PRONOUNS or inside(self.quoted, token.start):
            return None, position + 1
        if (word == "zijn" and self._is_verb_zijn(tokens, position)) or (
            word in _MAYBE_PLURAL and next_to_plural_verb(tokens, position)
        ):
            return None, position + 1
        return self._pronoun(sentence_index, position, previous), position + 1

    def _pronoun(self, sentence_index: int, position: int, previous: dict[int, None]) -> tuple[int, Mention] | None:
        token = self.sentences[sentence_index].tokens[position]
        word = token.text.lower()
        if word in _MAYBE_PLURAL and self._coordinated(sentence_index, token.start, previous):
            return None
        candidates = self._candidates(
            sentence_index, token.start, previous, excluding_later_names=word not in _POSSESSIVES
        )
        compatible = [index for index in candidates if self._pronoun_fits(word, index)]
        if not compatible and word in _MAYBE_PLURAL and self._she_by_verb(sentence_index, position):
            compatible = self._only_person(candidates)
        if len(compatible) != 1:
            return None
        actor = compatible[0]
        profile = self.profiles[actor]
        profile.gender = profile.gender or ("masculine" if word in _MASCULINE else "feminine")
        return self._mention(actor, sentence_index, token.start, token.end, "pronoun", CONFIDENCE["nearby"])

    def _she_by_verb(self, sentence_index: int, position: int) -> bool:
        """ "zij"/"ze" next to a singular verb: before it ("Ze laat weten") or right after it in an inverted clause."""
        tokens = self.sentences[sentence_index].tokens
        return before_singular_verb(tokens, position) or self._inverted_after_singular_verb(sentence_index, position)

    def _inverted_after_singular_verb(self, sentence_index: int, position: int) -> bool:
        """ "Op bezoek in Leiden prees ze het werk …": "ze" right after a singular verb, with no person named or
        referred to before it in the sentence (then "Rutte prees ze" has Rutte as subject and "ze" is them)."""
        tokens = self.sentences[sentence_index].tokens
        if position == 0 or not _is_singular_verb(tokens[position - 1].text):
            return False
        before = tokens[:position]
        seen_person = any(self.profiles[actor].type == "PER" for actor in self.references[sentence_index].seen)
        return not seen_person and not any(token.text.lower() in _PRONOUNS for token in before)

    def _only_person(self, candidates: list[int]) -> list[int]:
        """The one person among ``candidates`` when there is exactly one and nothing marks them as a man."""
        people = [index for index in candidates if self.profiles[index].type == "PER"]
        return people if len(people) == 1 and self.profiles[people[0]].gender != "masculine" else []

    def _pronoun_fits(self, word: str, actor: int) -> bool:
        profile = self.profiles[actor]
        if profile.type != "PER":
            return False
        if word in _MASCULINE:
            return profile.gender != "feminine"
        if word == "haar":
            return profile.gender != "masculine"
        return profile.gender == "feminine"

    def _description(
        self, sentence_index: int, position: int, previous: dict[int, None]
    ) -> tuple[tuple[int, Mention] | None, int]:
        tokens = self.sentences[sentence_index].tokens
        head = position + 1
        while head < len(tokens) and head - position <= _MAX_MODIFIERS and not _heads_description(tokens[head].text):
            if not is_modifier(tokens[head].text):  # a modifier may be a tagged name ("Russische" MISC)
                return None, position + 1
            head += 1
        if head >= len(tokens) or not _heads_description(tokens[head].text):
            return None, position + 1
        if tokens[head].start in self.name_ends_at and not _PARTY_MEMBER.fullmatch(tokens[head].text):
            return None, position + 1  # a name, except a party member the tagger typed MISC ("PVV’er")
        if (group := group_type(tokens[head].text)) is not None:
            return self._group(sentence_index, position, head, group, previous), head + 1
        if _AGE.fullmatch(tokens[head].text) and head + 1 < len(tokens) and role_of(tokens[head + 1].text):
            head += 1  # "de 48-jarige premier": the age modifies the role
        following = tokens[head + 1] if head + 1 < len(tokens) else None
        if following is not None and (following.start in self.name_ends_at or following.text == "van"):
            return None, head + 1  # an apposition ("de president Poetin") or a role of something ("van Financiën")
        if position >= 2 and tokens[position - 1].text == "," and tokens[position - 2].end in self.name_ends:
            return None, head + 1  # an apposition after the name ("Poetin, de Russische president,")
        description = _description_at(tokens, head, position + 1)
        if description is None:
            return None, head + 1
        start, end = tokens[position].start, tokens[head].end
        actor, confidence = self._describe(description, sentence_index, start, previous)
        if actor is None:
            return None, head + 1
        _teach(self.profiles[actor], description)
        self._index(actor, [description.head], description.identifiers)
        return self._mention(actor, sentence_index, start, end, "nominal", confidence), head + 1

    def _group(
        self, sentence_index: int, position: int, head: int, actor_type: str, previous: dict[int, None]
    ) -> tuple[int, Mention] | None:
        """ "de organisatie", "het land": the one actor of ``actor_type`` nearby (in the previous sentence or
        earlier in this one, not already named in this one), unless a name or "van" follows the noun ("de
        partij GroenLinks", "de partij van Wilders")."""
        tokens = self.sentences[sentence_index].tokens
        following = tokens[head + 1] if head + 1 < len(tokens) else None
        if following is not None and (following.start in self.name_ends_at or following.text == "van"):
            return None
        start = tokens[position].start
        in_sentence = self.references[sentence_index].seen
        nearby = [
            i
            for i in self._candidates(sentence_index, start, previous, excluding_later_names=True)
            if i not in in_sentence and self.profiles[i].type == actor_type
        ]
        if len(nearby) != 1:
            return None
        return self._mention(nearby[0], sentence_index, start, tokens[head].end, "nominal", CONFIDENCE["nearby"])

    def _describe(
        self, description: _Description, sentence_index: int, start: int, previous: dict[int, None]
    ) -> tuple[int | None, float]:
        """The actor a description refers to, and the confidence of the evidence (see the module docstring)."""
        in_sentence = self.references[sentence_index].seen
        nearby = [
            i
            for i in self._candidates(sentence_index, start, previous, excluding_later_names=True)
            if i not in in_sentence and self._fits(description, i)
        ]
        identified = _union(self.by_identifier, description.identifiers)
        if description.identifiers and len(identified) == 1:
            return next(iter(identified)), CONFIDENCE["taught"]
        role_holders = self.by_role.get(description.head, set())
        if len(role_holders) > _MAX_CANDIDATES:
            return None, 0.0
        holders = {i for i in role_holders if (i in identified if identified else self._fits(description, i))}
        if len(holders) == 1 and set(nearby) <= holders:
            return next(iter(holders)), CONFIDENCE["taught"]
        nearby_holders = [i for i in nearby if i in holders]
        if len(nearby_holders) == 1:
            return nearby_holders[0], CONFIDENCE["taught_nearby"]
        if len(nearby) == 1 and not holders:
            return nearby[0], CONFIDENCE["nearby"]
        return None, 0.0

    def _fits(self, description: _Description, actor: int) -> bool:
        """A person not taught identifying modifiers that the description lacks ("Russische" vs "Amerikaanse")."""
        profile = self.profiles[actor]
        clash = bool(description.identifiers and profile.identifiers) and not (
            description.identifiers & profile.identifiers
        )
        return profile.type == "PER" and not clash

    def _candidates(
        self, sentence_index: int, position: int, previous: dict[int, None], excluding_later_names: bool
    ) -> list[int]:
        """Actors referred to in the previous sentence or earlier in this one; with ``excluding_later_names``,
        not those named later in this sentence (a pronoun does not refer forward to a name it precedes).
        More than ``_MAX_CANDIDATES`` is no choice at all: none."""
        references = self.references[sentence_index]
        if len(previous) + len(references.seen) > _MAX_CANDIDATES:
            return []
        candidates = dict.fromkeys([*previous, *references.seen])
        if excluding_later_names:
            return [
                actor
                for actor in candidates
                if actor in references.seen or references.last_named.get(actor, -1) <= position
            ]
        return list(candidates)

    def _coordinated(self, sentence_index: int, position: int, previous: dict[int, None]) -> bool:
        """Two actors joined by "en" before the pronoun in its window ("May en Juncker ... ze")."""
        own = self.references[sentence_index].coordinated_from
        earlier = self.references[sentence_index - 1].coordinated_from if sentence_index > 0 else None
        return earlier is not None or (own is not None and own < position)

    def _is_verb_zijn(self, tokens: tuple[Token, ...], position: int) -> bool:
        """Whether "zijn" at ``position`` is the verb, by the words around it (see the module docstring)."""
        after = tokens[position + 1].text.lower() if position + 1 < len(tokens) else None
        if after is None or not after[0].isalnum() or after in _AFTER_VERB_ZIJN:
            return True
        words_before = list(islice((t.text.lower() for t in tokens[:position] if t.text[0].isalnum()), 3))
        if words_before and words_before[0] in _CONJUNCTIONS:
            words_before = words_before[1:]
        if not words_before:
            return False
        before = tokens[position - 1]
        second_place = len(words_before) == 1  # "Er zijn", "Blijkbaar zijn": the verb comes second
        return second_place or before.text.lower() in _BEFORE_VERB_ZIJN or before.end in self.name_ends

    def _mention(
        self, actor: int, sentence_index: int, start: int, end: int, kind: MentionKind, confidence: float
    ) -> tuple[int, Mention]:
        return actor, Mention(self.text[start:end], start, end, sentence_index, confidence, kind)


def _union(index: dict[str, set[int]], keys: Iterable[str]) -> set[int]:
    found: set[int] = set()
    for key in keys:
        found |= index.get(key, set())
    return found


def next_to_plural_verb(tokens: tuple[Token, ...], position: int) -> bool:
    """Whether "zij"/"ze" stands next to a plural verb ("Zij willen", "stappen ze"): then it means "they"."""
    neighbours = [tokens[i].text.lower() for i in (position - 1, position + 1) if 0 <= i < len(tokens)]
    return any(len(word) > 3 and word.endswith("en") and word not in _NOT_VERBS for word in neighbours)


def before_singular_verb(tokens: tuple[Token, ...], position: int) -> bool:
    """Whether "zij"/"ze" at ``position`` is followed by a singular finite verb ("Ze laat weten", "ze prees"):
    then it is "she", the subject, even where the article never marked the person as a woman."""
    if position + 1 >= len(tokens):
        return False
    return _is_singular_verb(tokens[position + 1].text)


def _is_singular_verb(word: str) -> bool:
    """A singular finite verb by the list or its ending ("laat", "bedankte"); never a word of ``_NOT_VERBS``."""
    return word in _SINGULAR_VERBS or (
        word.islower() and _SINGULAR_VERB_ENDING.fullmatch(word) is not None and word not in _NOT_VERBS
    )
