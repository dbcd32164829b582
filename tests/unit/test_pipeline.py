"""Aggregation of per-mention stances into one stance per actor and topic, and a request analysed in passes."""

import math

import pytest

from service.models.calibration import Calibration
from service.models.stance import TopicStance
from service.pipeline import _StanceInput, aggregate_stances
from service.results import Mention
from service.text import split_sentences

TEXT = "Rutte sprak over geld. Rutte wil minder asielzoekers. Rutte wil de grenzen dicht."


def mention_in(sentence_index: int) -> _StanceInput:
    sentence = split_sentences(TEXT)[sentence_index]
    mention = Mention("Rutte", sentence.start, sentence.start + 5, sentence_index, 0.99)
    return _StanceInput(0, 0, mention, window="")


def stance(topic: str, positive: float, negative: float, relevance: float, relevant: bool) -> TopicStance:
    scores = {"positive": positive, "negative": negative, "neutral": round(1 - positive - negative, 4)}
    return TopicStance(topic, max(scores, key=scores.get), scores, relevance, relevant)


def test_only_relevant_mentions_count_and_scores_are_averaged():
    items = [
        (mention_in(0), [stance("immigration", 0.9, 0.05, 0.1, False)]),
        (mention_in(1), [stance("immigration", 0.1, 0.7, 0.9, True)]),
        (mention_in(2), [stance("immigration", 0.2, 0.5, 0.8, True)]),
    ]
    [result] = aggregate_stances(items, TEXT, split_sentences(TEXT))
    assert result.topic == "immigration"
    assert result.position == "negative"
    assert result.confidence == pytest.approx(0.6)
    assert result.scores == pytest.approx({"positive": 0.15, "negative": 0.6, "neutral": 0.25})
    assert result.mentions == 2
    assert result.relevance == 0.9
    assert result.evidence.text == "Rutte wil minder asielzoekers."
    assert TEXT[result.evidence.start : result.evidence.end] == result.evidence.text


def test_topics_that_no_mention_is_about_are_left_out():
    items = [(mention_in(0), [stance("immigration", 0.9, 0.05, 0.1, False), stance("economic", 0.2, 0.2, 0.6, True)])]
    results = aggregate_stances(items, TEXT, split_sentences(TEXT))
    assert [r.topic for r in results] == ["economic"]
    assert results[0].position == "neutral"


def test_evidence_is_the_mention_that_best_supports_the_position():
    items = [
        (mention_in(1), [stance("immigration", 0.1, 0.5, 0.9, True)]),
        (mention_in(2), [stance("immigration", 0.1, 0.8, 0.9, True)]),
    ]
    [result] = aggregate_stances(items, TEXT, split_sentences(TEXT))
    assert result.evidence.text == "Rutte wil de grenzen dicht."


def test_poles_closer_than_the_margin_are_reported_neutral():
    items = [(mention_in(1), [stance("immigration", 0.45, 0.35, 0.9, True)])]
    [argmax] = aggregate_stances(items, TEXT, split_sentences(TEXT))
    [within] = aggregate_stances(items, TEXT, split_sentences(TEXT), pole_margin=0.2)
    [beyond] = aggregate_stances(items, TEXT, split_sentences(TEXT), pole_margin=0.05)
    assert argmax.position == "positive"
    assert within.position == "neutral"
    assert within.scores == argmax.scores
    assert beyond.position == "positive"


def test_documents_go_through_in_passes_of_bounded_text_in_their_order():
    from service.documents import Document
    from service.pipeline import passes

    docs = [Document("a" * size) for size in (40, 50, 30, 120, 10)]
    groups = passes(docs, 100)
    assert [[len(d.text) for d in group] for group in groups] == [[40, 50], [30], [120], [10]]
    assert [d for group in groups for d in group] == docs
    assert passes([], 100) == []


def test_a_request_in_several_passes_gives_what_one_pass_gives(tiny_pipeline, monkeypatch):
    from service import pipeline as pipeline_module
    from service.documents import Document

    docs = [
        Document("Geert Wilders haalt hard uit naar Mark Rutte in Den Haag.", id="a"),
        Document("Jesse Klaver prijst Sigrid Kaag om haar leiderschap.", id="b"),
        Document("Volgens Rutte heeft Wilders ongelijk over Europa.", id="c"),
    ]
    in_one = tiny_pipeline.analyze(docs)
    monkeypatch.setattr(pipeline_module, "PASS_CHARS", 60)
    assert [len(group) for group in pipeline_module.passes(docs, 60)] == [1, 1, 1]
    # The same layers; scores agree to float noise (matrix products over other batches round differently).
    in_passes = tiny_pipeline.analyze(docs)
    assert [_layers(result) for result in in_passes] == [_layers(result) for result in in_one]
    assert _scores(in_passes) == pytest.approx(_scores(in_one), abs=1e-5)


def _layers(result) -> tuple:
    """What a result says, without its scores."""
    return (
        result.id,
        [(e.start, e.end, e.type) for e in result.entities],
        [(q.start, q.end, q.speaker) for q in result.quotes],
        [
            (a.id, [(m.start, m.end) for m in a.mentions], [(s.topic, s.target, s.position) for s in a.stances])
            for a in result.actors
        ],
    )


def _scores(results) -> list[float]:
    return [
        value
        for result in results
        for actor in result.actors
        for stance in actor.stances
        for value in stance.scores.values()
    ]


def test_a_calibrated_model_reports_the_chance_of_being_right_and_keeps_the_raw_scores():
    items = [(mention_in(1), [stance("immigration", 0.1, 0.8, 0.9, True)])]
    [raw] = aggregate_stances(items, TEXT, split_sentences(TEXT))
    [curved] = aggregate_stances(items, TEXT, split_sentences(TEXT), calibration=Calibration(4.0, -3.0))
    assert raw.confidence == pytest.approx(0.8)
    assert curved.confidence == pytest.approx(1 / (1 + math.exp(-(4.0 * 0.8 - 3.0))))
    assert (curved.position, curved.scores) == (raw.position, raw.scores)
