"""Document-level repairs of tagger output (service.entities) on Dutch sentences with marked entities."""

from service.entities import refine_entities
from tests.unit.marked_text import marked


def found(source: str, rules: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    text, sentences, entities = marked(source)
    refined = refine_entities(entities, text, sentences, rules)
    for entity in refined:
        assert text[entity.start : entity.end] == entity.text
    return [(entity.text, entity.type) for entity in refined]


def test_a_person_name_glued_to_the_next_name_is_split_into_both():
    source = (
        "[Mark Rutte|PER] reisde naar [Brussel|LOC]. Boven het stuk stond een citaat van "
        "[Mark Rutte Brussel|ORG:0.55] wil meer geld voor de boeren."
    )
    assert found(source, ("split_glued",)) == [
        ("Mark Rutte", "PER"),
        ("Brussel", "LOC"),
        ("Mark Rutte", "PER"),
        ("Brussel", "LOC"),
    ]


def test_names_made_of_names_of_other_types_stay_whole():
    source = "[AMP|ORG] heeft een vestiging in [België|LOC]. De winst van [AMP België|ORG] steeg."
    assert ("AMP België", "ORG") in found(source, ("split_glued",))


def test_a_first_name_and_surname_known_apart_are_not_split():
    source = "[Jan|PER] won. [Peeters|PER] verloor. Later kwam [Jan Peeters|PER] langs."
    assert ("Jan Peeters", "PER") in found(source, ("split_glued",))


def test_a_glued_span_that_occurs_twice_is_a_real_name():
    source = (
        "[Willem|PER] en [Alexander|LOC] kwamen. [Willem Alexander|ORG:0.6] opende. "
        "Ook [Willem Alexander|ORG:0.6] sprak."
    )
    assert found(source, ("split_glued",)).count(("Willem Alexander", "ORG")) == 2


def test_a_mistyped_mention_gets_the_confident_type_of_the_same_name():
    source = "[Poetin|PER:0.99] kwam aan. Later sprak [Poetin|ORG:0.53] met de pers."
    assert found(source, ("retype",)) == [("Poetin", "PER"), ("Poetin", "PER")]


def test_no_retyping_without_a_confident_tagging_or_against_a_more_confident_one():
    unsure = "[Ajax|ORG:0.6] won. Daarna speelde [Ajax|LOC:0.7] thuis."
    assert found(unsure, ("retype",)) == [("Ajax", "ORG"), ("Ajax", "LOC")]
    outvoted = "[Feyenoord|ORG:0.85] won. Supporters van [Feyenoord|LOC:0.7] en [Feyenoord|LOC:0.7] juichten."
    assert found(outvoted, ("retype",)) == [("Feyenoord", "ORG"), ("Feyenoord", "LOC"), ("Feyenoord", "LOC")]


def test_an_untagged_occurrence_of_a_confident_name_is_added():
    source = "Minister [Wopke Hoekstra|PER:0.97] kwam te laat. Volgens Wopke Hoekstra lag dat aan de trein."
    text, sentences, entities = marked(source)
    refined = refine_entities(entities, text, sentences, ("add_missed",))
    assert [(e.text, e.type, e.sentence) for e in refined] == [
        ("Wopke Hoekstra", "PER", 0),
        ("Wopke Hoekstra", "PER", 1),
    ]
    assert refined[1].start == text.rindex("Wopke Hoekstra")


def test_no_name_is_added_inside_another_entity_in_a_heading_or_against_the_majority():
    inside = "[Wopke Hoekstra|PER] lanceerde het [Wopke Hoekstra Fonds|ORG]."
    assert found(inside, ("add_missed",)) == [("Wopke Hoekstra", "PER"), ("Wopke Hoekstra Fonds", "ORG")]
    heading = "Het kabinet viel in [Nederland|LOC].\n\nNederland\n\nDe vraag is hoe het verder moet."
    assert found(heading, ("add_missed",)) == [("Nederland", "LOC")]
    majority = "De [Algemene|MISC] vergadering begon. De Algemene wet en de Algemene regels bleven gelden."
    assert found(majority, ("add_missed",)) == [("Algemene", "MISC")]


def test_every_untagged_occurrence_of_a_persons_surname_is_added():
    source = (
        "Raadslid [Murat Memis|PER:0.66] is thuis. [Memis|ORG:0.33] was opgepakt. Memis bedankte de SP. "
        "Memis noemde Turkije een gevangenis. Memis rust uit."
    )
    assert found(source, ("add_missed",)) == [
        ("Murat Memis", "PER"),
        ("Memis", "ORG"),
        ("Memis", "PER"),
        ("Memis", "PER"),
        ("Memis", "PER"),
    ]
    # a name the tagger was unsure of lends no surname; a one-word name is no surname of itself
    assert found("[Murat Memis|PER:0.4] kwam. Memis ging.", ("add_missed",)) == [("Murat Memis", "PER")]


def test_known_organisations_are_added_and_retyped_and_cut_names_made_whole():
    source = "GroenLinks en [Hamas|LOC:0.42] reageerden. Ook 50[Plus|MISC:0.85] en [PKK|MISC:0.78] zijn tegen."
    assert found(source, ("known_organisations",)) == [
        ("GroenLinks", "ORG"),
        ("Hamas", "ORG"),
        ("50Plus", "ORG"),
        ("PKK", "ORG"),
    ]


def test_names_the_corpus_types_one_way_get_that_type_unless_inside_a_longer_name():
    source = "[Philips|PER:0.7] en Shell investeren in Haagse fabrieken. [Philips Wang|PER] niet."
    assert found(source, ("corpus_names",)) == [
        ("Philips", "ORG"),
        ("Shell", "ORG"),
        ("Haagse", "MISC"),
        ("Philips Wang", "PER"),
    ]


def test_countries_and_capitals_are_places_unless_inside_a_longer_name():
    source = "[Iran|ORG:0.6] en Peking spraken. [Shell Nederland|ORG] en [Denzel Washington|PER] niet."
    assert found(source, ("known_places",)) == [
        ("Iran", "LOC"),
        ("Peking", "LOC"),
        ("Shell Nederland", "ORG"),
        ("Denzel Washington", "PER"),
    ]


def test_a_known_organisation_inside_a_longer_name_leaves_that_name_alone():
    source = "[GroenLinks Amsterdam|ORG] won, Volt verloor."
    assert found(source, ("known_organisations",)) == [("GroenLinks Amsterdam", "ORG"), ("Volt", "ORG")]


def test_default_rules_run_together_and_return_entities_in_text_order():
    source = (
        "[Donald Trump|PER] gelooft niet dat [Rusland|LOC] zich mengde. Later sprak [Poetin|PER:0.99] over "
        "[Donald Trump Rusland|ORG:0.56] en de [Verenigde Staten|LOC]. Ook [Poetin|ORG:0.53] zweeg."
    )
    assert found(source) == [
        ("Donald Trump", "PER"),
        ("Rusland", "LOC"),
        ("Poetin", "PER"),
        ("Donald Trump", "PER"),
        ("Rusland", "LOC"),
        ("Verenigde Staten", "LOC"),
        ("Poetin", "PER"),
    ]


def test_the_benchmark_refines_each_conll_document_on_its_own(tmp_path):
    from bench.ner_accuracy import document_sizes, refined_predictions

    conll = tmp_path / "mini.conll"
    conll.write_text(
        "-DOCSTART- -DOCSTART- O\nPoetin N B-PER\nkwam V O\n\nToen Adv O\nsprak V O\nPoetin N B-PER\n\n"
        "-DOCSTART- -DOCSTART- O\n\nPoetin N B-ORG\nbouwt V O\n",
        encoding="utf-8",
    )
    assert document_sizes(conll) == [2, 1]
    tokens = [["Poetin", "kwam"], ["Toen", "sprak", "Poetin"], ["Poetin", "bouwt"]]
    found = [[(0, 1, "PER", 0.99)], [(2, 3, "ORG", 0.5)], [(0, 1, "ORG", 0.6)]]
    refined = refined_predictions(tokens, found, document_sizes(conll), ("retype",))
    assert refined == [{(0, 1, "PER")}, {(2, 3, "PER")}, {(0, 1, "ORG")}]
