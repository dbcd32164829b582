"""The shipped compact models on the sample article, through the real Flask app."""

import pytest

from service import create_app
from service.config import Settings
from tests.helpers import paced

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_result(shipped_pipeline, sample_text, pace):
    client = create_app(paced(Settings(), pace), shipped_pipeline).test_client()
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


def test_quotes_slice_the_text_and_name_actors_of_the_result(sample_result, sample_text):
    quotes = sample_result["quotes"]
    assert len(quotes) >= 10
    actor_ids = {a["id"] for a in sample_result["actors"]}
    for quote in quotes:
        assert quote["kind"] in {"direct", "indirect"}
        spans = [quote, *(quote[key] for key in ("cue", "speaker_text") if quote[key] is not None)]
        assert all(sample_text[s["start"] : s["end"]] == s["text"] for s in spans)
        assert quote["speaker"] is None or quote["speaker"] in actor_ids
    assert [q["start"] for q in quotes] == sorted(q["start"] for q in quotes)


def test_the_first_quote_is_trumps_and_keeps_his_negation(sample_result):
    """ "Donald Trump gelooft niet dat Rusland een rol heeft gespeeld": without "niet" it says the opposite."""
    first = sample_result["quotes"][0]
    assert first["speaker"] == "per:donald-trump"
    assert "niet" in f"{first['cue']['text']} {first['text']}".split()


def test_the_quote_tagger_that_ran_is_named_in_the_result(sample_result):
    assert sample_result["models"]["quotes"]["id"] == "models/quote-tagger-nl-compact/model.pt"


def test_every_aldus_trump_or_poetin_quote_is_attributed_to_that_actor(sample_result):
    for surname in ("Trump", "Poetin"):
        actor = actor_named(sample_result, surname)
        named = [q for q in sample_result["quotes"] if q["speaker_text"] and q["speaker_text"]["text"] == surname]
        assert named, surname
        assert all(q["speaker"] == actor["id"] for q in named), [q["text"] for q in named]
        aldus = [q for q in named if q["cue"] and q["cue"]["text"] == "aldus"]
        assert aldus, surname


def test_each_actor_carries_exactly_its_quotes(sample_result):
    for actor in sample_result["actors"]:
        expected = [
            {key: value for key, value in q.items() if key != "speaker"}
            for q in sample_result["quotes"]
            if q["speaker"] == actor["id"]
        ]
        assert actor["quotes"] == expected
    assert len(actor_named(sample_result, "Trump")["quotes"]) >= 5


@pytest.mark.parametrize(
    ("surname", "mention", "kind"),
    [
        ("Trump", "Trumps", "name"),
        ("Trump", "de Amerikaanse president", "nominal"),
        ("Poetin", "De Russische leider", "nominal"),
    ],
)
def test_genitives_and_descriptions_are_mentions_of_the_right_actor(sample_result, surname, mention, kind):
    actor = actor_named(sample_result, surname)
    assert (mention, kind) in {(m["text"], m["kind"]) for m in actor["mentions"]}


def test_pronouns_are_mentions_and_every_mention_has_a_kind(sample_result):
    mentions = [m for a in sample_result["actors"] for m in a["mentions"]]
    assert {m["kind"] for m in mentions} == {"name", "pronoun", "nominal"}
    trump = actor_named(sample_result, "Trump")
    assert any(m["kind"] == "pronoun" and m["text"].casefold() == "hij" for m in trump["mentions"])
