import pytest

from service.config import Settings, SettingsError


def test_defaults_point_at_the_shipped_models():
    settings = Settings.from_env({})
    assert settings.ner_model.endswith("models/ner-nl-compact/model.pt")
    assert settings.stance_model.endswith("models/stance-nl-compact")
    assert (settings.max_text_chars, settings.max_batch_docs) == (200_000, 64)


def test_environment_overrides_and_blank_values_keep_defaults():
    settings = Settings.from_env({"NER_MODEL": "flair/ner-dutch", "MAX_BATCH_DOCS": "8", "TORCH_THREADS": " "})
    assert settings.ner_model == "flair/ner-dutch"
    assert settings.max_batch_docs == 8
    assert settings.torch_threads == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAX_BATCH_DOCS": "many"}, "MAX_BATCH_DOCS must be an integer"),
        ({"MAX_TEXT_CHARS": "0"}, "MAX_TEXT_CHARS must be at least 1"),
        ({"PROXY_FIX_HOPS": "-1"}, "PROXY_FIX_HOPS must be 0 or more"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be a logging level"),
        ({"NER_QUANTIZE": "fast"}, r"NER_QUANTIZE must be 'none' or parts of tagger, lm, char, linear; got \['fast'\]"),
        ({"NER_QUANTIZE": "none,lm"}, r"NER_QUANTIZE must be 'none' or parts of .*; got \['none'\]"),
        ({"NER_QUANTIZE": " , "}, "NER_QUANTIZE must be 'none' or a comma-separated list"),
        ({"QUOTE_MIN_CONFIDENCE": "1.5"}, "QUOTE_MIN_CONFIDENCE must be between 0 and 1"),
        ({"QUOTE_MIN_CONFIDENCE": "high"}, "QUOTE_MIN_CONFIDENCE must be a number"),
    ],
)
def test_invalid_values_name_the_variable(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_ner_quantize_is_none_or_parts_in_any_case_and_order():
    assert Settings.from_env({}).ner_quantize == ("tagger", "lm", "char")  # bench/results/ner_quantization.json
    assert Settings.from_env({"NER_QUANTIZE": "None"}).ner_quantize == ()
    assert Settings.from_env({"NER_QUANTIZE": " LM , tagger,lm"}).ner_quantize == ("tagger", "lm")
    every_part = Settings.from_env({"NER_QUANTIZE": "linear,char,lm,tagger"}).ner_quantize
    assert every_part == ("tagger", "lm", "char", "linear")


def test_ner_quantize_set_in_code_is_validated_too():
    with pytest.raises(SettingsError, match=r"NER_QUANTIZE must be .*got \['gpu'\]"):
        Settings(ner_quantize=("tagger", "gpu")).validate()
