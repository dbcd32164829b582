"""Document-level repairs of tagger output (service.entities) on Dutch sentences with marked entities."""

from service.entities import refine_entities
from tests.unit.marked_text import marked


def found(source: str, rules: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    text, sentences, entities = marked(source)
    refined = refine_entities(entities, text, sentences, rules)
    for entity in refined:
        assert text[entity.start : entity.end] == entity.text
    return [(entity.text, entity.type) for entity in refined]


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


def test_corpus_names_add_untagged_names_and_make_cut_names_whole():
    source = "GroenLinks reageerde. Ook 50[Plus|MISC:0.85] is tegen."
    assert found(source, ("corpus_names",)) == [("GroenLinks", "ORG"), ("50Plus", "ORG")]


def test_names_the_corpus_types_one_way_get_that_type_unless_inside_a_longer_name():
    source = (
        "[Philips|PER:0.7] en Shell investeren in Haagse fabrieken. "
        "[Philips Wang|PER] en [GroenLinks Amsterdam|ORG] niet."
    )
    assert found(source, ("corpus_names",)) == [
        ("Philips", "ORG"),
        ("Shell", "ORG"),
        ("Haagse", "MISC"),
        ("Philips Wang", "PER"),
        ("GroenLinks Amsterdam", "ORG"),
    ]


def test_countries_and_capitals_are_places_unless_inside_a_longer_name():
    source = "[Iran|ORG:0.6] en Peking spraken. [Shell Nederland|ORG] en [Denzel Washington|PER] niet."
    assert found(source, ("known_places",)) == [
        ("Iran", "LOC"),
        ("Peking", "LOC"),
        ("Shell Nederland", "ORG"),
        ("Denzel Washington", "PER"),
    ]


def test_default_rules_run_together_and_return_entities_in_text_order():
    source = (
        "[Donald Trump|PER] gelooft niet dat [Rusland|LOC] zich mengde. Later sprak [Poetin|PER:0.99] met Philips "
        "over de [Verenigde Staten|LOC]. Ook [Poetin|ORG:0.53] zweeg, net als Donald Trump in Peking."
    )
    assert found(source) == [
        ("Donald Trump", "PER"),
        ("Rusland", "LOC"),
        ("Poetin", "PER"),
        ("Philips", "ORG"),
        ("Verenigde Staten", "LOC"),
        ("Poetin", "PER"),
        ("Donald Trump", "PER"),
        ("Peking", "LOC"),
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
