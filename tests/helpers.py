"""Paths, real text and servers that several test modules share (conftest modules only define fixtures)."""

from __future__ import annotations

import math
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path

from bench.harness import read_articles
from bench.server import GunicornServer, running_server
from service.config import PROJECT_ROOT, Settings

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
SAMPLE_ARTICLE = SHARED_DATA / "samples" / "helsinki-2018-07.txt"
SHIPPED_NER = PROJECT_ROOT / "models" / "ner-nl-compact" / "model.pt"
SHIPPED_STANCE = PROJECT_ROOT / "models" / "stance-nl-compact"
SHIPPED_QUOTES = PROJECT_ROOT / "models" / "quote-tagger-nl-compact" / "model.pt"
SHIPPED_ACTOR_STANCE = PROJECT_ROOT / "models" / "actor-stance-nl-compact"
SHIPPED_COREF = PROJECT_ROOT / "models" / "coref-nl-compact" / "ranker.json"


def real_text(chars: int) -> str:
    """At least ``chars`` characters of real Dutch news text (whole articles joined by blank lines), cut."""
    parts: list[str] = []
    total = 0
    for article in read_articles():
        parts.append(article["text"])
        total += len(article["text"]) + 2
        if total >= chars:
            break
    return "\n\n".join(parts)[:chars]


def tiny_model_server(tagger: Path, log_path: Path, pace: Pace, **env: str) -> AbstractContextManager[GunicornServer]:
    """A ready gunicorn server (one worker) on ``tagger``, the shipped stance model and the quote rules alone
    (the shipped quote tagger reads the shipped NER tagger's embeddings), stopped afterwards; it gets
    ``pace.start()`` seconds to become ready."""
    return running_server(
        {
            "NER_MODEL": str(tagger),
            "STANCE_MODEL": str(SHIPPED_STANCE),
            "QUOTE_MODEL": "none",
            "WEB_CONCURRENCY": "1",
            **env,
        },
        log_path,
        timeout=pace.start(),
    )


# What the session measures this machine by: the tiny pipeline analysing this many characters of real text.
REFERENCE_CHARS = 5_000
# How much longer than the measured pace a wait may take before the test gives up. A bound, never a check: it
# only turns a hang into a failure. Generous because the load can change between the measurement and the wait.
GENEROUS = 10
# A worker start (import torch and Flair, load the models) takes about as long as this many reference analyses
# (about 40 measured on 2 busy cores: 193 s to ready vs 4.6 s per reference analysis).
START_REFERENCES = 50
# No bound below this: on a fast machine the reference takes a fraction of a second, and one scheduling hiccup
# must not end a wait.
MIN_WAIT_S = 30.0


@dataclass(frozen=True)
class Pace:
    """How fast this machine runs the service right now, and the waits derived from it.

    Rule of the house: a test checks behaviour, never speed. Where a test must still bound a wait (for a
    server to start, for analyses to finish, for a condition another process brings about), the bound comes
    from the machine: a generous multiple of what the same kind of work measurably takes here, once per
    session (the ``pace`` fixture). A busy machine gets longer bounds instead of failures; a broken server
    still fails the test instead of hanging it.
    """

    reference_s: float  # the tiny pipeline's analysis of REFERENCE_CHARS characters of real text, measured
    short_s: float  # the same for one short sentence (SHORT_TEXT), measured

    def allow(self, references: float) -> float:
        """Seconds to wait for work that takes about ``references`` reference analyses."""
        return generous(references * self.reference_s)

    def text(self, chars: int, analyses: int = 1) -> float:
        """Seconds to wait for ``analyses`` requests of ``chars`` characters each, one after another (any
        request counts as at least one reference analysis)."""
        return self.allow(analyses * max(1.0, chars / REFERENCE_CHARS))

    def request(self) -> float:
        """Seconds to wait for any request of a short text, or for a probe."""
        return self.allow(1)

    def start(self) -> float:
        """Seconds to wait for a gunicorn worker to become ready, or for models to load in-process."""
        return self.allow(START_REFERENCES)


def generous(measured_s: float) -> float:
    """Seconds to wait for work that took ``measured_s`` seconds when measured on this machine."""
    return max(MIN_WAIT_S, GENEROUS * measured_s)


def paced(settings: Settings, pace: Pace) -> Settings:
    """``settings`` with a request deadline from the machine: the largest body they admit (``max_batch_docs``
    texts of ``max_text_chars``) analysed at the measured pace. For apps whose tests are not about the deadline:
    the default 60 s turns an analysis on a busy machine into a 504."""
    largest = settings.max_batch_docs * settings.max_text_chars
    return replace(settings, request_timeout=pace.text(largest))


def whole_seconds(seconds: float) -> str:
    """``seconds`` rounded up, as the string a setting in whole seconds takes (gunicorn's timeouts)."""
    return str(math.ceil(seconds))


SHORT_TEXT = "Rutte sprak in Brussel met Kaag."


def measure_pace(pipeline) -> Pace:
    """Time the pipeline on one short sentence and on REFERENCE_CHARS characters of real text, after an untimed
    warm-up call."""
    from service.documents import Document

    def seconds(text: str) -> float:
        started = time.monotonic()
        pipeline.analyze([Document(text)])
        return time.monotonic() - started

    seconds(SHORT_TEXT)
    short_s = seconds(SHORT_TEXT)
    return Pace(reference_s=seconds(real_text(REFERENCE_CHARS)), short_s=short_s)
