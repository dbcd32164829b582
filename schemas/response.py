"""Response bodies. Every response is dumped through one of these, so the JSON always matches the spec.

The schemas dump the pipeline's typed results (``service.results``) by attribute. Every score a client sees
(confidences, class scores, relevance, salience) goes through the one :class:`Score` field, so all of them
are rounded the same way, in one place.
"""

from typing import Any

from marshmallow import Schema, fields, validate

from schemas.request import ENTITY_TYPES, SpanSchema

POSITIONS = ("positive", "negative", "neutral")
MENTION_KINDS = ("name", "pronoun", "nominal")
QUOTE_KINDS = ("direct", "indirect")
SCORE_DIGITS = 4
START = "Offset of the first character in the submitted text (Unicode code points)"
END = "Offset just past the last character"


class Score(fields.Float):
    """A probability-like number, rounded to SCORE_DIGITS decimals: more digits would only be noise."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        number = super()._serialize(value, attr, obj, **kwargs)
        return None if number is None else round(number, SCORE_DIGITS)


class ModelInfoSchema(Schema):
    id = fields.String(required=True, metadata={"description": "Model id (path or hub id)"})
    version = fields.String(required=True)


def nullable(schema: type[Schema], description: str) -> fields.Nested:
    """A required field that holds ``schema`` or null (a model the service runs without, or a missing curve)."""
    return fields.Nested(schema, required=True, allow_none=True, metadata={"description": description})


def quote_model_field() -> fields.Nested:
    """The quote tagger's id and version, in every result and in ``/v1/info``."""
    return nullable(ModelInfoSchema, "Quote tagger; null when quotes come from the rules alone (QUOTE_MODEL=none)")


def coref_model_field() -> fields.Nested:
    """The reference ranker's id and version, in every result and in ``/v1/info``."""
    return nullable(
        ModelInfoSchema,
        "Reference ranker linking pronouns and descriptions to actors; null when the rules alone link them "
        "(COREF_MODEL=none)",
    )


class ModelsUsedSchema(Schema):
    ner = fields.Nested(ModelInfoSchema, required=True)
    stance = fields.Nested(ModelInfoSchema, required=True, metadata={"description": "Issue stance model"})
    actor_stance = fields.Nested(
        ModelInfoSchema, required=True, metadata={"description": "Actor-to-actor stance model"}
    )
    quotes = quote_model_field()
    coref = coref_model_field()


class EntitySchema(Schema):
    text = fields.String(required=True, metadata={"description": "Equals text[start:end]"})
    type = fields.String(required=True, validate=validate.OneOf(ENTITY_TYPES))
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    confidence = Score(required=True)


class MentionSchema(Schema):
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    sentence = fields.Integer(required=True, metadata={"description": "Index of the sentence holding it"})
    confidence = Score(
        required=True,
        metadata={"description": "The tagger's confidence for a name; the resolver's for a pronoun or description"},
    )
    kind = fields.String(
        required=True,
        validate=validate.OneOf(MENTION_KINDS),
        metadata={
            "description": 'How the actor is referred to: "name" (a name the tagger found, e.g. "Trump"), '
            '"pronoun" ("hij", "haar") or "nominal" (a description such as "de Amerikaanse president")'
        },
    )


class TextSpanSchema(Schema):
    """A piece of the text: ``text`` equals ``text[start:end]`` of the submitted text."""

    text = fields.String(required=True, metadata={"description": "Equals text[start:end]"})
    start = fields.Integer(required=True, metadata={"description": START})
    end = fields.Integer(required=True, metadata={"description": END})


class QuoteSchema(Schema):
    text = fields.String(
        required=True,
        metadata={
            "description": "What is said: for a direct quote the words between the quote marks, for indirect "
            "speech the reported clause with all it governs, without the 'dat', 'of', 'te' or 'om' that opens it; "
            "equals text[start:end]"
        },
    )
    start = fields.Integer(required=True, metadata={"description": START})
    end = fields.Integer(required=True, metadata={"description": END})
    kind = fields.String(
        required=True,
        validate=validate.OneOf(QUOTE_KINDS),
        metadata={
            "description": '"direct": words in quote marks; "indirect": reported speech introduced by a cue '
            'word ("volgens", "zei dat")'
        },
    )
    cue = fields.Nested(
        TextSpanSchema,
        required=True,
        allow_none=True,
        metadata={"description": 'The word(s) that mark the speech ("aldus", "zei", "volgens", a colon), or null'},
    )
    speaker = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Id of the actor who says it (an id of this result's actors), or null when the "
            "speaker is not an actor (an unnamed source) or is not found"
        },
    )
    speaker_text = fields.Nested(
        TextSpanSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": 'The words that name the speaker here (a name, "hij", "een woordvoerder"), or null '
            "when the text names no speaker"
        },
    )


class ActorQuoteSchema(QuoteSchema):
    """A quote under the actor who says it: the speaker is that actor, so it is not repeated."""

    class Meta:
        exclude = ("speaker",)


class ScoresSchema(Schema):
    positive = Score(required=True)
    negative = Score(required=True)
    neutral = Score(required=True)


class EvidenceSchema(Schema):
    text = fields.String(
        required=True,
        metadata={"description": "The sentence that decided the stance; equals text[start:end]"},
    )
    start = fields.Integer(required=True, metadata={"description": START})
    end = fields.Integer(required=True, metadata={"description": END})


class ActorStanceSchema(Schema):
    """One stance of the actor: on an issue ``topic``, or toward another actor (``target``).

    Exactly one of ``topic`` and ``target`` is set; the other is null (as are ``relevance`` for an actor
    stance and ``target_name`` for an issue stance).
    """

    topic = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Issue stance: the codebook topic (see /v1/info); null for an actor stance"},
    )
    target = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Actor stance: id of the actor the stance is toward; null for an issue stance. Targets "
            "are the article's PER, ORG and LOC actors whatever actor_types asked for, so a target of a type "
            "not requested (e.g. a country) is not in this result's actors: target_name names it"
        },
    )
    target_name = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Actor stance: the target actor's canonical name; null for an issue stance"},
    )
    position = fields.String(
        required=True,
        validate=validate.OneOf(POSITIONS),
        metadata={
            "description": "Issue stance: the position on the topic. Actor stance: positive (support, praise, "
            "agreement, cooperation), negative (criticism, attack, accusation, conflict) or neutral (the actor "
            "meets the target without taking a side). An actor stance takes a side where, in one piece of its "
            "evidence, the actor-stance model gives that side at least the side's threshold (chosen on the annotated "
            "corpus's dev split, listed by GET /v1/info); otherwise it is neutral, and scores show the strongest "
            "lean toward a side that fell short"
        },
    )
    confidence = Score(
        required=True,
        metadata={
            "description": "How likely the stance is right: the score of the reported position (issue stance: the "
            "mean over the evidence; actor stance: the deciding evidence's) read off the model's calibration curve, "
            "fitted on the annotated corpus's dev split to how often the service's stances there were right (a "
            "stance at 0.4 was right about 4 times in 10). A neutral actor stance carries the model's neutral "
            "score. The raw scores are in scores"
        },
    )
    scores = fields.Nested(
        ScoresSchema,
        required=True,
        metadata={
            "description": "Issue stance: mean scores over the evidence. Actor stance: the scores of the "
            "evidence that decided it, the most confident side taken, or for a neutral stance the evidence that "
            "leans most toward a side"
        },
    )
    relevance = Score(
        required=True,
        allow_none=True,
        metadata={"description": "Issue stance: how surely the evidence is on topic; null for an actor stance"},
    )
    evidence = fields.Nested(
        EvidenceSchema,
        required=True,
        metadata={
            "description": "The sentence that supports the position most strongly. For an actor stance it "
            "mentions both actors (by name, pronoun or description): the actor's quote about the target, or a "
            "clause in which the actor acts on the target"
        },
    )
    mentions = fields.Integer(
        required=True,
        metadata={
            "description": "Pooled evidence: on-topic mentions (issue stance) or sentences linking the two "
            "actors (actor stance)"
        },
    )


class ActorSchema(Schema):
    id = fields.String(required=True, metadata={"description": "Stable within the document: type + name"})
    name = fields.String(required=True, metadata={"description": "Canonical (longest) name"})
    type = fields.String(required=True, validate=validate.OneOf(ENTITY_TYPES))
    salience = Score(required=True, metadata={"description": "Share of all actor mentions, 0..1"})
    mentions = fields.List(
        fields.Nested(MentionSchema),
        required=True,
        metadata={"description": "Every reference to the actor (names, pronouns, descriptions), in text order"},
    )
    quotes = fields.List(
        fields.Nested(ActorQuoteSchema),
        required=True,
        metadata={"description": "What this actor says: the document's quotes attributed to it (without speaker)"},
    )
    stances = fields.List(
        fields.Nested(ActorStanceSchema),
        required=True,
        metadata={
            "description": "Where the actor stands: issue stances (topic set), most relevant first, then "
            "stances toward other actors (target set), positive and negative before neutral"
        },
    )


class AnalysisSchema(Schema):
    id = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    models = fields.Nested(ModelsUsedSchema, required=True)
    entities = fields.List(fields.Nested(EntitySchema), required=True)
    actors = fields.List(fields.Nested(ActorSchema), required=True)
    quotes = fields.List(
        fields.Nested(QuoteSchema),
        required=True,
        metadata={"description": "Every quote and piece of reported speech in the text, in text order"},
    )


class BatchResponseSchema(Schema):
    results = fields.List(fields.Nested(AnalysisSchema), required=True, metadata={"description": "Input order"})


class TopicStanceSchema(Schema):
    topic = fields.String(required=True)
    position = fields.String(required=True, validate=validate.OneOf(POSITIONS))
    scores = fields.Nested(ScoresSchema, required=True)
    relevance = Score(required=True)
    relevant = fields.Boolean(required=True, metadata={"description": "Relevance passed the model's gate"})


class TargetStanceSchema(Schema):
    target = fields.Nested(TextSpanSchema, required=True, metadata={"description": "The target span and its text"})
    position = fields.String(
        required=True,
        validate=validate.OneOf(POSITIONS),
        metadata={"description": "positive (support), negative (criticism) or neutral, of the actor toward the target"},
    )
    confidence = Score(
        required=True,
        metadata={
            "description": "For a side: how likely it is right, the score of the side through the actor-stance "
            "model's calibration curve (as for the stances of /v1/analyze); for neutral: the neutral score"
        },
    )
    scores = fields.Nested(ScoresSchema, required=True)
    evidence = fields.Nested(
        TextSpanSchema,
        required=True,
        metadata={
            "description": "What the model read: the sentences from the one holding the earlier span to the "
            "one holding the later"
        },
    )
    model = fields.Nested(ModelInfoSchema, required=True, metadata={"description": "Actor-to-actor stance model"})


class StanceResponseSchema(Schema):
    actor = fields.Nested(SpanSchema, required=True)
    text = fields.String(required=True, metadata={"description": "The actor's text"})
    window = fields.String(required=True, metadata={"description": "Model input: sentences around the actor"})
    model = fields.Nested(ModelInfoSchema, required=True)
    stances = fields.List(fields.Nested(TopicStanceSchema), required=True)
    target_stance = fields.Nested(
        TargetStanceSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The actor's stance toward the target span; null when the request gave no target"},
    )


class HealthSchema(Schema):
    status = fields.String(required=True)


class ReadinessSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(("ready", "loading", "failed")))
    detail = fields.String()


class LimitsSchema(Schema):
    max_text_chars = fields.Integer(required=True)
    max_batch_docs = fields.Integer(required=True)
    max_content_length = fields.Integer(required=True)


class NerInfoSchema(ModelInfoSchema):
    labels = fields.List(fields.String(), required=True)
    quantized = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The tagger's modules running as int8 (NER_QUANTIZE); empty when all are fp32"},
    )


class CalibrationInfoSchema(Schema):
    slope = fields.Float(required=True)
    intercept = fields.Float(required=True)


def calibration_field() -> fields.Nested:
    """A stance model's confidence curve in ``/v1/info``."""
    return nullable(
        CalibrationInfoSchema,
        "The curve that turns the raw score of a returned stance's position into its confidence: "
        "1 / (1 + exp(-(slope * score + intercept))), fitted on the annotated corpus's dev split; null when the "
        "model has none (the confidence is then the raw score)",
    )


class StanceInfoSchema(ModelInfoSchema):
    topics = fields.List(fields.String(), required=True)
    positions = fields.List(fields.String(), required=True)
    calibration = calibration_field()


class ActorStanceInfoSchema(ModelInfoSchema):
    positions = fields.List(fields.String(), required=True)
    thresholds = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        required=True,
        metadata={
            "description": "The probability a side (positive, negative) needs in one piece of evidence before an "
            "actor stance takes it; empty when the model has none (then the most probable position decides)"
        },
    )
    target_types = fields.List(
        fields.String(), required=True, metadata={"description": "Actor types a stance can be toward"}
    )
    calibration = calibration_field()


class InfoSchema(Schema):
    service = fields.String(required=True)
    version = fields.String(required=True)
    ner = fields.Nested(NerInfoSchema, required=True)
    stance = fields.Nested(StanceInfoSchema, required=True)
    actor_stance = fields.Nested(ActorStanceInfoSchema, required=True)
    quotes = quote_model_field()
    coref = coref_model_field()
    limits = fields.Nested(LimitsSchema, required=True)
