"""The annotated corpus tools: spans from surface strings, answers into records, validation, stats, agreement.

A tiny shared-data folder (two invented articles in a gzipped news2019 file and the real topics file) stands in
for ``../shared/data``, so every check here runs on texts whose offsets the test knows.
"""

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.agreement import agreement
from corpus.annotations import AnswerError, convert_answer
from corpus.check import check
from corpus.pairs import actor_pairs, issue_units
from corpus.spans import SpanError, resolve_all, resolve_one
from corpus.stats import corpus_stats
from corpus.store import Article, all_ids, load_split, validate, write_records
from tests.helpers import PROJECT_ROOT, SHARED_DATA
from training.corpora import entity_tagged_sentences

GUIDE = PROJECT_ROOT / "docs" / "annotation-guide.md"
TOPICS = ("Immigration", "Environment", "EU")
TEXT = (
    "Premier Mark Rutte heeft donderdag fel uitgehaald naar de PVV. ,,Wat Wilders voorstelt, is gevaarlijk,'' zei "
    "de VVD-leider. Wilders noemde Rutte ’een slappe bestuurder’. Hij wil de grenzen sluiten."
)
ANSWER = {
    "id": "a1",
    "entities": [
        {"text": "Mark Rutte", "type": "PER"},
        {"text": "Rutte", "type": "PER"},
        {"text": "PVV", "type": "ORG"},
        {"text": "Wilders", "type": "PER"},
        {"text": "VVD-leider", "type": "MISC"},
    ],
    "actors": [
        {"actor": "A1", "type": "PER",
         "mentions": [{"text": "Mark Rutte"}, {"text": "Rutte"}, {"text": "de VVD-leider"}]},
        {"actor": "A2", "type": "ORG", "mentions": [{"text": "PVV"}]},
        {"actor": "A3", "type": "PER", "mentions": [{"text": "Wilders"}, {"text": "Hij", "near": "Hij wil"}]},
    ],
    "quotes": [
        {"kind": "direct", "content": {"from": "Wat Wilders", "to": "gevaarlijk"}, "cue": {"text": "zei"},
         "speaker": "A1", "speaker_mention": {"text": "de VVD-leider"}},
        {"kind": "indirect", "content": {"text": "de grenzen sluiten"}, "cue": {"text": "wil"}, "speaker": "A3",
         "speaker_mention": {"text": "Hij", "near": "Hij wil"}},
    ],
    "actor_stances": [
        {"source": "A3", "target": "A1", "stance": "negative",
         "evidence": {"from": "Wilders noemde", "to": "bestuurder’."}},
    ],
    "issue_positions": [
        {"actor": "A3", "topic": "Immigration", "position": "negative",
         "evidence": {"from": "Hij wil", "to": "sluiten."}},
    ],
}  # fmt: skip


def cut(span) -> str:
    return TEXT[span[0] : span[1]]


def test_a_bare_text_names_every_whole_word_occurrence_and_no_part_of_a_longer_word():
    text = "Trump en Trumps Trump-regering; Trump."
    assert resolve_all(text, {"text": "Trump"}) == [(0, 5), (32, 37)]


def test_near_occurrence_and_from_to_each_pick_one_span():
    text = "Hij zei dat hij kwam. Toen zei hij niets."
    assert resolve_one(text, {"text": "hij", "near": "zei hij niets"}) == (31, 34)
    assert resolve_one(text, {"text": "zei", "occurrence": 2}) == (27, 30)
    assert text[slice(*resolve_one(text, {"from": "dat hij", "to": "kwam"}))] == "dat hij kwam"


def test_quote_marks_and_spaces_of_any_kind_match_each_other_and_offsets_index_the_original():
    text = "Hij noemde het ’onzin’.\u00a0Klaar."
    start, end = resolve_one(text, {"text": "'onzin'. Klaar"})
    assert text[start:end] == "’onzin’.\u00a0Klaar"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"text": "zei"}, "occurs 2 times"),
        ({"text": "zegt"}, "occurs 0 times"),
        ({"text": "hij", "near": "zei"}, "near anchor"),
        ({"from": "kwam", "to": "Hij"}, "does not occur after"),
        ({"text": "zei", "occurrence": 3}, "occurrence 3"),
    ],
)
def test_a_span_not_found_exactly_once_is_refused_with_what_to_change(spec, message):
    with pytest.raises(SpanError, match=message):
        resolve_one("Hij zei dat hij kwam. Toen zei hij niets.", spec)


def test_an_answer_becomes_offsets_with_actors_numbered_by_first_mention():
    layers = convert_answer(ANSWER, TEXT, TOPICS)
    assert [(cut(e), e[2]) for e in layers["entities"]] == [
        ("Mark Rutte", "PER"), ("PVV", "ORG"), ("Wilders", "PER"), ("VVD-leider", "MISC"), ("Wilders", "PER"),
        ("Rutte", "PER"),
    ]  # fmt: skip
    assert [[cut(m) for m in a["mentions"]] for a in layers["actors"]] == [
        ["Mark Rutte", "de VVD-leider", "Rutte"],
        ["PVV"],
        ["Wilders", "Wilders", "Hij"],
    ]
    first, second = layers["quotes"]
    assert (cut(first["content"]), first["speaker"], cut(first["cue"])) == (
        "Wat Wilders voorstelt, is gevaarlijk",
        1,
        "zei",
    )
    assert (cut(second["content"]), second["speaker"], cut(second["speaker_mention"])) == (
        "de grenzen sluiten",
        3,
        "Hij",
    )
    assert layers["actor_stances"][0] | {"evidence": None} == {
        "source": 3,
        "target": 1,
        "stance": "negative",
        "evidence": None,
    }
    assert cut(layers["actor_stances"][0]["evidence"]) == "Wilders noemde Rutte ’een slappe bestuurder’."
    assert layers["issue_positions"][0]["actor"] == 3


def test_every_problem_of_an_answer_is_listed_at_once():
    answer = json.loads(json.dumps(ANSWER))
    answer["entities"].append({"text": "Rutte", "type": "PERSON"})
    answer["actors"][1]["mentions"] = []  # the PVV entity then belongs to no actor
    answer["quotes"][0]["speaker"] = "A9"
    answer["actor_stances"][0]["stance"] = "neutral"
    answer["issue_positions"][0]["topic"] = "Sport"
    with pytest.raises(AnswerError) as raised:
        convert_answer(answer, TEXT, TOPICS)
    problems = "\n".join(raised.value.problems)
    for expected in (
        "'PERSON'", "'PVV' at 58 belongs to no actor", "A2: no mention", "'A9' is not an actor", "'neutral'", "'Sport'",
    ):  # fmt: skip
        assert expected in problems
    assert len(raised.value.problems) == 6


def test_a_mention_claimed_by_two_actors_is_refused():
    answer = json.loads(json.dumps(ANSWER))
    answer["actors"][1]["mentions"].append({"text": "Rutte"})
    with pytest.raises(AnswerError, match="given to both"):
        convert_answer(answer, TEXT, TOPICS)


def _guide_examples() -> list[tuple[str, dict]]:
    examples = []
    for part in GUIDE.read_text(encoding="utf-8").split("### Worked example")[1:]:
        text = " ".join(line[2:] for line in part.splitlines() if line.startswith("> "))
        examples.append((text, json.loads(part.split("```json")[1].split("```")[0])))
    return examples


def test_the_guides_worked_examples_are_valid_answers():
    examples = _guide_examples()
    assert len(examples) == 2
    for text, answer in examples:
        layers = convert_answer(answer, text, ("Immigration", "Environment"))
        assert layers["actors"] and layers["quotes"] and layers["issue_positions"]
    negated = convert_answer(examples[1][1], examples[1][0], ("Environment",))["quotes"][2]
    assert examples[1][0][slice(*negated["cue"])] == "zegt niet"


def _record(split: str = "test", annotator: str = "h-test-1", **changes) -> dict:
    record = {
        "id": "a1", "source": "news2019", "split": split, "annotator": annotator, "pre_annotated": False,
        "guideline": "1", "chars": len(TEXT), **convert_answer(ANSWER, TEXT, TOPICS),
    }  # fmt: skip
    record.update(changes)
    return record


def test_a_valid_record_has_no_problems_and_each_kind_of_fault_is_named():
    assert validate(_record(), TEXT, TOPICS) == []
    record = _record(chars=len(TEXT) + 1)
    record["entities"][0] = [8, 19, "PER"]  # ends on a space
    record["quotes"][0]["kind"] = "hearsay"
    record["actor_stances"][0]["target"] = 7
    record["issue_positions"][0]["evidence"] = [5, 5000]
    problems = "\n".join(validate(record, TEXT, TOPICS))
    for expected in ("changed text", "white space", "'hearsay'", "two actors", "invalid span [5, 5000]"):
        assert expected in problems


def test_pairs_in_one_sentence_without_a_stance_are_neutral_and_issue_units_are_keyed_by_sentence():
    article = Article(_record(), TEXT)
    assert actor_pairs(article) == {(1, 2): "neutral", (2, 1): "neutral", (1, 3): "neutral", (3, 1): "negative"}
    assert issue_units(article) == {(3, "Immigration", 3): "negative"}


def test_agreement_is_perfect_for_identical_annotations_and_drops_with_a_changed_label():
    same = agreement([(Article(_record(), TEXT), Article(_record(annotator="h-double-1"), TEXT))])
    assert (same["entities_f1"], same["quote_speaker"], same["actor_stance_kappa"]) == (1.0, 1.0, 1.0)
    changed = _record(annotator="h-double-1")
    changed["actor_stances"][0]["stance"] = "positive"
    changed["entities"] = changed["entities"][1:]
    changed["quotes"][0]["speaker"] = None
    other = agreement([(Article(_record(), TEXT), Article(changed, TEXT))])
    assert other["entities_f1"] == round(2 * 5 / 11, 4)
    assert other["quote_speaker"] == 0.5
    assert other["actor_stance_kappa"] < 1.0


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A shared-data folder holding article ``a1`` (TEXT) and the real topics file."""
    folder = tmp_path / "shared"
    (folder / "news2019").mkdir(parents=True)
    with gzip.open(folder / "news2019" / "articles.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write(json.dumps({"id": "a1", "title": "", "text": TEXT}) + "\n")
    (folder / "issuepositions").mkdir()
    shutil.copy(SHARED_DATA / "issuepositions" / "topics.yml", folder / "issuepositions" / "topics.yml")
    return folder


def test_corpus_check_passes_a_valid_corpus_and_names_unknown_articles_and_cross_split_faults(tmp_path, shared):
    corpus = tmp_path / "v1"
    write_records(corpus / "test.jsonl", [_record()])
    write_records(corpus / "test-second.jsonl", [_record(annotator="h-double-1")])
    assert check(corpus, shared) == []
    write_records(corpus / "dev.jsonl", [_record(split="dev", annotator="h-train-1"), _record(split="dev", id="zz")])
    write_records(corpus / "train.jsonl", [_record(split="train", annotator="h-train-1", id="b2")])
    problems = "\n".join(check(corpus, shared))
    for expected in ("zz: unknown article", "b2: unknown article", "a1: also in dev", "also annotated train"):
        assert expected in problems


def test_make_corpus_check_exits_non_zero_with_the_problem_on_stderr(tmp_path, shared):
    corpus = tmp_path / "v1"
    write_records(corpus / "test.jsonl", [_record(quotes=[{"kind": "direct", "content": [3, 2]}])])
    run = [sys.executable, "-m", "corpus.check", "--corpus", str(corpus), "--shared", str(shared)]
    failed = subprocess.run(run, capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    assert failed.returncode == 1
    assert "invalid span [3, 2]" in failed.stderr
    write_records(corpus / "test.jsonl", [_record()])
    assert subprocess.run(run, capture_output=True, cwd=PROJECT_ROOT, check=False).returncode == 0


def test_corpus_stats_counts_every_layer_and_the_agreement(tmp_path, shared):
    corpus = tmp_path / "v1"
    write_records(corpus / "test.jsonl", [_record()])
    write_records(corpus / "test-second.jsonl", [_record(annotator="h-double-1")])
    stats = corpus_stats(corpus, shared)
    test = stats["splits"]["test"]
    assert (test["articles"], test["entities"], test["quotes"]) == (1, 6, 2)
    assert (test["actor_pairs"], test["actor_pairs_nonneutral"]) == (4, 1)
    assert test["issue_units"] == 1 and test["issue_units_per_topic"]["Immigration"] == 1
    assert len(test["issue_units_per_topic"]) == 13
    assert stats["splits"]["train"]["articles"] == 0
    assert stats["agreement"]["articles"] == 1 and stats["agreement"]["entities_f1"] == 1.0


def test_the_stored_corpus_is_valid():
    """``make corpus-check`` on the committed corpus, against the shared data it indexes."""
    assert check(PROJECT_ROOT / "corpus" / "v1", SHARED_DATA) == []


def test_corpus_entities_become_iob_tags_on_the_services_tokens_and_misaligned_ones_are_counted():
    text = "Premier Mark Rutte en de VVD-leider. Trumps plan faalt."
    sentences, dropped = entity_tagged_sentences(
        text, [(8, 18, "PER"), (25, 35, "MISC"), (37, 43, "PER"), (38, 41, "ORG")]
    )
    assert sentences == [
        [("Premier", "O"), ("Mark", "B-PER"), ("Rutte", "I-PER"), ("en", "O"), ("de", "O"), ("VVD-leider", "B-MISC"),
         (".", "O")],
        [("Trumps", "B-PER"), ("plan", "O"), ("faalt", "O"), (".", "O")],
    ]  # fmt: skip
    assert dropped == 1


def test_a_model_can_learn_from_the_train_articles_drawn_before_the_split_grew(tmp_path):
    """``--train-articles N``: the first N train articles in draw order (selection.json), whatever their order in
    train.jsonl (sorted by id); dev and test stay whole."""
    corpus = tmp_path / "v1"
    write_records(corpus / "train.jsonl", [_record(split="train", id=i) for i in ("c3", "a1", "b2")])
    write_records(corpus / "dev.jsonl", [_record(split="dev", id="d4")])
    drawn = [{"id": i, "drawn_for": "topic"} for i in ("c3", "a1", "b2")]
    (corpus / "selection.json").write_text(json.dumps({"train": drawn}), encoding="utf-8")
    texts = dict.fromkeys(("a1", "b2", "c3", "d4"), TEXT)
    assert [a.id for a in load_split("train", texts, corpus, train_articles=2)] == ["a1", "c3"]
    assert [a.id for a in load_split("train", texts, corpus)] == ["a1", "b2", "c3"]
    assert [a.id for a in load_split("dev", texts, corpus, train_articles=1)] == ["d4"]
    assert all_ids(corpus, train_articles=1) == {"c3", "d4"}
    with pytest.raises(ValueError, match="4 train articles asked for; 3 were drawn"):
        all_ids(corpus, train_articles=4)
