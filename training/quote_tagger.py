"""Train the quote tagger: a Flair SequenceTagger over the NER tagger's own embeddings that marks, in each
sentence, what is said (``QUOTE``), the words that say it is said (``CUE``) and who says it (``SOURCE``).

The embeddings are the NER model's, frozen and int8 as served, so that the service embeds each sentence once
and both taggers read the same vectors (``service.models.ner``). Only the BiLSTM-CRF head is trained: on the
corpus train split (``corpus/README.md``), selected on corpus dev by Flair's span F1.

    python -m training.quote_tagger --ner models/ner-nl-compact/model.pt --corpus corpus/v1 \
        --work /tmp/quote-tagger --out models/quote-tagger-nl-compact --minutes 60

``--resume-from`` continues an exported head (at a lower ``--learning-rate``) when a budget stopped it.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable
from pathlib import Path

import torch

from corpus.articles import load_texts, news2019_path
from corpus.store import TRAIN_ARTICLES_HELP, load_split, read_records, split_path
from service.text import split_sentences
from training.corpora import to_flair_sentence
from training.ner import export_head, fit_tagger, freeze, new_tagger, seed_everything

log = logging.getLogger("training.quote_tagger")

LABEL_TYPE = "quote"
# Where annotated spans overlap (a cue inside a direct quote's content), the more specific label wins.
PRIORITY = ("SOURCE", "CUE", "QUOTE")


def quote_spans(record: dict) -> Iterable[tuple[int, int, str, int]]:
    """Every labelled span of an annotated article's quotes as ``(start, end, label, quote_index)``."""
    for index, quote in enumerate(record["quotes"]):
        yield (*quote["content"], "QUOTE", index)
        if quote["cue"]:
            yield (*quote["cue"], "CUE", index)
        if quote["speaker_mention"]:
            yield (*quote["speaker_mention"], "SOURCE", index)


def quote_tagged_sentences(text: str, record: dict) -> list[list[tuple[str, str]]]:
    """The article as ``(token, IOB2 tag)`` sentences, split and tokenised as the service does.

    A token takes the label of the span it overlaps (the most specific one where spans overlap); a span that
    crosses sentences becomes one span per sentence, and a content interrupted by its cue becomes two.
    """
    rank = {label: PRIORITY.index(label) for label in PRIORITY}
    spans = sorted(quote_spans(record), key=lambda span: rank[span[2]])
    tagged = []
    for sentence in split_sentences(text):
        previous: tuple[str, int] | None = None
        tokens = []
        for token in sentence.tokens:
            owner = next(
                ((label, index) for start, end, label, index in spans if start < token.end and token.start < end), None
            )
            if owner is None:
                tokens.append((token.text, "O"))
            else:
                prefix = "I" if owner == previous else "B"
                tokens.append((token.text, f"{prefix}-{owner[0]}"))
            previous = owner
        tagged.append(tokens)
    return tagged


def corpus_sentences(corpus_dir: Path, split: str, train_articles: int | None = None) -> list:
    """One corpus split's sentences as Flair Sentences with quote span labels; of train only the first
    ``train_articles`` in draw order where given (``corpus.store.load_split``)."""
    ids = [record["id"] for _, record in read_records(split_path(split, corpus_dir))]
    articles = load_split(split, load_texts(ids, news2019_path()), corpus_dir, train_articles)
    sentences = [
        to_flair_sentence(tokens, LABEL_TYPE)
        for article in articles
        for tokens in quote_tagged_sentences(article.text, article.record)
        if tokens
    ]
    log.info("corpus %s: %d articles, %d sentences", split, len(articles), len(sentences))
    return sentences


def frozen_ner_embeddings(ner_path: str):
    """The NER model's embedding stack, int8 as the service serves it, with no trainable part: its outputs are
    cached after the first epoch and the head learns from exactly the vectors it will read in service."""
    from service.config import Settings
    from service.models.ner import load_ner_model

    embeddings = load_ner_model(ner_path, quantize=Settings().ner_quantize).embeddings
    freeze(embeddings)
    return embeddings


def train(args: argparse.Namespace) -> None:
    from flair.data import Corpus
    from flair.datasets import FlairDatapointDataset

    seed_everything()
    torch.set_num_threads(args.threads)
    corpus_dir, work, out = Path(args.corpus), Path(args.work), Path(args.out)
    corpus = Corpus(
        train=FlairDatapointDataset(corpus_sentences(corpus_dir, "train", args.train_articles)),
        dev=FlairDatapointDataset(corpus_sentences(corpus_dir, "dev")),
        test=FlairDatapointDataset([]),
        sample_missing_splits=False,
    )
    embeddings = frozen_ner_embeddings(args.ner)
    if args.resume_from:
        # Continue a head (an exported model.pt) where a time budget stopped it, over the same frozen vectors.
        from flair.models import SequenceTagger

        tagger = SequenceTagger.load(args.resume_from)
        tagger.embeddings = embeddings
    else:
        tagger = new_tagger(args.hidden, embeddings, corpus, LABEL_TYPE)
    run_dir = work / "run"
    fit_tagger(tagger, corpus, run_dir, args, [])
    best = run_dir / "best-model.pt"
    chosen = best if best.exists() else run_dir / "final-model.pt"
    out.mkdir(parents=True, exist_ok=True)
    export_head(chosen, Path(args.ner), out / "model.pt")
    log.info("wrote %s (from %s)", out / "model.pt", chosen)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ner", required=True, help="the NER model whose embeddings the head reads")
    parser.add_argument("--corpus", required=True, help="the annotated corpus folder (corpus/v1)")
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--max-epochs", type=int, default=20)
    parser.add_argument("--patience", type=int, default=2)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--resume-from", help="an exported quote tagger (model.pt) to train further")
    parser.add_argument("--train-articles", type=int, help=TRAIN_ARTICLES_HELP)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    train(parser.parse_args(argv))


if __name__ == "__main__":
    main()
