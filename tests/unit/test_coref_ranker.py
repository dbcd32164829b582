"""The reference ranker (service/coref_ranker.py) as shipped, on sentences written for these tests, and the
training script's pieces on a made-up annotated article."""

from __future__ import annotations

import dataclasses

import pytest

from service.actors import group_actors
from service.coref_ranker import CorefRanker, find_references
from service.models.ner import Entity
from service.quote_marks import direct_quotes, quoted_spans
from service.results import Mention
from service.text import split_sentences
from training.coref_ranker import GoldArticle, examples, mine_first_names, mine_heads, score_links


@dataclasses.dataclass
class Named:
    type: str
    mentions: list[Mention]


def named(text: str, names: list[tuple[str, str]]) -> tuple[list[Named], list]:
    """Actors with a name mention wherever their name occurs in ``text``."""
    sentences = split_sentences(text)
    actors = []
    for kind, name in names:
        mentions = []
        start = text.find(name)
        while start >= 0:
            sentence = max(i for i, s in enumerate(sentences) if s.start <= start)
            mentions.append(Mention(name, start, start + len(name), sentence, 1.0))
            start = text.find(name, start + 1)
        actors.append(Named(kind, mentions))
    return actors, sentences


def quoted(text: str) -> list[tuple[int, int]]:
    return quoted_spans(direct_quotes(text))


def links(ranker: CorefRanker, text: str, names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    actors, sentences = named(text, names)
    return [(m.text, names[index][1]) for index, m in ranker.resolve(actors, text, sentences, quoted(text))]


def test_pronouns_link_to_the_person_just_named_and_a_linked_she_is_no_he(coref_ranker):
    text = "Sigrid Kaag was dinsdag in Den Haag. Ze sprak met Wopke Hoekstra. Hij zei dat het goed ging."
    found = links(coref_ranker, text, [("PER", "Sigrid Kaag"), ("LOC", "Den Haag"), ("PER", "Wopke Hoekstra")])
    assert found == [("Ze", "Sigrid Kaag"), ("Hij", "Wopke Hoekstra")]


def test_a_description_links_to_the_actor_the_article_gave_that_role(coref_ranker):
    text = "De Amerikaanse president Donald Trump is boos op Iran. Teheran reageerde. De president dreigt met sancties."
    found = links(coref_ranker, text, [("PER", "Donald Trump"), ("LOC", "Iran"), ("LOC", "Teheran")])
    assert found == [("De president", "Donald Trump")]


def test_a_noun_for_an_organisation_links_to_the_organisation(coref_ranker):
    text = "Philips maakte dinsdag de cijfers bekend. Het bedrijf verwacht minder winst."
    assert links(coref_ranker, text, [("ORG", "Philips")]) == [("Het bedrijf", "Philips")]


def test_a_named_work_or_event_is_never_referred_to(coref_ranker):
    text = "Het Songfestival begint zaterdag in Rotterdam. Hij wordt groter dan ooit."
    assert links(coref_ranker, text, [("MISC", "Songfestival"), ("LOC", "Rotterdam")]) == []


def test_a_pronoun_does_not_reach_back_past_the_window(coref_ranker):
    text = (
        "Mark Rutte was in Brussel. Het regende. Er was veel verkeer. De files waren lang. Het werd donker. "
        "Er viel sneeuw. Hij ging naar huis."
    )
    assert links(coref_ranker, text, [("PER", "Mark Rutte"), ("LOC", "Brussel")]) == []


def test_a_first_name_of_known_gender_makes_a_he_likelier(coref_ranker):
    text = "Mark Rutte sprak dinsdag met de boeren. Hij wil meer geld voor de landbouw."
    actors, sentences = named(text, [("PER", "Mark Rutte")])
    assert coref_ranker.first_names["mark"] == "masculine"
    without = CorefRanker(
        coref_ranker.weights, coref_ranker.bias, {"pronoun": 0.0, "nominal": 0.0}, coref_ranker.heads, {}
    )
    probability = {m.text: m.confidence for _, m in coref_ranker.resolve(actors, text, sentences, quoted(text))}
    probability_without = {m.text: m.confidence for _, m in without.resolve(actors, text, sentences, quoted(text))}
    assert probability["Hij"] > probability_without["Hij"]


def test_references_are_pronouns_and_descriptions_by_their_head_also_in_compounds(coref_ranker):
    sentences = split_sentences("De VVD-leider en de nieuwe oppositiepartij zeggen dat zijn plan hem niet bevalt.")
    found = [(r.kind, r.word) for r in find_references(sentences, set(), coref_ranker.heads)]
    assert found == [("nominal", "leider"), ("nominal", "partij"), ("pronoun", "hem")]


def test_a_link_below_its_threshold_is_left_out(coref_ranker):
    text = "Philips maakte dinsdag de cijfers bekend. Het bedrijf verwacht minder winst."
    actors, sentences = named(text, [("ORG", "Philips")])
    ((_, mention),) = coref_ranker.resolve(actors, text, sentences, quoted(text))
    strict = CorefRanker(
        coref_ranker.weights,
        coref_ranker.bias,
        {"pronoun": 1.0, "nominal": mention.confidence + 1e-6},
        coref_ranker.heads,
        coref_ranker.first_names,
    )
    assert strict.resolve(actors, text, sentences, quoted(text)) == []


def test_the_ranker_file_round_trips(coref_ranker, tmp_path):
    (tmp_path / "ranker").mkdir()
    path = tmp_path / "ranker" / "ranker.json"
    coref_ranker.save(path, {"version": "9.9.9"})
    loaded = CorefRanker.load(path)
    assert (loaded.weights, loaded.bias, loaded.thresholds) == (
        coref_ranker.weights,
        coref_ranker.bias,
        coref_ranker.thresholds,
    )
    assert (loaded.heads, loaded.first_names) == (coref_ranker.heads, coref_ranker.first_names)
    assert (loaded.model_id, loaded.version) == ("ranker", "9.9.9")


def test_grouped_actors_carry_the_ranker_links_with_their_probability(coref_ranker):
    text = "Philips maakte dinsdag de cijfers bekend. Het bedrijf verwacht minder winst."
    entities = [Entity("Philips", "ORG", 0, 7, 0.99, 0)]
    (actor,) = group_actors(entities, {"ORG"}, text, split_sentences(text), coref_ranker.resolve)
    nominal = next(m for m in actor.mentions if m.kind == "nominal")
    assert nominal.text == "Het bedrijf"
    assert 0.0 < nominal.confidence < 1.0


# -- training -------------------------------------------------------------------------------------------------


@pytest.fixture()
def gold_article() -> GoldArticle:
    text = "Anna de Vries werd dinsdag gekozen. Zij bedankte de kiezers. De burgemeester wil snel beginnen."
    actors, sentences = named(text, [("PER", "Anna de Vries")])
    references = {(text.index("Zij"), text.index("Zij") + 3): 0}
    description = text.index("De burgemeester")
    references[(description, description + len("De burgemeester"))] = 0
    return GoldArticle(text, sentences, actors, references, quoted(text))


def test_training_mines_heads_and_first_names_from_the_annotations(gold_article):
    assert mine_heads([gold_article], frozenset({"de", "het"}), 1) == {"burgemeester"}
    assert mine_first_names([gold_article], 1) == {"anna": "feminine"}
    assert mine_first_names([gold_article], None) == {}


def test_training_examples_label_the_annotated_actor_and_follow_the_annotators(gold_article):
    features, labels = examples([gold_article], frozenset({"burgemeester"}), None, folds=1)
    assert labels == [1, 1]  # one candidate per reference here, and it is the annotated one
    assert any("N|h=burgemeester|t=PER" in pair for pair in features)
    assert any("zij|g=None|t=PER" in pair for pair in features)


def test_link_scores_count_right_returned_and_annotated_links(gold_article):
    text = gold_article.text
    start = text.index("Zij")
    wrong = text.index("De burgemeester")
    resolved = [
        (0, Mention("Zij", start, start + 3, 1, 0.9, "pronoun")),
        (1, Mention("De burgemeester", wrong, wrong + 15, 2, 0.9, "nominal")),
    ]
    scores = score_links([gold_article], lambda article: resolved)
    assert (scores["pronoun"]["right"], scores["pronoun"]["returned"], scores["pronoun"]["gold"]) == (1, 1, 1)
    assert (scores["nominal"]["right"], scores["nominal"]["returned"], scores["nominal"]["gold"]) == (0, 1, 1)
