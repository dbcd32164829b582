"""The shipped tagger quantized to int8 as the service's default NER_QUANTIZE does, loaded as a worker loads
it (``build_pipeline``) and asked through the real Flask app."""

import pytest

from service import create_app
from service.config import Settings
from service.state import build_pipeline
from tests.helpers import paced

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def quantized_pipeline():
    return build_pipeline(Settings.from_env({}))


def analyze(pipeline, text, pace):
    client = create_app(paced(Settings(), pace), pipeline).test_client()
    response = client.post("/v1/analyze", json={"id": "helsinki-2018-07", "text": text})
    assert response.status_code == 200
    return response.get_json()


def spans(result):
    return {(entity["start"], entity["end"], entity["type"]) for entity in result["entities"]}


def test_the_default_converts_every_lstm_of_the_shipped_tagger_at_load(quantized_pipeline):
    assert quantized_pipeline.ner.quantized == (
        "embeddings.list_embedding_0.char_rnn",
        "embeddings.list_embedding_2.lm.rnn",
        "embeddings.list_embedding_3.lm.rnn",
        "rnn",
    )


def test_the_quantized_tagger_finds_the_sample_articles_entities(
    quantized_pipeline, shipped_pipeline, sample_text, pace
):
    int8 = analyze(quantized_pipeline, sample_text, pace)
    fp32 = analyze(shipped_pipeline, sample_text, pace)
    for entity in int8["entities"]:
        assert sample_text[entity["start"] : entity["end"]] == entity["text"]
    assert {"Donald Trump", "Vladimir Poetin"} <= {e["text"] for e in int8["entities"] if e["type"] == "PER"}
    # int8 rounding may flip a borderline entity, not the article's analysis.
    assert len(spans(int8) & spans(fp32)) >= 0.9 * len(spans(fp32))


def test_info_names_the_modules_running_as_int8(quantized_pipeline):
    client = create_app(Settings(), quantized_pipeline).test_client()
    info = client.get("/v1/info").get_json()
    assert info["ner"]["quantized"] == list(quantized_pipeline.ner.quantized)
    assert "rnn" in info["ner"]["quantized"]
