"""The batched character embeddings give Flair's per-sentence vectors, placed where Flair places them."""

from __future__ import annotations

import pytest
import torch
from flair.data import Sentence as FlairSentence
from flair.embeddings import CharacterEmbeddings

from service.models import characters
from service.models.characters import PADDED_CHARACTERS, BatchedCharacterEmbeddings
from service.models.ner import load_ner_model
from service.text import split_sentences
from tests.helpers import SHIPPED_NER


def _character_vectors(embedding, token_lists: list[list[str]]) -> list[torch.Tensor]:
    sentences = [FlairSentence(tokens) for tokens in token_lists]
    with torch.no_grad():
        embedding._add_embeddings_internal(sentences)
    return [torch.stack([token.get_embedding([embedding.name]) for token in s]) for s in sentences]


@pytest.fixture(scope="module")
def fp32_characters():
    """The shipped NER model's character embeddings without int8, where one batch and sentence by sentence must
    agree to float precision."""
    stack = load_ner_model(str(SHIPPED_NER), quantize=()).embeddings
    return next(e for e in stack.embeddings if isinstance(e, CharacterEmbeddings))


@pytest.mark.parametrize("padded_characters", [PADDED_CHARACTERS, 64])
def test_batched_vectors_are_flairs_per_sentence_vectors(fp32_characters, sample_text, monkeypatch, padded_characters):
    """With the default padding budget the sample's sentences go in one call, a 3,000-character word in its own;
    with a budget of 64 characters the words go in many short calls. Either way the vectors are Flair's."""
    monkeypatch.setattr(characters, "PADDED_CHARACTERS", padded_characters)
    token_lists = [[token.text for token in s.tokens] for s in split_sentences(sample_text)[:40]]
    # A word twice in a sentence: Flair gives its earlier occurrence another word's vector, and so must this.
    token_lists.append(["De", "kat", "zag", "de", "hond", "en", "de", "kat", "."])
    token_lists.append(["Een", "lang" * 750, "woord", "."])
    assert fp32_characters.__class__ is BatchedCharacterEmbeddings

    ours = _character_vectors(fp32_characters, token_lists)
    fp32_characters.__class__ = CharacterEmbeddings
    try:
        flairs = _character_vectors(fp32_characters, token_lists)
    finally:
        fp32_characters.__class__ = BatchedCharacterEmbeddings

    for mine, theirs in zip(ours, flairs, strict=True):
        assert mine.shape == theirs.shape
        assert torch.allclose(mine, theirs, atol=1e-5)
    # Flair's placement, kept: the first "de" (position 3) has the vector of the word fourth longest, "kat".
    repeated = ours[-2]
    assert torch.equal(repeated[3], repeated[7]) and not torch.allclose(repeated[3], repeated[6])


def test_loaded_models_embed_characters_in_batches(shipped_ner):
    assert any(isinstance(e, BatchedCharacterEmbeddings) for e in shipped_ner.embeddings.embeddings)
