"""Readers for the training corpora, shared by training and benchmarks.

The data files are read in place (never copied into the repository); callers pass their paths.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from service.text import split_sentences

DOCSTART = "-DOCSTART-"


def normalise_word(word: str) -> str:
    """The form word vectors are trained on: Flair's WordEmbeddings falls back to lower case, digits as 0."""
    return re.sub(r"\d", "0", word.lower())


def read_conll(path: str | Path) -> list[list[tuple[str, str]]]:
    """Read a CoNLL-2002 file (``token POS IOB2``) into sentences of ``(token, tag)``, skipping DOCSTART."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if not fields:
            if current:
                sentences.append(current)
            current = []
            continue
        if fields[0] == DOCSTART:
            continue
        current.append((fields[0], fields[-1]))
    if current:
        sentences.append(current)
    return sentences


def dpgmedia_texts(path: str | Path) -> Iterator[str]:
    """Title and body of every non-empty article in ``articles.jsonl``."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            for field in ("title", "text"):
                if (article.get(field) or "").strip():
                    yield article[field]


def news_paragraphs(path: str | Path) -> Iterator[tuple[str, str]]:
    """``(article id, paragraph)`` for the title and every non-empty paragraph of ``news2019/articles.jsonl.gz``.

    Paragraphs (not sentences) are the unit a character LM reads, so it learns context across sentence ends;
    the id lets callers hold out whole articles.
    """
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            for part in [article.get("title") or "", *(article.get("text") or "").split("\n")]:
                if part.strip():
                    yield article["id"], part.strip()


_GLUED_SENTENCE = re.compile(r"(?<=[.!?\"”])(?=[A-Z\"„“])")


def issuepositions_sentences(path: str | Path) -> list[str]:
    """The distinct sentences of ``units.csv`` windows (markers removed; glued sentences split again).

    Each sentence occurs in up to three windows and once per actor, so it is deduplicated.
    """
    seen: dict[str, None] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for sentence in _GLUED_SENTENCE.split(row["text"].replace("**", "")):
                if sentence.strip():
                    seen.setdefault(sentence.strip())
    return list(seen)


def unlabeled_sentences(conll_train: str | Path, articles: str | Path, units: str | Path) -> list[str]:
    """All unlabeled Dutch text available here, one sentence per item.

    CoNLL training sentences are rejoined from their tokens; ``ned.testa``/``ned.testb`` are never used so
    that dev and test stay unseen by every representation.
    """
    sentences = [" ".join(token for token, _ in sent) for sent in read_conll(conll_train)]
    for text in dpgmedia_texts(articles):
        sentences.extend(text[s.start : s.end] for s in split_sentences(text))
    sentences.extend(issuepositions_sentences(units))
    return sentences


def split_documents(doc_ids: Iterable[str], seed: int, shares: Mapping[str, float]) -> dict[str, str]:
    """doc_id → ``train``/``dev``/``test`` (shuffled sorted ids, ``shares`` of dev and test): no document
    contributes to two splits, and the same ids and seed always give the same split."""
    docs = sorted(set(doc_ids))
    random.Random(seed).shuffle(docs)
    n_dev, n_test = (round(len(docs) * shares[s]) for s in ("dev", "test"))
    split_of = dict.fromkeys(docs[:n_test], "test")
    split_of.update(dict.fromkeys(docs[n_test : n_test + n_dev], "dev"))
    return {doc: split_of.get(doc, "train") for doc in docs}


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(first, end_exclusive, type)`` from IOB2 tags (an I- after O or another type opens one).

    Flair's SequenceTagger learns from span labels, and ``bench/ner_accuracy.py`` scores exact spans, so
    both read gold entities through this one function.
    """
    spans: list[tuple[int, int, str]] = []
    start, kind = None, None
    for index, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind
        if start is not None and not continues:
            spans.append((start, index, kind))
            start, kind = None, None
        if prefix in ("B", "I") and not continues:
            start, kind = index, label
    return spans


def to_flair_sentence(tokens: list[tuple[str, str]], label_type: str = "ner"):
    """A Flair Sentence of the given tokens with their gold entities as span labels."""
    from flair.data import Sentence

    sentence = Sentence([token for token, _ in tokens])
    for first, end, kind in bio_spans([tag for _, tag in tokens]):
        sentence[first:end].add_label(label_type, kind)
    return sentence


def entity_tagged_sentences(
    text: str, entities: Iterable[tuple[int, int, str]]
) -> tuple[list[list[tuple[str, str]]], int]:
    """An annotated article as ``(token, IOB2 tag)`` sentences, split and tokenised exactly as the service does,
    and the number of entities left out because a boundary falls inside a token or a sentence break inside them
    (the tagger can only learn whole tokens)."""
    sentences = split_sentences(text)
    tags = {token.start: "O" for sentence in sentences for token in sentence.tokens}
    starts = sorted(tags)
    ends = {token.end: token.start for sentence in sentences for token in sentence.tokens}
    sentence_of = {token.start: index for index, sentence in enumerate(sentences) for token in sentence.tokens}
    dropped = 0
    for start, end, kind in entities:
        if start not in tags or end not in ends or sentence_of[start] != sentence_of[ends[end]]:
            dropped += 1
            continue
        inside = [s for s in starts if start <= s < end]
        tags[inside[0]] = f"B-{kind}"
        for token_start in inside[1:]:
            tags[token_start] = f"I-{kind}"
    tagged = [[(token.text, tags[token.start]) for token in sentence.tokens] for sentence in sentences]
    return tagged, dropped
