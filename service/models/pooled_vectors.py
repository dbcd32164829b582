"""Pooled word vectors as stance features: a compact table of fastText vectors and a pooling transformer.

The stance classifier's TF-IDF views only know the words of its ~6,000 training units; word vectors learnt
from a large news corpus (issue 14: fastText on news2019) tell it that "asielzoekers" and "vluchtelingen" are
alike. Serving must not need gensim's full model (hundreds of MB of subword buckets), so training stores a
table of the words it can expect (the training units' words, computed from subwords where the corpus lacked
them, plus the corpus's most frequent words) in float16; a word outside the table is skipped at serving time.

:class:`PooledWordVectors` has scikit-learn's ``fit``/``transform`` shape, so it sits in a stance member next to
the TF-IDF vectorisers and is pickled with them into ``classifier.joblib``; the service loads it once with the
rest of the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from service.models.stance_features import MARK, split_topic_text
from service.text import tokenize

_HAS_WORD_CHARACTER = re.compile(r"\w")
_DIGIT = re.compile(r"\d")
# SIF's smoothing constant (Arora et al. 2017): a word of corpus probability p weighs a / (a + p).
SIF_SMOOTHING = 1e-3


def vector_tokens(text: str) -> list[str]:
    """The words of ``text`` in the form the fastText vectors were trained on.

    ``training.word_vectors`` trains on the service's tokens, lower case, digits as 0; punctuation and the
    ``**`` mention markers carry no meaning of their own here and are dropped.
    """
    return [
        _DIGIT.sub("0", token.text.lower())
        for token in tokenize(text.replace(MARK, " "))
        if _HAS_WORD_CHARACTER.search(token.text)
    ]


@dataclass(frozen=True, eq=False)
class WordVectorTable:
    """Words, their vectors (float16, one row per word) and SIF weights (frequent words weigh less)."""

    words: tuple[str, ...]
    vectors: np.ndarray
    weights: np.ndarray
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.vectors.shape[0] != len(self.words) or self.weights.shape != (len(self.words),):
            raise ValueError(
                f"table of {len(self.words)} words has {self.vectors.shape[0]} vectors and "
                f"{self.weights.shape[0]} weights"
            )
        object.__setattr__(self, "index", {word: i for i, word in enumerate(self.words)})

    @property
    def dimension(self) -> int:
        return int(self.vectors.shape[1])

    def rows(self, words: Sequence[str]) -> list[int]:
        """Table rows of the words it holds, in order; unknown words are skipped."""
        return [self.index[word] for word in words if word in self.index]

    def __getstate__(self) -> dict[str, object]:
        """Pickle without the index: it is rebuilt on load, so ``classifier.joblib`` stays small."""
        return {"words": self.words, "vectors": self.vectors, "weights": self.weights}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()


def pool(table: WordVectorTable, text: str, weighted: bool = True) -> np.ndarray:
    """The (SIF-)weighted mean vector of the words of ``text`` the table holds, scaled to unit length.

    Unit length puts the block on the scale of the L2-normalised TF-IDF rows it is stacked with; a text
    without a known word gives the zero vector.
    """
    rows = table.rows(vector_tokens(text))
    if not rows:
        return np.zeros(table.dimension, dtype=np.float32)
    vectors = table.vectors[rows].astype(np.float32)
    weights = table.weights[rows].astype(np.float32) if weighted else np.ones(len(rows), dtype=np.float32)
    pooled = weights @ vectors
    norm = float(np.linalg.norm(pooled))
    return pooled / norm if norm > 0 else pooled


class PooledWordVectors:
    """A scikit-learn style transformer: texts -> pooled word vectors (sparse rows, to stack with TF-IDF).

    With ``topic_crossed`` the texts are ``topic | text`` (the ``topic_text`` view) and the pooled vector is
    written twice: in a block all topics share and in the topic's own block, so a linear classifier can give a
    direction a different pole per topic (what the TF-IDF topic x word cross does for single words). The
    topics come from ``fit``; a topic unseen there fills only the shared block.
    """

    def __init__(self, table: WordVectorTable, weighted: bool = True, topic_crossed: bool = False) -> None:
        self.table = table
        self.weighted = weighted
        self.topic_crossed = topic_crossed
        self.topics_: tuple[str, ...] = ()

    def fit(self, texts: Sequence[str], y: object = None) -> PooledWordVectors:
        if self.topic_crossed:
            self.topics_ = tuple(sorted({split_topic_text(text)[0] for text in texts}))
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        dimension = self.table.dimension
        blocks = 1 + len(self.topics_)
        out = np.zeros((len(texts), dimension * blocks), dtype=np.float32)
        topic_block = {topic: i + 1 for i, topic in enumerate(self.topics_)}
        for row, text in enumerate(texts):
            topic, words = split_topic_text(text) if self.topic_crossed else ("", text)
            pooled = pool(self.table, words, self.weighted)
            out[row, :dimension] = pooled
            if topic in topic_block:
                start = topic_block[topic] * dimension
                out[row, start : start + dimension] = pooled
        return sparse.csr_matrix(out)
