"""In-domain LM pretraining: held-out articles, split corpora, LMs taken out of a tagger, resumed runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from training import ner

pytestmark = pytest.mark.training

LINES = [
    "De premier sprak in Den Haag met de burgemeester van Rotterdam.",
    "Volgens de minister is het plan betaalbaar, maar de oppositie twijfelt.",
    "Het kabinet wil meer woningen bouwen in de Randstad.",
    "De Tweede Kamer stemde dinsdag in met het voorstel van de VVD.",
    "Zij zei dat de gemeente de kosten niet kan dragen.",
    "Trump en Poetin spraken in Helsinki over Syrië en Oekraïne.",
]


def _paragraphs(articles: int) -> list[tuple[str, str]]:
    return [(f"a{i:03d}", f"{LINES[(i + j) % len(LINES)]} ({i}.{j})") for i in range(articles) for j in range(3)]


def test_held_out_articles_are_whole_and_about_the_size_asked():
    paragraphs = _paragraphs(60)
    train, valid, test = ner.hold_out_articles(paragraphs, chars=600)
    article_of = {text: article for article, text in paragraphs}
    valid_ids, test_ids, train_ids = ({article_of[t] for t in part} for part in (valid, test, train))
    assert not valid_ids & train_ids and not test_ids & train_ids and not valid_ids & test_ids
    assert len(train) + len(valid) + len(test) == len(paragraphs)
    longest_article = max(sum(len(t) for a, t in paragraphs if a == article) for article in article_of.values())
    for part in (valid, test):
        assert 600 <= sum(map(len, part)) < 600 + longest_article


def test_split_files_sort_in_the_order_they_were_written(tmp_path):
    train = [f"regel {i}" for i in range(120)]
    ner.write_split_corpus(train, ["valid"], ["test"], tmp_path, splits=12)
    names = [path.name for path in sorted((tmp_path / "train").iterdir())]
    assert names == [f"train_split_{i:02d}" for i in range(1, 13)]
    written = [line for name in names for line in (tmp_path / "train" / name).read_text().split("\n") if line]
    assert sorted(written) == sorted(train)


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lm-corpus")
    text = [line for _ in range(12) for line in LINES]
    ner.write_split_corpus(text, LINES * 3, LINES * 3, folder, splits=3)
    return folder


@pytest.fixture(scope="module")
def tagger_without_decoders(tmp_path_factory, tiny_corpus) -> Path:
    """A tiny tagger over two tiny LMs: loaded inside it, the LMs lose their output layers, as shipped ones do."""
    import torch
    from flair.data import Dictionary
    from flair.embeddings import FlairEmbeddings, StackedEmbeddings
    from flair.models import LanguageModel, SequenceTagger

    folder = tmp_path_factory.mktemp("tagger")
    torch.manual_seed(5)
    chars = Dictionary(add_unk=True)
    for char in sorted(set("".join(LINES))):
        chars.add_item(char)
    paths = []
    for forward in (True, False):
        path = folder / f"lm-{forward}.pt"
        LanguageModel(chars, forward, hidden_size=16, nlayers=1).save(path)
        paths.append(path)
    tags = Dictionary(add_unk=False)
    for tag in ("O", "S-PER", "B-PER", "E-PER", "I-PER"):
        tags.add_item(tag)
    stack = StackedEmbeddings([FlairEmbeddings(str(p)) for p in paths], overwrite_names=False)
    tagger = SequenceTagger(hidden_size=8, embeddings=stack, tag_dictionary=tags, tag_type="ner", use_crf=False)
    tagger.save(folder / "tagger.pt")
    return folder / "tagger.pt"


def test_lms_taken_from_a_tagger_get_a_fitted_output_layer_and_an_unchanged_body(
    tmp_path, tiny_corpus, tagger_without_decoders
):
    import torch
    from flair.models import LanguageModel
    from flair.trainers.language_model_trainer import LanguageModelTrainer, TextCorpus

    ner.main(["extract-lms", "--tagger", str(tagger_without_decoders), "--out", str(tmp_path)])
    extracted = LanguageModel.load_language_model(tmp_path / "lm-forward.pt")
    assert extracted.decoder is None
    body = {k: v.clone() for k, v in extracted.state_dict().items()}

    ner.fit_new_decoder(extracted, tiny_corpus, tmp_path / "decoder", learning_rate=5.0)

    assert extracted.decoder is not None
    assert all(parameter.requires_grad for parameter in extracted.parameters())
    for key, value in body.items():
        assert extracted.state_dict()[key].equal(value), key
    corpus = TextCorpus(tiny_corpus, extracted.dictionary, True, character_level=True)
    fitted = LanguageModelTrainer(extracted, corpus)
    fitted_loss = ner.validation_loss(fitted)
    torch.nn.init.uniform_(extracted.decoder.weight, -0.1, 0.1)
    torch.nn.init.zeros_(extracted.decoder.bias)
    assert fitted_loss < ner.validation_loss(fitted)


def test_a_resumed_run_reads_only_the_splits_after_its_checkpoint(tmp_path, tiny_corpus):
    import torch
    from flair.data import Dictionary
    from flair.models import LanguageModel

    chars = Dictionary(add_unk=True)
    for char in sorted(set("".join(LINES))):
        chars.add_item(char)
    model = LanguageModel(chars, False, hidden_size=16, nlayers=1)
    optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
    model.save_checkpoint(tmp_path / "checkpoint.pt", optimizer, 0, 1, 3.5)

    trainer = ner.resume_from_checkpoint(tmp_path / "checkpoint.pt", tiny_corpus, tmp_path / "out", forward=False)

    assert [path.name for path in trainer.corpus.train.files] == ["train_split_2", "train_split_3"]
    assert (trainer.epoch, trainer.split, trainer.loss) == (0, 1, 3.5)
    with pytest.raises(SystemExit, match="not a forward checkpoint"):
        ner.resume_from_checkpoint(tmp_path / "checkpoint.pt", tiny_corpus, tmp_path / "out", forward=True)
