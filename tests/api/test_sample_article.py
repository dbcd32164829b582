"""The shipped compact models on the sample article, through the real Flask app."""

import pytest

from service import create_app
from service.config import Settings


@pytest.fixture(scope="module")
def sample_result(shipped_pipeline, sample_text):
    client = create_app(Settings(), shipped_pipeline).test_client()
    response = client.post("/v1/analyze", json={"id": "helsinki-2018-07", "text": sample_text})
    assert response.status_code == 200
    return response.get_json()


def actor_named(result, surname):
    return next(a for a in result["actors"] if a["name"].split()[-1] == surname)


@pytest.mark.parametrize("surname", ["Trump", "Poetin"])
def test_trump_and_poetin_are_person_actors_with_grouped_mentions(sample_result, sample_text, surname):
    actor = actor_named(sample_result, surname)
    assert actor["type"] == "PER"
    texts = {m["text"] for m in actor["mentions"]}
    assert surname in texts
    assert any(len(t.split()) > 1 for t in texts), texts  # full name and surname in one actor
    assert len(actor["mentions"]) >= 5
    people = [a for a in sample_result["actors"] if a["type"] == "PER" and surname in a["name"]]
    assert len(people) == 1, [a["name"] for a in people]


def test_every_offset_slices_the_sample_article(sample_result, sample_text):
    spans = [*sample_result["entities"], *(m for a in sample_result["actors"] for m in a["mentions"])]
    spans += [s["evidence"] for a in sample_result["actors"] for s in a["stances"]]
    assert len(spans) > 20
    for span in spans:
        assert sample_text[span["start"] : span["end"]] == span["text"]


def test_foreign_policy_article_gives_no_confident_immigration_stance_to_everyone(sample_result):
    actors = sample_result["actors"]
    with_immigration = [a for a in actors if any(s["topic"] == "immigration" for s in a["stances"])]
    assert len(with_immigration) < len(actors) / 2
