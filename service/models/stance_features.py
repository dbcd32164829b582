"""The stance model's input text: the window around a mention and the feature views built from it.

This is the seam between training and serving. The classifier was trained on the issuepositions ``units.csv``
windows (previous + current + next sentence, the actor mention wrapped in ``**…**``); the service must build
exactly that input from its own sentence splitter. So the window builder, :func:`normalise_window` and the
feature views live here, and both ``training.stance*`` and :mod:`service.models.stance` import them. The
pickled artefacts hold only standard scikit-learn objects; the text preparation is this shared code.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.preprocessing import normalize

from service.text import Sentence

MARK = "**"

# units.csv glues sentences together ("overboord.Het"); a space is put back after sentence-final punctuation
# (and closing quotes) that is directly followed by an optional marker/opening quote and a capital.
_GLUED_SENTENCE = re.compile(r"([.!?…]+[\"'”’»]*)(?=(?:\*\*)?[\"'„“«(]?(?:\*\*)?[A-ZÀ-ÖØ-Þ])")
_WHITESPACE = re.compile(r"\s+")
TOPIC_SEPARATOR = " | "
# Words either side of the marked mention that make up the actor's own clause (the "actor" view).
ACTOR_CONTEXT_WORDS = 10
# Distinct words whose character n-grams a ``WordwiseCharNgrams`` keeps (about 18 MB when full).
WORD_CACHE_SIZE = 1 << 16


def normalise_window(window: str) -> str:
    """Canonical form of a model input: glued sentences separated, whitespace collapsed.

    Applied to units.csv texts in training and to service windows at inference, so both look alike.
    """
    return _WHITESPACE.sub(" ", _GLUED_SENTENCE.sub(r"\1 ", window)).strip()


def stance_window(text: str, sentences: list[Sentence], sentence_index: int, start: int, end: int) -> str:
    """The model input for the mention ``text[start:end]`` in ``sentences[sentence_index]``.

    Previous sentence + sentence + next sentence with the mention wrapped in ``**…**``, normalised.
    """
    sentence = sentences[sentence_index]
    if not sentence.start <= start < end <= sentence.end:
        raise ValueError(
            f"mention {start}:{end} lies outside sentence {sentence_index} ({sentence.start}:{sentence.end})"
        )
    marked = text[sentence.start : start] + MARK + text[start:end] + MARK + text[end : sentence.end]
    before = [text[s.start : s.end] for s in sentences[max(0, sentence_index - 1) : sentence_index]]
    after = [text[s.start : s.end] for s in sentences[sentence_index + 1 : sentence_index + 2]]
    return normalise_window(" ".join([*before, marked, *after]))


def topic_text(window: str, topic: str) -> str:
    """The whole window with the topic id in front (the baseline's input)."""
    return f"{topic}{TOPIC_SEPARATOR}{window}"


def split_topic_text(text: str) -> tuple[str, str]:
    """``(topic, window)`` back from a :func:`topic_text` string (for features that treat the topic apart)."""
    topic, _, window = text.partition(TOPIC_SEPARATOR)
    return topic, window


def actor_context(window: str, topic: str) -> str:
    """The words around the marked mention(s): what the actor says or does, not the whole window."""
    words = window.split()
    marked = [i for i, word in enumerate(words) if MARK in word]
    if not marked:
        return window
    return " ".join(words[max(0, marked[0] - ACTOR_CONTEXT_WORDS) : marked[-1] + ACTOR_CONTEXT_WORDS + 1])


def topic_actor_context(window: str, topic: str) -> str:
    """The actor's clause with the topic id in front (for pooled word vectors crossed with the topic)."""
    return topic_text(actor_context(window, topic), topic)


def topic_words(window: str, topic: str) -> str:
    """Every word crossed with the topic ("immigration:beperken"): a word's pole differs per topic."""
    return " ".join(f"{topic}:{word}" for word in re.findall(r"\w+", window.lower()))


def mention_topic(window: str, topic: str) -> str:
    """The marked mention's words crossed with the topic ("immigration:wilders"): an actor's usual stance."""
    mentions = re.findall(r"\*\*(.+?)\*\*", window)
    return " ".join(f"{topic}:{word}" for mention in mentions for word in re.findall(r"\w+", mention.lower()))


def plain_text(window: str, topic: str = "") -> str:
    """The window without markers: what the relevance gate reads (relevance does not depend on the actor)."""
    return window.replace(MARK, "")


FEATURE_VIEWS: Mapping[str, Callable[[str, str], str]] = MappingProxyType(
    {
        "topic_text": topic_text,
        "actor_context": actor_context,
        "topic_actor_context": topic_actor_context,
        "topic_words": topic_words,
        "mention_topic": mention_topic,
        "plain_text": plain_text,
    }
)


def featurise(pairs: Sequence[tuple[str, str]], views: Sequence[str], vectorizers: Sequence[Any]) -> Any:
    """Sparse features of ``(window, topic)`` pairs: each view's text through its vectoriser, stacked."""
    blocks = [
        transform_distinct(vec, [FEATURE_VIEWS[view](w, t) for w, t in pairs]) for view, vec in zip(views, vectorizers)
    ]
    return sparse.hstack(blocks, format="csr")


def transform_distinct(vectorizer: Any, texts: Sequence[str]) -> Any:
    """``vectorizer.transform(texts)``, each distinct text read once: the relevance gate reads a window without
    its mark, the same for every actor named in the sentence, and character n-grams are the costly part."""
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == len(texts):
        return vectorizer.transform(texts)
    row = {text: index for index, text in enumerate(distinct)}
    return vectorizer.transform(distinct)[[row[text] for text in texts]]


class WordwiseCharNgrams:
    """A fitted ``char_wb`` ``TfidfVectorizer`` whose ``transform`` cuts each distinct word into n-grams once.

    ``char_wb`` n-grams never cross a space, so a text's counts are the sum of its words' counts. The stance
    models read the same sentences many times (a window per actor mention, a marked sentence per actor pair), and
    cutting and looking up the n-grams of every word again was most of their vectorisers' time. The matrix is
    ``vectorizer.transform``'s (tested against it); the tf-idf weighting below is scikit-learn's, from the
    vectoriser's public parameters. Only for the vectorisers whose preprocessing gives the same word when applied
    again to one of its words (``wordwise``): accent stripping after lower-casing does not ("™" becomes "TM").
    """

    def __init__(self, vectorizer: Any, cache_size: int = WORD_CACHE_SIZE) -> None:
        if not wordwise(vectorizer):
            raise ValueError(
                "not a char_wb vectoriser with float counts and at most lower-casing as its preprocessing: "
                f"analyzer {vectorizer.analyzer!r}, strip_accents {vectorizer.strip_accents!r}, "
                f"preprocessor {vectorizer.preprocessor!r}, dtype {vectorizer.dtype!r}"
            )
        self.vectorizer = vectorizer
        self._preprocess = vectorizer.build_preprocessor()
        analyze, vocabulary = vectorizer.build_analyzer(), vectorizer.vocabulary_

        @lru_cache(maxsize=cache_size)
        def word_features(word: str) -> tuple[int, ...]:
            return tuple(vocabulary[gram] for gram in analyze(word) if gram in vocabulary)

        self._word_features = word_features

    def transform(self, texts: Sequence[str]) -> Any:
        """The tf-idf matrix of ``texts``, as ``vectorizer.transform(texts)``."""
        vectorizer = self.vectorizer
        indices: list[int] = []
        counts: list[int] = []
        indptr = [0]
        for text in texts:
            counter: Counter[int] = Counter()
            for word in self._preprocess(text).split():
                counter.update(self._word_features(word))
            indices += counter.keys()
            counts += counter.values()
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (np.asarray(counts, dtype=vectorizer.dtype), np.asarray(indices, dtype=np.int32), indptr),
            shape=(len(texts), len(vectorizer.vocabulary_)),
        )
        matrix.sort_indices()
        if vectorizer.binary:
            matrix.data.fill(1)
        if vectorizer.sublinear_tf:
            np.log(matrix.data, matrix.data)
            matrix.data += 1.0
        if vectorizer.use_idf:
            matrix.data *= vectorizer.idf_[matrix.indices]
        return matrix if vectorizer.norm is None else normalize(matrix, norm=vectorizer.norm, copy=False)


def wordwise(vectorizer: Any) -> bool:
    """Whether ``WordwiseCharNgrams`` gives ``vectorizer``'s own matrix: a ``char_wb`` vectoriser of float
    counts whose only preprocessing is lower-casing (which gives the same word when applied again)."""
    return (
        getattr(vectorizer, "analyzer", None) == "char_wb"
        and vectorizer.strip_accents is None
        and vectorizer.preprocessor is None
        and np.issubdtype(vectorizer.dtype, np.floating)
    )


def served_vectorizer(vectorizer: Any) -> Any:
    """The vectoriser a loaded model serves with: one that ``wordwise`` allows reads words once
    (``WordwiseCharNgrams``), any other is itself."""
    return WordwiseCharNgrams(vectorizer) if wordwise(vectorizer) else vectorizer


def trusted_inputs() -> AbstractContextManager:
    """scikit-learn with its per-call checks off: each ``transform`` and ``predict_proba`` checks its arguments'
    types and values and its input's finiteness, which on the few windows of one article cost about 1.5 % of a
    whole analysis (bench/results/pipeline_cost_sklearn_checks.json). The inputs here are texts for the fitted
    vectorisers and the sparse matrices they return (finite, of the fitted width), so the stance models compute
    within this context."""
    return sklearn.config_context(assume_finite=True, skip_parameter_validation=True)
