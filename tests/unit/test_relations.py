"""Actor-to-actor stance evidence and aggregation (service.relations) on Dutch sentences written for these
tests: actors grouped by the real grouping and resolver, quotes found by the real quote finder."""

from __future__ import annotations

import pytest

from service.actors import Actor, group_actors
from service.models.actor_stance import PairStance
from service.quotes import find_quotes
from service.relations import Evidence, aggregate_relations, select_evidence, target_actor_ids
from service.results import Mention, Quote, Span
from service.text import split_sentences
from tests.unit.marked_text import marked

ALL_TYPES = {"PER", "ORG", "LOC"}


def evidence_of(source: str, source_types: set[str] | None = None) -> tuple[list[Actor], list[Evidence]]:
    """Actors and evidence of a marked text; sources are the actors of ``source_types`` (default PER, ORG)."""
    text, sentences, entities = marked(source)
    actors = group_actors(entities, ALL_TYPES, text, sentences)
    mentions = [(m.start, m.end, actor.id) for actor in actors for m in actor.mentions]
    quotes = find_quotes(text, sentences, mentions)
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


def test_a_subject_acting_on_another_actor_is_clause_evidence_and_not_the_other_way_round():
    actors, found = evidence_of("[Mark Rutte|PER] prijst [Sigrid Kaag|PER] om haar leiderschap.")
    assert pairs(actors, found) == [("Mark Rutte", "Sigrid Kaag", "clause", "Mark Rutte", "Sigrid Kaag")]
    assert found[0].sentence.text == "Mark Rutte prijst Sigrid Kaag om haar leiderschap."


@pytest.mark.parametrize(
    "source",
    [
        "[Donald Trump|PER] en [Vladimir Poetin|PER] doen hun oortjes in.",
        "[Donald Trump|PER], [Vladimir Poetin|PER] en [Emmanuel Macron|PER] poseerden samen.",
        "Het plan van [Mark Rutte|PER] kreeg steun van [Geert Wilders|PER].",
        "© [ANP|ORG] De minister van [Defensie|ORG] zei te zullen kijken naar de klachten.",
    ],
)
def test_enumerations_and_actors_after_a_preposition_give_no_evidence(source):
    actors, found = evidence_of(source)
    assert pairs(actors, found) == []


def test_a_verb_ending_in_aan_links_the_actors():
    actors, found = evidence_of("[China|LOC] en [Rusland|LOC] staan nog steeds achter [Nicolás Maduro|PER].", {"LOC"})
    assert [(s, t) for s, t, *_ in pairs(actors, found)] == [("China", "Nicolás Maduro"), ("Rusland", "Nicolás Maduro")]


def test_a_resolved_pronoun_can_be_the_source():
    actors, found = evidence_of(
        "[Mark Rutte|PER] landde gisteren in Brussel. Hij bekritiseerde [Viktor Orbán|PER] om de nieuwe wet."
    )
    assert pairs(actors, found) == [("Mark Rutte", "Viktor Orbán", "clause", "Hij", "Viktor Orbán")]


def test_countries_are_targets_even_when_only_people_are_sources():
    actors, found = evidence_of("[Donald Trump|PER] waarschuwt [Iran|LOC] voor nieuwe sancties.", {"PER"})
    assert pairs(actors, found) == [("Donald Trump", "Iran", "clause", "Donald Trump", "Iran")]
    actors, found = evidence_of("[Iran|LOC] waarschuwt [Donald Trump|PER] voor nieuwe sancties.", {"PER"})
    assert pairs(actors, found) == []


def test_a_quote_mentioning_the_target_is_evidence_with_the_speaker_marked():
    actors, found = evidence_of("„[Geert Wilders|PER] speelt met vuur”, zei [Mark Rutte|PER] in Den Haag.")
    assert pairs(actors, found) == [("Mark Rutte", "Geert Wilders", "quote", "Mark Rutte", "Geert Wilders")]


def test_a_mention_inside_someone_elses_quote_is_no_clause_evidence():
    actors, found = evidence_of(
        "„[Geert Wilders|PER] verwijt [Sigrid Kaag|PER] van alles”, zei [Mark Rutte|PER] gisteren."
    )
    assert [(s, t, kind) for s, t, kind, _, _ in pairs(actors, found)] == [
        ("Mark Rutte", "Geert Wilders", "quote"),
        ("Mark Rutte", "Sigrid Kaag", "quote"),
    ]


def test_the_speakers_own_ik_marks_the_source_in_a_later_sentence_of_the_quote():
    actors, found = evidence_of(
        "[Mark Rutte|PER] was duidelijk: „Het kabinet gaat door. Ik vertrouw [Geert Wilders|PER] niet meer.”"
    )
    assert pairs(actors, found) == [("Mark Rutte", "Geert Wilders", "quote", "Ik", "Geert Wilders")]


def test_without_the_speakers_words_in_the_sentence_the_model_reads_them_as_a_prefix():
    actors, found = evidence_of(
        "[Mark Rutte|PER] was duidelijk: „Het kabinet gaat door. Over [Geert Wilders|PER] zeg ik niets.”"
    )
    assert pairs(actors, found) == [("Mark Rutte", "Geert Wilders", "quote", "Mark Rutte", "Geert Wilders")]
    [item] = found
    assert item.model_text.startswith("Mark Rutte: ")
    assert item.sentence.text == "Over Geert Wilders zeg ik niets.”"


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
    assert [(e.source, e.target, e.source_span, e.target_span) for e in found] == [(1, 0, (0, 5), (13, 18))]


def test_spans_are_trimmed_to_the_words_the_model_marks():
    text = "Rutte prijst (Kaag) vandaag."
    sentences = split_sentences(text)
    rutte = Actor("PER", [Mention("Rutte", 0, 5, 0, 0.9)])
    kaag = Actor("PER", [Mention("(Kaag)", 13, 19, 0, 0.6)])
    punctuation = Actor("ORG", [Mention(") ", 18, 20, 0, 0.4)])
    found = select_evidence(text, sentences, [rutte, kaag, punctuation], [], {0}, {1, 2})
    assert [(e.target, e.model_text[e.target_span[0] : e.target_span[1]]) for e in found] == [(1, "Kaag")]


def test_the_clause_the_model_reads_stops_at_a_quote_next_to_the_pair():
    _, found = evidence_of(
        '"Hij was erg resoluut", aldus [Donald Trump|PER] die [Vladimir Poetin|PER] lijkt te geloven.'
    )
    [item] = [e for e in found if e.kind == "clause"]
    assert item.model_text == "aldus Donald Trump die Vladimir Poetin lijkt te geloven."
    assert item.sentence.start == 0


def stance(positive: float, negative: float, relation_cue: int = 0) -> PairStance:
    scores = {"positive": positive, "negative": negative, "neutral": round(1 - positive - negative, 6)}
    best = max(scores, key=scores.get)
    return PairStance(best, scores, scores[best], relation_cue)


def evidence(source: int, target: int, start: int, text: str) -> Evidence:
    return Evidence(source, target, "clause", Span(text, start, start + len(text)), 0, text, (0, 1), (2, 3))


def test_aggregation_averages_the_scores_and_shows_the_strongest_evidence_for_the_position():
    actors = [
        Actor("PER", [Mention("Mark Rutte", 0, 10, 0, 0.9)]),
        Actor("PER", [Mention("Sigrid Kaag", 20, 31, 0, 0.9)]),
        Actor("LOC", [Mention("Hongarije", 40, 49, 0, 0.9)]),
    ]
    found = [
        evidence(0, 1, 0, "weak praise"),
        evidence(0, 1, 100, "strong praise"),
        evidence(0, 1, 200, "mild criticism"),
        evidence(0, 2, 300, "no side taken"),
    ]
    verdicts = [stance(0.5, 0.2, 1), stance(0.9, 0.05, 1), stance(0.1, 0.6, -1), stance(0.1, 0.1)]
    by_source = aggregate_relations(found, verdicts, actors)
    assert list(by_source) == [0]
    toward_kaag, toward_hungary = by_source[0]
    assert (toward_kaag.target, toward_kaag.target_name, toward_kaag.topic) == ("per:sigrid-kaag", "Sigrid Kaag", None)
    assert toward_kaag.position == "positive"
    assert toward_kaag.confidence == pytest.approx(0.5)
    assert toward_kaag.scores["negative"] == pytest.approx(0.85 / 3)
    assert (toward_kaag.evidence.text, toward_kaag.mentions) == ("strong praise", 3)
    assert (toward_hungary.target, toward_hungary.position, toward_hungary.mentions) == ("loc:hongarije", "neutral", 1)


def test_evidence_with_a_relation_cue_decides_and_without_one_the_stance_is_neutral():
    actors = [Actor("PER", [Mention("Trump", 0, 5, 0, 0.9)]), Actor("LOC", [Mention("Iran", 20, 24, 0, 0.9)])]
    found = [evidence(0, 1, 0, "legt Iran sancties op"), evidence(0, 1, 100, "quote about Iran's leader")]
    verdicts = [stance(0.2, 0.7, relation_cue=-1), stance(0.8, 0.1)]
    [toward_iran] = aggregate_relations(found, verdicts, actors)[0]
    assert (toward_iran.position, toward_iran.confidence) == ("negative", pytest.approx(0.7))
    assert (toward_iran.evidence.text, toward_iran.mentions) == ("legt Iran sancties op", 2)
    without_cue = aggregate_relations(found, [stance(0.2, 0.7), stance(0.8, 0.1)], actors)[0][0]
    assert (without_cue.position, without_cue.scores["positive"]) == ("neutral", pytest.approx(0.5))


def test_aggregation_needs_one_verdict_per_piece_of_evidence():
    actors = [Actor("PER", [Mention("A", 0, 1, 0, 0.9)]), Actor("PER", [Mention("B", 2, 3, 0, 0.9)])]
    with pytest.raises(ValueError):
        aggregate_relations([evidence(0, 1, 0, "x")], [], actors)


def test_an_indirect_quote_does_not_hide_an_act_reported_in_it():
    source = "Een woordvoerder zei gisteren dat [Duitsland|LOC] opnieuw steun geeft aan [Juan Guaidó|PER]."
    text, sentences, entities = marked(source)
    actors = group_actors(entities, ALL_TYPES, text, sentences)
    mentions = [(m.start, m.end, actor.id) for actor in actors for m in actor.mentions]
    [quote] = find_quotes(text, sentences, mentions)
    assert quote.kind == "indirect" and quote.start <= text.index("Duitsland")
    actors, found = evidence_of(source, ALL_TYPES)
    assert pairs(actors, found) == [("Duitsland", "Juan Guaidó", "clause", "Duitsland", "Juan Guaidó")]


def test_a_direct_quote_still_hides_the_actors_inside_it_from_the_clause_rule():
    actors, found = evidence_of("„[Duitsland|LOC] zal [Juan Guaidó|PER] steunen”, zei [Heiko Maas|PER].", ALL_TYPES)
    assert [(s, t, kind) for s, t, kind, _, _ in pairs(actors, found)] == [
        ("Heiko Maas", "Duitsland", "quote"),
        ("Heiko Maas", "Juan Guaidó", "quote"),
    ]


def test_the_giver_of_what_a_receiving_verb_gets_is_the_source():
    actors, found = evidence_of(
        "Zelf geniet [Nicolás Maduro|PER] nog steeds de steun van [Cuba|LOC] en [Rusland|LOC].", {"LOC"}
    )
    assert pairs(actors, found) == [
        ("Cuba", "Nicolás Maduro", "clause", "Cuba", "Nicolás Maduro"),
        ("Rusland", "Nicolás Maduro", "clause", "Rusland", "Nicolás Maduro"),
    ]


def test_an_actor_after_van_without_a_receiving_verb_is_no_source():
    actors, found = evidence_of("[Nicolás Maduro|PER] sprak over de steun van [Rusland|LOC].", {"LOC"})
    assert pairs(actors, found) == []


def colon_quote_evidence(text: str) -> list[tuple[int, int, str, str]]:
    """Evidence of Trump (0) toward the EU (2) and Twitter (1, only ever the channel: "via Twitter") in ``text``,
    given one direct quote (from the first „ on) whose speaker the quote finder did not find, as in a header
    glued to the sentence."""
    sentences = split_sentences(text)

    def actor(kind: str, name: str) -> Actor:
        start = text.index(name)
        return Actor(kind, [Mention(name, start, start + len(name), 0 if start < text.index(".") else 1, 0.9)])

    actors = [actor("PER", "Donald Trump"), actor("ORG", "Twitter"), actor("ORG", "Europese Unie")]
    start = text.index("„") + 1
    end = text.index("”")
    quote = Quote(text[start:end], start, end, "direct", sentences=(len(sentences) - 1,))
    found = select_evidence(text, sentences, actors, [quote], {0}, {1, 2})
    return [(e.source, e.target, e.kind, e.model_text[e.source_span[0] : e.source_span[1]]) for e in found]


def test_an_unattributed_quote_after_a_colon_is_the_introducing_actors():
    text = "Donald Trump liet er via Twitter geen twijfel over bestaan: „De Europese Unie heeft geprofiteerd.”"
    assert colon_quote_evidence(text) == [(0, 2, "quote", "Donald Trump")]


def test_an_unattributed_quote_without_a_colon_gets_no_speaker():
    text = "Donald Trump schreef via Twitter. „De Europese Unie heeft geprofiteerd.”"
    assert colon_quote_evidence(text) == []


def test_a_demonstrative_carries_the_subjects_act_into_the_next_sentence():
    actors, found = evidence_of(
        "[Donald Trump|PER] heeft [Iran|LOC] nieuwe sancties opgelegd. Die zijn gericht tegen [Ali Khamenei|PER].",
        ALL_TYPES,
    )
    assert ("Donald Trump", "Ali Khamenei", "clause", "Donald Trump", "Ali Khamenei") in pairs(actors, found)
    assert not [p for p in pairs(actors, found) if p[:2] == ("Iran", "Ali Khamenei")]
    [item] = [e for e in found if actors[e.target].name == "Ali Khamenei"]
    assert item.sentence.text.endswith("Die zijn gericht tegen Ali Khamenei.")


def test_without_a_demonstrative_the_next_sentence_is_no_evidence():
    actors, found = evidence_of(
        "[Donald Trump|PER] heeft [Iran|LOC] nieuwe sancties opgelegd. [Ali Khamenei|PER] reageerde boos.",
        ALL_TYPES,
    )
    assert [(s, t) for s, t, *_ in pairs(actors, found)] == [("Donald Trump", "Iran")]


def test_a_plural_pronoun_opening_the_next_sentence_carries_an_acting_enumeration():
    actors, found = evidence_of(
        "De [Verenigde Staten|LOC] en [Nederland|LOC] erkennen [Nicolás Maduro|PER] niet meer. "
        "Zij hebben hun steun uitgesproken aan [Juan Guaidó|PER].",
        {"LOC"},
    )
    toward_guaido = [(s, t, kind, src) for s, t, kind, src, _ in pairs(actors, found) if t == "Juan Guaidó"]
    assert toward_guaido == [
        ("Verenigde Staten", "Juan Guaidó", "clause", "Verenigde Staten"),
        ("Nederland", "Juan Guaidó", "clause", "Nederland"),
    ]


def test_a_plural_pronoun_does_not_pick_up_a_single_actor():
    actors, found = evidence_of(
        "[Nederland|LOC] erkent [Nicolás Maduro|PER] niet meer. Zij hebben hun steun uitgesproken aan "
        "[Juan Guaidó|PER].",
        {"LOC"},
    )
    assert [(s, t) for s, t, *_ in pairs(actors, found)] == [("Nederland", "Nicolás Maduro")]


@pytest.mark.parametrize("cue", ["aldus", "zei", "volgens"])
def test_the_speaker_named_by_an_attribution_is_no_target_of_the_clause(cue):
    actors, found = evidence_of(
        f"Het conflict in Syrië, waar [Bashar al-Assad|PER] aan de winnende hand is, was complex, {cue} "
        "[Donald Trump|PER]."
    )
    assert ("Bashar al-Assad", "Donald Trump") not in [(s, t) for s, t, *_ in pairs(actors, found)]


def test_a_target_after_a_speech_verb_that_is_not_its_speaker_still_counts():
    actors, found = evidence_of("[Mark Rutte|PER] zegt dat hij [Viktor Orbán|PER] niet vertrouwt.")
    assert ("Mark Rutte", "Viktor Orbán") in [(s, t) for s, t, *_ in pairs(actors, found)]


def test_an_actor_after_a_preposition_and_an_article_is_no_source():
    actors, found = evidence_of("Het overleg over de toekomst van de [Krim|LOC] bracht [Oekraïne|LOC] weinig.", {"LOC"})
    assert pairs(actors, found) == []


def test_a_preposition_ending_the_previous_sentence_does_not_stop_the_next_sentences_subject():
    actors, found = evidence_of(
        "[Trump|PER] legde [Iran|LOC] zware sancties op.\n[Iran|LOC] heeft geweigerd met de [VS|LOC] te praten.",
        {"LOC"},
    )
    assert ("Iran", "VS") in [(s, t) for s, t, *_ in pairs(actors, found)]


def test_a_strong_past_tense_verb_links_the_actors():
    actors, found = evidence_of("[Ecuador|LOC] trok donderdag het asiel van [Julian Assange|PER] in.", {"LOC"})
    assert [(s, t) for s, t, *_ in pairs(actors, found)] == [("Ecuador", "Julian Assange")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "[Hanssen|PER] is door de [Universiteit Utrecht|ORG] op non-actief gezet.",
            [("Universiteit Utrecht", "Hanssen", "clause", "Universiteit Utrecht", "Hanssen")],
        ),
        (
            "Gisteren werd [Jansen|PER] door [Rutte|PER] en [Kaag|PER] ontslagen.",
            [("Rutte", "Jansen", "clause", "Rutte", "Jansen"), ("Kaag", "Jansen", "clause", "Kaag", "Jansen")],
        ),
    ],
)
def test_the_agent_of_a_passive_clause_is_the_source(source, expected):
    actors, found = evidence_of(source)
    assert pairs(actors, found) == expected


@pytest.mark.parametrize(
    "source",
    [
        # "door" without a passive auxiliary: a cause or a route, not an agent
        "[Jansen|PER] reisde door [Duitsland|LOC] naar huis.",
        # the passive clause ends at the comma: the agent acts on something else
        "[Jansen|PER] was er niet, door [Rutte|PER] werd het plan gesteund.",
        # the actor after "door" is inside a phrase of another noun
        "[Jansen|PER] werd door de minister van [Defensie|ORG] gebeld.",
    ],
)
def test_door_without_a_passive_agent_gives_no_evidence(source):
    actors, found = evidence_of(source)
    assert [(actors[e.source].name, actors[e.target].name) for e in found if e.target == 0] == []


def test_a_spokespersons_quote_is_evidence_of_whom_they_speak_for():
    actors, found = evidence_of(
        "„Sir [Kim|PER] kan rekenen op de volledige steun van de premier”, zei de woordvoerder van premier "
        "[Theresa May|PER]."
    )
    assert pairs(actors, found) == [("Theresa May", "Kim", "quote", "de woordvoerder van premier Theresa May", "Kim")]


def test_a_spokesperson_of_someone_far_after_van_is_no_principal():
    actors, found = evidence_of(
        "„[Shell|ORG] moet stoppen”, zei een woordvoerder van de grote milieuorganisatie in de buurt van [Rutte|PER]."
    )
    assert pairs(actors, found) == []


def test_a_receiving_participle_at_the_end_of_the_clause_makes_the_giver_the_source():
    actors, found = evidence_of("[AB Inbev|ORG] heeft van de [Europese Unie|ORG] een boete gekregen, meldt de krant.")
    assert pairs(actors, found) == [("Europese Unie", "AB Inbev", "clause", "Europese Unie", "AB Inbev")]


def test_coordinated_subjects_of_a_reciprocal_clause_act_on_each_other():
    actors, found = evidence_of(
        "Voorzitter [Leonardo Del Vecchio|PER], tevens oprichter van [Luxottica|ORG], en topman [Hubert Sagnières|PER]"
        " beschuldigden elkaar van machtsmisbruik."
    )
    people = {(actors[e.source].name, actors[e.target].name) for e in found if actors[e.target].type == "PER"}
    assert people == {("Leonardo Del Vecchio", "Hubert Sagnières"), ("Hubert Sagnières", "Leonardo Del Vecchio")}
    actors, found = evidence_of("[Rutte|PER] en [Kaag|PER] spraken over de begroting.")
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "[Max Verstappen|PER] rijdt in [China|LOC] met zijn vertrouwde helm.",
        "[Saudi-Arabië|LOC] is betrokken bij het conflict in [Jemen|LOC].",
        "[Trump|PER] liet via [Twitter|ORG] weten dat hij boos is.",
        "[Rutte|PER] erkent hem als het staatshoofd van [Venezuela|LOC].",
        "[Rutte|PER] bekritiseert de dochter van Huawei-oprichter [Ren Zhengfei|PER].",
        "[Poetin|PER] kijkt naar de beschuldiging van hacken van [Trumps|PER] tegenstanders.",
    ],
)
def test_a_place_channel_or_whose_relative_or_office_holder_is_no_target(source):
    actors, found = evidence_of(source, ALL_TYPES)
    assert pairs(actors, found) == []


def test_trust_in_an_actor_still_names_the_target():
    actors, found = evidence_of("[Rutte|PER] heeft vertrouwen in [Kaag|PER].")
    assert pairs(actors, found) == [("Rutte", "Kaag", "clause", "Rutte", "Kaag")]


def test_a_medium_after_a_preposition_is_no_source():
    actors, found = evidence_of(
        "In gesprek met het Duitse weekblad [Der Spiegel|ORG] roept [Guaidó|PER] [Europa|LOC] op tot sancties.",
        ALL_TYPES,
    )
    assert "Der Spiegel" not in {actors[e.source].name for e in found}


@pytest.mark.parametrize(
    "source",
    [
        "[Rutte|PER] zei tegen de [NOS|ORG] dat hij boos is.",
        "[Rutte|PER] is boos, zei hij tegen de [NOS|ORG].",
        "[Thompson|PER] beschreef het tegenover persbureau [Reuters|ORG] als een ramp.",
    ],
)
def test_whom_something_is_told_to_is_no_target(source):
    actors, found = evidence_of(source)
    assert pairs(actors, found) == []


def test_an_actor_fought_against_is_still_a_target():
    actors, found = evidence_of("[Rutte|PER] vocht tegen de [PVV|ORG].")
    assert pairs(actors, found) == [("Rutte", "PVV", "clause", "Rutte", "PVV")]


def test_an_organisation_reporting_the_news_is_no_quote_source():
    actors, found = evidence_of("[Huawei|ORG] bereidt een aanklacht voor tegen de [VS|LOC], meldt [Reuters|ORG].")
    assert ("Reuters", "VS") not in {(actors[e.source].name, actors[e.target].name) for e in found}
    actors, found = evidence_of("[Huawei|ORG] heeft de [VS|LOC] bedrogen, zegt [Google|ORG].")
    assert ("Google", "VS") in {(actors[e.source].name, actors[e.target].name) for e in found}


@pytest.mark.parametrize(
    "source",
    [
        "De Amerikaanse president [Trump|PER] steunt de [Verenigde Staten|LOC] volledig.",
        "[Teheran|LOC] dreigt [Iran|LOC] te verlaten.",
    ],
)
def test_a_country_and_its_capital_or_its_own_people_are_one_side(source):
    actors, found = evidence_of(source, ALL_TYPES)
    assert pairs(actors, found) == []


def test_two_people_of_one_country_still_take_stances():
    actors, found = evidence_of(
        "De Amerikaanse president [Trump|PER] bekritiseert de Amerikaanse senator [Clinton|PER]."
    )
    assert pairs(actors, found) == [("Trump", "Clinton", "clause", "Trump", "Clinton")]


def test_an_actor_after_a_preposition_is_the_subject_of_its_relative_clause():
    actors, found = evidence_of(
        "De races zijn te zien bij de [NOS|ORG], dat de samenwerking met de [ISU|ORG] verlengde."
    )
    assert pairs(actors, found) == [("NOS", "ISU", "clause", "NOS", "ISU")]
