"""The neural half of the actor-stance model: small BiLSTM heads over the NER tagger's token vectors.

A head reads the evidence sentence as the NER tagger's embedding stack sees it (word, character and the two
character language models' vectors per token; ``NerModel.tag_layers`` keeps them on the document), plus four
flags per token: the source actor's words, the target actor's words, the words between the two, and whether
the evidence is a quote of the source. It pools the BiLSTM states over the sentence, the source, the target
and the words between, and gives the three positions' probabilities. Where the speaker of a quote is outside
the sentence, no token carries the source flag and the quote flag says who speaks.

The heads learn on the annotated corpus (``training.actor_stance_head``) from the vectors the service computes,
int8 as served; the scores of several heads (seeds) are averaged. ``pair_head.pt`` also holds the embedding
stack they were trained over (the compact NER model's, fp32), for a service whose ``NER_MODEL`` has another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence

from service.text import tokenize

HEAD_FILE = "pair_head.pt"
FLAGS = ("source", "target", "between", "quote")
BATCH = 128
# A large negative number for max-pooling over masked positions (a fully masked pool gives zeros).
_MASKED = -1e4


@dataclass(frozen=True)
class PairTokens:
    """One piece of evidence as a head reads it: the sentence's token vectors and the flags per token."""

    vectors: torch.Tensor
    flags: torch.Tensor


def pair_tokens(
    vectors: torch.Tensor,
    offsets: Sequence[tuple[int, int]],
    source: tuple[int, int] | None,
    target: tuple[int, int],
    quote: bool,
) -> PairTokens:
    """Flag the tokens (``offsets``: each token's characters in the sentence) for a source span (None: the
    speaker is not in the sentence), a target span, the words between the two, and the evidence kind."""
    bounds = torch.tensor(offsets, dtype=torch.long).reshape(-1, 2)
    starts, ends = bounds[:, 0], bounds[:, 1]

    def overlapping(span: tuple[int, int]) -> torch.Tensor:
        return (starts < span[1]) & (span[0] < ends)

    # Between the two actors; for a speaker outside the sentence, what comes before the target.
    gap = (0, target[0]) if source is None else (min(source[1], target[1]), max(source[0], target[0]))
    no_source = torch.zeros(len(offsets), dtype=torch.bool)
    flags = torch.stack(
        [
            no_source if source is None else overlapping(source),
            overlapping(target),
            (gap[0] <= starts) & (ends <= gap[1]),
            torch.full((len(offsets),), quote),
        ],
        dim=1,
    )
    return PairTokens(vectors, flags.float())


def embedded_pair_tokens(
    embed: Callable[[list[list[str]]], list[torch.Tensor]],
    pairs: Sequence[tuple[str, tuple[int, int] | None, tuple[int, int], bool]],
) -> list[PairTokens]:
    """Each ``(sentence, source span, target span, quote)`` as the heads read it, where no NER pass left the
    vectors: every distinct sentence tokenised as the service does and embedded once, by ``embed``."""
    sentences = sorted({sentence for sentence, _, _, _ in pairs})
    tokenised = {sentence: tokenize(sentence) for sentence in sentences}
    vectors = dict(zip(sentences, embed([[t.text for t in tokenised[s]] for s in sentences]), strict=True))
    return [
        pair_tokens(vectors[sentence], [(t.start, t.end) for t in tokenised[sentence]], source, target, quote)
        for sentence, source, target, quote in pairs
    ]


class PairHead(nn.Module):
    """Flags joined to each token vector, a projection, a BiLSTM, and four pools into three positions."""

    def __init__(self, vector_size: int, projection: int = 128, hidden: int = 64, dropout: float = 0.3) -> None:
        super().__init__()
        self.config = {"vector_size": vector_size, "projection": projection, "hidden": hidden, "dropout": dropout}
        self.dropout = nn.Dropout(dropout)
        self.projection = nn.Linear(vector_size + len(FLAGS), projection)
        self.rnn = nn.LSTM(projection, hidden, batch_first=True, bidirectional=True)
        self.output = nn.Linear(hidden * 2 * 4 + 1, 3)

    def forward(self, vectors: torch.Tensor, flags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits per position (``POSITIONS`` order) for a padded batch: ``mask`` is 1 on real tokens."""
        return self.read(self.project_vectors(self.dropout(vectors)), flags, mask)

    def project_vectors(self, vectors: torch.Tensor) -> torch.Tensor:
        """The token vectors' share of the projection (with its bias), which does not depend on the pair: the
        pairs of one sentence share it, so ``head_scores`` computes it once per sentence."""
        size = self.config["vector_size"]
        return nn.functional.linear(vectors, self.projection.weight[:, :size], self.projection.bias)

    def read(self, projected: torch.Tensor, flags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits per position from the projected token vectors of a padded batch and the pairs' flags."""
        flag_share = nn.functional.linear(self.dropout(flags), self.projection.weight[:, self.config["vector_size"] :])
        states = torch.relu(projected + flag_share)
        # Packed, so that padding never reaches the backward direction: a score does not depend on the batch.
        lengths = mask.sum(1).long().cpu()
        packed = nn.utils.rnn.pack_padded_sequence(states, lengths, batch_first=True, enforce_sorted=False)
        unpacked = nn.utils.rnn.pad_packed_sequence(self.rnn(packed)[0], batch_first=True, total_length=mask.shape[1])
        states = self.dropout(unpacked[0])
        pools = [
            _max_pool(states, mask),
            _mean_pool(states, flags[..., 0]),
            _mean_pool(states, flags[..., 1]),
            _max_pool(states, flags[..., 2] * mask),
        ]
        return self.output(torch.cat([*pools, flags[:, :1, 3]], -1))


def _max_pool(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    filled = torch.where(mask.unsqueeze(-1) > 0, states, torch.full_like(states, _MASKED))
    return filled.max(1).values * (mask.sum(1, keepdim=True) > 0)


def _mean_pool(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return (states * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)


def padded(items: Sequence[PairTokens]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Vectors, flags and mask of ``items`` (anything with ``vectors`` and ``flags`` per token) padded to the
    longest."""
    length = max(len(item.vectors) for item in items)
    size, flag_count = items[0].vectors.shape[1], items[0].flags.shape[1]
    vectors = torch.zeros(len(items), length, size)
    flags = torch.zeros(len(items), length, flag_count)
    mask = torch.zeros(len(items), length)
    for i, item in enumerate(items):
        n = len(item.vectors)
        vectors[i, :n], flags[i, :n], mask[i, :n] = item.vectors.float(), item.flags, 1.0
    return vectors, flags, mask


def head_scores(heads: Sequence[PairHead], items: Sequence[PairTokens]) -> np.ndarray:
    """Position probabilities averaged over ``heads``, shape ``(len(items), 3)``; shorter items batched
    together so that padding stays small. Items that hold the same ``vectors`` tensor (the pairs of one
    sentence) share its projection."""
    scores = np.zeros((len(items), 3), dtype=np.float64)
    if not items:
        return scores
    order = sorted(range(len(items)), key=lambda i: len(items[i].vectors))
    sentence_of, sentences = _distinct_vectors(items)
    with torch.inference_mode():
        projected = [_projected_sentences(head, sentences) for head in heads]
        for first in range(0, len(order), BATCH):
            chosen = order[first : first + BATCH]
            flags = pad_sequence([items[i].flags for i in chosen], batch_first=True)
            mask = pad_sequence([torch.ones(len(items[i].flags)) for i in chosen], batch_first=True)
            probabilities = []
            for head, own in zip(heads, projected, strict=True):
                states = pad_sequence([own[sentence_of[i]] for i in chosen], batch_first=True)
                probabilities.append(torch.softmax(head.read(states, flags, mask), -1))
            scores[chosen] = torch.stack(probabilities).mean(0).double().numpy()
    return scores


def _projected_sentences(head: PairHead, sentences: Sequence[torch.Tensor]) -> list[torch.Tensor]:
    """``head.project_vectors`` of each sentence's token vectors, in one call over all of them."""
    rows = head.project_vectors(torch.cat([vectors.float() for vectors in sentences]))
    return list(rows.split([len(vectors) for vectors in sentences]))


def _distinct_vectors(items: Sequence[PairTokens]) -> tuple[list[int], list[torch.Tensor]]:
    """For each item the index of its ``vectors`` tensor among the distinct ones (by identity), and those."""
    index: dict[int, int] = {}
    sentences: list[torch.Tensor] = []
    sentence_of = []
    for item in items:
        key = id(item.vectors)
        if key not in index:
            index[key] = len(sentences)
            sentences.append(item.vectors)
        sentence_of.append(index[key])
    return sentence_of, sentences


def save_heads(path: str | Path, heads: Sequence[PairHead], embeddings: Any) -> None:
    """Write the heads' configuration and weights and the (fp32) Flair embedding stack they read, in Flair's
    own serialised form (``pair_head.pt``)."""
    torch.save(
        {
            "config": heads[0].config,
            "heads": [head.state_dict() for head in heads],
            "embeddings": embeddings.save_embeddings(use_state_dict=True),
        },
        path,
    )


def load_heads(path: str | Path, quantized: bool = False) -> tuple[list[PairHead], Any]:
    """The heads (in eval mode; their LSTM and output layer int8 where ``quantized``) and the embedding stack of
    a ``pair_head.pt``."""
    from flair.embeddings.base import load_embeddings

    saved = torch.load(path, map_location="cpu", weights_only=False)
    heads = []
    for state in saved["heads"]:
        head = PairHead(**saved["config"])
        head.load_state_dict(state)
        heads.append(quantized_head(head.eval()) if quantized else head.eval())
    embeddings = load_embeddings(saved["embeddings"])
    embeddings.eval()
    return heads, embeddings


def quantized_head(head: PairHead) -> PairHead:
    """Dynamic int8 quantization of a head's LSTM and output layer (torch announces the eager API as deprecated
    on every call; the lock pins torch, and the tests load int8 heads). The projection stays fp32: it is read
    in two parts (``project_vectors`` once per sentence, the flags' share per pair) through its weight."""
    import warnings

    from torch.ao.quantization import quantize_dynamic

    from service.models.quantized_lstm import use_packed_input_overload

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"torch\.ao\.quantization", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor", category=UserWarning)
        quantized = quantize_dynamic(head, {"rnn", "output"}, dtype=torch.qint8)
    use_packed_input_overload(quantized)
    return quantized
