"""Aggregation of per-mention stances into one stance per actor and topic."""

import pytest

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
