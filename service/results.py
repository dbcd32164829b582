"""Typed results of the pipeline: what an analysis found, before any JSON exists.

The pipeline builds these; the marshmallow response schemas (``schemas/response.py``) dump them. Every
offset indexes the text exactly as the caller sent it, so ``text[start:end]`` reproduces each span.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # annotations only: the model backends import this module's types, not the reverse
    from service.models.ner import Entity
    from service.models.stance import TopicStance

MentionKind = Literal["name", "pronoun", "nominal"]
QuoteKind = Literal["direct", "indirect"]


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the document: its text and character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """One reference to an actor: a name the tagger found, a pronoun ("hij") or a description ("de premier").

    ``confidence`` is the tagger's for names and the resolver's for pronouns and descriptions.
    """

    text: str
    start: int
    end: int
    sentence: int
    confidence: float
    kind: MentionKind = "name"


@dataclass(frozen=True, slots=True)
class Quote:
    """Something said in the article, and by whom when the article says so.

    ``speaker`` is the id of the actor who says it (None for unnamed sources or when no speaker is found);
    ``speaker_text`` is the words that name the speaker ("Trump", "hij", "een woordvoerder").
    """

    text: str
    start: int
    end: int
    kind: QuoteKind
    cue: Span | None = None
    speaker: str | None = None
    speaker_text: Span | None = None
    sentences: tuple[int, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Which model produced a result: its id (path or hub id) and version."""

    id: str
    version: str


@dataclass(frozen=True, slots=True)
class ModelsUsed:
    """The models behind one analysis, so that a stored result says what made it."""

    ner: ModelInfo
    stance: ModelInfo
    actor_stance: ModelInfo
    quotes: ModelInfo | None = None
    coref: ModelInfo | None = None


@dataclass(frozen=True, slots=True)
class Stance:
    """Where an actor stands, pooled over its evidence: on an issue ``topic`` of the codebook, or toward
    another actor of the article (its ``target`` id and ``target_name``).

    Both kinds are one concept (a position with scores, confidence and the sentence that shows it) in one
    list; the fields only one kind has are optional, and a client tells the kinds apart by which is set.
    ``mentions`` counts the pooled evidence: on-topic mentions, or sentences linking the two actors.
    """

    position: str
    confidence: float
    scores: Mapping[str, float]
    evidence: Span
    mentions: int
    topic: str | None = None
    relevance: float | None = None
    target: str | None = None
    target_name: str | None = None


@dataclass(frozen=True, slots=True)
class PairStanceResult:
    """``/v1/stance`` with a target span: the actor's stance toward it, read from the sentences that hold
    both spans (``evidence``), by the actor-stance ``model``."""

    target: Span
    position: str
    confidence: float
    scores: Mapping[str, float]
    evidence: Span
    model: ModelInfo


@dataclass(frozen=True, slots=True)
class ActorResult:
    """One actor of a document: every mention of it, what it says and where it stands."""

    id: str
    name: str
    type: str
    salience: float
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    stances: tuple[Stance, ...]


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The analysis of one document. ``entities`` is what the tagger found; ``actors`` group them (with
    pronouns and descriptions); ``quotes`` lists every quote of the document, attributed or not."""

    id: str | None
    title: str | None
    published_at: datetime | None
    models: ModelsUsed
    entities: tuple[Entity, ...]
    actors: tuple[ActorResult, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class TargetedStanceResult:
    """``/v1/stance``: the stance of the actor at a span the caller chose, per requested topic, and toward
    the target span when the caller gave one."""

    actor: Span
    window: str
    model: ModelInfo
    stances: tuple[TopicStance, ...]
    target_stance: PairStanceResult | None = None

    @property
    def text(self) -> str:
        """The actor's words (the span's text), as the response names them."""
        return self.actor.text
