"""ACTOR_STANCE_MODEL loads through the same ``load_model`` as the other models, so a broken deployment reads
the same way: one ModelLoadError naming the setting, the path and the reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from service.config import Settings
from service.models.loading import ModelLoadError
from service.state import load_actor_stance


def test_a_missing_directory_names_the_setting():
    with pytest.raises(ModelLoadError) as caught:
        load_actor_stance("models/no-such-actor-stance")
    assert str(caught.value) == (
        "ACTOR_STANCE_MODEL='models/no-such-actor-stance' cannot be loaded: no such file or directory"
    )
    assert caught.value.setting == "ACTOR_STANCE_MODEL"


def test_a_directory_without_its_classifier_names_the_setting_and_the_fault(tmp_path):
    broken = tmp_path / "actor-stance"
    broken.mkdir()
    shutil.copy(f"{Settings().actor_stance_model}/metadata.json", broken / "metadata.json")
    with pytest.raises(ModelLoadError, match=r"^ACTOR_STANCE_MODEL='.*actor-stance' cannot be loaded: .*classifier"):
        load_actor_stance(str(broken))


def test_the_shipped_model_loads_with_the_id_and_version_of_its_metadata():
    directory = Path(Settings().actor_stance_model)
    metadata = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
    model = load_actor_stance(str(directory))
    assert (model.model_id, model.version) == (metadata["model_id"], metadata["version"])
    assert model.model_id and model.version
