"""The corpus bench's scoring (``bench.corpus_accuracy.Scores``) on a hand-made pipeline result against a hand-made
gold record: each layer's right, wrong and missed items land in the counts they should."""

from dataclasses import replace

from bench.corpus_accuracy import Scores, intervals, map_actors, read_article_counts, write_article_counts
from bench.corpus_compare import compare
from corpus.store import Article
from service.models.ner import Entity
from service.results import ActorResult, DocumentResult, Mention, ModelInfo, ModelsUsed, Quote, Span, Stance

TEXT = "Rutte kraakt Wilders. Hij wil minder asiel, zegt Wilders. De PVV steunt hem. Rutte zwijgt."
#       0    5      12     19 22 25                      48     55 58 62          76   81
GOLD = {
    "id": "x", "entities": [[0, 5, "PER"], [13, 20, "PER"], [49, 56, "PER"], [61, 64, "ORG"], [78, 83, "PER"]],
    "actors": [
        {"id": 1, "type": "PER", "mentions": [[0, 5], [78, 83]]},
        {"id": 2, "type": "PER", "mentions": [[13, 20], [22, 25], [49, 56], [72, 75]]},
        {"id": 3, "type": "ORG", "mentions": [[61, 64]]},
    ],
    "quotes": [{"kind": "indirect", "content": [26, 42], "cue": [44, 48], "speaker": 2, "speaker_mention": [49, 56]}],
    "actor_stances": [{"source": 1, "target": 2, "stance": "negative", "evidence": [0, 21]},
                      {"source": 3, "target": 2, "stance": "positive", "evidence": [58, 76]}],
    "issue_positions": [{"actor": 2, "topic": "Immigration", "position": "negative", "evidence": [22, 57]}],
}  # fmt: skip


def _stance(position: str, topic: str | None = None, target: str | None = None) -> Stance:
    return Stance(position, 0.8, {position: 0.8}, Span("", 0, 21), 1, topic=topic, target=target)


def _actor(actor_id: str, spans: list[tuple[int, int]], stances: list[Stance]) -> ActorResult:
    mentions = tuple(Mention(TEXT[s:e], s, e, 0, 1.0) for s, e in spans)
    return ActorResult(actor_id, actor_id, "PER", 0.5, mentions, (), tuple(stances))


def _result() -> DocumentResult:
    model = ModelInfo("m", "1")
    entities = (
        Entity("Rutte", "PER", 0, 5, 0.9, 0),
        Entity("Wilders", "ORG", 13, 20, 0.9, 0),
        Entity("PVV", "ORG", 61, 64, 0.9, 2),
    )
    actors = (
        # Rutte split in two actors; Wilders -> Rutte negative is wrong (gold neutral); the PVV stance is missed.
        _actor("per:rutte", [(0, 5)], [_stance("negative", target="per:wilders")]),
        _actor("per:rutte-2", [(78, 83)], []),
        _actor("per:wilders", [(13, 20), (22, 25), (49, 56)], [
            _stance("positive", topic="immigration"), _stance("negative", target="per:rutte")]),
        # a neutral issue stance where the gold has none: no position, and not an opposite pole
        _actor("per:rutte-3", [(0, 5)], [_stance("neutral", topic="eu")]),
        _actor("org:pvv", [(61, 64)], []),
    )  # fmt: skip
    quotes = (Quote("minder asiel", 30, 42, "indirect", speaker="per:wilders"), Quote("x", 84, 90, "direct"))
    return DocumentResult(None, None, None, ModelsUsed(model, model, model), entities, actors, quotes)


def test_predicted_actors_map_to_the_gold_actor_their_mentions_overlap():
    assert map_actors(_result(), Article(GOLD, TEXT)) == {
        "per:rutte": 1,
        "per:rutte-2": 1,
        "per:wilders": 2,
        "per:rutte-3": 1,
        "org:pvv": 3,
    }


def test_an_actor_maps_by_its_names_before_its_pronouns():
    """Wilders's actor with two wrongly linked pronouns of Rutte's ("Hij" taken as Rutte's in the gold below) is
    still Wilders: its name decides; an actor with no name that overlaps the gold maps by its other mentions."""
    gold = {**GOLD, "actors": [
        {"id": 1, "type": "PER", "mentions": [[0, 5], [22, 25], [72, 75], [78, 83]]},
        {"id": 2, "type": "PER", "mentions": [[13, 20], [49, 56]]},
    ]}  # fmt: skip
    pronouns = (Mention("Hij", 22, 25, 1, 0.9, kind="pronoun"), Mention("hem", 72, 75, 2, 0.9, kind="pronoun"))
    wilders = replace(_actor("per:wilders", [(13, 20)], []), mentions=(Mention("Wilders", 13, 20, 0, 1.0), *pronouns))
    unnamed = replace(_actor("per:x", [], []), mentions=pronouns[:1])
    # a name the gold does not have ("kraakt", a tagger error): the pronoun decides
    misnamed = replace(_actor("per:y", [], []), mentions=(Mention("kraakt", 6, 12, 0, 0.5), pronouns[1]))
    result = replace(_result(), actors=(wilders, unnamed, misnamed))

    assert map_actors(result, Article(gold, TEXT)) == {"per:wilders": 2, "per:x": 1, "per:y": 1}


def test_every_layer_counts_right_wrong_and_missed_items():
    scores = Scores(("Immigration", "EU"))
    scores.add(Article(GOLD, TEXT), _result())
    report = scores.report()
    assert (report["entities"]["micro"]["correct"], report["entities"]["micro"]["predicted"]) == (2, 3)
    assert report["entities"]["ORG"]["precision"] == 0.5
    links = report["actors"]["pairwise_mention_links"]
    assert (links["correct"], links["predicted"], links["gold"]) == (3, 3, 7)
    assert report["actors"]["gold_actors_split"] == 1
    assert report["quotes"]["detection"]["precision"] == 0.5 and report["quotes"]["detection"]["recall"] == 1.0
    assert report["quotes"]["detection"]["exact_words"] == 0.0  # "minder asiel" for the gold "wil minder asiel"
    assert report["quotes"]["named_speaker"]["precision"] == 1.0 and report["quotes"]["named_speaker"]["recall"] == 1.0
    stance = report["actor_stance"]
    assert (stance["correct"], stance["predicted"], stance["gold"], stance["recall"]) == (1, 2, 2, 0.5)
    issue = report["issue_stance"]
    assert (issue["returned"], issue["opposite_pole_rate"], issue["no_position_rate"]) == (2, 0.5, 0.5)
    assert (issue["macro_f1"], issue["topics_scored"]) == (0.0, 2)


def test_a_found_quote_has_the_exact_words_when_only_spaces_and_punctuation_at_its_ends_differ():
    def exact_words(*quotes: Quote) -> float | None:
        scores = Scores(("Immigration", "EU"))
        scores.add(Article(GOLD, TEXT), replace(_result(), quotes=quotes))
        return scores.report()["quotes"]["detection"]["exact_words"]

    assert exact_words(Quote("wil minder asiel,", 26, 43, "indirect")) == 1.0
    # the quote overlapping the gold content most is the one judged
    assert exact_words(Quote("wil minder", 26, 36, "indirect"), Quote(" wil minder asiel", 25, 42, "indirect")) == 1.0
    assert exact_words(Quote("Hij wil minder asiel", 22, 42, "indirect")) == 0.0
    assert exact_words() is None


def test_issue_stances_are_binned_by_confidence_with_the_share_right_and_on_the_other_pole():
    scores = Scores(("Immigration", "EU"))
    scores.add(Article(GOLD, TEXT), _result())
    [row] = scores.report()["issue_stance"]["reliability"]
    assert row["returned"] == 2 and row["correct"] == 0.0 and row["opposite"] == 0.5
    assert row["confidence"][0] <= _result().actors[2].stances[0].confidence < row["confidence"][1]


def _nothing_found() -> DocumentResult:
    model = ModelInfo("m", "1")
    return DocumentResult(None, None, None, ModelsUsed(model, model, model), (), (), ())


def _article_scores(result: DocumentResult) -> Scores:
    scores = Scores(("Immigration", "EU"))
    scores.add(Article(GOLD, TEXT), result)
    return scores


def test_per_article_counts_merge_into_what_one_scores_of_all_articles_reports():
    together = Scores(("Immigration", "EU"))
    together.add(Article(GOLD, TEXT), _result())
    together.add(Article(GOLD, TEXT), _nothing_found())
    parts = [_article_scores(_result()), _article_scores(_nothing_found())]
    assert Scores.merged(("Immigration", "EU"), parts).report() == together.report()


def test_bootstrap_intervals_hold_each_figure_repeat_and_close_where_articles_agree():
    parts = [_article_scores(_result()), _article_scores(_nothing_found())] * 4
    found = intervals(("Immigration", "EU"), parts, resamples=200)
    recall = found["named_speaker_recall"]
    assert recall["value"] == 0.5 and recall["ci95"][0] < 0.5 < recall["ci95"][1]
    for figure in found.values():
        assert figure["value"] is None or figure["ci95"][0] <= figure["value"] <= figure["ci95"][1]
    assert intervals(("Immigration", "EU"), parts, resamples=200) == found

    alike = intervals(("Immigration", "EU"), [_article_scores(_result())] * 5, resamples=50)
    assert all(f["ci95"] == [f["value"]] * 2 for f in alike.values() if f["value"] is not None)


def test_article_counts_read_back_to_the_same_figures(tmp_path):
    parts = [_article_scores(_result()), _article_scores(_nothing_found())]
    articles = [Article({**GOLD, "id": "a", "split": "dev"}, TEXT), Article({**GOLD, "id": "b", "split": "dev"}, TEXT)]
    write_article_counts(tmp_path / "run.jsonl", articles, ("Immigration", "EU"), parts)
    header, read = read_article_counts(tmp_path / "run.jsonl")
    assert header == {"split": "dev", "topics": ["Immigration", "EU"]}
    assert [read[i].headline() for i in ("a", "b")] == [part.headline() for part in parts]


def test_a_run_compared_with_itself_differs_by_nothing_and_a_better_run_by_its_gain():
    topics = ("Immigration", "EU")
    run_a = [_article_scores(_nothing_found()) for _ in range(6)]
    same = compare(topics, run_a, run_a, resamples=100)
    assert all(f["difference"] in (0.0, None) and f["ci95"] in ([0.0, 0.0], None) for f in same.values())

    run_b = [_article_scores(_result())] * 3 + run_a[3:]  # half the articles: the quote and its speaker found
    better = compare(topics, run_a, run_b, resamples=100)["named_speaker_recall"]
    assert (better["a"], better["b"], better["difference"]) == (0.0, 0.5, 0.5)
    assert 0.0 < better["ci95"][0] <= better["ci95"][1] and better["b_better"] > 0.95
