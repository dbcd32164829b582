"""The analysis endpoints. Schemas validate the body (loading it as typed documents) and dump the pipeline's
typed results; the pipeline does the work."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import TypeVar

from flask import current_app
from flask_smorest import Blueprint, abort

from schemas.request import BatchRequestSchema, DocumentSchema, StanceRequestSchema
from schemas.response import AnalysisSchema, BatchResponseSchema, StanceResponseSchema
from service import metrics
from service.admission import DeadlineExceeded, Overloaded
from service.api import ready_pipeline
from service.api.body import JsonBodyParser
from service.documents import Document
from service.pipeline import Pipeline
from service.results import DocumentResult, TargetedStanceResult

T = TypeVar("T")

blp = Blueprint("analyze", __name__, url_prefix="/v1", description="Entities, actors and their stances")
blp.ARGUMENTS_PARSER = JsonBodyParser()

ERRORS = (400, 413, 415, 422, 503, 504)
# How soon a refused client should try again: about one analysis of a typical article.
RETRY_AFTER_SECONDS = 2


def _documented_errors(view):
    """Declare the problem+json responses every analysis endpoint can give, for the OpenAPI document."""
    for status in ERRORS:
        view = blp.alt_response(status, response=_response_name(status))(view)
    return view


def _response_name(status: int) -> str:
    return HTTPStatus(status).name


def _admitted(work: Callable[[], T]) -> T:
    """Run ``work`` within this worker's admission limits: 503 at once when full, 504 past REQUEST_TIMEOUT."""
    try:
        with metrics.ANALYSES_IN_PROGRESS.track_inprogress():
            return current_app.extensions["admission"].run(work)
    except Overloaded as error:
        abort(503, message=f"Busy: {error}; retry later.", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    except DeadlineExceeded as error:
        abort(504, message=f"Timed out: {error} (REQUEST_TIMEOUT).")


def _refuse_non_dutch(pipeline: Pipeline, documents: list[Document], field: str | None) -> None:
    """422 before any model runs when a document that asks for the language check is clearly not Dutch; the
    problem names the language and how to force the analysis. ``field`` is the batch body's list, if any."""
    refused = pipeline.not_dutch(documents)
    if not refused:
        return
    messages = {
        index: f"The text is in another language than Dutch ({guess.language}, probability {guess.confidence:.2f}); "
        "set options.check_language to false to analyse it anyway."
        for index, guess in refused.items()
    }
    if field is None:
        abort(422, message=messages[0], errors={"json": {"text": [messages[0]]}})
    languages = sorted({guess.language for guess in refused.values()})
    abort(
        422,
        message=f"{len(refused)} of {len(documents)} documents are not in Dutch ({', '.join(languages)}); see errors.",
        errors={"json": {field: {index: {"text": [message]} for index, message in messages.items()}}},
    )


def _count(documents: list[Document]) -> None:
    """Documents and characters analysed (counted once answered: a refused request analysed nothing)."""
    metrics.DOCUMENTS.inc(len(documents))
    metrics.CHARACTERS.inc(sum(len(doc.text) for doc in documents))


@blp.route("/analyze", methods=["POST"])
@blp.arguments(DocumentSchema)
@blp.response(200, AnalysisSchema)
@_documented_errors
def analyze(document: Document) -> DocumentResult:
    """Analyse one article: entities, actors (all their mentions grouped), quotes and each actor's stances.

    A text that is clearly not Dutch is refused with 422 naming its language, unless ``options.check_language``
    is false."""
    pipeline = ready_pipeline()
    _refuse_non_dutch(pipeline, [document], field=None)
    result = _admitted(lambda: pipeline.analyze([document])[0])
    _count([document])
    return result


@blp.route("/analyze/batch", methods=["POST"])
@blp.arguments(BatchRequestSchema)
@blp.response(200, BatchResponseSchema)
@_documented_errors
def analyze_batch(payload: dict) -> dict:
    """Analyse up to MAX_BATCH_DOCS articles in one model pass; results in input order."""
    pipeline = ready_pipeline()
    documents: list[Document] = payload["documents"]
    _refuse_non_dutch(pipeline, documents, field="documents")
    results = _admitted(lambda: pipeline.analyze(documents))
    _count(documents)
    return {"results": results}


@blp.route("/stance", methods=["POST"])
@blp.arguments(StanceRequestSchema)
@blp.response(200, StanceResponseSchema)
@_documented_errors
def stance(payload: dict) -> TargetedStanceResult:
    """Stance of an actor whose span the caller gives (bring your own NER), per topic, and toward another
    actor's span when ``target`` is given."""
    pipeline = ready_pipeline()
    topics = payload.get("topics")
    known = pipeline.stance_model.topics
    unknown = sorted(set(topics or ()) - set(known))
    if unknown:
        abort(422, errors={"json": {"topics": [f"Unknown topics {unknown}; supported: {list(known)}."]}})
    span, target = payload["actor"], payload.get("target")
    target_span = None if target is None else (target["start"], target["end"])
    return _admitted(lambda: pipeline.stance(payload["text"], span["start"], span["end"], topics, target_span))
