"""Pronouns and descriptions resolved to actors (service.coref through group_actors), on Dutch sentences
written for these tests, with the names marked as a tagger would have found them."""

import pytest

from service.actors import group_actors
from tests.unit.marked_text import marked


def references(source: str) -> dict[str, list[tuple[str, str]]]:
    """Per actor name, its pronoun and description mentions as (kind, text), in text order."""
    text, sentences, entities = marked(source)
    actors = group_actors(entities, {"PER", "ORG"}, text, sentences)
    found = {}
    for actor in actors:
        for mention in actor.mentions:
            assert text[mention.start : mention.end] == mention.text
            assert sentences[mention.sentence].start <= mention.start < sentences[mention.sentence].end
        found[actor.name] = [(m.kind, m.text) for m in actor.mentions if m.kind != "name"]
    return found


def test_he_resolves_to_the_only_person_of_the_previous_sentence():
    assert references("[Mark Rutte|PER] kwam te laat. Hij gaf de trein de schuld.") == {
        "Mark Rutte": [("pronoun", "Hij")]
    }


def test_he_stays_unresolved_between_two_people():
    assert references("[Rutte|PER] sprak met [Wilders|PER]. Hij was boos.") == {"Rutte": [], "Wilders": []}


def test_he_does_not_refer_to_a_person_named_later_in_its_own_sentence():
    assert references("[Rutte|PER] sprak met de pers. Hij had erover gehoord van [Wilders|PER].") == {
        "Rutte": [("pronoun", "Hij")],
        "Wilders": [],
    }


def test_a_pronoun_never_reaches_back_past_the_previous_sentence():
    source = "[Rutte|PER] sprak met de pers.\n\nHet regende die dag. Hij bleef binnen."
    assert references(source) == {"Rutte": []}


def test_possessive_object_and_genitive_pronouns_resolve_but_verb_zijn_does_not():
    source = (
        "[Rutte|PER] zei dat z'n kabinet doorgaat. Diens woorden vielen goed. De pers vroeg hem niets over zijn "
        "plannen. Dit zijn de plannen. Zijn ze klaar? Of zullen ze niet zijn ingediend? Blijkbaar zijn nieuwe "
        "plannen nodig."
    )
    assert references(source) == {
        "Rutte": [("pronoun", "z'n"), ("pronoun", "Diens"), ("pronoun", "hem"), ("pronoun", "zijn")]
    }
    follow_up = "[Ghosn|PER] zit vast. Nu er klachten tegen hem zijn ingediend, zwijgt hij."
    assert references(follow_up) == {"Ghosn": [("pronoun", "hem"), ("pronoun", "hij")]}


def test_a_pronoun_does_not_refer_forward_to_a_name_later_in_its_sentence():
    source = (
        "[Guaidó|PER] landde. Met zijn aankomst plaatste de oppositieleider president [Maduro|PER] voor een dilemma."
    )
    assert references(source)["Maduro"] == []


def test_a_pronoun_inside_a_direct_quote_stays_unresolved():
    source = "[Maduro|PER] sprak op tv. „Hij kan niet komen en gaan”, waarschuwde hij. ,,Zijn paspoort is ongeldig.''"
    assert references(source) == {"Maduro": [("pronoun", "hij")]}


@pytest.mark.parametrize("opening, closing", [("'", "'"), ("‘", "’"), ("«", "»"), ('"', '"'), ("“", "”")])
def test_every_quote_style_keeps_its_pronouns_to_the_speaker(opening, closing):
    source = f"[Maduro|PER] sprak op tv. {opening}Hij kan niet komen en gaan{closing}, waarschuwde hij."
    assert references(source) == {"Maduro": [("pronoun", "hij")]}


def test_zijn_after_a_coordinated_subject_is_the_verb():
    source = "[Rutte|PER] sprak lang. [Nederland|LOC] en de [Verenigde Staten|LOC] zijn bondgenoten."
    assert references(source) == {"Rutte": []}


def test_she_needs_an_actor_the_article_marks_as_a_woman():
    assert references("[Sigrid Kaag|PER] sprak. Zij waren kritisch.") == {"Sigrid Kaag": []}
    assert references("Woordvoerster [Sigrid Kaag|PER] sprak. Zij was kritisch. Ze vond haar plan beter.") == {
        "Sigrid Kaag": [("pronoun", "Zij"), ("pronoun", "Ze"), ("pronoun", "haar")]
    }
    assert references("Mevrouw [Kaag|PER] sprak. Zij was kritisch.") == {"Kaag": [("pronoun", "Zij")]}
    plural = "Mevrouw [May|PER] sprak met de rebellen. Zij willen een deal. Toch stappen ze op."
    assert references(plural) == {"May": []}


def test_her_never_refers_to_a_person_called_he():
    assert references("[Hoekstra|PER] sprak. Hij vond haar plan slecht.") == {"Hoekstra": [("pronoun", "Hij")]}


def test_plural_pronouns_and_she_after_two_coordinated_actors_stay_unresolved():
    assert references("De [VVD|ORG] presenteerde het programma. Hun lijsttrekker is bekend.") == {"VVD": []}
    assert references("[Trump|PER] en [Poetin|PER] doen hun oortjes in.") == {"Trump": [], "Poetin": []}
    coordinated = "Mevrouw [May|PER] en [Juncker|PER] spraken. Ze waren het eens."
    assert references(coordinated) == {"May": [], "Juncker": []}


def test_an_identifying_modifier_taught_by_an_apposition_resolves_a_description_anywhere():
    source = "De Russische president [Poetin|PER] kwam aan. [Trump|PER] wachtte. De Russische leider was laat."
    assert references(source) == {"Poetin": [("nominal", "De Russische leider")], "Trump": []}
    after_the_name = (
        "[Poetin|PER], de Russische president, kwam aan. [Trump|PER] wachtte. De Russische leider was laat."
    )
    assert references(after_the_name) == {"Poetin": [("nominal", "De Russische leider")], "Trump": []}


def test_a_description_resolves_to_the_nearby_person_but_not_to_one_taught_otherwise():
    source = (
        "[Trump|PER] gelooft het niet. ,,Wij praten”, aldus de Amerikaanse president. "
        "Later sprak de Russische president [Poetin|PER]."
    )
    assert references(source) == {"Trump": [("nominal", "de Amerikaanse president")], "Poetin": []}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Premier [Rutte|PER] opende het debat. Er volgde een lange stilte. Toen sprak de premier opnieuw.",
            {"Rutte": [("nominal", "de premier")]},
        ),
        (
            "VVD-leider [Rutte|PER] sprak. Later zei de VVD-leider meer.",
            {"Rutte": [("nominal", "de VVD-leider")]},
        ),
        ("[Rutte|PER] (48) sprak. Later zei de 48-jarige meer.", {"Rutte": [("nominal", "de 48-jarige")]}),
        (
            "De 48-jarige [Rutte|PER] sprak. [Jansen|PER] luisterde. De 48-jarige zweeg daarna.",
            {"Rutte": [("nominal", "De 48-jarige")], "Jansen": []},
        ),
        ("[Jansen|PER] kwam. De minister was er niet.", {"Jansen": [("nominal", "De minister")]}),
    ],
)
def test_learned_roles_ages_and_the_role_list_resolve_descriptions(source, expected):
    assert references(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # the role is Rutte's, but another person stands between: no guess
        "Premier [Rutte|PER] opende het debat. [Wilders|PER] viel aan. De premier reageerde.",
        # a role of something else, in the same clause as the subject
        "[Rutte|PER] sprak met de minister van Financiën.",
        # nobody nearby
        "[Rutte|PER] sprak.\n\nHet weer was slecht. De minister was er niet.",
        # a different age than the one the article taught
        "De 48-jarige [Rutte|PER] sprak. Later zweeg de 50-jarige.",
    ],
)
def test_descriptions_the_article_does_not_settle_stay_unresolved(source):
    assert all(not found for found in references(source).values())


def test_an_apposition_is_not_counted_again_as_a_description():
    assert references("De Russische president [Poetin|PER] kwam aan.") == {"Poetin": []}


def test_long_texts_resolve_in_one_pass_and_crowds_of_names_leave_pronouns_alone():
    repeated = references("[Rutte|PER] zei iets. Hij ging weg. " * 2_000)
    assert repeated["Rutte"] == [("pronoun", "Hij")] * 2_000
    crowd = " ".join(f"[Naam{i}|PER] en" for i in range(500)) + " hij zwegen."
    assert all(not found for found in references(crowd).values())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "PVV-Kamerlid [Markuszower|PER] is boos. [Dekker|PER] zweeg. De PVV’er stelt dat het zo niet kan.",
            {"Markuszower": [("nominal", "De PVV’er")], "Dekker": []},
        ),
        (
            "Kamerlid [Agema|PER] (PVV) en [Jansen|PER] (VVD) debatteerden. Later zei de VVD'er meer.",
            {"Agema": [], "Jansen": [("nominal", "de VVD'er")]},
        ),
    ],
)
def test_a_party_member_resolves_to_the_person_the_article_placed_in_that_party(source, expected):
    assert references(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "[Shell|ORG] maakte winst. Het bedrijf wil meer.",
            {"Shell": [("nominal", "Het bedrijf")]},
        ),
        (
            "[Rutte|PER] sprak met [GroenLinks|ORG]. De oppositiepartij wil meer.",
            {"Rutte": [], "GroenLinks": [("nominal", "De oppositiepartij")]},
        ),
        (
            "[Iran|LOC] zegt dat het akkoord dood is. Het land wil sancties weg.",
            {"Iran": [("nominal", "Het land")]},
        ),
    ],
)
def test_a_noun_for_an_organisation_or_place_resolves_to_the_one_of_its_type_nearby(source, expected):
    text, sentences, entities = marked(source)
    actors = group_actors(entities, {"PER", "ORG", "LOC"}, text, sentences)
    assert {a.name: [(m.kind, m.text) for m in a.mentions if m.kind != "name"] for a in actors} == expected


@pytest.mark.parametrize(
    "source",
    [
        # two organisations nearby: no guess
        "[Shell|ORG] en [BP|ORG] maakten winst. Het bedrijf wil meer.",
        # a name or "van" after the noun: an apposition or another organisation
        "[Shell|ORG] maakte winst. Het bedrijf [BP|ORG] niet. De partij van [Wilders|PER] groeit.",
        # the organisation named in the noun's own sentence is not what the noun picks up
        "[Shell|ORG] zegt dat het bedrijf groeit.",
        # a parent company and a neighbouring country are other actors
        "[Shell|ORG] groeit. Het moederbedrijf niet. [Iran|LOC] protesteert. Het buurland ook.",
        # nobody nearby
        "[Shell|ORG] groeit.\n\nHet weer was slecht. Het bedrijf sloot.",
    ],
)
def test_nouns_for_organisations_the_article_does_not_settle_stay_unresolved(source):
    text, sentences, entities = marked(source)
    actors = group_actors(entities, {"PER", "ORG", "LOC"}, text, sentences)
    assert all(m.kind == "name" for actor in actors for m in actor.mentions)


def test_she_before_a_singular_verb_is_the_one_person_nearby_not_marked_as_a_man():
    assert references("[Sigrid Kaag|PER] sprak. Ze laat weten dat het plan goed is.") == {
        "Sigrid Kaag": [("pronoun", "Ze")]
    }
    assert references("[Van Ark|PER] kwam. Zij bedankte iedereen.") == {"Van Ark": [("pronoun", "Zij")]}
    # two people nearby, a man, or a plural verb: no guess
    assert references("[Kaag|PER] sprak met [Rutte|PER]. Ze laat weten dat het goed is.") == {"Kaag": [], "Rutte": []}
    assert references("[Rutte|PER] sprak. Hij was moe. Ze laat weten dat het goed is.") == {
        "Rutte": [("pronoun", "Hij")]
    }
    assert references("[Kaag|PER] sprak. Ze lieten weten dat het goed is.") == {"Kaag": []}


def test_a_role_the_tagger_took_into_the_name_still_teaches_the_description():
    source = "[PVV-Kamerlid Markuszower|PER] is boos. [Dekker|PER] zweeg. De PVV’er stelt dat het zo niet kan."
    assert references(source) == {"PVV-Kamerlid Markuszower": [("nominal", "De PVV’er")], "Dekker": []}
    tagged = "[PVV-Kamerlid Markuszower|PER] is boos. De [PVV’er|MISC] stelt dat het zo niet kan."
    assert references(tagged) == {"PVV-Kamerlid Markuszower": [("nominal", "De PVV’er")]}


def test_she_right_after_a_singular_verb_is_the_subject_unless_a_person_comes_first():
    assert references("Minister [Van Ark|PER] kwam. Op bezoek in Leiden prees ze het werk.") == {
        "Van Ark": [("pronoun", "ze")]
    }
    assert references("[Kaag|PER] sprak. [Rutte|PER] prees ze allemaal.") == {"Kaag": [], "Rutte": []}
    assert references("[Kaag|PER] sprak. Het bedrijf stopt omdat ze niets verdienen.") == {"Kaag": []}
