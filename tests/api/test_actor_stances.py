"""Actor-to-actor stances through the real Flask app: the ``target`` span of ``/v1/stance`` and its bad input
(on the tiny fixture tagger), and on the sample article with the shipped models (slow)."""

from __future__ import annotations

import json

import pytest

from service import create_app
from service.config import Settings
from service.models.actor_stance import side_confidence
from service.models.calibration import Calibration
from tests.api.test_errors import assert_problem
from tests.helpers import SHIPPED_ACTOR_STANCE, paced

TEXT = "Mark Rutte prijst Sigrid Kaag om haar leiderschap. Geert Wilders reageerde niet."
RUTTE = {"start": 0, "end": 10}
KAAG = {"start": TEXT.index("Sigrid Kaag"), "end": TEXT.index("Sigrid Kaag") + len("Sigrid Kaag")}


def test_a_target_span_gives_the_actors_stance_toward_it(client):
    response = client.post("/v1/stance", json={"text": TEXT, "actor": RUTTE, "target": KAAG, "topics": ["economic"]})
    assert response.status_code == 200
    body = response.get_json()
    assert [s["topic"] for s in body["stances"]] == ["economic"]
    stance = body["target_stance"]
    assert stance["target"] == {"text": "Sigrid Kaag", **KAAG}
    assert stance["position"] == max(stance["scores"], key=stance["scores"].get)
    # a side's confidence is its score read off the model's calibration curve
    curve = Calibration.from_metadata(json.loads((SHIPPED_ACTOR_STANCE / "metadata.json").read_text(encoding="utf-8")))
    assert curve is not None
    score = stance["scores"][stance["position"]]
    assert stance["confidence"] == pytest.approx(side_confidence(stance["position"], score, curve), abs=2e-4)
    assert abs(sum(stance["scores"].values()) - 1) < 1e-3
    evidence = stance["evidence"]
    assert evidence == {"text": "Mark Rutte prijst Sigrid Kaag om haar leiderschap.", "start": 0, "end": 50}
    assert stance["model"]["id"] == "actor-stance-nl-compact"


def test_a_target_in_another_sentence_reads_both_sentences(client):
    wilders = {"start": TEXT.index("Geert Wilders"), "end": TEXT.index("Geert Wilders") + len("Geert Wilders")}
    body = client.post("/v1/stance", json={"text": TEXT, "actor": wilders, "target": RUTTE}).get_json()
    assert body["target_stance"]["evidence"]["text"] == TEXT


def test_without_a_target_there_is_no_target_stance(client):
    body = client.post("/v1/stance", json={"text": TEXT, "actor": RUTTE}).get_json()
    assert body["target_stance"] is None


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"start": 40, "end": len(TEXT) + 5}, "text length"),
        ({"start": 20, "end": 20}, "text length"),
        ({"start": 5, "end": 17}, "overlaps the actor"),
        ({"start": 0, "end": 10}, "overlaps the actor"),
        ({"start": 10, "end": 11}, "whitespace"),
        ({"start": 49, "end": 50}, "letter or digit"),
    ],
)
def test_a_bad_target_span_is_422_naming_the_target(client, target, message):
    problem = assert_problem(client.post("/v1/stance", json={"text": TEXT, "actor": RUTTE, "target": target}), 422)
    assert message in " ".join(problem["errors"]["json"]["target"])


def test_info_lists_the_actor_stance_model_and_its_target_types(client):
    info = client.get("/v1/info").get_json()
    assert info["actor_stance"]["id"] == "actor-stance-nl-compact"
    assert info["actor_stance"]["positions"] == ["positive", "negative", "neutral"]
    assert info["actor_stance"]["target_types"] == ["LOC", "ORG", "PER"]
    thresholds = info["actor_stance"]["thresholds"]
    assert set(thresholds) == {"positive", "negative"}
    assert all(0 < value < 1 for value in thresholds.values())
    metadata = json.loads((SHIPPED_ACTOR_STANCE / "metadata.json").read_text(encoding="utf-8"))
    curve = {key: metadata["calibration"][key] for key in ("slope", "intercept")}
    assert info["actor_stance"]["calibration"] == curve


@pytest.fixture(scope="module")
def sample_result(shipped_pipeline, sample_text, pace):
    client = create_app(paced(Settings(), pace), shipped_pipeline).test_client()
    response = client.post("/v1/analyze", json={"text": sample_text, "options": {"actor_types": ["PER", "ORG"]}})
    assert response.status_code == 200
    return response.get_json()


def actor_stances(result: dict) -> list[tuple[dict, dict]]:
    return [(actor, stance) for actor in result["actors"] for stance in actor["stances"] if stance["target"]]


@pytest.mark.slow
def test_sample_actor_stances_are_toward_other_actors_with_evidence_that_mentions_both(sample_result, sample_text):
    found = actor_stances(sample_result)
    assert len(found) >= 5
    for actor, stance in found:
        assert stance["target"] != actor["id"]
        assert (stance["topic"], stance["relevance"]) == (None, None)
        evidence = stance["evidence"]
        assert sample_text[evidence["start"] : evidence["end"]] == evidence["text"]
        source_mentioned = [m for m in actor["mentions"] if evidence["start"] <= m["start"] < evidence["end"]]
        assert source_mentioned or actor["quotes"], (actor["name"], stance)
        assert stance["target_name"]


@pytest.mark.slow
def test_sample_trump_toward_iran_is_negative_with_iran_in_the_evidence(sample_result):
    """ "Ik heb duidelijk gemaakt dat Iran niet mag profiteren": Trump's quote against Iran."""
    trump = next(a for a in sample_result["actors"] if a["name"] == "Donald Trump")
    toward = {s["target_name"]: s for s in trump["stances"] if s["target"]}
    assert toward["Iran"]["position"] == "negative", toward["Iran"]
    assert "Iran" in toward["Iran"]["evidence"]["text"]
    assert all(s["target"] != trump["id"] for s in trump["stances"])


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="issue 23, not met by actor-stance 3.2.0: Trump trusts Poetin ('geloof te hechten aan', 'te geloven') "
    "and doubts Germany's deal; the corpus-trained model reads Poetin negative and Duitsland positive",
)
def test_sample_trump_toward_poetin_is_positive_and_toward_duitsland_negative(sample_result):
    trump = next(a for a in sample_result["actors"] if a["name"] == "Donald Trump")
    toward = {s["target_name"]: s["position"] for s in trump["stances"] if s["target"]}
    assert (toward["Vladimir Poetin"], toward["Duitsland"]) == ("positive", "negative")
