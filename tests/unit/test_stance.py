"""Stance windows, the shipped stance model and its relevance gate, on real Dutch text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from service.models.loading import ModelLoadError
from service.models.stance import POSITIONS, StanceModel, TopicStance, load_stance_model
from service.models.stance_features import (
    WordwiseCharNgrams,
    normalise_window,
    served_vectorizer,
    stance_window,
    transform_distinct,
)
from service.text import split_sentences

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "stance-nl-compact"
TEXT = (
    "De Tweede Kamer debatteerde donderdag over migratie. Wilders wil de asielinstroom drastisch "
    "beperken.\n\nTimmermans noemde dat onuitvoerbaar."
)
IMMIGRATION = "**Wilders** wil de asielinstroom drastisch beperken."
FOOTBALL = (
    "Ajax won zondag met 3-1 van Feyenoord. **Tadic** scoorde twee keer in de tweede helft. "
    "De supporters vierden feest tot laat in de avond."
)


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return load_stance_model(MODEL_DIR)


def window_for(text: str, word: str) -> str:
    """The service's window for the first occurrence of ``word``."""
    sentences = split_sentences(text)
    start = text.index(word)
    index = next(i for i, s in enumerate(sentences) if s.start <= start < s.end)
    return stance_window(text, sentences, index, start, start + len(word))


def test_window_marks_the_mention_with_previous_and_next_sentence() -> None:
    assert window_for(TEXT, "Wilders") == (
        "De Tweede Kamer debatteerde donderdag over migratie. **Wilders** wil de asielinstroom drastisch "
        "beperken. Timmermans noemde dat onuitvoerbaar."
    )


def test_window_of_first_and_last_sentence_has_one_neighbour() -> None:
    assert window_for(TEXT, "Tweede Kamer") == (
        "De **Tweede Kamer** debatteerde donderdag over migratie. Wilders wil de asielinstroom drastisch beperken."
    )
    assert window_for(TEXT, "Timmermans") == (
        "Wilders wil de asielinstroom drastisch beperken. **Timmermans** noemde dat onuitvoerbaar."
    )


def test_single_sentence_window_is_just_the_marked_sentence() -> None:
    assert window_for("Wilders wil minder asiel.", "Wilders") == "**Wilders** wil minder asiel."


def test_mention_outside_its_sentence_is_rejected() -> None:
    sentences = split_sentences(TEXT)
    with pytest.raises(ValueError, match="outside sentence 0"):
        stance_window(TEXT, sentences, 0, sentences[1].start, sentences[1].end)


def test_glued_training_text_normalises_to_the_service_window() -> None:
    glued = 'Dat moet niet kunnen.Daarom koos ik voor **NSC**."Ook bestaanszekerheid is een thema.'
    served = window_for('Dat moet niet kunnen. Daarom koos ik voor NSC." Ook bestaanszekerheid is een thema.', "NSC")
    assert normalise_window(glued) == served
    assert normalise_window(served) == served


def test_training_reads_units_through_the_service_normalisation(tmp_path: Path) -> None:
    from training.stance_data import read_units

    units_csv = tmp_path / "units.csv"
    units_csv.write_text(
        'unit_id,topic,text,majority,agreement\nabc-1-PVV,CivilRights,"Zo.Het **PVV**-plan.Klaar.",R,1.0\n',
        encoding="utf-8",
    )
    (unit,) = read_units(units_csv)
    assert (unit.doc, unit.topic, unit.position) == ("abc", "civil_rights", "negative")
    assert unit.window == normalise_window("Zo.Het **PVV**-plan.Klaar.") == "Zo. Het **PVV**-plan. Klaar."


def test_predict_returns_every_topic_with_scores_summing_to_one(model: StanceModel) -> None:
    (stances,) = model.predict([IMMIGRATION])
    shipped_topics = json.loads((MODEL_DIR / "metadata.json").read_text(encoding="utf-8"))["topics"]
    assert [s.topic for s in stances] == shipped_topics == list(model.topics)
    for stance in stances:
        assert isinstance(stance, TopicStance)
        assert stance.position in POSITIONS
        assert set(stance.scores) == set(POSITIONS)
        assert sum(stance.scores.values()) == pytest.approx(1.0)
        assert stance.position == max(stance.scores, key=stance.scores.__getitem__)
        assert 0.0 <= stance.relevance <= 1.0
    assert model.model_id == "stance-nl-compact" and model.version


def test_predict_requested_topics_only_and_rejects_unknown(model: StanceModel) -> None:
    (stances,) = model.predict([IMMIGRATION], ["economic", "immigration"])
    assert [s.topic for s in stances] == ["economic", "immigration"]
    assert model.predict([]) == []
    with pytest.raises(ValueError, match="defence"):
        model.predict([IMMIGRATION], ["defence"])


def test_batched_predict_equals_single_predict(model: StanceModel) -> None:
    windows = [IMMIGRATION, FOOTBALL, window_for(TEXT, "Timmermans")]
    batched = model.predict(windows)
    for window, expected in zip(windows, batched):
        (single,) = model.predict([window])
        for a, b in zip(single, expected):
            assert (a.topic, a.position, a.relevant) == (b.topic, b.position, b.relevant)
            assert a.relevance == pytest.approx(b.relevance)
            assert a.scores == pytest.approx(b.scores)


def test_gate_marks_immigration_relevant_and_football_not(model: StanceModel) -> None:
    immigration, football = model.predict([IMMIGRATION, FOOTBALL])
    assert {s.topic for s in immigration if s.relevant} == {"immigration"}
    assert not any(s.relevant for s in football)


def copy_of_shipped_model(target: Path) -> Path:
    target.mkdir()
    for name in ("metadata.json", "gate.joblib", "classifier.joblib"):
        shutil.copy(MODEL_DIR / name, target)
    return target


def test_the_topics_are_the_ones_the_metadata_lists(tmp_path: Path) -> None:
    directory = copy_of_shipped_model(tmp_path / "two-topics")
    metadata = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
    metadata["topics"] = ["economic", "immigration"]
    (directory / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    model = load_stance_model(directory)
    assert model.topics == ("economic", "immigration")
    (stances,) = model.predict([IMMIGRATION])
    assert [s.topic for s in stances] == ["economic", "immigration"]
    with pytest.raises(ValueError, match="education"):
        model.predict([IMMIGRATION], ["education"])


def test_a_topic_without_a_threshold_is_refused_naming_the_setting(tmp_path: Path) -> None:
    directory = copy_of_shipped_model(tmp_path / "no-threshold")
    metadata = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
    del metadata["thresholds"]["education"]
    (directory / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"STANCE_MODEL=.*no threshold for topics \['education'\]"):
        load_stance_model(directory)


def test_missing_model_directory_names_the_setting_and_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelLoadError, match=rf"^STANCE_MODEL='{missing}' cannot be loaded: no such file"):
        load_stance_model(missing)


def test_corrupt_model_file_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(MODEL_DIR / "metadata.json", broken)
    (broken / "gate.joblib").write_bytes(b"not a joblib file")
    with pytest.raises(ModelLoadError, match=rf"^STANCE_MODEL=.*StanceModelError: .*{broken / 'gate.joblib'}"):
        load_stance_model(broken)


def test_predict_relevant_keeps_exactly_the_gated_stances_of_predict(model):
    windows = [
        "**Wilders** wil de asielinstroom drastisch beperken.",
        "**Ajax** won zondag met 3-0 van Feyenoord.",
        "**GroenLinks** wil meer windmolens en minder CO2-uitstoot.",
    ]
    full = model.predict(windows)
    relevant = model.predict_relevant(windows)
    assert relevant == [[s for s in row if s.relevant] for row in full]
    assert relevant[0] and not relevant[1]


def test_a_saved_model_directory_reads_back_with_the_same_predictions(model, tmp_path):
    import joblib

    from service.models.stance import GATE_FILE, METADATA_FILE, SKLEARN_CLASSIFIER_FILE, save_stance_model

    metadata = json.loads((MODEL_DIR / METADATA_FILE).read_text(encoding="utf-8"))
    save_stance_model(
        tmp_path,
        joblib.load(MODEL_DIR / SKLEARN_CLASSIFIER_FILE),
        joblib.load(MODEL_DIR / GATE_FILE),
        metadata,
    )
    assert json.loads((tmp_path / METADATA_FILE).read_text(encoding="utf-8")) == metadata
    copy = load_stance_model(tmp_path)
    assert copy.predict_relevant([IMMIGRATION, FOOTBALL]) == model.predict_relevant([IMMIGRATION, FOOTBALL])


def test_a_repeated_text_is_vectorised_once_and_gets_the_same_row():
    texts = ["Rutte wil minder asiel.", "Kaag wil meer hulp.", "Rutte wil minder asiel.", "Kaag wil meer hulp."]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(texts)
    assert (transform_distinct(vectorizer, texts) != vectorizer.transform(texts)).nnz == 0
    assert transform_distinct(vectorizer, texts).shape == (4, len(vectorizer.vocabulary_))


WORDWISE_TEXTS = [
    "Rutte wil minder asiel, en Rutte wil het nu.",  # a repeated word counts twice
    "  KAAG\twil\n\nmeer   hulp  ",  # case and runs of any whitespace
    "Erdoğan en İstanbul: café, naïef — Apple™ €5 😀",  # accents, dotted capital I, symbols
    "",
    "xqzv",  # no n-gram in the vocabulary
]


@pytest.mark.parametrize(
    "options",
    [
        {"sublinear_tf": True},
        {"binary": True, "use_idf": False},
        {"norm": None, "smooth_idf": False},
        {"norm": "l1", "lowercase": False},
    ],
)
def test_wordwise_char_ngrams_give_the_vectorisers_own_matrix(options):
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **options).fit([TEXT, IMMIGRATION, FOOTBALL])
    wordwise = WordwiseCharNgrams(vectorizer, cache_size=4)  # smaller than the texts' words: the cache evicts

    for texts in (WORDWISE_TEXTS, [TEXT, FOOTBALL, *WORDWISE_TEXTS]):
        expected, served = vectorizer.transform(texts), wordwise.transform(texts)
        assert type(served) is type(expected) and served.shape == expected.shape
        assert (served != expected).nnz == 0


def test_the_loaded_models_serve_their_char_wb_vectorisers_wordwise(model, actor_stance_model):
    gate_and_members = [model._gate.vectorizers, *(member.vectorizers for member in model._scorer.members)]
    served = [*actor_stance_model.scorer.vectorizers, *(v for vectorizers in gate_and_members for v in vectorizers)]
    wordwise = [v for v in served if isinstance(v, WordwiseCharNgrams)]
    assert wordwise and all(v.vectorizer.analyzer == "char_wb" for v in wordwise)
    assert all(v.analyzer != "char_wb" for v in served if not isinstance(v, WordwiseCharNgrams))
    for vectorizer in wordwise:
        windows = [IMMIGRATION, FOOTBALL, TEXT]
        assert (vectorizer.transform(windows) != vectorizer.vectorizer.transform(windows)).nnz == 0


@pytest.mark.parametrize(
    "options",
    [
        {"analyzer": "word"},
        {"analyzer": "char"},
        # lower-casing then stripping accents is not the same when done twice: "Apple™" -> "appleTM" -> "appletm"
        {"analyzer": "char_wb", "strip_accents": "unicode"},
        {"analyzer": "char_wb", "preprocessor": str.upper},
        # scikit-learn warns that it counts in float64 all the same
        pytest.param({"analyzer": "char_wb", "dtype": np.int64}, marks=pytest.mark.filterwarnings("ignore:Only")),
    ],
)
def test_a_vectoriser_wordwise_reading_would_change_is_served_as_it_is(options):
    vectorizer = TfidfVectorizer(**options).fit([TEXT, *WORDWISE_TEXTS])
    assert served_vectorizer(vectorizer) is vectorizer
    with pytest.raises(ValueError, match="char_wb"):
        WordwiseCharNgrams(vectorizer)


def test_the_stance_models_compute_without_sklearns_per_call_checks(model, actor_stance_model, monkeypatch):
    """Their inputs are the fitted vectorisers' own output (``trusted_inputs``): scikit-learn is told so, and
    checks no matrix for finiteness again."""
    import sklearn
    from sklearn.utils import validation

    checked = []
    check = validation._assert_all_finite
    monkeypatch.setattr(
        validation, "_assert_all_finite", lambda *a, **k: (checked.append(sklearn.get_config()), check(*a, **k))[1]
    )
    model.predict_relevant([IMMIGRATION, FOOTBALL])
    sentence = "Rutte prijst Kaag om haar leiderschap."
    actor_stance_model.predict([(sentence, (0, 5), (13, 17))])

    assert checked, "the models call scikit-learn's input checks"
    assert all(config["assume_finite"] and config["skip_parameter_validation"] for config in checked)
    assert not sklearn.get_config()["assume_finite"]  # only within the models' calls
