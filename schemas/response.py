"""Response bodies. Every response is dumped through one of these, so the JSON always matches the spec."""

from marshmallow import Schema, fields, validate

from schemas.request import ENTITY_TYPES, SpanSchema

POSITIONS = ("positive", "negative", "neutral")


class ModelInfoSchema(Schema):
    id = fields.String(required=True, metadata={"description": "Model id (path or hub id)"})
    version = fields.String(required=True)


class ModelsUsedSchema(Schema):
    ner = fields.Nested(ModelInfoSchema, required=True)
    stance = fields.Nested(ModelInfoSchema, required=True)


class EntitySchema(Schema):
    text = fields.String(required=True, metadata={"description": "Equals text[start:end]"})
    type = fields.String(required=True, validate=validate.OneOf(ENTITY_TYPES))
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    confidence = fields.Float(required=True)


class MentionSchema(Schema):
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    sentence = fields.Integer(required=True, metadata={"description": "Index of the sentence holding it"})
    confidence = fields.Float(required=True)


class ScoresSchema(Schema):
    positive = fields.Float(required=True)
    negative = fields.Float(required=True)
    neutral = fields.Float(required=True)


class EvidenceSchema(Schema):
    text = fields.String(required=True, metadata={"description": "The sentence that decided the stance"})
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class ActorStanceSchema(Schema):
    topic = fields.String(required=True)
    position = fields.String(required=True, validate=validate.OneOf(POSITIONS))
    confidence = fields.Float(required=True, metadata={"description": "Score of the reported position"})
    scores = fields.Nested(ScoresSchema, required=True)
    relevance = fields.Float(required=True, metadata={"description": "How surely the evidence is on topic"})
    evidence = fields.Nested(EvidenceSchema, required=True)
    mentions = fields.Integer(required=True, metadata={"description": "On-topic mentions that were pooled"})


class ActorSchema(Schema):
    id = fields.String(required=True, metadata={"description": "Stable within the document: type + name"})
    name = fields.String(required=True, metadata={"description": "Canonical (longest) name"})
    type = fields.String(required=True, validate=validate.OneOf(ENTITY_TYPES))
    salience = fields.Float(required=True, metadata={"description": "Share of all actor mentions, 0..1"})
    mentions = fields.List(fields.Nested(MentionSchema), required=True)
    stances = fields.List(fields.Nested(ActorStanceSchema), required=True)


class AnalysisSchema(Schema):
    id = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    models = fields.Nested(ModelsUsedSchema, required=True)
    entities = fields.List(fields.Nested(EntitySchema), required=True)
    actors = fields.List(fields.Nested(ActorSchema), required=True)


class BatchResponseSchema(Schema):
    results = fields.List(fields.Nested(AnalysisSchema), required=True, metadata={"description": "Input order"})


class TopicStanceSchema(Schema):
    topic = fields.String(required=True)
    position = fields.String(required=True, validate=validate.OneOf(POSITIONS))
    scores = fields.Nested(ScoresSchema, required=True)
    relevance = fields.Float(required=True)
    relevant = fields.Boolean(required=True, metadata={"description": "Relevance passed the model's gate"})


class StanceResponseSchema(Schema):
    actor = fields.Nested(SpanSchema, required=True)
    text = fields.String(required=True, metadata={"description": "The actor's text"})
    window = fields.String(required=True, metadata={"description": "Model input: sentences around the actor"})
    model = fields.Nested(ModelInfoSchema, required=True)
    stances = fields.List(fields.Nested(TopicStanceSchema), required=True)


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


class StanceInfoSchema(ModelInfoSchema):
    topics = fields.List(fields.String(), required=True)
    positions = fields.List(fields.String(), required=True)


class InfoSchema(Schema):
    service = fields.String(required=True)
    version = fields.String(required=True)
    ner = fields.Nested(NerInfoSchema, required=True)
    stance = fields.Nested(StanceInfoSchema, required=True)
    limits = fields.Nested(LimitsSchema, required=True)
