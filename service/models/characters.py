"""Flair's character embeddings computed for a whole mini-batch of sentences in one LSTM call.

Flair's ``CharacterEmbeddings`` runs its character BiLSTM once per sentence and, to put the sorted words back in
order, compares every word with every other (quadratic in the sentence's length); on news articles that was about
a quarter of the NER tagger's time, mostly per-call overhead. ``BatchedCharacterEmbeddings`` packs the words of
all the sentences into one call and reorders them with one lookup.

The vectors are Flair's, including how Flair puts them back in order: where a word occurs more than once in a
sentence, only its last occurrence gets its own vector, and each earlier occurrence gets the vector of the word at
its position in the length-sorted list. The trained taggers learned from vectors placed that way, so they are
placed that way here. Where the character LSTM is int8 (``NER_QUANTIZE``), its inputs are quantized per call, so
a batch of sentences gives vectors a little different from sentences one by one (as any other batch size does).
"""

from __future__ import annotations

from typing import Any

import torch
from flair.embeddings import CharacterEmbeddings
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

# The most characters (words × the longest word's length) one LSTM call pads to: a mini-batch of news sentences
# is one call; a pathological word gets calls of its own.
PADDED_CHARACTERS = 1 << 18


class BatchedCharacterEmbeddings(CharacterEmbeddings):
    """A ``CharacterEmbeddings`` whose vectors come from one LSTM call per mini-batch (``use_batched_characters``)."""

    def _add_embeddings_internal(self, sentences: list[Any]) -> None:
        words = [token.text for sentence in sentences for token in sentence.tokens]
        if not words:
            return
        indices = self._character_indices(words)
        vectors = self._word_vectors(indices)
        placed = vectors[_flair_placement(sentences, indices)]
        for token, vector in zip((t for s in sentences for t in s.tokens), placed, strict=True):
            token.set_embedding(self.name, vector)

    def _character_indices(self, words: list[str]) -> list[tuple[int, ...]]:
        """Each word's characters as dictionary indices (a word read once however often it occurs)."""
        known: dict[str, tuple[int, ...]] = {}
        lookup = self.char_dictionary.get_idx_for_item
        for word in words:
            if word not in known:
                known[word] = tuple(lookup(char) for char in word)
        return [known[word] for word in words]

    def _word_vectors(self, indices: list[tuple[int, ...]]) -> torch.Tensor:
        """The BiLSTM's output at each word's last character, one row per word, in order. Words go to the LSTM
        shortest first, in runs padded to at most ``PADDED_CHARACTERS`` characters, so that one very long word
        (a 100,000-character token) does not pad every other word of the batch to its length."""
        by_length = sorted(range(len(indices)), key=lambda i: len(indices[i]))
        runs: list[list[int]] = [[]]
        for position, word in enumerate(by_length):
            runs[-1].append(word)
            following = by_length[position + 1] if position + 1 < len(by_length) else None
            if following is not None and (len(runs[-1]) + 1) * len(indices[following]) > PADDED_CHARACTERS:
                runs.append([])
        outputs = torch.cat([self._run_vectors([indices[i] for i in run]) for run in runs])
        return outputs[torch.tensor(by_length).argsort().to(outputs.device)]

    def _run_vectors(self, words: list[tuple[int, ...]]) -> torch.Tensor:
        lengths = torch.tensor([len(word) for word in words])
        longest = int(lengths.max())
        chars = torch.tensor([word + (0,) * (longest - len(word)) for word in words], dtype=torch.long)
        embedded = self.char_embedding(chars.to(self.char_embedding.weight.device)).transpose(0, 1)
        packed = pack_padded_sequence(embedded, lengths, enforce_sorted=False)
        outputs, _ = pad_packed_sequence(self.char_rnn(packed)[0])
        return outputs[lengths - 1, torch.arange(len(words))]


def _flair_placement(sentences: list[Any], indices: list[tuple[int, ...]]) -> list[int]:
    """For every token, the row of the word vector Flair's per-sentence loop gives it (the module docstring)."""
    placement: list[int] = []
    first = 0
    for sentence in sentences:
        words = indices[first : first + len(sentence.tokens)]
        by_length = sorted(range(len(words)), key=lambda i: len(words[i]), reverse=True)
        last_of = {word: i for i, word in enumerate(words)}
        source = list(range(len(words)))
        for rank, position in enumerate(by_length):
            source[last_of[words[position]]] = rank
        placement += [first + by_length[source[i]] for i in range(len(words))]
        first += len(words)
    return placement


def use_batched_characters(embeddings: Any) -> None:
    """Give the character embeddings in a loaded Flair embedding stack (or a single embedding) the batched
    computation: same model, same weights; the module docstring says where the vectors may differ."""
    for embedding in getattr(embeddings, "embeddings", [embeddings]):
        if type(embedding) is CharacterEmbeddings:
            embedding.__class__ = BatchedCharacterEmbeddings
