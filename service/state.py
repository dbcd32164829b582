"""Model loading of one worker process: ``build_pipeline`` and its state, loading -> ready | failed.

Models load in a background thread right after the worker starts (after gunicorn's fork: torch state must
not cross a fork), so ``/healthz`` answers at once and ``/readyz`` says 503 until the pipeline is ready.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from service.config import NO_MODEL, Settings
from service.coref_ranker import CorefRanker
from service.models.actor_stance import ActorStanceModel, load_actor_stance_model
from service.models.language import load_language_identifier
from service.models.loading import ModelLoadError, load_model
from service.models.ner import NerModel, load_ner_model
from service.models.quote_tagger import QuoteTagger, load_quote_tagger
from service.models.stance import load_stance_model
from service.pipeline import Pipeline

log = logging.getLogger("service.models")


def build_pipeline(settings: Settings) -> Pipeline:
    """Load the models (the slow part of a worker's start) and the pipeline around them; a model that
    cannot be loaded raises a ModelLoadError naming its setting."""
    import torch  # imported here: only a worker that loads models pays for it

    torch.set_num_threads(settings.torch_threads)
    ner = load_ner_model(settings.ner_model, batch_size=settings.ner_batch_size, quantize=settings.ner_quantize)
    stance = load_stance_model(settings.stance_model)
    return Pipeline(
        ner,
        stance,
        load_actor_stance(settings.actor_stance_model, ner, settings.ner_quantize),
        load_language_identifier(),
        quote_tagger=load_quotes(settings, ner),
        coref=load_coref(settings.coref_model),
    )


def load_coref(reference: str) -> CorefRanker | None:
    """The reference ranker (setting ``COREF_MODEL``), or None for the rules alone (``COREF_MODEL=none``)."""
    if reference == NO_MODEL:
        return None
    return load_model("COREF_MODEL", reference, CorefRanker.load, hub_ids=False)


def load_quotes(settings: Settings, ner: NerModel) -> QuoteTagger | None:
    """The quote tagger as the service runs it beside ``ner`` (settings ``QUOTE_MODEL``, ``QUOTE_MIN_CONFIDENCE``),
    or None for the rules alone (``QUOTE_MODEL=none``)."""
    if settings.quote_model == NO_MODEL:
        return None
    # NER_QUANTIZE=none asks for fp32 throughout; any other value also runs the quote head as int8.
    quantize = bool(settings.ner_quantize)
    return load_quote_tagger(settings.quote_model, ner, settings.quote_min_confidence, quantize)


def load_actor_stance(reference: str, ner: NerModel | None = None, quantize: tuple[str, ...] = ()) -> ActorStanceModel:
    """The actor-to-actor stance model directory (setting ``ACTOR_STANCE_MODEL``), its heads reading ``ner``'s
    vectors where they can (else their own stack, with the ``quantize`` parts int8); any fault is a
    ModelLoadError naming it, as for the other models."""
    embeddings = ner.embeddings if ner is not None else None
    return load_model(
        "ACTOR_STANCE_MODEL",
        reference,
        lambda path: load_actor_stance_model(path, embeddings, quantize),
        hub_ids=False,
    )


class ModelState:
    def __init__(self) -> None:
        self.pipeline: Pipeline | None = None
        self.error: str | None = None
        self._loaded = threading.Event()

    @property
    def status(self) -> str:
        if self.pipeline is not None:
            return "ready"
        return "failed" if self.error else "loading"

    def set_ready(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._loaded.set()

    def load_in_background(self, build: Callable[[], Pipeline]) -> threading.Thread:
        """Run ``build`` in a daemon thread; any failure becomes one clear log line and ``failed``.

        A ModelLoadError already names the setting and path; any other error (a stance directory with a
        missing file, an unexpected format) is named by its type, so that ``/readyz`` never says ``loading``
        for a load that has died."""

        def run() -> None:
            try:
                self.set_ready(build())
                log.info("models loaded", extra=self.pipeline.model_info())
            except Exception as error:
                self.error = str(error) if isinstance(error, ModelLoadError) else f"{type(error).__name__}: {error}"
                log.error("model load failed: %s", self.error)
                self._loaded.set()

        thread = threading.Thread(target=run, name="model-loader", daemon=True)
        thread.start()
        return thread

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading ended (ready or failed); True when it ended within ``timeout``."""
        return self._loaded.wait(timeout)
