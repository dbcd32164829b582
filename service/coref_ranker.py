"""Pronouns and descriptions resolved by a ranker trained on the annotated corpus.

A reference is a pronoun that can stand for an actor ("hij", "hem", "zij", "ze", "haar") or a description: a
definite or demonstrative determiner, up to three modifiers and a head noun the corpus annotators marked as a
mention ("de Amerikaanse president", "het bedrijf", "deze minister"; compounds by their end, "de VVD-leider").
The heads are data: the model file holds the ones its training split taught it.

The walk goes through the text in order. Each reference meets the actors mentioned (by name, or by a reference
resolved before it) in its own sentence before it and in the ``WINDOW`` sentences before that, and, for a
description, every earlier actor the article gave that role ("premier Rutte" teaches "de premier"). Each pair
(reference, actor) is described by what a reader weighs: the actor's type against the pronoun or head, how many
sentences and how many other actors lie between, how often the actor was mentioned, gender from titles, roles
and earlier pronouns, whether the pronoun stands in a quote or next to a plural verb, and whether the
hand-written rules of ``service.coref`` chose that actor. A logistic regression over these features scores each
pair; the best-scoring actor is linked when its probability reaches the threshold chosen on the corpus dev split
for that kind of reference, else the reference stays unresolved. A link teaches as it goes: the actor becomes
a candidate nearby, a pronoun tells its gender, a description its role.

Training reads the same walk with the annotators' links (``walk(..., choose=gold)``) and records each pair's
features with its label (``training/coref_ranker.py``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from service import lexicon
from service.coref import (
    NamedActor,
    Profile,
    before_singular_verb,
    group_type,
    identifier_of,
    is_modifier,
    learn_profiles,
    next_to_plural_verb,
    resolve_references,
    role_of,
)
from service.quote_marks import inside
from service.results import Mention, MentionKind
from service.text import Sentence, Token

PRONOUNS = lexicon.tagged("pronouns", "subject") | lexicon.tagged("pronouns", "object")
# The gender a pronoun linked to a person gives it ("ze" linked to a person is "she", not "they").
GENDERED = {word: "masculine" for word in PRONOUNS & lexicon.tagged("pronouns", "masculine")} | {
    word: "feminine" for word in PRONOUNS & lexicon.tagged("pronouns", "feminine")
}
OPENERS = lexicon.tagged("determiners", "definite") | lexicon.tagged("determiners", "demonstrative")
_MAX_MODIFIERS = 3
# Sentences before a reference's own whose actors are its candidates: a pronoun looks back a little, a
# description ("de Franse president") may name an actor last mentioned paragraphs before.
WINDOW = {"pronoun": 3, "nominal": 10}
# The most recent candidates a reference is scored against (bounds the work on texts with many names).
MAX_CANDIDATES = 20
# The actor types the corpus annotates references to: a named work or event (MISC) is never a candidate.
LINKABLE_TYPES = frozenset({"PER", "ORG", "LOC"})
# A compound's head is at least this long ("VVD-leider" ends with "leider"; not "de" or "er").
_MIN_COMPOUND_HEAD = 4


@dataclass(frozen=True)
class Reference:
    """A pronoun or description that may refer to an actor; ``word`` is the pronoun or the description's head."""

    start: int
    end: int
    sentence: int
    kind: MentionKind
    word: str
    opener: str = ""
    modifiers: tuple[str, ...] = ()
    features: tuple[str, ...] = ()


@dataclass
class _ActorState:
    """What the walk knows of one actor at the current point of the text."""

    profile: Profile
    name_words: frozenset[str]
    mentions: int = 0
    last_start: int = -1
    last_sentence: int = -1
    first_in_sentence: set[int] = field(default_factory=set)


Candidate = tuple[int, list[str]]


class Vocabulary(Protocol):
    """What the walk reads of a trained ranker besides its weights."""

    heads: frozenset[str]
    first_names: dict[str, str]


Chooser = Callable[[Reference, list[Candidate]], tuple[int, float] | None]


class CorefRanker:
    """The trained weights, the heads a description may end in, and a threshold per kind of reference."""

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        thresholds: dict[str, float],
        heads: frozenset[str],
        first_names: dict[str, str],
        model_id: str = "",
        version: str = "",
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.thresholds = thresholds
        self.heads = heads
        self.first_names = first_names
        self.model_id = model_id
        self.version = version

    @classmethod
    def load(cls, path: str | Path) -> CorefRanker:
        """A ranker file that ``training/coref_ranker.py`` wrote; its folder names the model."""
        path = Path(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        heads = frozenset(data["heads"])
        weights, bias, thresholds, names = data["weights"], data["bias"], data["thresholds"], data["first_names"]
        return cls(weights, bias, thresholds, heads, names, path.parent.name, data["version"])

    def save(self, path: Path, extra: dict | None = None) -> None:
        data = {
            **(extra or {}),
            "bias": self.bias,
            "thresholds": self.thresholds,
            "heads": sorted(self.heads),
            "first_names": dict(sorted(self.first_names.items())),
            "weights": dict(sorted(self.weights.items())),
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    def probability(self, features: Sequence[str]) -> float:
        score = self.bias + sum(self.weights.get(feature, 0.0) for feature in features)
        return 1.0 / (1.0 + math.exp(-score))

    def choose(self, reference: Reference, candidates: list[Candidate]) -> tuple[int, float] | None:
        """The best-scoring candidate when its probability reaches the threshold of the reference's kind."""
        if not candidates:
            return None
        probability, actor = max((self.probability(features), actor) for actor, features in candidates)
        return (actor, probability) if probability >= self.thresholds[reference.kind] else None

    def resolve(
        self, actors: Sequence[NamedActor], text: str, sentences: list[Sentence], quoted: Sequence[tuple[int, int]]
    ) -> list[tuple[int, Mention]]:
        """``(actor index, mention)`` for every reference of ``text`` the ranker links to one of ``actors``, and
        the possessives ("zijn", "diens") the rules resolve: the corpus does not mark them, so there is nothing
        to learn them from. ``quoted`` are the content spans of the text's direct quotes."""
        rules = resolve_references(actors, text, sentences, quoted)
        linked = [
            (actor, Mention(text[ref.start : ref.end], ref.start, ref.end, ref.sentence, confidence, ref.kind))
            for ref, actor, confidence in walk(actors, text, sentences, quoted, rules, self, self.choose)
        ]
        possessives = [(a, m) for a, m in rules if m.kind == "pronoun" and m.text.lower() not in PRONOUNS]
        return sorted(linked + possessives, key=lambda link: link[1].start)


def find_references(sentences: list[Sentence], name_starts: set[int], heads: frozenset[str]) -> Iterator[Reference]:
    """Every pronoun and description of the text (outside names), in order."""
    for index, sentence in enumerate(sentences):
        tokens = sentence.tokens
        for position, token in enumerate(tokens):
            if token.start in name_starts:
                continue
            word = token.text.lower()
            if word in PRONOUNS:
                yield Reference(
                    token.start, token.end, index, "pronoun", word, features=_pronoun_context(tokens, position)
                )
            elif word in OPENERS:
                description = _description(tokens, position, name_starts, heads, index)
                if description is not None:
                    yield description


def head_of(word: str, heads: frozenset[str]) -> str | None:
    """The known head ``word`` is, or ends with as a compound ("oppositiepartij" -> "partij"); else None."""
    lowered = word.lower()
    if lowered in heads:
        return lowered
    for cut in range(1, len(lowered) - _MIN_COMPOUND_HEAD + 1):
        if lowered[cut:] in heads:
            return lowered[cut:]
    return None


def head_class(head: str) -> str:
    """What the lexicon says a head names: a person's role, or a noun for an organisation or a place."""
    if role_of(head) is not None:
        return "role"
    return group_type(head) or "other"


def _description(
    tokens: Sequence[Token], opener: int, name_starts: set[int], heads: frozenset[str], sentence: int
) -> Reference | None:
    """ "de Amerikaanse president": the opener, up to three modifiers and a known head, none of them a name."""
    for head in range(opener + 1, min(len(tokens), opener + 2 + _MAX_MODIFIERS)):
        token = tokens[head]
        if token.start in name_starts:
            return None
        found = head_of(token.text, heads)
        if found is not None:
            return Reference(
                tokens[opener].start,
                token.end,
                sentence,
                "nominal",
                found,
                tokens[opener].text.lower(),
                tuple(t.text for t in tokens[opener + 1 : head]),
                _description_context(tokens, opener, head, name_starts),
            )
        if not is_modifier(token.text):
            return None
    return None


def _description_context(tokens: Sequence[Token], opener: int, head: int, name_starts: set[int]) -> tuple[str, ...]:
    """What the words around a description say about it alone: a name right after it ("de president Poetin"), a
    role of something ("de minister van Financiën"), an apposition after a comma ("Poetin, de president")."""
    following = tokens[head + 1] if head + 1 < len(tokens) else None
    context = []
    if following is not None and following.start in name_starts:
        context.append("next_name")
    if following is not None and following.text.lower() == "van":
        context.append("next_van")
    if opener > 0 and tokens[opener - 1].text == ",":
        context.append("after_comma")
    return tuple(context)


def _pronoun_context(tokens: Sequence[Token], position: int) -> tuple[str, ...]:
    """What the words around a pronoun say about it alone (number, possessive use)."""
    context = []
    if next_to_plural_verb(tokens, position):
        context.append("plural_verb")
    if before_singular_verb(tokens, position):
        context.append("singular_verb")
    following = tokens[position + 1].text if position + 1 < len(tokens) else ""
    if following[:1].isalpha() and following.islower():
        context.append("next_lower")
    if position == 0:
        context.append("sentence_start")
    return tuple(context)


def walk(
    actors: Sequence[NamedActor],
    text: str,
    sentences: list[Sentence],
    quoted: Sequence[tuple[int, int]],
    rules: list[tuple[int, Mention]],
    vocabulary: Vocabulary,
    choose: Chooser,
) -> Iterator[tuple[Reference, int, float]]:
    """Go through the text in order; at every reference, ``choose`` picks among the candidates (each with its
    features) or returns None. Yields each reference that was linked, with its actor and confidence.

    ``rules`` are the links of ``service.coref.resolve_references`` (a feature). A person's gender comes from the
    article (a title or role by the name, a pronoun linked to it), else from the vocabulary's first names."""
    heads, first_names = vocabulary.heads, vocabulary.first_names
    profiles = learn_profiles(actors, sentences)
    for profile, actor in zip(profiles, actors, strict=True):
        if profile.type == "PER" and profile.gender is None:
            profile.gender = first_names.get(first_name(actor))
    states = [
        _ActorState(profile, frozenset(w.lower() for m in actor.mentions for w in m.text.split()))
        for profile, actor in zip(profiles, actors, strict=True)
    ]
    ruled = {mention.start: actor for actor, mention in rules}
    names = sorted(
        (m.start, m.sentence, index)
        for index, actor in enumerate(actors)
        if actor.type in LINKABLE_TYPES
        for m in actor.mentions
    )
    name_starts = {start for start, _, _ in names}
    # A name (actor index, sentence) sorts before a reference at the same offset.
    events: list[tuple[int, int, Reference | tuple[int, int]]] = [(s, 0, (i, n)) for s, n, i in names]
    events += [(ref.start, 1, ref) for ref in find_references(sentences, name_starts, heads)]
    events.sort(key=lambda event: (event[0], event[1]))
    for start, _, item in events:
        if isinstance(item, tuple):
            index, sentence = item
            _mentioned(states[index], start, sentence)
            continue
        candidates = _candidates(item, states)
        scored = [
            (index, _pair_features(item, states, index, rank, type_rank, ruled, quoted))
            for index, rank, type_rank in candidates
        ]
        chosen = choose(item, scored)
        if chosen is None:
            continue
        actor, confidence = chosen
        _linked(states[actor], item)
        yield item, actor, confidence


def first_name(actor: NamedActor) -> str:
    """The first word of the actor's longest name ("donald" for "Donald Trump"); empty for a one-word name."""
    longest = max((m.text.split() for m in actor.mentions), key=len, default=[])
    return longest[0].lower() if len(longest) > 1 else ""


def _mentioned(state: _ActorState, start: int, sentence: int) -> None:
    if state.last_sentence != sentence:
        state.first_in_sentence.add(sentence)
    state.mentions += 1
    state.last_start = start
    state.last_sentence = sentence


def _linked(state: _ActorState, reference: Reference) -> None:
    _mentioned(state, reference.start, reference.sentence)
    if reference.kind == "nominal":
        state.profile.roles.add(reference.word)
    elif state.profile.gender is None:  # also an organisation once called "ze": it may be again
        state.profile.gender = GENDERED.get(reference.word)


def _candidates(reference: Reference, states: list[_ActorState]) -> list[tuple[int, int, int]]:
    """``(actor, recency rank, recency rank among its type)`` for the actors a reference may refer to."""
    nearby = [
        i
        for i, s in enumerate(states)
        if s.mentions
        and (
            reference.sentence - s.last_sentence <= WINDOW[reference.kind]
            or (reference.kind == "nominal" and reference.word in s.profile.roles)
        )
    ]
    nearby.sort(key=lambda i: -states[i].last_start)
    nearby = nearby[:MAX_CANDIDATES]
    type_seen: dict[str, int] = {}
    ranked = []
    for rank, index in enumerate(nearby):
        kind = states[index].profile.type
        ranked.append((index, rank, type_seen.get(kind, 0)))
        type_seen[kind] = type_seen.get(kind, 0) + 1
    return ranked


def _bucket(value: int, edges: Sequence[int]) -> str:
    return next((str(edge) for edge in edges if value <= edge), f">{edges[-1]}")


def _pair_features(
    reference: Reference,
    states: list[_ActorState],
    index: int,
    rank: int,
    type_rank: int,
    rules: dict[int, int],
    quoted: list[tuple[int, int]],
) -> list[str]:
    state = states[index]
    profile = state.profile
    kind = reference.word if reference.kind == "pronoun" else "N"
    actor_type = profile.type
    distance = reference.sentence - state.last_sentence
    features = [
        f"{kind}|t={actor_type}",
        f"{kind}|d={_bucket(distance, (0, 1, 2, 3, 5))}",
        f"{kind}|r={min(rank, 4)}",
        f"{kind}|tr={min(type_rank, 3)}|t={actor_type}",
        f"{kind}|n={_bucket(state.mentions, (1, 2, 4, 8))}",
        *(f"{kind}|{context}" for context in reference.features),
    ]
    if state.last_sentence in state.first_in_sentence and distance <= 1:
        features.append(f"{kind}|first_in_sentence|d={distance}")
    if reference.start in rules:
        features.append(f"{kind}|rule" if rules[reference.start] == index else f"{kind}|rule_other")
    if reference.kind == "pronoun":
        features.append(f"{kind}|g={profile.gender}|t={actor_type}")
        if inside(quoted, reference.start):
            features.append(f"{kind}|quoted|t={actor_type}")
    else:
        features += _description_features(reference, profile, state, actor_type)
    return features


def _description_features(reference: Reference, profile: Profile, state: _ActorState, actor_type: str) -> list[str]:
    identifiers = {found for word in reference.modifiers if (found := identifier_of(word))}
    features = [
        f"N|h={reference.word}|t={actor_type}",
        f"N|end={reference.word[-3:]}|t={actor_type}",
        f"N|o={reference.opener}|t={actor_type}",
        f"N|class={head_class(reference.word)}|t={actor_type}",
    ]
    if reference.word in profile.roles:
        features.append("N|taught")
    if reference.word in state.name_words:
        features.append("N|in_name")
    if identifiers and profile.identifiers:
        features.append("N|identified" if identifiers & profile.identifiers else "N|other_identifier")
    if profile.gender is not None:
        features.append(f"N|g={profile.gender}|h={reference.word}")
    return features
