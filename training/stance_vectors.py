"""The word-vector table the stance model ships, cut from a gensim fastText model (issue 14).

The full model (vocabulary + subword buckets) is far too big to ship and needs gensim to load. The stance
features only ever look up the words of their windows, so the table holds (1) every word of the stance units
it is fitted on, with fastText's subword vector where the corpus vocabulary lacks the word, and (2) the
``top_words`` most frequent corpus words, which cover most of the words of news the service will see. Each
word carries its SIF weight from the corpus counts (a word the corpus never counted weighs 1, like a rare one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from service.models.pooled_vectors import SIF_SMOOTHING, WordVectorTable, vector_tokens

DEFAULT_TOP_WORDS = 30_000


def load_fasttext_vectors(path: str | Path, mmap: str | None = None) -> Any:
    """The ``KeyedVectors`` (with subword buckets) of a gensim ``FastText.save`` model; ``mmap="r"`` maps the
    400 MB of subword buckets from disk instead of reading them into memory."""
    from gensim.models import FastText

    return FastText.load(str(path), mmap=mmap).wv


def training_summary(path: str | Path) -> dict[str, Any]:
    """Corpus size, settings and wall time of the fastText model, from the report ``training.word_vectors``
    writes beside it (``NAME.report.json``), so the card can say what the vectors were learnt from; empty
    where there is none."""
    report_path = Path(path).with_suffix(".report.json")
    if not report_path.is_file():
        return {}
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return {
        "corpus": report["corpus"]["folder"],
        "tokens": report["corpus"]["tokens"],
        "vocabulary": report["vocabulary"],
        "parameters": report["parameters"],
        "wall_seconds": report["wall_seconds"],
    }


def table_words(vectors: Any, texts: Iterable[str], top_words: int) -> list[str]:
    """The corpus's ``top_words`` most frequent words, then the texts' other words in first-seen order."""
    words = dict.fromkeys(vectors.index_to_key[:top_words])
    for text in texts:
        words.update(dict.fromkeys(vector_tokens(text)))
    return list(words)


def sif_weights(vectors: Any, words: list[str]) -> np.ndarray:
    """``a / (a + p(word))`` with ``p`` the word's corpus frequency; words outside the vocabulary get 1."""
    counts = np.asarray(vectors.expandos["count"], dtype=np.float64)
    total = counts.sum()
    probability = np.array(
        [counts[vectors.key_to_index[w]] / total if w in vectors.key_to_index else 0.0 for w in words]
    )
    return SIF_SMOOTHING / (SIF_SMOOTHING + probability)


def build_table(vectors: Any, texts: Iterable[str], top_words: int = DEFAULT_TOP_WORDS) -> WordVectorTable:
    """The float16 table of :func:`table_words`; words outside the corpus vocabulary from their subwords."""
    words = table_words(vectors, texts, top_words)
    matrix = np.stack([vectors[word] for word in words]).astype(np.float16)
    return WordVectorTable(tuple(words), matrix, sif_weights(vectors, words).astype(np.float16))


def table_coverage(table: WordVectorTable, texts: Iterable[str]) -> float:
    """Share of the texts' words the table holds (the rest are skipped when pooling)."""
    tokens = [token for text in texts for token in vector_tokens(text)]
    return sum(token in table.index for token in tokens) / max(1, len(tokens))
