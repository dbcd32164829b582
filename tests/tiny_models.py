"""Tiny real Flair models trained in seconds on handmade Dutch sentences, for behaviour tests.

They are real SequenceTagger / TextClassifier instances, saved to disk and loaded back through the same
loader the service uses (a reloaded model, never the in-memory one).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

PEOPLE = [("Donald", "Trump"), ("Vladimir", "Poetin"), ("Mark", "Rutte"), ("Sigrid", "Kaag")]
ORGS = ["NAVO", "PVV", "Europese Unie", "VVD"]
PLACES = ["Helsinki", "Rusland", "Nederland", "Brussel"]
TEMPLATES = [
    "{per} sprak in {loc} met {per2} .",
    "Volgens {per} is de {org} te zwak .",
    "{per2} zei dat {org} niet in {loc} komt .",
    "De {org} en {per} willen minder asielzoekers .",
    "In {loc} ontmoette {per} de leiders van {org} .",
]


def _tokens(kind: str, text: str) -> list[tuple[str, str]]:
    words = text.split()
    return [(w, ("B-" if i == 0 else "I-") + kind) for i, w in enumerate(words)]


def tagged_sentences(count: int = 60, seed: int = 7) -> list[list[tuple[str, str]]]:
    """Template sentences with gold BIO tags; people appear with full name and surname alone."""
    rng = random.Random(seed)
    sentences = []
    for template in itertools.islice(itertools.cycle(TEMPLATES), count):
        first, second = rng.sample(PEOPLE, 2)
        fills = {
            "per": " ".join(first) if rng.random() < 0.5 else first[1],
            "per2": " ".join(second) if rng.random() < 0.5 else second[1],
            "org": rng.choice(ORGS),
            "loc": rng.choice(PLACES),
        }
        sentence: list[tuple[str, str]] = []
        for word in template.split():
            if word.startswith("{") and word.rstrip(".").endswith("}"):
                slot = word.strip("{}")
                kind = {"per": "PER", "per2": "PER", "org": "ORG", "loc": "LOC"}[slot]
                sentence.extend(_tokens(kind, fills[slot]))
            else:
                sentence.append((word, "O"))
        sentences.append(sentence)
    return sentences


def train_tiny_tagger(folder: Path, use_crf: bool = True) -> Path:
    """A BiLSTM-CRF (or, without ``use_crf``, a BiLSTM with a softmax per token) over characters + one-hot words,
    trained for a few epochs; returns the model path."""
    import flair
    import torch
    from flair.data import Corpus, Dictionary
    from flair.datasets import FlairDatapointDataset
    from flair.embeddings import CharacterEmbeddings, OneHotEmbeddings, StackedEmbeddings

    from training.corpora import to_flair_sentence

    flair.set_seed(1)
    torch.set_num_threads(1)
    data = [to_flair_sentence(tokens) for tokens in tagged_sentences()]
    corpus = Corpus(
        FlairDatapointDataset(data[:50]),
        FlairDatapointDataset(data[50:]),
        FlairDatapointDataset([]),
        sample_missing_splits=False,
    )
    chars = Dictionary(add_unk=True)
    for char in sorted({c for s in data for t in s for c in t.text}):
        chars.add_item(char)
    chars.save(str(folder / "chars.pkl"))
    embeddings = StackedEmbeddings(
        [
            CharacterEmbeddings(path_to_char_dict=str(folder / "chars.pkl")),
            OneHotEmbeddings.from_corpus(corpus, min_freq=1, embedding_length=16),
        ],
        overwrite_names=False,
    )
    return fit_tiny_tagger(corpus, embeddings, folder / "run", hidden_size=32, max_epochs=12, use_crf=use_crf)


def fit_tiny_tagger(corpus, embeddings, run: Path, hidden_size: int, max_epochs: int, use_crf: bool = True) -> Path:
    """A BiLSTM-CRF (with ``use_crf`` off: a BiLSTM with a softmax per token) over ``embeddings`` trained on
    ``corpus`` with the tiny fixtures' settings; the saved model's path (a reloaded model is what tests must use:
    see the flair-offline notes)."""
    from flair.models import SequenceTagger
    from flair.trainers import ModelTrainer

    tagger = SequenceTagger(
        hidden_size=hidden_size,
        embeddings=embeddings,
        tag_dictionary=corpus.make_label_dictionary("ner", add_unk=False),
        tag_type="ner",
        use_crf=use_crf,
    )
    ModelTrainer(tagger, corpus).train(
        run,
        learning_rate=0.1,
        mini_batch_size=8,
        max_epochs=max_epochs,
        embeddings_storage_mode="none",
        save_final_model=True,
        create_file_logs=False,
        create_loss_file=False,
    )
    return run / "final-model.pt"
