from service.actors import group_actors, salience
from service.models.ner import Entity


def mention(text: str, start: int, kind: str = "PER") -> Entity:
    return Entity(text, kind, start, start + len(text), 0.9, 0)


def names(actors):
    return {actor.name: sorted(m.text for m in actor.mentions) for actor in actors}


def test_full_name_surname_and_possessive_are_one_actor():
    actors = group_actors(
        [mention("Trump", 0), mention("Donald Trump", 10), mention("Trumps", 30), mention("trump", 40)], {"PER"}
    )
    assert names(actors) == {"Donald Trump": ["Donald Trump", "Trump", "Trumps", "trump"]}
    assert actors[0].id == "per:donald-trump"


def test_multiword_surname_joins_the_full_name():
    actors = group_actors([mention("Alexander Van der Bellen", 0), mention("Van der Bellen", 40)], {"PER"})
    assert names(actors) == {"Alexander Van der Bellen": ["Alexander Van der Bellen", "Van der Bellen"]}


def test_shared_surname_without_evidence_is_not_merged():
    actors = group_actors(
        [mention("Donald Trump", 0), mention("Ivanka Trump", 20), mention("Trump", 40), mention("Trump", 60)], {"PER"}
    )
    assert names(actors) == {
        "Donald Trump": ["Donald Trump"],
        "Ivanka Trump": ["Ivanka Trump"],
        "Trump": ["Trump", "Trump"],
    }


def test_different_people_with_different_names_stay_apart():
    actors = group_actors([mention("Vladimir Poetin", 0), mention("Poetin", 30), mention("Rutte", 50)], {"PER"})
    assert names(actors) == {"Vladimir Poetin": ["Poetin", "Vladimir Poetin"], "Rutte": ["Rutte"]}


def test_organisations_group_by_text_and_possessive_and_types_are_filtered():
    entities = [mention("NAVO", 0, "ORG"), mention("NAVO's", 10, "ORG"), mention("Helsinki", 20, "LOC")]
    assert names(group_actors(entities, {"ORG"})) == {"NAVO": ["NAVO", "NAVO's"]}
    assert names(group_actors(entities, {"ORG", "LOC"})) == {"NAVO": ["NAVO", "NAVO's"], "Helsinki": ["Helsinki"]}


def test_an_organisation_ending_in_s_is_not_stripped_without_its_plain_form():
    assert names(group_actors([mention("Philips", 0, "ORG")], {"ORG"})) == {"Philips": ["Philips"]}


def test_actors_are_ordered_by_first_mention_and_salience_sums_to_one():
    actors = group_actors([mention("Rutte", 50), mention("Poetin", 5), mention("Poetin", 70)], {"PER"})
    assert [a.name for a in actors] == ["Poetin", "Rutte"]
    weights = salience(actors)
    assert weights == {0: round(2 / 3, 4), 1: round(1 / 3, 4)}


def test_a_lone_first_name_joins_its_only_full_name_but_not_an_ambiguous_one():
    actors = group_actors([mention("Ivanka Trump", 0), mention("Ivanka", 20), mention("Mark Rutte", 40)], {"PER"})
    assert names(actors) == {"Ivanka Trump": ["Ivanka", "Ivanka Trump"], "Mark Rutte": ["Mark Rutte"]}
    ambiguous = group_actors([mention("Mark Rutte", 0), mention("Mark Harbers", 20), mention("Mark", 40)], {"PER"})
    assert names(ambiguous)["Mark"] == ["Mark"]
