"""Word vectors for the tagger (issue 14): fastText on a corpus folder, the vocabulary, alignment and the swap."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.tiny_models import fit_tiny_tagger, tagged_sentences
from training import ner, word_vectors
from training.corpora import normalise_word

DIM = 8
# Words that appear only in the dev file: the tagger's vocabulary must never take them from there.
DEV_ONLY_WORDS = ["Zwaardvisch", "kwakzalverij", "Oostkapelle"]
# Words of the unlabeled corpus that the CoNLL training file lacks.
CORPUS_LINES = [
    "Het klimaatakkoord werd in Parijs gesloten .",
    "De woningmarkt in Amsterdam blijft krap volgens makelaars .",
    "Boeren protesteerden in Den Haag tegen de stikstofregels .",
    "De Brexit zorgt voor onzekerheid bij bedrijven in Rotterdam .",
]


def test_procrustes_recovers_a_known_rotation_and_scale():
    rng = np.random.default_rng(3)
    source = rng.normal(size=(300, DIM))
    rotation, _ = np.linalg.qr(rng.normal(size=(DIM, DIM)))
    target = 2.5 * source @ rotation

    found_rotation, found_scale = word_vectors.procrustes_rotation(source, target)
    fit = word_vectors.alignment_fit(source, target)

    assert np.allclose(found_rotation, rotation, atol=1e-8)
    assert found_scale == pytest.approx(2.5)
    assert word_vectors.norm_matching_scale(source, target) == pytest.approx(2.5)
    assert fit["mean_cosine_after"] == pytest.approx(1.0)
    assert fit["mean_cosine_held_out"] == pytest.approx(1.0)
    assert fit["mean_cosine_before"] < 0.9


def test_procrustes_fit_is_partial_on_noisy_pairs():
    rng = np.random.default_rng(4)
    source = rng.normal(size=(300, DIM))
    rotation, _ = np.linalg.qr(rng.normal(size=(DIM, DIM)))
    target = source @ rotation + rng.normal(scale=1.0, size=source.shape)

    fit = word_vectors.alignment_fit(source, target)

    assert 0.3 < fit["mean_cosine_held_out"] < 0.95
    assert fit["mean_cosine_after"] > fit["mean_cosine_before"]


def test_vocabulary_keeps_required_words_first_and_respects_the_cap():
    vocabulary = word_vectors.tagger_vocabulary(["de", "trump"], ["de", "het", "een", "van"], max_words=4)
    assert vocabulary == ["de", "trump", "het", "een"]
    with pytest.raises(ValueError, match="exceed the cap"):
        word_vectors.tagger_vocabulary(["a", "b", "c"], [], max_words=2)


def test_a_held_out_conll_file_is_refused_as_a_vocabulary_source(tmp_path):
    dev = tmp_path / "ned.testa"
    dev.write_text("Zwaardvisch N O\n", encoding="utf-8")
    with pytest.raises(ValueError, match="held out"):
        word_vectors.conll_words(dev)


def test_word_vectors_need_a_tagger_to_resume():
    with pytest.raises(SystemExit):
        ner.main(["tagger", "--conll", "c", "--work", "w", "--out", "o", "--word-vectors", "v.kv"])


def _write_conll(path: Path, sentences: list[list[tuple[str, str]]]) -> None:
    lines = ["-DOCSTART- -DOCSTART- O", ""]
    for sentence in sentences:
        lines += [f"{token} X {tag}" for token, tag in sentence] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """CoNLL files, an unlabeled corpus folder and a tiny tagger over characters + word2vec (as shipped)."""
    import flair
    import torch
    from flair.data import Corpus
    from flair.datasets import FlairDatapointDataset

    from training.corpora import to_flair_sentence

    folder = tmp_path_factory.mktemp("word-vectors")
    conll = folder / "conll"
    conll.mkdir()
    sentences = tagged_sentences(80)
    dev = [[(word, "O") for word in DEV_ONLY_WORDS] + sentences[0]]
    _write_conll(conll / "ned.train", sentences)
    _write_conll(conll / "ned.testa", dev)

    texts = [" ".join(token for token, _ in sentence) for sentence in sentences]
    ner.write_split_corpus((texts + CORPUS_LINES) * 4, CORPUS_LINES, CORPUS_LINES, folder / "corpus", splits=2)

    work = folder / "work"
    work.mkdir()
    ner.build_char_dictionary(texts, work / "chars.pkl", min_count=1)
    ner.train_word_vectors(texts, work / "w2v.kv", dim=DIM, min_count=1)
    flair.set_seed(1)
    torch.set_num_threads(1)
    corpus = Corpus(
        FlairDatapointDataset([to_flair_sentence(s) for s in sentences[:70]]),
        FlairDatapointDataset([to_flair_sentence(s) for s in sentences[70:]]),
        FlairDatapointDataset([]),
        sample_missing_splits=False,
    )
    fit_tiny_tagger(corpus, ner.build_embeddings(work, None), folder / "run", hidden_size=16, max_epochs=4).rename(
        folder / "tagger.pt"
    )
    return folder


@pytest.fixture(scope="module")
def aligned_vectors(workspace) -> Path:
    """fastText on the corpus folder, then KeyedVectors for the tagger, through the module's CLI."""
    out = workspace / "fasttext"
    word_vectors.main(
        [
            "fasttext",
            "--corpus",
            str(workspace / "corpus"),
            "--out",
            str(out),
            "--name",
            "tiny",
            "--dim",
            str(DIM),
            "--min-count",
            "1",
            "--epochs",
            "3",
            "--bucket",
            "2000",
        ]
    )
    vectors = out / "tiny-aligned.kv"
    word_vectors.main(
        [
            "tagger-vectors",
            "--fasttext",
            str(out / "tiny.model"),
            "--tagger",
            str(workspace / "tagger.pt"),
            "--train-conll",
            str(workspace / "conll" / "ned.train"),
            "--out",
            str(vectors),
            "--max-words",
            "60",
        ]
    )
    return vectors


@pytest.mark.training
def test_fasttext_report_counts_the_tokenised_corpus(workspace, aligned_vectors):
    report = json.loads((workspace / "fasttext" / "tiny.report.json").read_text())
    files = sorted((workspace / "corpus" / "train").iterdir())
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    assert report["corpus"]["lines"] == len(lines)
    assert report["corpus"]["tokens"] == sum(len(line.split()) for line in lines)
    assert report["parameters"]["vector_size"] == DIM and report["parameters"]["seed"] == ner.SEED
    assert not (workspace / "fasttext" / "tiny.tokens.txt").exists()


@pytest.mark.training
def test_tagger_vocabulary_has_the_training_words_and_never_dev_only_words(workspace, aligned_vectors):
    from gensim.models import KeyedVectors

    vocabulary = set(KeyedVectors.load(str(aligned_vectors)).key_to_index)
    train_words = word_vectors.conll_words(workspace / "conll" / "ned.train")

    assert set(train_words) <= vocabulary
    assert "klimaatakkoord" in vocabulary
    assert len(vocabulary) == 60
    for word in DEV_ONLY_WORDS:
        assert normalise_word(word) not in vocabulary


@pytest.mark.training
def test_alignment_report_shows_the_rotation_helps(aligned_vectors):
    fit = json.loads(Path(f"{aligned_vectors}.report.json").read_text())["alignment"]
    assert fit["shared_words"] > 20
    assert fit["mean_cosine_after"] > fit["mean_cosine_before"]
    assert fit["scale"] == "norm"
    assert fit["mean_norm_aligned"] == pytest.approx(fit["mean_norm_old"], rel=1e-6)


@pytest.mark.training
def test_keeping_old_vectors_changes_only_words_new_to_the_tagger(workspace, aligned_vectors):
    from flair.models import SequenceTagger
    from gensim.models import FastText

    model = FastText.load(str(workspace / "fasttext" / "tiny.model"))
    old = word_vectors.tagger_word_vectors(SequenceTagger.load(workspace / "tagger.pt"))
    vocabulary = word_vectors.tagger_vocabulary(list(old), list(model.wv.index_to_key), max_words=60)
    kept, _ = word_vectors.aligned_keyed_vectors(model, vocabulary, old, keep_old=True)
    replaced, _ = word_vectors.aligned_keyed_vectors(model, vocabulary, old)
    new_words = [word for word in vocabulary if word not in old]

    assert new_words
    assert all(np.allclose(kept[word], old[word]) for word in old)
    assert all(np.allclose(kept[word], replaced[word]) for word in new_words)
    assert not np.allclose(replaced["trump"], old["trump"])


def _word_vector_slice(tagger, sentence) -> np.ndarray:
    """The part of the token's stacked embedding that comes from the word vectors (the stack's layout)."""
    tagger.embeddings.embed(sentence)
    token = sentence[0]
    offset = 0
    for name in sorted(token._embeddings):
        length = token._embeddings[name].shape[-1]
        if name == word_vectors.tagger_word_embeddings(tagger)[1].name:
            return token.get_embedding().detach().numpy()[offset : offset + length]
        offset += length
    raise AssertionError("no word-vector embedding on the token")


@pytest.mark.training
def test_a_swapped_tagger_reloads_with_the_new_vectors_in_place_and_tags(workspace, aligned_vectors, tmp_path):
    from flair.data import Sentence
    from flair.models import SequenceTagger
    from gensim.models import KeyedVectors

    original = SequenceTagger.load(workspace / "tagger.pt")
    word_vectors.main(
        [
            "swap",
            "--tagger",
            str(workspace / "tagger.pt"),
            "--vectors",
            str(aligned_vectors),
            "--out",
            str(tmp_path / "swapped.pt"),
        ]
    )
    reloaded = SequenceTagger.load(tmp_path / "swapped.pt")
    new = KeyedVectors.load(str(aligned_vectors))

    assert [e.name for e in reloaded.embeddings.embeddings] == [e.name for e in original.embeddings.embeddings]
    assert reloaded.embeddings.embedding_length == original.embeddings.embedding_length
    for word in ("trump", "klimaatakkoord"):
        vector = _word_vector_slice(reloaded, Sentence([word.capitalize()]))
        assert np.allclose(vector, new[word], atol=1e-6), word
    assert not np.allclose(_word_vector_slice(original, Sentence(["Trump"])), new["trump"], atol=1e-3)

    sentence = Sentence(["Volgens", "Mark", "Rutte", "is", "de", "NAVO", "te", "zwak", "."])
    reloaded.predict(sentence)
    assert [span.text for span in sentence.get_spans("ner")]


@pytest.mark.training
def test_training_resumes_with_swapped_word_vectors(workspace, aligned_vectors, tmp_path):
    from flair.models import SequenceTagger
    from gensim.models import KeyedVectors

    ner.main(
        [
            "tagger",
            "--conll",
            str(workspace / "conll"),
            "--work",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
            "--resume-from",
            str(workspace / "tagger.pt"),
            "--word-vectors",
            str(aligned_vectors),
            "--no-flair",
            "--max-epochs",
            "1",
            "--learning-rate",
            "0.05",
        ]
    )

    trained = SequenceTagger.load(tmp_path / "out" / "model.pt")
    _, embedding = word_vectors.tagger_word_embeddings(trained)
    assert embedding.vocab == KeyedVectors.load(str(aligned_vectors)).key_to_index
