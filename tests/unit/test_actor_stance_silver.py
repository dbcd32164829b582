"""Silver actor-stance examples (``training.actor_stance_silver``): which sentences become examples, and who is the
source, on sentences written for the test with the actors' entities placed by hand."""

from __future__ import annotations

import pytest

from service.models.ner import Entity
from training.actor_stance_silver import (
    PREDICATES_FILE,
    candidate_sentences,
    predicates_in,
    read_predicates,
    silver_example,
    tagged_words,
)

PREDICATES = read_predicates()


def entities(sentence: str, *names: str, kind: str = "PER") -> list[Entity]:
    found = []
    for name in names:
        start = sentence.index(name)
        found.append(Entity(name, kind, start, start + len(name), 0.99, 0))
    return found


def example(sentence: str, *names: str, kind: str = "PER") -> tuple[str, str, str] | None:
    """``(source, target, position)`` of the example ``sentence`` gives with ``names`` as its actors."""
    [(_, _, predicate, at)] = candidate_sentences([{"id": "a", "text": sentence}], set(), PREDICATES, set())
    found = silver_example("a", sentence, entities(sentence, *names, kind=kind), predicate, at)
    if found is None:
        return None
    return sentence[slice(*found.source)], sentence[slice(*found.target)], found.position


def test_every_predicate_takes_one_side_and_longer_ones_are_matched_first():
    assert {predicate.position for predicate in PREDICATES} == {"positive", "negative"}
    sizes = [len(predicate.words) for predicate in PREDICATES]
    assert sizes == sorted(sizes, reverse=True)
    lines = [line for line in PREDICATES_FILE.read_text(encoding="utf-8").splitlines() if line[:1] not in ("", "#")]
    entries = [line.partition(":")[0] for line in lines]
    assert len(entries) == len(set(entries)), "an entry twice"
    around = tagged_words("receives") | tagged_words("perfect") | tagged_words("passive")
    assert {"kreeg", "heeft", "werd"} <= around
    assert len(PREDICATES) == len(entries) - len(around)


def test_a_phrase_is_matched_once_and_not_again_inside_a_longer_one():
    words = ["rutte", "haalt", "hard", "uit", "naar", "wilders"]
    assert [(index, " ".join(predicate.words)) for index, predicate in predicates_in(words, PREDICATES)] == [
        (1, "haalt hard uit naar")
    ]


@pytest.mark.parametrize(
    ("sentence", "names", "expected"),
    [
        ("Klaver bekritiseert premier Rutte om zijn plan.", ("Klaver", "Rutte"), ("Klaver", "Rutte", "negative")),
        ("Ook het Koninklijk Huis feliciteerde Laurence met zijn zege.", ("Koninklijk Huis", "Laurence"),
         ("Koninklijk Huis", "Laurence", "positive")),
        ("Rutte heeft Wilders gisteren bekritiseerd in het debat.", ("Rutte", "Wilders"),
         ("Rutte", "Wilders", "negative")),
        ("Rutte wordt in het debat door Wilders bekritiseerd.", ("Rutte", "Wilders"), ("Wilders", "Rutte", "negative")),
        ("Otten uitte in een interview stevige kritiek op Baudet.", ("Otten", "Baudet"),
         ("Otten", "Baudet", "negative")),
    ],
)  # fmt: skip
def test_the_subject_is_the_source_and_the_object_the_target(sentence, names, expected):
    assert example(sentence, *names) == expected


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Rutte is in het debat fel bekritiseerd door de oppositie.", ("Rutte",)),  # one actor
        ("Rutte is in het debat door de Kamer bekritiseerd, meldt Wilders.", ("Rutte", "Wilders")),  # no agent
        ("Rutte, die de plannen steunt, sprak gisteren met Wilders.", ("Rutte", "Wilders")),  # comma between
        ("De partij van Rutte steunt het plan en de club van Rutte ook.", ("Rutte",)),  # one name twice
        ("Het kabinet steunt het plan al maanden en Wilders is boos.", ("Wilders",)),  # object not an actor
    ],
)
def test_sentences_that_do_not_read_as_a_plain_statement_give_no_example(sentence, names):
    assert example(sentence, *names) is None


def test_negated_reported_received_and_known_sentences_are_not_candidates():
    texts = [
        "Rutte steunt Wilders niet in zijn strijd tegen de plannen.",
        "Volgens Rutte bekritiseert Wilders het kabinet al jaren.",
        "Rutte kreeg in het debat veel kritiek op zijn optreden.",
        "Rutte steunt Wilders in zijn strijd en bekritiseert Klaver.",  # two predicates
        "Klaver bekritiseert Rutte om zijn plan voor de belasting.",
    ]
    articles = [{"id": str(i), "text": text} for i, text in enumerate(texts)]
    found = candidate_sentences(articles, set(), PREDICATES, {texts[-1]})
    assert list(found) == []
    assert [c[0] for c in candidate_sentences(articles, {"0", "1", "2", "3"}, PREDICATES, set())] == ["4"]
