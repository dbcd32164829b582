"""Pooled fastText features for the actor-stance classifier: the plain-text views, a fitted word-vector variant
saved with its table and served through the real loader, the rule that lets a word-vector variant replace the
reference only on a clear cross-validated gain, and a tiny training run with a real gensim model."""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pytest

from service.models.actor_stance import (
    CLASSIFIER_FILE,
    POSITIONS,
    PolarityLexicon,
    between_text,
    clause_text,
    load_actor_stance_model,
    mark_pair,
    save_actor_stance_model,
    sentence_text,
)
from service.models.pooled_vectors import PooledWordVectors
from tests.unit.test_actor_stance import (
    SYNTHETIC_VERBS,
    span_of,
    write_synthetic_statements,
    write_tiny_lexicon,
)
from training.actor_stance import (
    VARIANTS,
    VECTORS,
    PairExample,
    Variant,
    WordVectors,
    choose,
    fit_scorer,
    marked_text,
)
from training.actor_stance import main as train_main
from training.stance_vectors import load_fasttext_vectors

NO_LEXICON = PolarityLexicon({})


def marked(sentence: str, source: str, target: str) -> str:
    return mark_pair(sentence, span_of(sentence, source), span_of(sentence, target))


def test_plain_views_drop_the_actors_and_pronouns_and_keep_the_pair_order_between_them():
    source_first = marked("Volgens Jansen steunt hij De Vries niet, zei Bakker.", "Jansen", "De Vries")
    assert between_text(source_first) == "st | steunt"
    assert clause_text(source_first) == "Volgens steunt niet, zei Bakker."
    assert sentence_text(source_first) == "Volgens steunt niet, zei Bakker."
    target_first = marked("De Vries wordt door haar partijgenoot Jansen geprezen.", "Jansen", "De Vries")
    assert between_text(target_first) == "ts | wordt door partijgenoot"
    assert sentence_text(target_first) == "wordt door partijgenoot geprezen."


@pytest.fixture(scope="module")
def tiny_fasttext(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real gensim fastText model (skip-gram, subwords) trained on synthetic lines with the verbs of the
    synthetic statements, so that support and criticism verbs get vectors of their own."""
    from gensim.models import FastText

    verbs = [verb for group in SYNTHETIC_VERBS.values() for verb in group]
    lines = [f"de minister {verb} de partij in het debat van dag 0 .".split() for verb in verbs for _ in range(20)] + [
        ["steunt", "prijst", "omarmt"] * 3,
        ["bekritiseert", "valt", "hekelt"] * 3,
    ] * 20
    model = FastText(vector_size=8, window=3, min_count=1, sg=1, bucket=2000, epochs=3, workers=1, seed=13)
    model.build_vocab(lines)
    model.train(lines, total_examples=len(lines), epochs=3)
    path = tmp_path_factory.mktemp("fasttext") / "tiny.model"
    model.save(str(path))
    return path


def synthetic_examples() -> list[PairExample]:
    examples = []
    for doc in range(12):
        for direction, position in (("p", "positive"), ("n", "negative"), ("o", "neutral")):
            sentence = f"Jansen {SYNTHETIC_VERBS[direction][doc % 3]} De Vries in het debat van dag {doc}."
            source, target = span_of(sentence, "Jansen"), span_of(sentence, "De Vries")
            examples.append(PairExample(f"doc{doc}", "CC", sentence, source, target, position))
    return examples


def test_a_word_vector_variant_ships_its_table_inside_the_classifier_and_serves_without_gensim(
    tmp_path: Path, tiny_fasttext: Path
):
    variant = Variant("polarity + fastText", (("polarity", "token"), *VECTORS), 3.0, vector_weight=2.0)
    word_vectors = WordVectors(load_fasttext_vectors(tiny_fasttext), tiny_fasttext, top_words=5)
    examples = synthetic_examples()
    scorer = fit_scorer(variant, examples, NO_LEXICON, 13, word_vectors)
    assert scorer.weights == (1.0, 2.0, 2.0, 2.0)
    pooled = [vec for vec in scorer.vectorizers if isinstance(vec, PooledWordVectors)]
    assert len(pooled) == 3 and pooled[0].topics_ == ("st",)
    assert {"steunt", "hekelt", "debat"} <= set(pooled[0].table.words)
    assert "jansen" not in pooled[0].table.index

    save_actor_stance_model(tmp_path, scorer, {"model_id": "tiny", "version": "0", "positions": list(POSITIONS)})
    stored = joblib.load(tmp_path / CLASSIFIER_FILE)
    assert any(isinstance(vec, PooledWordVectors) for vec in stored["vectorizers"])
    model = load_actor_stance_model(tmp_path)
    pairs = [(e.sentence, e.source, e.target) for e in examples]
    stances = model.predict(pairs)
    served = np.array([[stance.scores[p] for p in POSITIONS] for stance in stances])
    expected = scorer.scores([marked_text(e) for e in examples])
    np.testing.assert_allclose(served, expected, rtol=1e-6)


def test_a_word_vector_variant_without_vectors_is_refused():
    variant = next(v for v in VARIANTS if v.uses_word_vectors)
    with pytest.raises(ValueError, match="needs word vectors"):
        fit_scorer(variant, synthetic_examples(), NO_LEXICON, 13)


def result(word_vectors: bool, pooled: float, folds: list[float], unrelated: float = 0.3) -> dict[str, object]:
    return {
        "word_vectors": word_vectors,
        "cv_macro_f1": pooled,
        "cv_fold_macro_f1": folds,
        "cv_unrelated_given_stance": unrelated,
    }


def test_a_word_vector_variant_replaces_the_reference_only_on_a_gain_above_the_fold_noise():
    reference = [0.40, 0.50, 0.45, 0.55, 0.50]
    steady = result(True, 0.52, [0.43, 0.52, 0.48, 0.57, 0.53])
    noisy = result(True, 0.53, [0.50, 0.45, 0.55, 0.50, 0.52])
    assert choose([result(False, 0.48, reference), steady]) == 1
    results = [result(False, 0.48, reference), noisy]
    assert choose(results) == 0
    assert results[1]["cv_fold_gain"] == [0.1, -0.05, 0.1, -0.05, 0.02]
    assert choose([result(False, 0.48, reference), result(True, 0.60, [0.6] * 5, unrelated=0.9)]) == 0


@pytest.mark.training
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_training_run_with_word_vectors_reports_their_variants_and_fold_gains(tmp_path: Path, tiny_fasttext: Path):
    data, out = tmp_path / "statements.csv", tmp_path / "model"
    write_synthetic_statements(data)
    write_tiny_lexicon(tmp_path / "nl-sentiment.xml")
    arguments = [
        "--statements",
        str(data),
        "--out",
        str(out),
        "--seed",
        "3",
        "--lexicon",
        str(tmp_path / "nl-sentiment.xml"),
    ]
    assert train_main([*arguments, "--word-vectors", str(tiny_fasttext), "--top-words", "5"]) == 0

    report = json.loads((out / "training_report.json").read_text(encoding="utf-8"))
    assert {r["variant"] for r in report["variants_dev"]} == {v.name for v in VARIANTS}
    assert all(len(r["cv_fold_gain"]) == 5 for r in report["variants_dev"])
    assert sum(r.get("chosen", False) for r in report["variants_dev"]) == 1
    assert report["word_vectors"]["top_words"] == 5
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "CV per-fold gain vs reference" in card and "*fastText* views" in card
    sentence = "Bakker steunt Jansen in het debat van dag 7."
    (stance,) = load_actor_stance_model(out).predict(
        [(sentence, span_of(sentence, "Bakker"), span_of(sentence, "Jansen"))]
    )
    assert stance.position == "positive"
