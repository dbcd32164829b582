"""Request bodies. Unknown fields are rejected (marshmallow's default ``RAISE``).

Loading a document body gives the pipeline's own :class:`~service.documents.Document` (with its
:class:`~service.documents.Options`), so a route passes on what it loaded and nothing re-reads raw dicts.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates, validates_schema

from service.documents import Document, Options

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
ACTOR_TYPES = ("PER", "ORG", "LOC")


def _limit(name: str) -> int:
    """A request limit from the running app's Settings (schemas stay free of import-time config)."""
    return getattr(current_app.config["SETTINGS"], name)


class StrictBoolean(fields.Boolean):
    """JSON true/false only: marshmallow's Boolean would also take 0, 1, "yes" and "off"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class OptionsSchema(Schema):
    """Per-request analysis options."""

    actor_types = fields.List(
        fields.String(validate=validate.OneOf(ACTOR_TYPES)),
        load_default=lambda: ["PER", "ORG"],
        validate=validate.Length(min=1),
        metadata={"description": "Entity types that become actors (LOC is optional)"},
    )
    min_confidence = fields.Float(
        load_default=0.0,
        validate=validate.Range(min=0.0, max=1.0),
        metadata={"description": "Entities below this confidence are dropped (and make no actor)"},
    )
    stances = StrictBoolean(
        load_default=True, metadata={"description": "Classify the stance of each actor (off saves time)"}
    )

    check_language = StrictBoolean(
        load_default=True,
        metadata={
            "description": "Refuse a text that is clearly not Dutch with a 422 naming its language (the models "
            "are Dutch); false analyses it anyway. Quoted passages do not count: a Dutch article quoting English "
            "stays Dutch, and a text under 40 letters is never refused."
        },
    )

    @post_load
    def _options(self, data: dict, **_: Any) -> Options:
        return Options(frozenset(data["actor_types"]), data["min_confidence"], data["stances"], data["check_language"])


class DocumentSchema(Schema):
    """One article."""

    text = fields.String(
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "Article body, not blank, at most MAX_TEXT_CHARS; offsets index this string"},
    )
    id = fields.String(validate=validate.Length(max=256), metadata={"description": "Caller's id, echoed"})
    title = fields.String(validate=validate.Length(max=2000), metadata={"description": "Echoed, not analysed"})
    published_at = fields.DateTime(metadata={"description": "ISO 8601 date-time, echoed"})
    options = fields.Nested(OptionsSchema, load_default=lambda: OptionsSchema().load({}))

    @validates("text")
    def _text_not_blank_and_bounded(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError("Text must contain something other than whitespace.")
        max_chars = _limit("max_text_chars")
        if len(value) > max_chars:
            raise ValidationError(f"Text is {len(value)} characters; the limit is {max_chars}.")

    @post_load
    def _document(self, data: dict, **_: Any) -> Document:
        return Document(**data)


class BatchRequestSchema(Schema):
    """Several articles analysed together (the models see all their sentences at once)."""

    documents = fields.List(fields.Nested(DocumentSchema), required=True, validate=validate.Length(min=1))

    @validates("documents")
    def _batch_within_limit(self, value: list, **_: Any) -> None:
        max_docs = _limit("max_batch_docs")
        if len(value) > max_docs:
            raise ValidationError(f"{len(value)} documents; the limit is {max_docs} per batch.")


class SpanSchema(Schema):
    """A character span ``[start, end)`` into the submitted text."""

    start = fields.Integer(required=True, validate=validate.Range(min=0))
    end = fields.Integer(required=True, validate=validate.Range(min=1))


class StanceRequestSchema(Schema):
    """Targeted stance: the caller names the actor's span (bring your own NER)."""

    text = fields.String(required=True, validate=validate.Length(min=1))
    actor = fields.Nested(SpanSchema, required=True)
    topics = fields.List(
        fields.String(), validate=validate.Length(min=1), metadata={"description": "Default: every topic"}
    )
    target = fields.Nested(
        SpanSchema,
        metadata={
            "description": "Optional: the span of another actor; the response then holds the actor's stance "
            "toward it (target_stance). Must not overlap the actor span"
        },
    )

    @validates("text")
    def _text_not_blank_and_bounded(self, value: str, **kwargs: Any) -> None:
        DocumentSchema._text_not_blank_and_bounded(self, value, **kwargs)

    @validates_schema
    def _spans_inside_text(self, data: dict, **_: Any) -> None:
        text = data.get("text")
        if text is None:
            return
        for name in ("actor", "target"):
            _check_span(data.get(name), text, name)
        actor, target = data.get("actor"), data.get("target")
        if not (actor and target):
            return
        if actor["start"] < target["end"] and target["start"] < actor["end"]:
            raise ValidationError("The target span overlaps the actor span.", field_name="target")
        for name, span in (("actor", actor), ("target", target)):
            if not any(character.isalnum() for character in text[span["start"] : span["end"]]):
                raise ValidationError(
                    "With a target, both spans must hold a letter or digit (an actor's words).", field_name=name
                )


def _check_span(span: dict | None, text: str, name: str) -> None:
    """A span inside the text that covers more than whitespace, or a ValidationError on field ``name``."""
    if not span:
        return
    if span["end"] <= span["start"] or span["end"] > len(text):
        raise ValidationError(f"Span must satisfy 0 <= start < end <= {len(text)} (the text length).", field_name=name)
    if not text[span["start"] : span["end"]].strip():
        raise ValidationError("The span covers only whitespace.", field_name=name)
