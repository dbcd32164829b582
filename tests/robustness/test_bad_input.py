"""Hostile and odd input to the real app (real tiny tagger, shipped stance model), beyond the schema.

Every answer is either 200 with offsets that slice the text exactly as sent, or a problem+json 4xx: never a
500, never a traceback.
"""

from __future__ import annotations

import json
import unicodedata

import pytest

from service import create_app
from service.config import Settings
from tests.helpers import paced, real_text

PROBLEM = "application/problem+json"
NAMES = "Donald Trump sprak in Helsinki met Vladimir Poetin. Volgens Rutte is de NAVO te zwak."


@pytest.fixture(scope="module")
def client(tiny_pipeline, pace):
    """The app with the default limits (200,000 characters, 64 documents, 16 MiB), except 8 documents; its
    request deadline from the machine."""
    return create_app(paced(Settings(max_batch_docs=8), pace), tiny_pipeline).test_client()


def post_raw(client, body: bytes, path: str = "/v1/analyze"):
    return client.post(path, data=body, content_type="application/json")


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def assert_offsets_slice(text: str, result: dict) -> None:
    """Every entity, mention, evidence and quote span is ``text[start:end]`` of the text as sent."""
    for entity in result["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    for actor in result["actors"]:
        for mention in actor["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
        for stance in actor["stances"]:
            evidence = stance["evidence"]
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    actor_quotes = [quote for actor in result["actors"] for quote in actor["quotes"]]
    for quote in [*result["quotes"], *actor_quotes]:
        for span in (quote, quote["cue"], quote["speaker_text"]):
            assert span is None or text[span["start"] : span["end"]] == span["text"]


ODD_TEXTS = {
    "nul-and-controls": "Donald\x00 Trump sprak\x07 in Helsinki\x1b met Poetin.\x0b Rutte\x7f zweeg.",
    "zero-width": "Donald\u200b Trump sprak in\u200d Helsinki met Vladimir\ufeff Poetin.\u2060",
    "rtl-marks": "\u202eDonald Trump\u202c sprak in \u200fHelsinki\u200e met Vladimir Poetin. مرحبا Rutte.",
    "emoji": "Donald Trump 🇺🇸 sprak in Helsinki 👋🏽 met Vladimir Poetin 🇷🇺. Rutte 👨‍👩‍👧 zweeg.",
    "nfc": unicodedata.normalize("NFC", "Café Zoë: Donald Trump sprak met Poetin in Curaçao."),
    "nfd": unicodedata.normalize("NFD", "Café Zoë: Donald Trump sprak met Poetin in Curaçao."),
    "crlf": "Donald Trump sprak in Helsinki.\r\n\r\nVolgens Rutte is de NAVO te zwak.\r\nPoetin zweeg.\r\n",
    "tabs": "Donald\tTrump sprak\t\tin Helsinki met\tVladimir Poetin.\n\tRutte zweeg.",
    "only-punctuation": "!?.,;:-–—()[]{}«»…" * 20,
    "one-200k-word": "a" * 200_000,
    "names-in-real-text": NAMES + "\n\n" + real_text(3_000),
}


@pytest.mark.parametrize("name", ODD_TEXTS)
def test_odd_text_is_analysed_and_offsets_slice_the_text_as_sent(client, name):
    text = ODD_TEXTS[name]
    response = client.post("/v1/analyze", json={"text": text})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert_offsets_slice(text, response.get_json())


def _quote_of_length(chars: int) -> str:
    """A text of exactly ``chars`` characters that is one direct quote with a cue and a speaker: 20,000
    characters of real text (as one paragraph: a quote does not run on over a paragraph break without a new
    opening mark), then one long laugh, so that the quote finder sees the full size while the tagger reads only
    a few thousand tokens."""
    opening, closing = ",,", '", aldus Rutte.'
    words = " ".join(real_text(20_000).split()) + " "
    laugh = ("ha" * chars)[: chars - len(opening) - len(words) - len(closing)]
    return opening + words + laugh + closing


HOSTILE_QUOTES = {
    "unbalanced-opening": ',,Dit wordt nooit afgesloten, zei Rutte.\n\nTrump zweeg. "Ook dit niet. Poetin lachte.',
    "unbalanced-closing": 'Rutte zweeg." Trump ook." En Poetin\' ook’ niet».',
    "10000-double-marks": '"' * 10_000,
    "10000-mixed-marks": ",,\u201e\u201c\u201d\u2018\u2019\"'\u00ab\u00bb" * 1_000,
    "marks-between-words": "zei \" ja \" en ' nee ' " * 500,
    "nested": "Rutte zei: ,,Trump zei 'wij winnen' en ik \u2018geloof \u201ehem\u201d niet\u2019\", aldus Rutte.",
    "nested-deeply": "Poetin: " + "\u201e" * 500 + "ja" + "\u201d" * 500 + ", aldus Poetin.",
}


def assert_sane_quotes(text: str, result: dict) -> None:
    """Offsets slice the text, kinds are known, speakers are actors of the result, quotes are in text order."""
    assert_offsets_slice(text, result)
    actor_ids = {actor["id"] for actor in result["actors"]}
    for quote in result["quotes"]:
        assert quote["kind"] in {"direct", "indirect"}
        assert quote["speaker"] is None or quote["speaker"] in actor_ids
    starts = [quote["start"] for quote in result["quotes"]]
    assert starts == sorted(starts)


@pytest.mark.parametrize("name", HOSTILE_QUOTES)
def test_hostile_quote_marks_give_sane_quotes_with_exact_offsets(client, name):
    text = HOSTILE_QUOTES[name]
    response = client.post("/v1/analyze", json={"text": text})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert_sane_quotes(text, response.get_json())


@pytest.mark.slow
def test_a_200000_character_quote_is_one_attributed_quote(client):
    """Stances off, as for the 100k text below: this checks the quote finder at the size limit."""
    assert len(_quote_of_length(200_000)) == 200_000
    text = _quote_of_length(200_000)
    response = client.post("/v1/analyze", json={"text": text, "options": {"stances": False}})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    result = response.get_json()
    assert_sane_quotes(text, result)
    outer = max(result["quotes"], key=lambda quote: quote["end"] - quote["start"])
    assert (outer["kind"], outer["cue"]["text"]) == ("direct", "aldus")
    assert outer["end"] - outer["start"] > 190_000


def test_a_quote_one_character_over_the_text_limit_is_422(client):
    text = _quote_of_length(200_001)
    problem = assert_problem(client.post("/v1/analyze", json={"text": text}), 422)
    assert "limit is 200000" in str(problem["errors"])


@pytest.mark.slow
def test_100k_characters_of_real_text_are_tagged_with_exact_offsets(client):
    """Stances off: this checks the tagger's offsets over a long text, not the time the stances take."""
    text = real_text(100_000)
    response = client.post("/v1/analyze", json={"text": text, "options": {"stances": False}})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    result = response.get_json()
    assert result["entities"]
    assert_offsets_slice(text, result)


@pytest.mark.parametrize(
    "body",
    [
        {"text": "Donald Trump \ud800 sprak in Helsinki met Poetin."},
        {"text": "Rutte", "\udfff": 1},
        {"documents": [{"text": "Rutte", "id": "\udc00"}]},
    ],
)
def test_lone_surrogates_are_400_not_a_crash_in_the_tagger(client, body):
    path = "/v1/analyze/batch" if "documents" in body else "/v1/analyze"
    assert "surrogate" in assert_problem(client.post(path, json=body), 400)["detail"]


def test_offsets_survive_the_trip_through_json_text_exactly_as_sent(client):
    """The client's JSON may escape characters or not; offsets index the decoded string either way."""
    text = ODD_TEXTS["emoji"] + " " + ODD_TEXTS["nfd"]
    for ensure_ascii in (True, False):
        body = json.dumps({"text": text}, ensure_ascii=ensure_ascii).encode("utf-8")
        result = post_raw(client, body).get_json()
        assert result["entities"], "the tiny tagger finds the names in this text"
        assert_offsets_slice(text, result)


@pytest.mark.parametrize("text", [" \t\r\n" * 100, "\u00a0\u2003\u3000\n", "\x1c\x1d\x1e\x1f"])
def test_text_of_only_whitespace_is_422(client, text):
    assert "text" in assert_problem(client.post("/v1/analyze", json={"text": text}), 422)["errors"]["json"]


def test_text_one_character_over_the_limit_is_422(client):
    problem = assert_problem(client.post("/v1/analyze", json={"text": "a" * 200_001}), 422)
    assert "limit is 200000" in str(problem["errors"])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"text": "Rutte \xff\xfe sprak"}', 400),  # not UTF-8
        (b"\xef\xbb\xbf" + b'{"text": "Rutte"}', 400),  # a UTF-8 byte-order mark
        (b'{"text": "Rutte"', 400),  # cut short
        (b'{"text": "Rutte", }', 400),  # trailing comma
        (b"", 422),  # no body at all: the required text is missing
    ],
)
def test_bytes_that_are_not_json_in_utf8_are_refused(client, body, status):
    assert_problem(post_raw(client, body), status)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_refused_not_a_crash(client, depth):
    nested = "[" * depth + "]" * depth
    body = ('{"text": "Rutte", "options": ' + nested + "}").encode()
    assert "nested too deeply" in assert_problem(post_raw(client, body), 400)["detail"]


def test_a_body_of_many_tiny_values_is_refused_before_validation(client):
    """300,000 empty documents: refused by the value count (413), not validated one by one."""
    body = json.dumps({"documents": [{}] * 300_000}).encode()
    problem = assert_problem(post_raw(client, body, "/v1/analyze/batch"), 413)
    assert "MAX_JSON_VALUES" in problem["detail"]


def test_duplicate_keys_take_the_last_value(client):
    """Python's json keeps the last of duplicate keys; the service does the same, documented in the README."""
    response = post_raw(client, b'{"text": "   ", "text": "Rutte sprak.", "id": "a", "id": "b"}')
    assert response.status_code == 200
    assert response.get_json()["id"] == "b"


@pytest.mark.parametrize(
    "body",
    [
        {"text": 42},
        {"text": ["Rutte"]},
        {"text": {"nl": "Rutte"}},
        {"text": None},
        {"text": True},
        {"text": "Rutte", "id": 7},
        {"text": "Rutte", "options": {"actor_types": "PER"}},
        {"text": "Rutte", "options": {"min_confidence": "high"}},
        {"text": "Rutte", "options": {"stances": "yes please"}},
        ["Rutte"],
        "Rutte",
        12,
    ],
)
def test_wrong_types_are_422_with_field_messages(client, body):
    assert_problem(client.post("/v1/analyze", json=body), 422)


def test_a_batch_at_the_limit_is_analysed_and_one_over_is_422(client):
    documents = [{"id": str(i), "text": f"{NAMES} ({i})"} for i in range(8)]
    response = client.post("/v1/analyze/batch", json={"documents": documents})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == [d["id"] for d in documents]
    for document, result in zip(documents, results):
        assert_offsets_slice(document["text"], result)
    over = client.post("/v1/analyze/batch", json={"documents": [*documents, {"text": "Rutte."}]})
    assert "limit is 8" in str(assert_problem(over, 422)["errors"])


def test_a_body_over_max_content_length_is_413(tiny_pipeline):
    client = create_app(Settings(max_content_length=10_000), tiny_pipeline).test_client()
    assert_problem(client.post("/v1/analyze", json={"text": "Rutte " * 2_000}), 413)
