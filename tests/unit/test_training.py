"""Training helpers that decide which NER model gets shipped: cached embeddings and swapped LMs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tiny_models import tagged_sentences
from training.corpora import to_flair_sentence

pytestmark = [pytest.mark.training, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def _corpus():
    from flair.data import Corpus
    from flair.datasets import FlairDatapointDataset

    data = [to_flair_sentence(tokens) for tokens in tagged_sentences(count=48)]
    return Corpus(
        FlairDatapointDataset(data[:40]),
        FlairDatapointDataset(data[40:]),
        FlairDatapointDataset([]),
        sample_missing_splits=False,
    )


def _char_dictionary(corpus, folder: Path) -> Path:
    from flair.data import Dictionary

    chars = Dictionary(add_unk=True)
    for char in sorted({c for sentence in corpus.get_all_sentences() for t in sentence for c in t.text}):
        chars.add_item(char)
    path = folder / "chars.pkl"
    chars.save(str(path))
    return path


def _language_model(chars: Path, folder: Path, forward: bool, seed: int) -> str:
    """An untrained (random) character LM: enough to stand in for a static Flair embedding."""
    import torch
    from flair.data import Dictionary
    from flair.models import LanguageModel

    torch.manual_seed(seed)
    model = LanguageModel(Dictionary.load_from_file(str(chars)), forward, hidden_size=16, nlayers=1)
    path = folder / f"lm-{'forward' if forward else 'backward'}-{seed}.pt"
    model.save(path)
    return str(path)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    import flair
    import torch

    flair.set_seed(3)
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("training")
    corpus = _corpus()
    chars = _char_dictionary(corpus, folder)
    lms = {seed: tuple(_language_model(chars, folder, forward, seed) for forward in (True, False)) for seed in (1, 2)}
    return folder, corpus, chars, lms


def _tagger(corpus, chars: Path, lms: tuple[str, str]):
    from flair.embeddings import CharacterEmbeddings, FlairEmbeddings, StackedEmbeddings
    from flair.models import SequenceTagger

    stack = StackedEmbeddings(
        [CharacterEmbeddings(path_to_char_dict=str(chars))] + [FlairEmbeddings(path) for path in lms],
        overwrite_names=False,
    )
    return SequenceTagger(
        hidden_size=16,
        embeddings=stack,
        tag_dictionary=corpus.make_label_dictionary("ner", add_unk=False),
        tag_type="ner",
        use_crf=True,
    )


def _train_three_epochs(tagger, corpus, run_dir: Path, storage_mode: str, plugins: list) -> dict:
    from flair.trainers import ModelTrainer

    return ModelTrainer(tagger, corpus).train(
        run_dir,
        learning_rate=0.1,
        mini_batch_size=8,
        max_epochs=3,
        embeddings_storage_mode=storage_mode,
        save_final_model=True,
        create_file_logs=False,
        plugins=plugins,
    )


def test_cached_training_scores_dev_with_the_current_character_embeddings(setup):
    """With static embeddings cached, each epoch's dev loss must be that of the model as it is then.

    Without the refresh plugin Flair keeps the dev set's character embeddings from the first epoch, and the
    recorded dev loss of later epochs no longer matches a fresh evaluation of the same weights.
    """
    from flair.models import SequenceTagger
    from flair.trainers.plugins import MetricHistoryPlugin

    from training.ner import trainable_embedding_names
    from training.plugins import RefreshTrainableEmbeddingsPlugin

    folder, corpus, chars, lms = setup
    tagger = _tagger(corpus, chars, lms[1])
    assert trainable_embedding_names(tagger) == ["Char"]
    refresh = RefreshTrainableEmbeddingsPlugin(corpus.dev, trainable_embedding_names(tagger))
    result = _train_three_epochs(tagger, corpus, folder / "cached", "cpu", [MetricHistoryPlugin(), refresh])
    final = SequenceTagger.load(folder / "cached" / "final-model.pt")
    fresh_dev = [to_flair_sentence(tokens) for tokens in tagged_sentences(count=48)[40:]]
    fresh = final.evaluate(fresh_dev, gold_label_type="ner", mini_batch_size=8)
    assert result["dev_loss_history"][-1] == pytest.approx(fresh.loss, rel=1e-4)


def test_swapped_language_models_keep_their_place_and_survive_a_reload(setup):
    """The tagger reads embeddings sorted by name: swapped LMs keep the old names, so the layout holds."""
    from flair.embeddings import FlairEmbeddings
    from flair.models import SequenceTagger

    from training.ner import swap_language_models

    folder, corpus, chars, lms = setup
    tagger = _tagger(corpus, chars, lms[1])
    names_before = tagger.embeddings.get_names()
    swap_language_models(tagger, lms[2])
    assert tagger.embeddings.get_names() == names_before
    tagger.save(folder / "swapped.pt")
    reloaded = SequenceTagger.load(folder / "swapped.pt")

    new_forward = FlairEmbeddings(lms[2][0]).lm.state_dict()
    loaded_forward = next(
        e for e in reloaded.embeddings.embeddings if isinstance(e, FlairEmbeddings) and e.is_forward_lm
    )
    for key, value in new_forward.items():
        assert loaded_forward.lm.state_dict()[key].equal(value), key
    assert reloaded.embeddings.get_names() == names_before


def test_weight_average_is_the_mean_of_the_epochs_and_saves_as_a_tagger(setup):
    import torch
    from flair.models import SequenceTagger
    from flair.trainers.plugins.base import TrainerPlugin

    from training.ner import save_averaged
    from training.plugins import WeightAveragePlugin

    class Snapshots(TrainerPlugin):
        def __init__(self) -> None:
            super().__init__()
            self.states: list[dict[str, torch.Tensor]] = []

        @TrainerPlugin.hook
        def after_training_epoch(self, **_: object) -> None:
            self.states.append({k: v.detach().clone() for k, v in self.model.state_dict().items()})

    folder, corpus, chars, lms = setup
    tagger = _tagger(corpus, chars, lms[1])
    averaging, snapshots = WeightAveragePlugin(), Snapshots()
    _train_three_epochs(tagger, corpus, folder / "averaged", "none", [averaging, snapshots])
    assert len(snapshots.states) == 3
    weights = "linear.weight"
    expected = torch.stack([state[weights] for state in snapshots.states]).mean(dim=0)
    assert not snapshots.states[0][weights].equal(snapshots.states[-1][weights])  # training moved the weights
    assert torch.allclose(averaging.averaged_state()[weights], expected, atol=1e-6)

    final = folder / "averaged" / "final-model.pt"
    saved = SequenceTagger.load(save_averaged(final, averaging.averaged_state(), folder))
    assert torch.allclose(saved.state_dict()[weights], expected, atol=1e-6)


def test_a_tagger_retrained_over_frozen_embeddings_ships_them_unchanged(setup):
    """The quote tagger and the actor-stance heads read the NER tagger's embeddings: a NER tagger retrained
    with ``--freeze-embeddings`` must leave them bit for bit as they were, and only its own layers change."""
    import torch
    from flair.models import SequenceTagger

    from training.ner import embed_once, export_head, freeze

    folder, corpus, chars, lms = setup
    tagger = _tagger(corpus, chars, lms[1])
    tagger.save(folder / "before-freeze.pt")
    freeze(tagger.embeddings)
    sentences = [*corpus.train, *corpus.dev]
    embed_once(tagger.embeddings, sentences)
    # Each token keeps a copy of its own vector, not a view into the states of its whole batch.
    assert all(vector._base is None for sentence in sentences for t in sentence for vector in t._embeddings.values())
    _train_three_epochs(tagger, corpus, folder / "frozen", "cpu", [])
    export_head(folder / "frozen" / "final-model.pt", folder / "before-freeze.pt", folder / "exported.pt")

    before = torch.load(folder / "before-freeze.pt", weights_only=False)["state_dict"]
    after = torch.load(folder / "exported.pt", weights_only=False)["state_dict"]
    embedding_keys = [key for key in before if key.startswith("embeddings.")]
    assert embedding_keys and all(after[key].equal(before[key]) for key in embedding_keys)
    assert any(not after[key].equal(before[key]) for key in before if key not in embedding_keys)
    assert SequenceTagger.load(folder / "exported.pt").embeddings.get_names() == tagger.embeddings.get_names()
