"""Settings: every environment variable the service reads, with its default, validated once at start."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


# The parts of a Flair tagger that NER_QUANTIZE can convert to int8 dynamic quantization (applied by
# service.models.ner at load time), each measured on its own in bench/results/ner_quantization.json.
QUANTIZABLE_PARTS = {
    "tagger": "the tagger's BiLSTM over tokens",
    "lm": "the LSTMs of the Flair character language models",
    "char": "the BiLSTM of the character embeddings",
    "linear": "the linear map from the stacked embeddings into the BiLSTM (embedding2nn)",
}
NO_QUANTIZATION = "none"
# QUOTE_MODEL's value for no quote tagger, and COREF_MODEL's for the resolution rules alone.
NO_MODEL = "none"

ENV_VARS = {
    "ner_model": "NER_MODEL",
    "stance_model": "STANCE_MODEL",
    "actor_stance_model": "ACTOR_STANCE_MODEL",
    "quote_model": "QUOTE_MODEL",
    "coref_model": "COREF_MODEL",
    "quote_min_confidence": "QUOTE_MIN_CONFIDENCE",
    "max_text_chars": "MAX_TEXT_CHARS",
    "max_batch_docs": "MAX_BATCH_DOCS",
    "max_content_length": "MAX_CONTENT_LENGTH",
    "ner_batch_size": "NER_BATCH_SIZE",
    "ner_quantize": "NER_QUANTIZE",
    "torch_threads": "TORCH_THREADS",
    "proxy_fix_hops": "PROXY_FIX_HOPS",
    "log_level": "LOG_LEVEL",
    "max_inflight": "MAX_INFLIGHT",
    "max_queue": "MAX_QUEUE",
    "request_timeout": "REQUEST_TIMEOUT",
    "max_json_values": "MAX_JSON_VALUES",
    "api_keys": "API_KEYS",
}


@dataclass(frozen=True)
class Settings:
    """The service configuration. ``from_env`` documents each variable; the README's table mirrors it."""

    ner_model: str = str(PROJECT_ROOT / "models" / "ner-nl-compact" / "model.pt")
    stance_model: str = str(PROJECT_ROOT / "models" / "stance-nl-compact")
    actor_stance_model: str = str(PROJECT_ROOT / "models" / "actor-stance-nl-compact")
    # "none" leaves quotes to the rules of service/quotes.py alone.
    quote_model: str = str(PROJECT_ROOT / "models" / "quote-tagger-nl-compact" / "model.pt")
    # The quote tagger's content spans below this confidence are left out: chosen on corpus dev (its model card).
    quote_min_confidence: float = 0.7
    # "none" leaves pronouns and descriptions to the rules of service/coref.py alone.
    coref_model: str = str(PROJECT_ROOT / "models" / "coref-nl-compact" / "ranker.json")
    max_text_chars: int = 200_000
    max_batch_docs: int = 64
    max_content_length: int = 16 * 1024 * 1024
    ner_batch_size: int = 32
    # int8 LSTMs: on ned.testa 78.95 vs 79.01 F1 and 1.17× the fp32 tokens/s (bench/results/ner_quantization.json);
    # adding "linear" lost 0.33 F1, more than issue 14 allows (0.3).
    ner_quantize: tuple[str, ...] = ("tagger", "lm", "char")
    torch_threads: int = 1
    proxy_fix_hops: int = 1
    log_level: str = "INFO"
    max_inflight: int = 2
    max_queue: int = 8
    request_timeout: float = 60.0
    max_json_values: int = 10_000
    # Secrets stay out of repr(), so a logged Settings object never shows them.
    api_keys: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read every setting from ``environ`` (default: ``os.environ``); unset ones keep their default."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for setting in fields(cls):
            name = ENV_VARS[setting.name]
            raw = environ.get(name)
            if raw is None or raw.strip() == "":
                continue
            parse = SPECIAL_PARSERS.get(setting.name)
            values[setting.name] = parse(raw.strip()) if parse else _parse(name, raw.strip(), setting.type)
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Reject values that would break the service later, naming the variable."""
        positive = (
            "max_text_chars",
            "max_batch_docs",
            "max_content_length",
            "ner_batch_size",
            "torch_threads",
            "max_inflight",
            "max_json_values",
        )
        for name in positive:
            if getattr(self, name) < 1:
                raise SettingsError(f"{ENV_VARS[name]} must be at least 1, got {getattr(self, name)}")
        if self.proxy_fix_hops < 0:
            raise SettingsError(f"PROXY_FIX_HOPS must be 0 or more, got {self.proxy_fix_hops}")
        if self.max_queue < 0:
            raise SettingsError(f"MAX_QUEUE must be 0 or more, got {self.max_queue}")
        if not math.isfinite(self.request_timeout) or self.request_timeout <= 0:
            raise SettingsError(f"REQUEST_TIMEOUT must be more than 0 seconds, got {self.request_timeout}")
        if unknown_parts := sorted(set(self.ner_quantize) - QUANTIZABLE_PARTS.keys()):
            choices = ", ".join(QUANTIZABLE_PARTS)
            raise SettingsError(f"NER_QUANTIZE must be {NO_QUANTIZATION!r} or parts of {choices}; got {unknown_parts}")
        if not 0 <= self.quote_min_confidence <= 1:
            raise SettingsError(f"QUOTE_MIN_CONFIDENCE must be between 0 and 1, got {self.quote_min_confidence}")
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise SettingsError(f"LOG_LEVEL must be a logging level name, got {self.log_level!r}")


def _parse_ner_quantize(raw: str) -> tuple[str, ...]:
    """``NER_QUANTIZE``: ``none``, or comma-separated ``QUANTIZABLE_PARTS`` in any case and order (returned in
    the table's order, so that equal settings compare equal; ``validate`` rejects unknown parts)."""
    parts = {part.strip().lower() for part in raw.split(",") if part.strip()}
    if not parts:
        raise SettingsError(f"NER_QUANTIZE must be {NO_QUANTIZATION!r} or a comma-separated list, got {raw!r}")
    if parts == {NO_QUANTIZATION}:
        return ()
    known = tuple(part for part in QUANTIZABLE_PARTS if part in parts)
    return known + tuple(sorted(parts.difference(known)))


# Settings whose values need more than a type conversion.
SPECIAL_PARSERS = {"ner_quantize": _parse_ner_quantize}


def _parse(name: str, raw: str, kind: object) -> object:
    if kind in (int, "int"):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
    if kind in (float, "float"):
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if kind in (tuple[str, ...], "tuple[str, ...]"):
        return tuple(item.strip() for item in raw.split(",") if item.strip())
    return raw
