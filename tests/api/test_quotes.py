"""Quotes, speakers and mention kinds in /v1/analyze, through the Flask test client with the tiny tagger."""

QUOTED = 'Donald Trump sprak in Helsinki met Vladimir Poetin. ,,We hebben goed gepraat", aldus Trump.'
REPORTED = "Donald Trump sprak in Helsinki met Vladimir Poetin. Volgens Trump is de NAVO te zwak."
UNNAMED = 'Mark Rutte sprak in Brussel. ,,Het was een goed gesprek", zei een woordvoerder.'


def slices(text, span):
    """The span's offsets cut exactly its text out of the submitted text."""
    return text[span["start"] : span["end"]] == span["text"]


def analyze(client, text, **options):
    response = client.post("/v1/analyze", json={"text": text, "options": options})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def actor(body, actor_id):
    return next(a for a in body["actors"] if a["id"] == actor_id)


def test_direct_quote_with_aldus_is_attributed_to_its_actor(client):
    body = analyze(client, QUOTED)
    [quote] = body["quotes"]
    assert quote["kind"] == "direct"
    assert quote["text"] == "We hebben goed gepraat"
    assert quote["speaker"] == "per:donald-trump"
    assert quote["cue"]["text"] == "aldus"
    assert quote["speaker_text"]["text"] == "Trump"
    assert all(slices(QUOTED, span) for span in (quote, quote["cue"], quote["speaker_text"]))


def test_each_actor_lists_its_own_quotes_without_repeating_the_speaker(client):
    body = analyze(client, QUOTED)
    [document_quote] = body["quotes"]
    own = actor(body, "per:donald-trump")["quotes"]
    assert own == [{key: value for key, value in document_quote.items() if key != "speaker"}]
    assert actor(body, "per:vladimir-poetin")["quotes"] == []


def test_volgens_gives_indirect_speech_with_its_cue(client):
    body = analyze(client, REPORTED)
    [quote] = body["quotes"]
    assert quote["kind"] == "indirect"
    assert quote["cue"]["text"] == "Volgens"
    assert quote["speaker"] == "per:donald-trump"
    assert "NAVO te zwak" in quote["text"]
    assert slices(REPORTED, quote)


def test_unnamed_source_has_speaker_text_but_no_speaker(client):
    body = analyze(client, UNNAMED)
    [quote] = body["quotes"]
    assert quote["speaker"] is None
    assert quote["speaker_text"]["text"] == "een woordvoerder"
    assert quote["cue"]["text"] == "zei"
    assert all(a["quotes"] == [] for a in body["actors"])


def test_every_mention_has_a_kind_and_names_are_kind_name(client):
    body = analyze(client, QUOTED)
    mentions = [m for a in body["actors"] for m in a["mentions"]]
    assert mentions
    assert {m["kind"] for m in mentions} <= {"name", "pronoun", "nominal"}
    trump = actor(body, "per:donald-trump")
    assert [(m["text"], m["kind"]) for m in trump["mentions"] if m["kind"] == "name"] == [
        ("Donald Trump", "name"),
        ("Trump", "name"),
    ]


def test_text_without_speech_has_no_quotes(client):
    body = analyze(client, "Donald Trump sprak in Helsinki met Vladimir Poetin.")
    assert body["quotes"] == []
    assert all(a["quotes"] == [] for a in body["actors"])


def test_quotes_without_actors_still_come_back(client):
    text = ',,Het was een goed gesprek", zei een woordvoerder.'
    body = analyze(client, text, actor_types=["LOC"])
    [quote] = body["quotes"]
    assert quote["speaker"] is None and slices(text, quote)


def test_batch_results_carry_quotes_like_single_calls(client):
    batch = client.post("/v1/analyze/batch", json={"documents": [{"text": QUOTED}, {"text": REPORTED}]})
    assert batch.status_code == 200
    assert [r["quotes"] for r in batch.get_json()["results"]] == [
        analyze(client, QUOTED)["quotes"],
        analyze(client, REPORTED)["quotes"],
    ]


def test_openapi_describes_every_new_field(client):
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    described = {
        "Mention": ["kind"],
        "Quote": ["text", "kind", "cue", "speaker", "speaker_text"],
        "ActorQuote": ["text", "kind", "cue", "speaker_text"],
        "Actor": ["mentions", "quotes"],
        "Analysis": ["quotes"],
    }
    for schema, names in described.items():
        properties = schemas[schema]["properties"]
        for name in names:
            assert properties[name].get("description"), (schema, name)
    assert "speaker" not in schemas["ActorQuote"]["properties"]
    assert schemas["Quote"]["properties"]["kind"]["enum"] == ["direct", "indirect"]
    assert schemas["Mention"]["properties"]["kind"]["enum"] == ["name", "pronoun", "nominal"]
    analysis = schemas["Analysis"]["properties"]["quotes"]["items"]["$ref"]
    assert analysis.endswith("/Quote")
