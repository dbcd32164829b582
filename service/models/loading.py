"""Resolve a model setting to a local file or a model-hub id, and load it with a clear error.

Both models (``NER_MODEL``, ``STANCE_MODEL``) load through :func:`load_model`, so a broken deployment reads the
same way whichever model is at fault. A value that names an existing path is loaded from disk. For the NER
model, anything else shaped like ``owner/name`` is a hub id (``flair/ner-dutch``), loaded by Flair from the hub
or from its cache; production images fetch it at build time so that a running container never downloads.
(Stance models are directories, never hub ids.) Every failure becomes one ``ModelLoadError`` naming the
setting, the value and the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from service.config import PROJECT_ROOT

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")

T = TypeVar("T")


class ModelFileError(RuntimeError):
    """A model file or directory is missing a part or cannot be read, described by the reader that found it.

    Readers raise it with the file and the fault in the message, so :func:`load_model` reports it as it is
    instead of digging for a root cause that would lose which file was at fault."""


class ModelLoadError(RuntimeError):
    """A configured model cannot be loaded; the message names the setting and the path or id."""

    def __init__(self, setting: str, reference: str, reason: str) -> None:
        super().__init__(f"{setting}={reference!r} cannot be loaded: {reason}")
        self.setting = setting
        self.reference = reference
        self.reason = reason


def is_hub_id(reference: str) -> bool:
    """Whether ``reference`` is to be fetched from the hub rather than read from a local path."""
    return not Path(reference).exists() and bool(_HUB_ID.match(reference))


def load_model(setting: str, reference: str, loader: Callable[[str], T], *, hub_ids: bool = True) -> T:
    """Call ``loader(reference)`` for a local path (or a hub id, where ``hub_ids``); turn every failure into
    a ModelLoadError naming ``setting``."""
    hub = hub_ids and is_hub_id(reference)
    if not hub and not Path(reference).exists():
        missing = "no such file or directory, and not a hub id (owner/name)" if hub_ids else "no such file or directory"
        raise ModelLoadError(setting, reference, missing)
    try:
        return loader(reference)
    except Exception as error:
        raise ModelLoadError(setting, reference, _reason(error, hub)) from error


def read_metadata(path: Path, required: Sequence[str], error: type[ModelFileError], model: str) -> dict[str, Any]:
    """A model's ``metadata.json``, with every ``required`` key; faults raise ``error`` naming the file."""
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as cause:
        raise error(f"{model} metadata not found: {path}") from cause
    except (OSError, ValueError) as cause:
        raise error(f"{model} metadata unreadable: {path}: {cause}") from cause
    missing = [key for key in required if not isinstance(metadata, dict) or key not in metadata]
    if missing:
        raise error(f"{model} metadata {path} lacks {missing}")
    return metadata


def read_joblib_dict(path: Path, required: Sequence[str], error: type[ModelFileError], model: str) -> dict[str, Any]:
    """A joblib dict that this project's training wrote (our own file: unpickling it is trusted), with every
    ``required`` key; faults raise ``error`` naming the file."""
    import joblib

    if not path.is_file():
        raise error(f"{model} file not found: {path}")
    try:
        artefact = joblib.load(path)
    except Exception as cause:  # joblib/pickle raise many types on a corrupt file
        raise error(f"{model} file unreadable: {path}: {cause}") from cause
    if not isinstance(artefact, dict):
        raise error(f"{model} file {path} holds {type(artefact).__name__}, not a dict")
    missing = [key for key in required if key not in artefact]
    if missing:
        raise error(f"{model} file {path} lacks {missing}")
    return artefact


def display_reference(reference: str) -> str:
    """The id a response shows: hub ids as they are, paths inside the project relative to it (no host paths)."""
    path = Path(reference).resolve()
    if is_hub_id(reference) or not path.is_relative_to(PROJECT_ROOT):
        return reference
    return str(path.relative_to(PROJECT_ROOT))


def _reason(error: BaseException, hub: bool) -> str:
    """The cause in one line: a reader's own ModelFileError as it is, else the root cause (Flair hides an
    unreachable hub behind a FileNotFoundError)."""
    if isinstance(error, ModelFileError):
        return f"{type(error).__name__}: {error}"
    root = error
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__
    message = f"{type(root).__name__}: {root}".strip()
    if hub:
        return f"model hub unreachable or id unknown ({message}); bake the model into the image at build time"
    return message
