"""Pooled word-vector stance features: tokens, SIF pooling, topic crossing, the pickled table, and the table
cut from a real (tiny) gensim fastText model."""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pytest

from service.models.pooled_vectors import PooledWordVectors, WordVectorTable, pool, vector_tokens
from service.models.stance import load_stance_model
from service.models.stance_features import topic_text
from tests.unit.test_stance_training import write_training_inputs
from training import stance
from training.stance_classifier import VARIANTS, WORD_VECTOR_VARIANTS, uses_word_vectors
from training.stance_vectors import build_table, load_fasttext_vectors, table_coverage, training_summary

# Three orthogonal words: pooled results can be checked by hand.
TABLE = WordVectorTable(
    words=("wil", "minder", "asiel"),
    vectors=np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float16),
    weights=np.array([0.25, 1.0, 1.0], dtype=np.float16),
)


def test_tokens_are_lower_case_with_digits_as_zero_and_no_markers_or_punctuation() -> None:
    tokens = vector_tokens("**Wilders** wil 250 Asielzoekers minder.")
    assert tokens == ["wilders", "wil", "000", "asielzoekers", "minder"]


def test_pool_is_the_sif_weighted_mean_of_known_words_at_unit_length() -> None:
    pooled = pool(TABLE, "Wilders wil minder asiel.")
    expected = np.array([0.25, 1.0, 1.0]) / np.linalg.norm([0.25, 1.0, 1.0])
    np.testing.assert_allclose(pooled, expected, rtol=1e-3)
    plain = pool(TABLE, "Wilders wil minder asiel.", weighted=False)
    np.testing.assert_allclose(plain, np.ones(3) / np.sqrt(3), rtol=1e-3)


def test_a_text_without_known_words_pools_to_zero() -> None:
    assert not pool(TABLE, "Ajax won van Feyenoord.").any()


def test_topic_crossed_features_fill_the_shared_block_and_the_topic_block() -> None:
    vectorizer = PooledWordVectors(TABLE, topic_crossed=True).fit(
        [topic_text("wil asiel", "immigration"), topic_text("minder", "economic")]
    )
    assert vectorizer.topics_ == ("economic", "immigration")
    rows = vectorizer.transform([topic_text("minder asiel", "immigration"), topic_text("minder asiel", "housing")])
    dense = rows.toarray()
    assert dense.shape == (2, 9)
    pooled = pool(TABLE, "minder asiel")
    np.testing.assert_allclose(dense[0], np.concatenate([pooled, np.zeros(3), pooled]))
    np.testing.assert_allclose(dense[1], np.concatenate([pooled, np.zeros(6)]))


def test_the_table_pickles_without_its_index_and_pools_the_same_after_loading(tmp_path: Path) -> None:
    joblib.dump(PooledWordVectors(TABLE), tmp_path / "pooled.joblib")
    loaded = joblib.load(tmp_path / "pooled.joblib")
    assert loaded.table.index == {"wil": 0, "minder": 1, "asiel": 2}
    texts = ["Wilders wil minder asiel.", "asiel"]
    expected = PooledWordVectors(TABLE).transform(texts).toarray()
    np.testing.assert_array_equal(loaded.transform(texts).toarray(), expected)


def test_a_table_with_fewer_weights_than_words_is_refused() -> None:
    with pytest.raises(ValueError, match="3 words"):
        WordVectorTable(TABLE.words, TABLE.vectors, np.ones(2, dtype=np.float16))


def test_only_the_word_vector_variants_read_pooled_vectors() -> None:
    assert all(uses_word_vectors(v) for v in WORD_VECTOR_VARIANTS)
    assert not any(uses_word_vectors(v) for v in VARIANTS)


@pytest.fixture(scope="module")
def tiny_fasttext(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real gensim fastText model (skip-gram, subwords) trained on a few hundred synthetic news lines."""
    from gensim.models import FastText

    subjects = ["de partij", "het kabinet", "de minister", "wilders", "de boeren", "de regering"]
    verbs = ["wil meer", "wil minder", "is tegen", "steunt", "pleit voor"]
    objects = ["asielzoekers", "vluchtelingen", "migratie", "windmolens", "belastingen", "stikstof", "woningen"]
    lines = [
        f"{subject} {verb} {thing} in 0000 .".split()
        for subject in subjects
        for verb in verbs
        for thing in objects
        for _ in range(2)
    ]
    model = FastText(vector_size=16, window=3, min_count=1, sg=1, bucket=5000, epochs=3, workers=1, seed=13)
    model.build_vocab(lines)
    model.train(lines, total_examples=len(lines), epochs=3)
    path = tmp_path_factory.mktemp("fasttext") / "tiny.model"
    model.save(str(path))
    return path


def test_the_table_holds_frequent_corpus_words_and_the_units_words_with_subword_vectors(tiny_fasttext: Path) -> None:
    vectors = load_fasttext_vectors(tiny_fasttext)
    table = build_table(vectors, ["**Rutte** wil minder asielmigratie."], top_words=3)
    assert table.words[:3] == tuple(vectors.index_to_key[:3])
    assert {"rutte", "wil", "minder", "asielmigratie"} <= set(table.words)
    assert "asielmigratie" not in vectors.key_to_index
    row = table.index["asielmigratie"]
    np.testing.assert_allclose(table.vectors[row], vectors["asielmigratie"], atol=1e-3)
    assert table.vectors.dtype == np.float16
    assert table.weights[row] == 1.0
    assert table.weights[table.index["wil"]] < 1.0
    assert table_coverage(table, ["wil minder kiezers"]) == pytest.approx(2 / 3)


def test_the_card_reads_what_the_vectors_were_learnt_from_in_the_report_beside_the_model(tmp_path: Path) -> None:
    assert training_summary(tmp_path / "news.model") == {}
    report = {
        "corpus": {"folder": "/corpus", "tokens": 1200},
        "vocabulary": 300,
        "parameters": {"epochs": 5},
        "wall_seconds": {"tokenise": 1.0, "train": 9.5},
    }
    (tmp_path / "news.report.json").write_text(json.dumps(report), encoding="utf-8")
    summary = training_summary(tmp_path / "news.model")
    assert summary == {
        "corpus": "/corpus",
        "tokens": 1200,
        "vocabulary": 300,
        "parameters": {"epochs": 5},
        "wall_seconds": {"tokenise": 1.0, "train": 9.5},
    }


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_tiny_training_run_with_word_vectors_ships_a_refit_the_service_loads(
    tmp_path: Path, tiny_fasttext: Path
) -> None:
    stance.main([*write_training_inputs(tmp_path), "--word-vectors", str(tiny_fasttext), "--refit-all"])
    report = json.loads((tmp_path / "model" / "training_report.json").read_text(encoding="utf-8"))
    assert report["classifier_fit"] == "train+dev+test"
    fitted = sum(report[sizes][s]["units"] for sizes in ("split_sizes", "net_split_sizes") for s in report[sizes])
    assert report["classifier_units"] == fitted
    assert {v["variant"] for v in report["variants"]} >= {v.name for v in WORD_VECTOR_VARIANTS}
    card = (tmp_path / "model" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Which fit each figure comes from" in card
    model = load_stance_model(tmp_path / "model")
    ((housing,),) = model.predict(["Premier **Rutte** wil meer huurwoningen voor iedereen."], ["housing"])
    assert sum(housing.scores.values()) == pytest.approx(1.0)
