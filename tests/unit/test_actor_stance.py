"""The actor-to-actor stance input (marking), the shipped backend, and the training CLI on a synthetic corpus.

Sentences here are written for these tests (no corpus text).
"""

from __future__ import annotations

import csv
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from service.models.actor_stance import (
    POSITIONS,
    ActorStanceModelError,
    PolarityLexicon,
    between_words,
    context_words,
    decide,
    load_actor_stance_model,
    mark_pair,
    masked_sentence,
)
from training.actor_stance import main as train_main
from training.actor_stance import read_polarity_lexicon
from training.net2021 import Statement, learn_name_categories, pair_examples, parse_markup

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "actor-stance-nl-compact"


def span_of(sentence: str, words: str) -> tuple[int, int]:
    start = sentence.index(words)
    return start, start + len(words)


# --- marking ----------------------------------------------------------------------------------------------


def test_mark_pair_wraps_source_and_target():
    sentence = "Rutte prijst Kaag om haar leiderschap."
    marked = mark_pair(sentence, span_of(sentence, "Rutte"), span_of(sentence, "Kaag"))
    assert marked == "[S] Rutte [/S] prijst [T] Kaag [/T] om haar leiderschap."


def test_mark_pair_keeps_text_order_when_the_target_comes_first():
    sentence = "Kaag kreeg dinsdag steun van premier Mark Rutte."
    marked = mark_pair(sentence, span_of(sentence, "premier Mark Rutte"), span_of(sentence, "Kaag"))
    assert marked == "[T] Kaag [/T] kreeg dinsdag steun van [S] premier Mark Rutte [/S]."


def test_tokenised_and_plain_sentences_give_the_same_input():
    """The corpus is tokenised ("Segers ( CU ) ,"), service text is not: both must reach the model alike."""
    plain = "Segers (CU) steunt Klaver, zegt hij."
    tokenised = "Segers ( CU ) steunt Klaver , zegt hij ."
    assert mark_pair(plain, span_of(plain, "Segers"), span_of(plain, "Klaver")) == mark_pair(
        tokenised, span_of(tokenised, "Segers"), span_of(tokenised, "Klaver")
    )


def test_marker_like_text_in_the_sentence_is_not_read_as_a_mark():
    sentence = "Jansen [S] noemt [/T] De Vries een bondgenoot."
    marked = mark_pair(sentence, span_of(sentence, "Jansen"), span_of(sentence, "De Vries"))
    assert marked == "[S] Jansen [/S] noemt [T] De Vries [/T] een bondgenoot."


@pytest.mark.parametrize(
    ("source", "target"),
    [((0, 5), (3, 9)), ((0, 0), (6, 10)), ((0, 5), (30, 99)), ((5, 6), (0, 4))],
    ids=["overlap", "empty", "outside", "whitespace-only"],
)
def test_mark_pair_rejects_bad_spans(source, target):
    with pytest.raises(ValueError):
        mark_pair("Rutte prijst Kaag vandaag.", source, target)


def test_views_mask_the_actors_and_keep_their_order():
    sentence = "Wilders haalt hard uit naar Rutte."
    forward = mark_pair(sentence, span_of(sentence, "Wilders"), span_of(sentence, "Rutte"))
    backward = mark_pair(sentence, span_of(sentence, "Rutte"), span_of(sentence, "Wilders"))
    assert masked_sentence(forward) == "src haalt hard uit naar tgt."
    assert masked_sentence(backward) == "tgt haalt hard uit naar src."
    assert between_words(forward) == "st:haalt st:hard st:uit st:naar"
    assert between_words(backward) == "ts:haalt ts:hard ts:uit ts:naar"


def test_views_hide_pronouns_that_tell_only_gender():
    sentence = "Ploumen prijst Rutte om zijn aanpak, zegt ze."
    marked = mark_pair(sentence, span_of(sentence, "Ploumen"), span_of(sentence, "Rutte"))
    assert masked_sentence(marked) == "src prijst tgt om pron aanpak, zegt pron."
    assert context_words(marked) == "src prijst tgt om pron aanpak, zegt pron."


def test_polarity_lexicon_reads_cues_table_and_negation():
    lexicon = PolarityLexicon({"sterk": 0.6})
    sentence = "Klaver steunt Segers niet en noemt hem sterk."
    marked = mark_pair(sentence, span_of(sentence, "Klaver"), span_of(sentence, "Segers"))
    assert lexicon.signed_words(marked) == [("between", "steunt", 1.0), ("after", "sterk", 0.6)]
    negated = "Klaver zegt niet te steunen wat Segers wil."
    marked = mark_pair(negated, span_of(negated, "Klaver"), span_of(negated, "Segers"))
    assert lexicon.score(marked) == -1.0


def test_a_verdict_takes_a_side_only_at_its_threshold():
    thresholds = {"positive": 0.6, "negative": 0.5}
    assert decide(np.array([0.55, 0.1, 0.35]), thresholds).position == "neutral"
    assert decide(np.array([0.65, 0.1, 0.25]), thresholds).position == "positive"
    both = decide(np.array([0.45, 0.5, 0.05]), thresholds)
    assert (both.position, both.confidence) == ("negative", 0.5)
    unthresholded = decide(np.array([0.2, 0.3, 0.5]), {})
    assert (unthresholded.position, unthresholded.scores["neutral"]) == ("neutral", 0.5)
    assert decide(np.array([0.2, 0.5, 0.3]), {}).position == "negative"


# --- the shipped backend ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_model():
    return load_actor_stance_model(SHIPPED)


def test_shipped_model_ranks_obvious_support_and_criticism(shipped_model):
    support = "Rutte prijst Kaag om haar leiderschap."
    criticism = "Klaver bekritiseert Rutte scherp om zijn coronabeleid."
    praised, criticised = shipped_model.predict(
        [
            (support, span_of(support, "Rutte"), span_of(support, "Kaag")),
            (criticism, span_of(criticism, "Klaver"), span_of(criticism, "Rutte")),
        ]
    )
    assert praised.scores["positive"] > praised.scores["negative"]
    assert criticised.scores["negative"] > criticised.scores["positive"]
    assert criticised.position == "negative"
    for stance in (praised, criticised):
        assert sum(stance.scores.values()) == pytest.approx(1.0)
        assert list(stance.scores) == list(POSITIONS)
        assert stance.confidence == stance.scores[stance.position]


def test_shipped_model_gives_the_same_scores_from_concurrent_threads(shipped_model):
    written = [
        ("Rutte prijst Kaag om haar leiderschap.", "Rutte", "Kaag"),
        ("Wilders haalt hard uit naar Rutte.", "Wilders", "Rutte"),
        ("Rutte en Kaag reisden samen naar Brussel.", "Kaag", "Rutte"),
    ]
    pairs = [(sentence, span_of(sentence, source), span_of(sentence, target)) for sentence, source, target in written]
    expected = shipped_model.predict(pairs)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: shipped_model.predict(pairs), range(8)))
    assert all(result == expected for result in results)


def test_shipped_model_takes_an_empty_batch_and_rejects_bad_spans(shipped_model):
    assert shipped_model.predict([]) == []
    with pytest.raises(ValueError):
        shipped_model.predict([("Rutte prijst Kaag.", (0, 5), (2, 9))])


def test_shipped_model_metadata_and_size(shipped_model):
    assert shipped_model.model_id == "actor-stance-nl-compact"
    assert tuple(shipped_model.metadata["positions"]) == POSITIONS
    assert sum(f.stat().st_size for f in SHIPPED.iterdir()) < 40 * 1024 * 1024


def test_loading_a_missing_model_names_the_file(tmp_path):
    with pytest.raises(ActorStanceModelError, match=r"metadata\.json"):
        load_actor_stance_model(tmp_path)


# --- net2021 markup and training --------------------------------------------------------------------------


def test_parse_markup_strips_codes_and_keeps_actor_spans():
    parsed = parse_markup("[Gert-Jan] [Segers] ( [CU] ) <steunt> {[klimaat]} plan van ~niet| [Rutte.]")
    assert parsed.text == "Gert-Jan Segers ( CU ) steunt klimaat plan van niet Rutte."
    assert [parsed.name(span) for span in parsed.actor_spans] == ["Gert-Jan Segers", "CU", "Rutte"]


def statement(doc: str, subject: str, obj: str, direction: str, marked: str, kind: str = "CC") -> Statement:
    return Statement(doc, kind, "", subject, obj, direction, marked)


def test_names_are_mapped_to_the_categories_they_are_coded_as():
    statements = [
        statement("d1", "PartijA", "PartijB", "n", "[Jansen] valt [De Vries] aan ."),
        statement("d2", "PartijA", "PartijB", "p", "[Jansen] steunt [De Vries] ."),
        statement("d3", "PartijB", "PartijA", "n", "[De Vries] botst met [PartijA] ."),
        statement("d4", "PartijA", "PartijA", "n", "[Jansen] bekritiseert zijn eigen partij ."),
        statement("d5", "PartijB", "PartijC", "p", "[De Vries] prijst [Bakker] ."),
    ]
    names = learn_name_categories(statements)
    assert names.category("Jansen") == "PartijA"
    assert names.category("fractievoorzitter Jansen") == "PartijA"
    assert names.category("De Vries") == "PartijB"
    examples = pair_examples(statements, names)
    assert [(e.doc_id, e.position) for e in examples] == [("d1", "negative"), ("d2", "positive"), ("d3", "negative")]
    third = examples[2]
    assert third.sentence[slice(*third.source)] == "De Vries"
    assert third.sentence[slice(*third.target)] == "PartijA"


SYNTHETIC_VERBS = {
    "p": ("steunt", "prijst", "omarmt"),
    "n": ("bekritiseert", "valt", "hekelt"),
    "o": ("ontmoet", "spreekt", "ziet"),
}
SYNTHETIC_ACTORS = (("Jansen", "PartijA"), ("De Vries", "PartijB"), ("Bakker", "PartijC"))


def write_synthetic_statements(path: Path) -> None:
    """40 articles, each with a support, a criticism and a neutral statement and an uncoded sentence."""
    fields = ["doc_id", "type", "src", "subject", "object", "dir", "txt"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for doc in range(40):
            for k, direction in enumerate("pno"):
                (source, source_category), (target, target_category) = (
                    SYNTHETIC_ACTORS[(doc + k) % 3],
                    SYNTHETIC_ACTORS[(doc + k + 1) % 3],
                )
                verb = SYNTHETIC_VERBS[direction][doc % 3]
                txt = f"[{source}] {verb} [{target}] in het debat van dag {doc} ."
                writer.writerow(
                    dict(zip(fields, [f"doc{doc}", "CC", "", source_category, target_category, direction, txt]))
                )
            writer.writerow(dict(zip(fields, [f"doc{doc}", "", "", "", "", "", "[Jansen] en [Bakker] reizen ."])))


def write_tiny_lexicon(path: Path) -> None:
    path.write_text(
        '<sentiment><word form="sterk" polarity="0.5"/><word form="sterk" polarity="0.7"/>'
        '<word form="slap" polarity="-0.6"/><word form="groen" polarity="0.0"/></sentiment>',
        encoding="utf-8",
    )


def test_read_polarity_lexicon_averages_senses_and_drops_neutral_words(tmp_path):
    write_tiny_lexicon(tmp_path / "nl-sentiment.xml")
    assert read_polarity_lexicon(tmp_path / "nl-sentiment.xml") == {"sterk": 0.6, "slap": -0.6}
    assert read_polarity_lexicon(None) == {}


@pytest.mark.training
def test_training_cli_writes_a_loadable_model_and_report(tmp_path):
    data, out = tmp_path / "statements.csv", tmp_path / "model"
    write_synthetic_statements(data)
    write_tiny_lexicon(tmp_path / "nl-sentiment.xml")
    assert (
        train_main(
            [
                "--statements",
                str(data),
                "--out",
                str(out),
                "--seed",
                "3",
                "--lexicon",
                str(tmp_path / "nl-sentiment.xml"),
            ]
        )
        == 0
    )

    report = json.loads((out / "training_report.json").read_text(encoding="utf-8"))
    assert report["data"]["splits"]["test"]["CC:positive"] > 0
    assert {"baseline", "variants_dev", "chosen", "shipped"} <= set(report)
    assert sum(r.get("chosen", False) for r in report["variants_dev"]) == 1

    model = load_actor_stance_model(out)
    sentence = "Bakker steunt Jansen in het debat van dag 7."
    (stance,) = model.predict([(sentence, span_of(sentence, "Bakker"), span_of(sentence, "Jansen"))])
    assert np.isclose(sum(stance.scores.values()), 1.0)
    assert stance.position == "positive"
