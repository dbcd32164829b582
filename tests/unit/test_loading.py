import pytest

from service.models.loading import ModelLoadError, is_hub_id
from service.models.ner import load_ner_model
from service.models.stance import load_stance_model
from service.state import load_coref


def test_hub_ids_and_local_paths_are_told_apart(tmp_path, tiny_tagger_path):
    assert is_hub_id("flair/ner-dutch")
    assert is_hub_id("flair/ner-dutch-large")
    assert not is_hub_id(str(tiny_tagger_path))
    assert not is_hub_id("models/ner-nl-compact/model.pt")
    assert not is_hub_id("/abs/path/model.pt")


def test_a_local_path_loads_a_real_tagger(tiny_tagger_path):
    model = load_ner_model(str(tiny_tagger_path))
    assert {"PER", "ORG", "LOC"} <= set(model.labels)
    assert model.version.startswith("sha256:")


def test_unreachable_hub_gives_one_clear_error():
    # Tests run with HF_HUB_OFFLINE=1 (see conftest), which is how an unreachable hub behaves, minus the wait.
    with pytest.raises(ModelLoadError) as caught:
        load_ner_model("flair/ner-dutch")
    message = str(caught.value)
    assert message.startswith("NER_MODEL='flair/ner-dutch' cannot be loaded")
    assert "hub unreachable" in message


def test_missing_local_file_names_setting_and_path(tmp_path):
    missing = tmp_path / "nope" / "model.pt"
    with pytest.raises(ModelLoadError, match=r"NER_MODEL=.*nope/model.pt.*no such file"):
        load_ner_model(str(missing))


def test_corrupt_model_file_is_a_clear_error(tmp_path):
    corrupt = tmp_path / "model.pt"
    corrupt.write_bytes(b"not a torch file")
    with pytest.raises(ModelLoadError, match=r"NER_MODEL=.*model.pt' cannot be loaded: "):
        load_ner_model(str(corrupt))


@pytest.mark.parametrize(
    ("load", "setting", "reason"),
    [
        (load_ner_model, "NER_MODEL", "no such file or directory, and not a hub id (owner/name)"),
        (load_stance_model, "STANCE_MODEL", "no such file or directory"),
        (load_coref, "COREF_MODEL", "no such file or directory"),
    ],
)
def test_models_fail_the_same_way_naming_their_setting(tmp_path, load, setting, reason):
    missing = str(tmp_path / "nope")
    with pytest.raises(ModelLoadError) as caught:
        load(missing)
    assert str(caught.value) == f"{setting}={missing!r} cannot be loaded: {reason}"
    assert caught.value.setting == setting


def test_a_stance_model_is_never_looked_up_on_a_hub():
    # Shaped like a hub id, but stance models are directories: the error must not send anyone to a hub.
    with pytest.raises(ModelLoadError, match=r"^STANCE_MODEL='flair/stance-dutch' cannot be loaded: no such file"):
        load_stance_model("flair/stance-dutch")


def test_a_corrupt_reference_ranker_is_a_clear_error_and_none_means_the_rules(tmp_path):
    corrupt = tmp_path / "ranker.json"
    corrupt.write_text('{"weights": {}}', encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"^COREF_MODEL=.*ranker.json' cannot be loaded: "):
        load_coref(str(corrupt))
    assert load_coref("none") is None
