"""The analysis endpoints through the Flask test client, with a tiny real tagger and the shipped stance model."""

ARTICLE = (
    "Donald Trump sprak in Helsinki met Vladimir Poetin. Volgens Trump is de NAVO te zwak. "
    "De PVV en Rutte willen minder asielzoekers."
)


def analyze(client, body, **kwargs):
    return client.post("/v1/analyze", json=body, **kwargs)


def test_entities_slice_the_submitted_text(client):
    response = analyze(client, {"text": ARTICLE, "id": "a1"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == "a1"
    assert body["entities"], body
    for entity in body["entities"]:
        assert ARTICLE[entity["start"] : entity["end"]] == entity["text"]
        assert entity["type"] in {"PER", "ORG", "LOC", "MISC"}
        assert 0.0 <= entity["confidence"] <= 1.0


def test_actors_group_mentions_and_carry_models_and_stances(client):
    body = analyze(client, {"text": ARTICLE}).get_json()
    trump = next(a for a in body["actors"] if a["name"] == "Donald Trump")
    assert trump["type"] == "PER"
    assert [m["text"] for m in trump["mentions"]] == ["Donald Trump", "Trump"]
    assert all(ARTICLE[m["start"] : m["end"]] == m["text"] for m in trump["mentions"])
    assert abs(sum(a["salience"] for a in body["actors"]) - 1) < 1e-3
    assert {"ner", "stance", "actor_stance", "quotes", "coref"} == set(body["models"])
    assert body["models"]["quotes"] is None  # the app of these tests runs the quote rules alone
    assert all(isinstance(a["stances"], list) for a in body["actors"])


def test_immigration_sentence_gives_a_stance_with_evidence(client):
    body = analyze(client, {"text": ARTICLE}).get_json()
    rutte = next(a for a in body["actors"] if a["name"] == "Rutte")
    immigration = next(s for s in rutte["stances"] if s["topic"] == "immigration")
    evidence = immigration["evidence"]
    assert ARTICLE[evidence["start"] : evidence["end"]] == evidence["text"]
    assert evidence["text"] == "De PVV en Rutte willen minder asielzoekers."
    assert immigration["position"] == max(immigration["scores"], key=immigration["scores"].get)
    assert abs(sum(immigration["scores"].values()) - 1) < 1e-3


def test_options_filter_actor_types_confidence_and_stances(client):
    only_people = analyze(client, {"text": ARTICLE, "options": {"actor_types": ["PER"], "stances": False}})
    actors = only_people.get_json()["actors"]
    assert actors and {a["type"] for a in actors} == {"PER"}
    assert all(a["stances"] == [] for a in actors)
    with_places = analyze(client, {"text": ARTICLE, "options": {"actor_types": ["PER", "ORG", "LOC"]}})
    assert "LOC" in {a["type"] for a in with_places.get_json()["actors"]}
    strict = analyze(client, {"text": ARTICLE, "options": {"min_confidence": 1.0}}).get_json()
    assert all(e["confidence"] >= 1.0 for e in strict["entities"])


def test_batch_returns_results_in_input_order_equal_to_single_calls(client):
    texts = [ARTICLE, "Poetin was in Brussel.", "Er gebeurde niets bijzonders vandaag."]
    batch = client.post(
        "/v1/analyze/batch", json={"documents": [{"text": t, "id": str(i)} for i, t in enumerate(texts)]}
    )
    assert batch.status_code == 200
    results = batch.get_json()["results"]
    assert [r["id"] for r in results] == ["0", "1", "2"]
    for text, result in zip(texts, results):
        single = analyze(client, {"text": text}).get_json()
        assert [(e["start"], e["end"], e["type"]) for e in result["entities"]] == [
            (e["start"], e["end"], e["type"]) for e in single["entities"]
        ]


def test_published_at_and_title_are_echoed(client):
    body = analyze(client, {"text": ARTICLE, "title": "Top", "published_at": "2018-07-16T12:00:00+00:00"}).get_json()
    assert body["title"] == "Top"
    assert body["published_at"].startswith("2018-07-16T12:00:00")


def test_stance_endpoint_for_a_caller_span(client):
    start = ARTICLE.index("Rutte")
    response = client.post("/v1/stance", json={"text": ARTICLE, "actor": {"start": start, "end": start + 5}})
    assert response.status_code == 200
    body = response.get_json()
    assert body["text"] == "Rutte"
    assert "**Rutte**" in body["window"]
    topics = [s["topic"] for s in body["stances"]]
    assert topics == list(client.get("/v1/info").get_json()["stance"]["topics"])
    immigration = next(s for s in body["stances"] if s["topic"] == "immigration")
    assert immigration["relevant"] is True
    assert immigration["position"] in {"positive", "negative", "neutral"}


def test_stance_endpoint_restricts_topics_and_rejects_unknown_ones(client):
    start = ARTICLE.index("Rutte")
    body = {"text": ARTICLE, "actor": {"start": start, "end": start + 5}, "topics": ["environment"]}
    response = client.post("/v1/stance", json=body)
    assert [s["topic"] for s in response.get_json()["stances"]] == ["environment"]
    body["topics"] = ["astrology"]
    rejected = client.post("/v1/stance", json=body)
    assert rejected.status_code == 422
    assert "astrology" in str(rejected.get_json()["errors"])


def test_every_score_is_rounded_to_four_digits_and_offsets_are_exact(client):
    """Confidences, class scores, relevance and salience all go through the one rounding field."""
    body = analyze(client, {"text": ARTICLE}).get_json()
    scores = [e["confidence"] for e in body["entities"]]
    for actor in body["actors"]:
        scores += [actor["salience"], *(m["confidence"] for m in actor["mentions"])]
        for stance in actor["stances"]:
            scores += [stance["confidence"], *stance["scores"].values()]
            scores += [stance["relevance"]] if stance["topic"] is not None else []
    poetin = {"start": ARTICLE.index("Vladimir Poetin"), "end": ARTICLE.index("Vladimir Poetin") + 15}
    targeted = client.post("/v1/stance", json={"text": ARTICLE, "actor": {"start": 0, "end": 12}, "target": poetin})
    targeted = targeted.get_json()
    for stance in targeted["stances"]:
        scores += [stance["relevance"], *stance["scores"].values()]
    scores += [targeted["target_stance"]["confidence"], *targeted["target_stance"]["scores"].values()]
    assert len(scores) > 20
    assert all(isinstance(score, float) and round(score, 4) == score for score in scores)
    assert any(round(score, 3) != score for score in scores), "some score needs all four digits"
