"""Grouping names into actors (service.actors) on Dutch sentences with marked entities, and the sample article
through the shipped tagger."""

import pytest

from service.actors import SALIENCE_WEIGHTS, group_actors, salience
from service.entities import refine_entities
from service.text import split_sentences
from tests.unit.marked_text import marked


def actors_of(source: str, actor_types=frozenset({"PER", "ORG"})):
    text, sentences, entities = marked(source)
    return group_actors(entities, set(actor_types), text, sentences)


def names(actors) -> dict[str, list[str]]:
    return {actor.name: sorted(m.text for m in actor.mentions if m.kind == "name") for actor in actors}


def test_full_name_surname_and_possessive_are_one_actor():
    actors = actors_of(
        "[Trump|PER] landde. Daarna sprak [Donald Trump|PER] met de pers over [Trumps|PER] plannen. Zo is [trump|PER]."
    )
    assert names(actors) == {"Donald Trump": ["Donald Trump", "Trump", "Trumps", "trump"]}
    assert actors[0].id == "per:donald-trump"


@pytest.mark.parametrize(
    ("full", "genitive"),
    [
        ("Donald Trump", "Trumps"),
        ("Vladimir Poetin", "Poetins"),
        ("Mark Rutte", "Rutte's"),
        ("Geert Wilders", "Wilders'"),
    ],
)
@pytest.mark.parametrize("confidence", [0.62, 0.95])  # CoNLL-2002 tags a person's genitive as MISC
def test_genitive_and_possessive_forms_join_their_actor_whatever_their_tagged_type(full, genitive, confidence):
    actors = actors_of(f"[{full}|PER] sprak. De tegenstanders van [{genitive}|MISC:{confidence}] beleid zwegen.")
    assert names(actors) == {full: sorted([full, genitive])}
    assert actors[0].type == "PER"


def test_a_confident_organisation_genitive_does_not_join_a_person():
    actors = actors_of("[Ben Philips|PER] sprak. De winst van [Philips|ORG:0.95] steeg.", {"PER", "ORG"})
    assert names(actors) == {"Ben Philips": ["Ben Philips"], "Philips": ["Philips"]}


def test_a_mistyped_surname_joins_the_person_and_the_vote_keeps_the_person_type():
    actors = actors_of(
        "[Vladimir Poetin|PER:0.75] kwam aan. [Poetin|PER:0.99] sprak. Later zweeg [Poetin|ORG:0.53] over de Krim."
    )
    assert names(actors) == {"Vladimir Poetin": ["Poetin", "Poetin", "Vladimir Poetin"]}
    assert actors[0].type == "PER"
    assert actors[0].id == "per:vladimir-poetin"


def test_a_name_confidently_tagged_as_another_type_does_not_join_a_person():
    actors = actors_of(
        "[George Washington|PER] was president. De stad [Washington|LOC:0.99] is naar hem genoemd.",
        {"PER", "LOC"},
    )
    assert names(actors) == {"George Washington": ["George Washington"], "Washington": ["Washington"]}


def test_an_actors_type_is_the_confidence_weighted_vote_of_its_mentions():
    source = "De [NAVO|ORG:0.9] vergaderde. De [NAVO|ORG:0.85] besloot. Ook [NAVO|LOC:0.6] werd genoemd."
    [actor] = actors_of(source, {"ORG", "LOC"})
    assert (actor.type, len(actor.mentions)) == ("ORG", 3)
    assert actors_of(source, {"LOC"}) == []


def test_names_spelled_with_and_without_accents_are_one_actor():
    actors = actors_of("[Juan Guaidó|PER] landde in Caracas. Daarna sprak [Guaido|PER] de menigte toe.")
    assert names(actors) == {"Juan Guaidó": ["Guaido", "Juan Guaidó"]}


def test_multiword_surname_joins_the_full_name():
    actors = actors_of("[Alexander Van der Bellen|PER] won. Daarna sprak [Van der Bellen|PER].")
    assert names(actors) == {"Alexander Van der Bellen": ["Alexander Van der Bellen", "Van der Bellen"]}


def test_shared_surname_without_evidence_is_not_merged():
    actors = actors_of(
        "[Donald Trump|PER] en [Ivanka Trump|PER] reisden samen. [Trump|PER] sprak. Toen sprak [Trump|PER] weer."
    )
    assert names(actors) == {
        "Donald Trump": ["Donald Trump"],
        "Ivanka Trump": ["Ivanka Trump"],
        "Trump": ["Trump", "Trump"],
    }


def test_a_title_the_tagger_took_into_a_name_does_not_make_another_person():
    actors = actors_of(
        "[Frans Timmermans|PER] kwam. [Timmermans|PER] sprak. Later zei [Eurocommissaris Timmermans|PER] iets, "
        "en [Premier Rutte|PER] zweeg."
    )
    assert names(actors) == {
        "Frans Timmermans": ["Eurocommissaris Timmermans", "Frans Timmermans", "Timmermans"],
        "Premier Rutte": ["Premier Rutte"],
    }
    # a name that is only a title stays whole
    assert names(actors_of("[Paus|PER] sprak.")) == {"Paus": ["Paus"]}


def test_a_lone_first_name_joins_its_only_full_name_but_not_an_ambiguous_one():
    actors = actors_of("[Ivanka Trump|PER] kwam. Later lachte [Ivanka|PER] naar [Mark Rutte|PER].")
    assert names(actors) == {"Ivanka Trump": ["Ivanka", "Ivanka Trump"], "Mark Rutte": ["Mark Rutte"]}
    ambiguous = actors_of("[Mark Rutte|PER] en [Mark Harbers|PER] kwamen. Toen sprak [Mark|PER].")
    assert names(ambiguous)["Mark"] == ["Mark"]


def test_organisations_group_by_text_and_possessive_and_types_are_filtered():
    source = "De [NAVO|ORG] vergaderde. De leden van de [NAVO's|ORG] raad spraken in [Helsinki|LOC]."
    assert names(actors_of(source, {"ORG"})) == {"NAVO": ["NAVO", "NAVO's"]}
    assert names(actors_of(source, {"ORG", "LOC"})) == {"NAVO": ["NAVO", "NAVO's"], "Helsinki": ["Helsinki"]}


def test_an_organisation_ending_in_s_is_not_stripped_without_its_plain_form():
    assert names(actors_of("[Philips|ORG] maakte winst.")) == {"Philips": ["Philips"]}


def test_mentions_carry_their_kind_and_are_sorted_by_start():
    [actor] = actors_of("Premier [Mark Rutte|PER] kwam te laat. Hij gaf de trein de schuld. Toen sprak de premier.")
    assert [(m.kind, m.text) for m in actor.mentions] == [
        ("name", "Mark Rutte"),
        ("pronoun", "Hij"),
        ("nominal", "de premier"),
    ]
    assert [m.sentence for m in actor.mentions] == [0, 1, 2]


def test_an_actors_mentions_do_not_depend_on_which_other_types_the_caller_wants():
    source = "Premier [Rutte|PER] sprak in [Den Haag|LOC] met de [VVD|ORG]. Hij was tevreden. De premier lachte."

    def people(actor_types):
        return [
            (a.id, [(m.kind, m.text) for m in a.mentions]) for a in actors_of(source, actor_types) if a.type == "PER"
        ]

    assert (
        people({"PER"})
        == people({"PER", "ORG", "LOC"})
        == [("per:rutte", [("name", "Rutte"), ("pronoun", "Hij"), ("nominal", "De premier")])]
    )


def test_actors_are_ordered_by_first_mention_and_salience_weighs_kinds_and_sums_to_one():
    actors = actors_of(
        "[Poetin|PER] kwam aan. [Rutte|PER] wachtte. Hij was nerveus. Daarna sprak [Poetin|PER] en ging weg."
    )
    assert [(a.name, [m.kind for m in a.mentions]) for a in actors] == [
        ("Poetin", ["name", "name"]),
        ("Rutte", ["name", "pronoun"]),
    ]
    weights = salience(actors)
    rutte = SALIENCE_WEIGHTS["name"] + SALIENCE_WEIGHTS["pronoun"]
    total = 2 * SALIENCE_WEIGHTS["name"] + rutte
    assert weights == pytest.approx({0: 2 / total, 1: rutte / total})
    assert sum(weights.values()) == pytest.approx(1)
    assert SALIENCE_WEIGHTS["name"] > SALIENCE_WEIGHTS["nominal"] > SALIENCE_WEIGHTS["pronoun"] > 0


@pytest.mark.slow
def test_the_sample_article_has_one_trump_and_one_poetin_with_their_descriptions(sample_text, shipped_ner):
    sentences = split_sentences(sample_text)
    [tagged] = shipped_ner.tag([(sample_text, sentences)])
    entities = refine_entities(tagged, sample_text, sentences)
    spans = {e.text for e in entities}
    assert "St. Petersburg" in spans and "Donald Trump Rusland" not in spans
    actors = group_actors(entities, {"PER", "ORG", "LOC"}, sample_text, sentences)
    trump = [a for a in actors if "Trump" in a.name]
    poetin = [a for a in actors if "Poetin" in a.name]
    assert [(a.id, a.type) for a in trump] == [("per:donald-trump", "PER")]
    assert [(a.id, a.type) for a in poetin] == [("per:vladimir-poetin", "PER")]
    trump_mentions = {(m.kind, m.text) for m in trump[0].mentions}
    poetin_mentions = {(m.kind, m.text) for m in poetin[0].mentions}
    assert {("name", "Trumps"), ("nominal", "de Amerikaanse president"), ("pronoun", "Hij")} <= trump_mentions
    assert {("name", "Poetin"), ("nominal", "De Russische leider"), ("nominal", "de Russische president")} <= (
        poetin_mentions
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "[Forum voor Democratie|ORG] won. [Forum|ORG] kreeg de meeste zetels.",
            {"Forum voor Democratie": ["Forum", "Forum voor Democratie"]},
        ),
        (
            "De [Tweede Kamer|ORG] stemde in. De [Kamer|ORG] wil een plan.",
            {"Tweede Kamer": ["Kamer", "Tweede Kamer"]},
        ),
        (
            "[Al-Qaida|ORG] eiste de aanslag op. Volgens experts is [Al Qaida|PER:0.6] nog actief.",
            {"Al Qaida": ["Al Qaida", "Al-Qaida"]},
        ),
    ],
)
def test_a_short_or_differently_hyphenated_organisation_name_joins_the_longer_one(source, expected):
    actors = actors_of(source)
    assert names(actors) == expected
    assert actors[0].type == "ORG"


def test_an_organisation_word_shared_by_two_names_or_confidently_a_place_joins_neither():
    shared = "De [Europese Unie|ORG] en de [Afrikaanse Unie|ORG] spraken. De [Unie|ORG] zweeg."
    assert names(actors_of(shared)) == {
        "Europese Unie": ["Europese Unie"],
        "Afrikaanse Unie": ["Afrikaanse Unie"],
        "Unie": ["Unie"],
    }
    place = "[FC Utrecht|ORG] won. In [Utrecht|LOC:0.98] was het feest."
    assert names(actors_of(place, {"ORG", "LOC"})) == {"FC Utrecht": ["FC Utrecht"], "Utrecht": ["Utrecht"]}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "De [EU|ORG] wil praten. De [Europese Unie|ORG] reageerde niet.",
            {"Europese Unie": ["EU", "Europese Unie"]},
        ),
        (
            "De [Verenigde Staten|LOC] dreigen. De [VS|LOC:0.7] willen een deal.",
            {"Verenigde Staten": ["VS", "Verenigde Staten"]},
        ),
        (  # the initials of every word, function words too
            "[Partij voor de Dieren|ORG] en [Forum voor Democratie|ORG] stemden tegen. De [PvdD|ORG] en [FvD|PER:0.6] "
            "willen meer.",
            {
                "Partij voor de Dieren": ["Partij voor de Dieren", "PvdD"],
                "Forum voor Democratie": ["Forum voor Democratie", "FvD"],
            },
        ),
        (  # the initials of the capitalised words; a hyphen separates words
            "De [Nationaal Coördinator Terrorismebestrijding en Veiligheid|ORG] waarschuwt. Volgens de [NCTV|ORG] en "
            "het [Christen-Democratisch Appèl|ORG] en het [CDA|ORG] is het ernstig.",
            {
                "Nationaal Coördinator Terrorismebestrijding en Veiligheid": [
                    "NCTV",
                    "Nationaal Coördinator Terrorismebestrijding en Veiligheid",
                ],
                "Christen-Democratisch Appèl": ["CDA", "Christen-Democratisch Appèl"],
            },
        ),
    ],
)
def test_an_abbreviation_joins_the_name_it_spells(source, expected):
    assert names(actors_of(source, {"ORG", "LOC", "PER"})) == expected


def test_an_abbreviation_that_spells_two_names_or_is_confidently_a_person_joins_neither():
    two = "De [Europese Unie|ORG] en de [Estse Unie|ORG] spraken. De [EU|ORG] zweeg."
    assert names(actors_of(two)) == {"Europese Unie": ["Europese Unie"], "Estse Unie": ["Estse Unie"], "EU": ["EU"]}
    person = "Het [Openbaar Ministerie|ORG] klaagde. Rapper [OM|PER:0.97] reageerde."
    assert names(actors_of(person)) == {"Openbaar Ministerie": ["Openbaar Ministerie"], "OM": ["OM"]}
    lower = "De [Europese Unie|ORG] sprak. Daarna sprak [Eu|ORG] weer."  # one capital: a word, not an abbreviation
    assert names(actors_of(lower)) == {"Europese Unie": ["Europese Unie"], "Eu": ["Eu"]}


@pytest.mark.parametrize(
    ("source", "kept_apart"),
    [
        # two capitals of three words are no abbreviation: the FD is a newspaper
        ("[Forum voor Democratie|ORG] won, meldt het [FD|ORG].", "FD"),
        # confidently another type than the name: de Volkskrant, not the country
        ("Het [Verenigd Koninkrijk|LOC] stemde, schrijft de [VK|ORG:0.97].", "VK"),
        # an event's name (MISC) founds no abbreviation
        ("De [Tour de France|MISC] begon. De [TdF|ORG] duurt drie weken.", "TdF"),
    ],
)
def test_what_is_no_abbreviation_of_a_name_stays_apart(source, kept_apart):
    assert kept_apart in names(actors_of(source, {"ORG", "LOC", "MISC"}))


def test_an_abbreviations_possessive_joins_the_name_too():
    actors = actors_of("De [Europese Unie|ORG] vergaderde. De [EU's|ORG] plannen zijn klaar.")
    assert names(actors) == {"Europese Unie": ["EU's", "Europese Unie"]}


def test_actors_whose_names_make_one_slug_get_distinct_ids_in_order_of_first_mention():
    actors = actors_of("[D Hondt|PER] sprak. Later zweeg [D'Hondt|PER] over de zetels.")
    assert [(actor.name, actor.id) for actor in actors] == [("D Hondt", "per:d-hondt"), ("D'Hondt", "per:d-hondt-2")]


def test_a_ministry_goes_by_what_follows_ministerie_van():
    source = (
        "Het [ministerie van Sociale Zaken|ORG] zweeg. Volgens [Sociale Zaken|ORG] klopt het niet. "
        "De [rechtbank Den Haag|ORG] oordeelde in [Den Haag|LOC]."
    )
    assert names(actors_of(source, {"ORG", "LOC"})) == {
        "ministerie van Sociale Zaken": ["Sociale Zaken", "ministerie van Sociale Zaken"],
        "rechtbank Den Haag": ["rechtbank Den Haag"],
        "Den Haag": ["Den Haag"],
    }
