"""Corpus windows for the issue-stance model: the service's windows around gold mentions, labelled by sentence."""

from corpus.store import Article
from training.stance_corpus_data import mention_windows, stance_units

TEXT = "Rutte wil minder asielzoekers. Het weer was mooi. Hij sprak ook met Kaag. Kaag wil meer klimaatbeleid."


def _article() -> Article:
    rutte, kaag = TEXT.index("Rutte"), TEXT.index("Kaag")
    second_kaag = TEXT.index("Kaag", kaag + 1)
    hij = TEXT.index("Hij")
    record = {
        "id": "doc1",
        "entities": [[rutte, rutte + 5, "PER"], [kaag, kaag + 4, "PER"], [second_kaag, second_kaag + 4, "PER"]],
        "actors": [
            {"id": 1, "type": "PER", "mentions": [[rutte, rutte + 5], [hij, hij + 3]]},
            {"id": 2, "type": "PER", "mentions": [[kaag, kaag + 4], [second_kaag, second_kaag + 4]]},
        ],
        "issue_positions": [
            {"actor": 1, "topic": "Immigration", "position": "negative", "evidence": [0, 30]},
            {"actor": 2, "topic": "Environment", "position": "positive", "evidence": [second_kaag, len(TEXT)]},
            {"actor": 2, "topic": "EU", "position": "neutral", "evidence": [second_kaag, len(TEXT)]},
        ],
    }
    return Article(record, TEXT)


def test_name_windows_carry_the_units_of_their_actor_in_their_sentence():
    windows = mention_windows(_article())
    assert [(w.actor, w.labels) for w in windows] == [
        (1, {"immigration": "negative"}),
        (2, {}),
        (2, {"environment": "positive", "eu": "neutral"}),
    ]
    assert windows[0].window.startswith("**Rutte** wil minder asielzoekers.")
    assert "**Kaag** wil meer klimaatbeleid." in windows[2].window


def test_pronoun_windows_only_when_asked_and_units_one_per_window_and_topic():
    assert [w.kind for w in mention_windows(_article(), ("name", "other"))] == ["name", "other", "name", "name"]
    units = stance_units(mention_windows(_article()))
    assert [(u.topic, u.position, u.agreement) for u in units] == [
        ("immigration", "negative", 1.0),
        ("environment", "positive", 1.0),
        ("eu", "neutral", 1.0),
    ]
