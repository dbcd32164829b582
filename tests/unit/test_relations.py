"""Actor-to-actor stance evidence and aggregation (service.relations) on Dutch sentences written for these
tests: actors grouped by the real grouping and resolver, quotes found by the real quote finder."""

from __future__ import annotations

import pytest

from service.actors import Actor, group_actors
from service.models.actor_stance import PairStance
from service.models.calibration import Calibration
from service.quotes import find_quotes
from service.relations import Evidence, aggregate_relations, select_evidence, target_actor_ids
from service.results import Mention, Span
from service.text import split_sentences
from tests.unit.marked_text import marked

ALL_TYPES = {"PER", "ORG", "LOC"}


def evidence_of(source: str, source_types: set[str] | None = None) -> tuple[list[Actor], list[Evidence]]:
    """Actors and evidence of a marked text; sources are the actors of ``source_types`` (default PER, ORG)."""
    text, sentences, entities = marked(source)
    actors = group_actors(entities, ALL_TYPES, text, sentences)
    quotes = find_quotes(text, sentences, actors)
    wanted = source_types or {"PER", "ORG"}
    sources = {i for i, actor in enumerate(actors) if actor.type in wanted}
    found = select_evidence(text, sentences, actors, quotes, sources, target_actor_ids(actors))
    for item in found:
        assert text[item.sentence.start : item.sentence.end] == item.sentence.text
    return actors, found


def pairs(actors: list[Actor], found: list[Evidence]) -> list[tuple[str, str, str, str, str]]:
    """``(source name, target name, kind, marked source words, marked target words)`` per piece of evidence."""
    return [
        (
            actors[e.source].name,
            actors[e.target].name,
            e.kind,
            e.model_text[e.source_span[0] : e.source_span[1]],
            e.model_text[e.target_span[0] : e.target_span[1]],
        )
        for e in found
    ]


def test_every_pair_of_actors_in_one_sentence_is_evidence_both_ways():
    actors, found = evidence_of("[Mark Rutte|PER] prijst [Sigrid Kaag|PER] om haar leiderschap.")
    assert pairs(actors, found) == [
        ("Mark Rutte", "Sigrid Kaag", "sentence", "Mark Rutte", "Sigrid Kaag"),
        ("Sigrid Kaag", "Mark Rutte", "sentence", "Sigrid Kaag", "Mark Rutte"),
    ]
    assert found[0].sentence.text == found[0].model_text == "Mark Rutte prijst Sigrid Kaag om haar leiderschap."


def test_actors_in_different_sentences_give_no_sentence_evidence():
    actors, found = evidence_of("[Mark Rutte|PER] was in Brussel. [Sigrid Kaag|PER] bleef thuis.")
    assert pairs(actors, found) == []


def test_the_closest_two_mentions_of_a_pair_are_marked():
    actors, found = evidence_of(
        "[Mark Rutte|PER] sprak lang met iedereen, en later prees [Rutte|PER] [Sigrid Kaag|PER] om haar werk."
    )
    assert pairs(actors, found)[0] == ("Mark Rutte", "Sigrid Kaag", "sentence", "Rutte", "Sigrid Kaag")


def test_a_resolved_pronoun_can_be_the_source():
    actors, found = evidence_of(
        "[Mark Rutte|PER] landde gisteren in Brussel. Hij bekritiseerde [Viktor Orbán|PER] om de nieuwe wet."
    )
    assert pairs(actors, found) == [
        ("Mark Rutte", "Viktor Orbán", "sentence", "Hij", "Viktor Orbán"),
        ("Viktor Orbán", "Mark Rutte", "sentence", "Viktor Orbán", "Hij"),
    ]


def test_countries_are_targets_even_when_only_people_are_sources():
    for text in (
        "[Donald Trump|PER] waarschuwt [Iran|LOC] voor nieuwe sancties.",
        "[Iran|LOC] waarschuwt [Donald Trump|PER] voor nieuwe sancties.",
    ):
        actors, found = evidence_of(text, {"PER"})
        assert pairs(actors, found) == [("Donald Trump", "Iran", "sentence", "Donald Trump", "Iran")]


def test_a_quote_mentioning_the_target_is_evidence_with_the_speaker_marked():
    actors, found = evidence_of("„[Geert Wilders|PER] speelt met vuur”, zei [Mark Rutte|PER] in Den Haag.")
    assert set(pairs(actors, found)) == {
        ("Mark Rutte", "Geert Wilders", "quote", "Mark Rutte", "Geert Wilders"),
        ("Geert Wilders", "Mark Rutte", "sentence", "Geert Wilders", "Mark Rutte"),
    }


def test_the_speaker_has_quote_evidence_toward_everyone_the_quote_mentions():
    actors, found = evidence_of(
        "„[Geert Wilders|PER] verwijt [Sigrid Kaag|PER] van alles”, zei [Mark Rutte|PER] gisteren."
    )
    kinds = {(s, t): kind for s, t, kind, _, _ in pairs(actors, found)}
    assert kinds[("Mark Rutte", "Geert Wilders")] == kinds[("Mark Rutte", "Sigrid Kaag")] == "quote"
    assert kinds[("Geert Wilders", "Sigrid Kaag")] == "sentence"
    assert len(kinds) == 6


def test_the_speakers_own_ik_marks_the_source_in_a_later_sentence_of_the_quote():
    actors, found = evidence_of(
        "[Mark Rutte|PER] was duidelijk: „Het kabinet gaat door. Ik vertrouw [Geert Wilders|PER] niet meer.”"
    )
    assert pairs(actors, found) == [("Mark Rutte", "Geert Wilders", "quote", "Ik", "Geert Wilders")]
    [item] = found
    assert item.sentence_spans() == (item.source_span, item.target_span)


def test_without_the_speakers_words_in_the_sentence_the_model_reads_them_as_a_prefix():
    actors, found = evidence_of(
        "[Mark Rutte|PER] was duidelijk: „Het kabinet gaat door. Over [Geert Wilders|PER] zeg ik niets.”"
    )
    assert pairs(actors, found) == [("Mark Rutte", "Geert Wilders", "quote", "Mark Rutte", "Geert Wilders")]
    [item] = found
    assert item.model_text.startswith("Mark Rutte: ")
    assert item.sentence.text == "Over Geert Wilders zeg ik niets.”"
    # In the sentence itself (what the pair heads read) there is no source, and the target sits where it is.
    source, (start, end) = item.sentence_spans()
    assert source is None and item.sentence.text[start:end] == "Geert Wilders"


def test_no_actor_gets_evidence_toward_itself():
    actors, found = evidence_of("[Mark Rutte|PER] vindt dat [Rutte|PER] gelijk heeft. Hij verdedigt zichzelf.")
    assert len(actors) == 1
    assert found == []


def test_two_actors_at_the_same_span_never_make_a_pair():
    text = "Trump prijst Trump."
    sentences = split_sentences(text)
    shared = Mention("Trump", 0, 5, 0, 0.9)
    first = Actor("PER", [shared, Mention("Trump", 13, 18, 0, 0.9)])
    second = Actor("ORG", [shared])
    found = select_evidence(text, sentences, [first, second], [], {0, 1}, {0, 1})
    assert sorted((e.source, e.target, e.source_span, e.target_span) for e in found) == [
        (0, 1, (13, 18), (0, 5)),
        (1, 0, (0, 5), (13, 18)),
    ]


def test_spans_are_trimmed_to_the_words_the_model_marks():
    text = "Rutte prijst (Kaag) vandaag."
    sentences = split_sentences(text)
    rutte = Actor("PER", [Mention("Rutte", 0, 5, 0, 0.9)])
    kaag = Actor("PER", [Mention("(Kaag)", 13, 19, 0, 0.6)])
    punctuation = Actor("ORG", [Mention(") ", 18, 20, 0, 0.4)])
    found = select_evidence(text, sentences, [rutte, kaag, punctuation], [], {0}, {1, 2})
    assert [(e.target, e.model_text[e.target_span[0] : e.target_span[1]]) for e in found] == [(1, "Kaag")]


def stance(positive: float, negative: float, position: str | None = None) -> PairStance:
    scores = {"positive": positive, "negative": negative, "neutral": round(1 - positive - negative, 6)}
    decided = position or max(scores, key=scores.get)
    return PairStance(decided, scores, scores[decided])


def evidence(source: int, target: int, start: int, text: str) -> Evidence:
    return Evidence(source, target, "sentence", Span(text, start, start + len(text)), 0, text, (0, 1), (2, 3))


ACTORS = [
    Actor("PER", [Mention("Mark Rutte", 0, 10, 0, 0.9)]),
    Actor("PER", [Mention("Sigrid Kaag", 20, 31, 0, 0.9)]),
    Actor("LOC", [Mention("Hongarije", 40, 49, 0, 0.9)]),
]


def test_the_most_confident_side_taken_decides_the_pair_with_its_scores_and_sentence():
    found = [
        evidence(0, 1, 0, "names both"),
        evidence(0, 1, 100, "strong praise"),
        evidence(0, 1, 200, "mild criticism"),
        evidence(0, 2, 300, "no side taken"),
    ]
    verdicts = [stance(0.3, 0.2, "neutral"), stance(0.9, 0.05), stance(0.1, 0.6), stance(0.1, 0.1)]
    by_source = aggregate_relations(found, verdicts, ACTORS)
    assert list(by_source) == [0]
    toward_kaag, toward_hungary = by_source[0]
    assert (toward_kaag.target, toward_kaag.target_name, toward_kaag.topic) == ("per:sigrid-kaag", "Sigrid Kaag", None)
    assert (toward_kaag.position, toward_kaag.confidence) == ("positive", pytest.approx(0.9))
    assert toward_kaag.scores == pytest.approx({"positive": 0.9, "negative": 0.05, "neutral": 0.05})
    assert (toward_kaag.evidence.text, toward_kaag.mentions) == ("strong praise", 3)
    assert (toward_hungary.target, toward_hungary.position, toward_hungary.mentions) == ("loc:hongarije", "neutral", 1)


def test_a_pair_without_a_side_taken_is_neutral_and_shows_its_strongest_lean():
    found = [evidence(0, 1, 0, "names both"), evidence(0, 1, 100, "leans critical")]
    verdicts = [stance(0.1, 0.1, "neutral"), stance(0.05, 0.45, "neutral")]
    [toward_kaag] = aggregate_relations(found, verdicts, ACTORS)[0]
    assert toward_kaag.position == "neutral"
    assert toward_kaag.evidence.text == "leans critical"
    assert toward_kaag.scores["negative"] == pytest.approx(0.45)
    assert toward_kaag.confidence == pytest.approx(0.5)


def test_a_calibrated_side_reports_the_chance_of_being_right_and_a_neutral_pair_its_neutral_score():
    found = [evidence(0, 1, 100, "strong praise"), evidence(0, 2, 300, "no side taken")]
    verdicts = [stance(0.9, 0.05), stance(0.1, 0.1)]
    curve = Calibration(1.0, -1.0)
    toward_kaag, toward_hungary = aggregate_relations(found, verdicts, ACTORS, curve)[0]
    assert toward_kaag.confidence == pytest.approx(curve(0.9))
    assert toward_kaag.scores["positive"] == pytest.approx(0.9)
    assert toward_hungary.confidence == pytest.approx(0.8)


def test_aggregation_needs_one_verdict_per_piece_of_evidence():
    with pytest.raises(ValueError):
        aggregate_relations([evidence(0, 1, 0, "x")], [], ACTORS)
