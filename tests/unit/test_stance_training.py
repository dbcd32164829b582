"""The stance training side: the NET issue-category → codebook mapping, NET units with the actor marked, and a
tiny end-to-end training run whose model the service loads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from service.models.stance import load_stance_model
from tests.helpers import SHARED_DATA
from training import stance
from training.net2021 import NameCategories
from training.net2021_issues import (
    CODEBOOK_TOPICS,
    ISSUE_TOPICS,
    IssueStatement,
    infrastructure_pole,
    issue_units,
    marked_sentence,
    statement_topic_position,
    stratified_article_split,
)
from training.stance_data import TOPICS, Unit, split_units

TOPICS_YML = SHARED_DATA / "issuepositions" / "topics.yml"
NET_COLUMNS = ("doc_id", "sentence", "type", "src", "subject", "object", "dir", "issue2", "issue", "txt")
UNIT_TOPICS = ("Immigration", "CivilRights", "Environment", "Economic", "Agriculture", "Education")
UNIT_WORDS = ("asielzoekers", "homorechten", "klimaat", "pensioenen", "boeren", "onderwijs")
NET_ISSUES = (
    ("geZorg", "{[zorg]}"),
    ("EuropeseUnie", "{[Europese]} {[Unie]}"),
    ("woning", "{[huurwoningen]}"),
    ("bestVernieuw", "{[democratie]}"),
    ("bestrijdingCrim", "{[politie]}"),
    ("infrastructuur", "{[trein]}"),
)


def statement(direction: str, *categories: str, marked: str = "[Rutte] wil dat .") -> IssueStatement:
    return IssueStatement("1", 1, "VVD", direction, categories, marked)


def test_p_is_the_mapped_pole_n_the_other_and_o_neutral() -> None:
    assert statement_topic_position(statement("p", "socZek")) == ("economic", "positive")
    assert statement_topic_position(statement("p", "ondernemingsklimaat")) == ("economic", "negative")
    assert statement_topic_position(statement("n", "ondernemingsklimaat")) == ("economic", "positive")
    assert statement_topic_position(statement("o", "EuropeseUnie")) == ("eu", "neutral")


def test_unmapped_categories_and_directions_give_no_unit_and_the_first_mapped_category_counts() -> None:
    assert statement_topic_position(statement("p", "corobestrijding")) is None
    assert statement_topic_position(statement("p")) is None
    assert statement_topic_position(statement("x", "socZek")) is None
    assert statement_topic_position(statement("p", "campagne", "woning")) == ("housing", "positive")


def test_infrastructure_pole_comes_from_the_issue_words() -> None:
    assert infrastructure_pole("[PVV] wil meer {[trein]} en {[tram]} .") == "positive"
    assert infrastructure_pole("[PVV] wil nieuwe {[wegen]} en {[snelwegen]} .") == "negative"
    assert infrastructure_pole("[PVV] wil {[wegen]} en {[ov]} .") is None
    transit = statement("n", "infrastructuur", marked="[Rutte] wil minder {[lightrail]} .")
    assert statement_topic_position(transit) == ("infrastructure", "negative")


def test_every_mapped_topic_is_a_codebook_topic_the_model_trains() -> None:
    codebook = yaml.safe_load(TOPICS_YML.read_text(encoding="utf-8"))
    assert set(CODEBOOK_TOPICS) == set(codebook)
    assert {m.topic for m in ISSUE_TOPICS.values()} <= set(CODEBOOK_TOPICS.values()) & set(TOPICS)
    assert len(TOPICS) >= 10


def test_the_subject_is_marked_by_its_words_or_as_the_only_unknown_actor() -> None:
    names = NameCategories({"rutte": "VVD", "vvd": "VVD", "kaag": "D66"}, ("Rutte", "VVD", "Kaag"))
    assert marked_sentence("[Kaag] en [Rutte] willen meer {[zorg]} .", "VVD", names) == (
        "Kaag en **Rutte** willen meer zorg ."
    )
    assert marked_sentence("[minister] [Ollongren] bouwt .", "kabinet", names) == "**minister Ollongren** bouwt ."
    assert marked_sentence("[Kaag] bouwt .", "kabinet", names) is None
    assert marked_sentence("We bouwen meer .", "kabinet", names) is None


def write_net(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, NET_COLUMNS)
        writer.writeheader()
        writer.writerows({column: row.get(column, "") for column in NET_COLUMNS} for row in rows)


def net_rows(docs: int) -> list[dict[str, str]]:
    """Per article: an uncoded sentence, then an IP statement by Rutte (VVD), then another uncoded one."""
    rows = []
    for doc in range(docs):
        category, issue_words = NET_ISSUES[doc % len(NET_ISSUES)]
        direction = "pno"[doc % 3]
        rows.append({"doc_id": f"d{doc}", "sentence": "1", "txt": "Het debat begon in Den Haag ."})
        rows.append(
            {
                "doc_id": f"d{doc}",
                "sentence": "2",
                "type": "IP",
                "subject": "VVD",
                "object": "issue",
                "dir": direction,
                "issue2": category,
                "txt": f"Premier [Rutte] wil meer {issue_words} voor iedereen .",
            }
        )
        rows.append({"doc_id": f"d{doc}", "sentence": "3", "txt": "Daarna ging de Kamer met reces ."})
    return rows


def test_net_units_mark_the_actor_and_keep_the_neighbouring_sentences(tmp_path: Path) -> None:
    path = tmp_path / "statements.csv"
    write_net(path, net_rows(6))
    units, counts = issue_units(path)
    assert counts["units"] == len(units) == 6
    housing = next(u for u in units if u.topic == "housing")
    assert housing.window == (
        "Het debat begon in Den Haag. Premier **Rutte** wil meer huurwoningen voor iedereen. "
        "Daarna ging de Kamer met reces."
    )
    assert (housing.doc, housing.position) == ("net2021-d2", "neutral")
    assert {(u.topic, u.position) for u in units if u.doc in ("net2021-d0", "net2021-d1")} == {
        ("health", "positive"),
        ("eu", "negative"),
    }


def test_the_article_split_puts_every_topic_with_two_articles_in_test_and_keeps_articles_whole() -> None:
    units = [
        Unit(f"u{i}", f"net2021-d{i // 2}", "housing" if i < 4 else "economic", "w", "positive", 1.0) for i in range(40)
    ]
    split = stratified_article_split(units)
    splits = split_units(units, split)
    assert {u.topic for u in splits["test"]} == {"housing", "economic"}
    assert {u.topic for u in splits["train"]} == {"housing", "economic"}
    assert all(split[u.doc] == name for name, of_split in splits.items() for u in of_split)
    assert len({u.doc for u in splits["dev"]}) == 3


def write_training_inputs(tmp_path: Path) -> list[str]:
    """Synthetic units.csv, net2021 statements and news articles big enough for every split and vectoriser."""
    with open(tmp_path / "units.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_id", "topic", "text", "majority", "agreement"])
        for i in range(120):
            t = i % len(UNIT_TOPICS)
            pole, verb = [("L", "meer"), ("R", "minder"), ("N", "geen mening over")][i % 3]
            text = f"De campagne ging door.**Partij{i % 7}** wil {verb} {UNIT_WORDS[t]} in het land.Einde debat."
            writer.writerow([f"doc{i // 3}-{i}-Partij", UNIT_TOPICS[t], text, pole, "1.0"])
    write_net(tmp_path / "statements.csv", net_rows(60))
    with open(tmp_path / "articles.jsonl", "w", encoding="utf-8") as handle:
        for i in range(40):
            body = "Ajax won met drie tegen een. De supporters vierden feest in de stad. Het weer was mooi."
            handle.write(json.dumps({"id": f"a{i}", "title": f"Voetbal {i}", "text": body}) + "\n")
    return [
        "--units",
        str(tmp_path / "units.csv"),
        "--net",
        str(tmp_path / "statements.csv"),
        "--articles",
        str(tmp_path / "articles.jsonl"),
        "--out",
        str(tmp_path / "model"),
    ]


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_tiny_training_run_writes_a_model_the_service_loads_with_per_topic_scores(tmp_path: Path) -> None:
    stance.main(write_training_inputs(tmp_path))
    model = load_stance_model(tmp_path / "model")
    assert model.topics == TOPICS
    report = json.loads((tmp_path / "model" / "training_report.json").read_text(encoding="utf-8"))
    per_topic = report["test_per_topic"]["shipped"]
    assert set(per_topic) - {"macro"} <= set(TOPICS)
    assert all(0.0 <= m["macro_f1"] <= 1.0 for m in per_topic.values())
    card = (tmp_path / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "| `geZorg` | health | positive |" in card
    assert "`corobestrijding`" in card
    ((housing,),) = model.predict(["Premier **Rutte** wil meer huurwoningen voor iedereen."], ["housing"])
    assert housing.topic == "housing"
