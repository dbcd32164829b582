"""The actor-stance bench's scoring: which annotated pairs count as found and right, and which returned stances
are measurable and correct, on a small hand-made result; and the shape of the annotated dev set."""

import json
from pathlib import Path

import pytest

from bench.actor_stance_accuracy import ActorStance, ArticlePrediction, article_prediction, score_article, summarise
from bench.actor_stance_precision import JUDGED, PAIR_SETS, VERDICTS, gold_verdict, read_judged
from bench.stance_coverage import coverage
from service.results import ActorResult, DocumentResult, Mention, ModelInfo, ModelsUsed, Span, Stance

DATA_DIR = Path(__file__).resolve().parents[2] / "bench" / "data"
# dev: the rules were written on it; heldout and dev3: annotated blind, then read for rules; test and test3: read
# to measure only.
ANNOTATED_SETS = ("dev", "heldout", "dev3", "test", "test3")

# Offsets into:
# "Rusland steunt Maduro. Trump haalt uit naar Maduro. Guaidó prijst Trump. Poetin belt Xi. Men vreest hen."
MENTIONS = {
    "loc:rusland": [(0, 7)],
    "per:maduro": [(15, 21), (44, 50)],
    "per:trump": [(23, 28), (66, 71)],
    "per:guaido": [(52, 58)],
    "per:poetin": [(73, 79)],
    "per:xi": [(85, 87)],
}


def pair(source: tuple[int, int], target: tuple[int, int], position: str, evidence: tuple[int, int]) -> dict:
    return {
        "source": {"start": source[0], "end": source[1]},
        "target": {"start": target[0], "end": target[1]},
        "position": position,
        "evidence": {"start": evidence[0], "end": evidence[1]},
    }


GOLD = [
    pair((0, 7), (15, 21), "positive", (0, 22)),  # Rusland -> Maduro: right, evidence overlaps
    pair((23, 28), (44, 50), "negative", (23, 51)),  # Trump -> Maduro: returned neutral
    pair((52, 58), (66, 71), "positive", (52, 72)),  # Guaidó -> Trump: returned with the opposite position
    pair((73, 79), (85, 87), "positive", (73, 88)),  # Poetin -> Xi: only a self-stance of Poetin
    pair((89, 92), (15, 21), "negative", (89, 104)),  # "Men": the source span is no actor's mention
    pair((23, 28), (100, 103), "negative", (89, 104)),  # "hen": the target span is no actor's mention
]

STANCES = [
    ActorStance("loc:rusland", "per:maduro", "positive", (0, 22)),
    ActorStance("per:trump", "per:maduro", "neutral", (23, 51)),
    ActorStance("per:guaido", "per:trump", "negative", (52, 72)),
    ActorStance("per:maduro", "per:guaido", "negative", (52, 72)),  # not annotated: unmeasurable
    ActorStance("per:poetin", "per:poetin", "positive", (73, 88)),  # a self-stance never matches a pair
]


def test_pairs_are_counted_found_right_neutral_opposite_and_missed_by_reason():
    counts = score_article(GOLD, ArticlePrediction(MENTIONS, STANCES))
    assert counts["gold"] == 6
    assert counts["found"] == 3
    assert (counts["right"], counts["neutral"], counts["opposite"]) == (1, 1, 1)
    assert counts["right_with_evidence_overlap"] == 1
    assert counts["no_stance_between_the_actors"] == 1
    assert counts["source_not_an_actor"] == 1
    assert counts["target_not_an_actor"] == 1


def test_precision_counts_only_non_neutral_stances_of_annotated_pairs():
    counts = score_article(GOLD, ArticlePrediction(MENTIONS, STANCES))
    assert counts["predicted_non_neutral"] == 4
    assert counts["measurable"] == 2  # Rusland -> Maduro and Guaidó -> Trump
    assert counts["correct"] == 1


def test_a_right_stance_anywhere_in_the_article_counts_even_with_other_evidence():
    stances = [ActorStance("per:trump", "per:maduro", "negative", (73, 104))]
    counts = score_article([GOLD[1]], ArticlePrediction(MENTIONS, stances))
    assert (counts["found"], counts["right"], counts["right_with_evidence_overlap"]) == (1, 1, 0)


def test_summary_shares_add_up_over_articles():
    first = score_article(GOLD, ArticlePrediction(MENTIONS, STANCES))
    second = score_article(GOLD[:1], ArticlePrediction(MENTIONS, STANCES[:1]))
    summary = summarise([first, second])
    assert summary["gold"] == 7
    assert summary["right"] == 2
    assert summary["right_share"] == round(2 / 7, 4)
    assert summary["found_share"] == round(4 / 7, 4)
    assert summary["precision"] == round(2 / 3, 4)
    assert summary["unmeasurable"] == 2


def _annotated(name: str) -> list[dict]:
    path = DATA_DIR / f"actor_stance_{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", ANNOTATED_SETS)
def test_annotated_sets_hold_offsets_and_labels_only_for_articles_of_both_sources(name):
    rows = _annotated(name)
    assert len(rows) >= 10
    assert {row["source"] for row in rows} == {"news2019", "dpgmedia2019"}
    for row in rows:
        assert set(row) == {"source", "id", "pairs"}
        for annotated in row["pairs"]:
            assert annotated["position"] in {"positive", "negative"}
            source, target = annotated["source"], annotated["target"]
            assert source["start"] < source["end"] and target["start"] < target["end"]
            assert source["end"] <= target["start"] or target["end"] <= source["start"]
            assert set(annotated["evidence"]) == {"start", "end"}


def test_no_article_is_in_two_annotated_sets():
    articles = [(row["source"], row["id"]) for name in ANNOTATED_SETS for row in _annotated(name)]
    assert len(articles) == len(set(articles))


def _stance(position: str, topic: str | None = None, target: str | None = None) -> Stance:
    scores = {"positive": 0.1, "negative": 0.1, "neutral": 0.1} | {position: 0.8}
    return Stance(position, 0.8, scores, Span("Rusland steunt Maduro.", 0, 22), 1, topic=topic, target=target)


def _actor(actor_id: str, spans: list[tuple[int, int]], stances: list[Stance]) -> ActorResult:
    mentions = tuple(Mention("x", start, end, 0, 1.0) for start, end in spans)
    return ActorResult(actor_id, actor_id, "PER", 0.5, mentions, (), tuple(stances))


def _document(actors: list[ActorResult]) -> DocumentResult:
    model = ModelInfo("m", "1")
    return DocumentResult(None, None, None, ModelsUsed(model, model, model), (), tuple(actors), ())


def test_a_pipeline_result_gives_the_actor_stances_only_and_every_actors_mentions():
    result = _document(
        [
            _actor(
                "loc:rusland", [(0, 7)], [_stance("positive", target="per:maduro"), _stance("negative", "Economic")]
            ),
            _actor("per:maduro", [(15, 21), (44, 50)], []),
        ]
    )
    prediction = article_prediction(result)
    assert prediction.mentions == {"loc:rusland": [(0, 7)], "per:maduro": [(15, 21), (44, 50)]}
    assert prediction.stances == [ActorStance("loc:rusland", "per:maduro", "positive", (0, 22))]


def test_coverage_counts_actors_with_two_mentions_and_a_non_neutral_stance_of_either_kind():
    result = _document(
        [
            _actor("a", [(0, 1), (2, 3)], [_stance("negative", topic="Economic")]),
            _actor("b", [(4, 5), (6, 7)], [_stance("positive", target="a"), _stance("neutral", topic="Education")]),
            _actor("c", [(8, 9), (10, 11)], [_stance("neutral", target="a")]),
            _actor("d", [(12, 13)], [_stance("positive", target="a")]),  # one mention: not counted
        ]
    )
    report = coverage([result], with_targets=True)
    assert report["actors_with_min_mentions"] == 3
    assert report["with_any_stance"] == 3
    assert (report["with_non_neutral_issue_stance"], report["with_non_neutral_actor_stance"]) == (1, 1)
    assert report["with_non_neutral_stance_of_either_kind"] == 2
    assert report["non_neutral_either_share"] == round(2 / 3, 4)


def test_gold_pairs_judge_returned_stances_by_their_position():
    gold = [pair((0, 7), (15, 21), "positive", (0, 22))]
    assert gold_verdict(gold, MENTIONS, "loc:rusland", "per:maduro", "positive") == "right"
    assert gold_verdict(gold, MENTIONS, "loc:rusland", "per:maduro", "negative") == "opposite"
    assert gold_verdict(gold, MENTIONS, "per:maduro", "loc:rusland", "positive") is None  # the other direction


def test_judged_stances_name_an_article_of_their_set_and_hold_no_text():
    rows = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines()]
    assert {row["set"] for row in rows} == set(PAIR_SETS)
    pair_articles = {
        which: {
            f"{row['source']}:{row['id']}"
            for path in paths
            for row in map(json.loads, Path(path).read_text(encoding="utf-8").splitlines())
        }
        for which, paths in PAIR_SETS.items()
    }
    for row in rows:
        assert set(row) == {"set", "doc", "source_actor", "target_actor", "position", "evidence_start", "verdict"}
        assert row["verdict"] in VERDICTS and row["position"] in {"positive", "negative"}
        assert row["doc"] in pair_articles[row["set"]] or row["doc"].startswith("coverage:")
        assert len(row["source_actor"]) <= 60 and len(row["target_actor"]) <= 60
    judged = read_judged(JUDGED, "unseen")
    assert len(judged) == sum(row["set"] == "unseen" for row in rows)
