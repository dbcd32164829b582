"""Settings: every environment variable the service reads, with its default, validated once at start."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


ENV_VARS = {
    "ner_model": "NER_MODEL",
    "stance_model": "STANCE_MODEL",
    "max_text_chars": "MAX_TEXT_CHARS",
    "max_batch_docs": "MAX_BATCH_DOCS",
    "max_content_length": "MAX_CONTENT_LENGTH",
    "ner_batch_size": "NER_BATCH_SIZE",
    "torch_threads": "TORCH_THREADS",
    "proxy_fix_hops": "PROXY_FIX_HOPS",
    "log_level": "LOG_LEVEL",
}


@dataclass(frozen=True)
class Settings:
    """The service configuration. ``from_env`` documents each variable; the README's table mirrors it."""

    ner_model: str = str(PROJECT_ROOT / "models" / "ner-nl-compact" / "model.pt")
    stance_model: str = str(PROJECT_ROOT / "models" / "stance-nl-compact")
    max_text_chars: int = 200_000
    max_batch_docs: int = 64
    max_content_length: int = 16 * 1024 * 1024
    ner_batch_size: int = 32
    torch_threads: int = 1
    proxy_fix_hops: int = 1
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read every setting from ``environ`` (default: ``os.environ``); unset ones keep their default."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            name = ENV_VARS[field.name]
            raw = environ.get(name)
            if raw is None or raw.strip() == "":
                continue
            values[field.name] = _parse(name, raw.strip(), field.type)
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Reject values that would break the service later, naming the variable."""
        for name in ("max_text_chars", "max_batch_docs", "max_content_length", "ner_batch_size", "torch_threads"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{ENV_VARS[name]} must be at least 1, got {getattr(self, name)}")
        if self.proxy_fix_hops < 0:
            raise SettingsError(f"PROXY_FIX_HOPS must be 0 or more, got {self.proxy_fix_hops}")
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise SettingsError(f"LOG_LEVEL must be a logging level name, got {self.log_level!r}")


def _parse(name: str, raw: str, kind: object) -> object:
    if kind in (int, "int"):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
    return raw
