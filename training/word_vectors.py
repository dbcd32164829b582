"""Word vectors from the news2019 LM corpus (issue 14): gensim fastText, then vectors the tagger can use.

fastText keeps character n-gram vectors, so names and compounds that are rare or unseen in training still get
a vector built from their parts. The tagger's ``WordEmbeddings`` can only hold a fixed table, so
``tagger-vectors`` builds one for a chosen vocabulary and rotates it into the space of the word2vec vectors
the trained tagger already reads (orthogonal Procrustes), so that swapping it in disturbs the tagger's
layers as little as possible.

Steps (paths are examples; the corpus is the one ``training.ner news-corpus`` writes)::

    python -m training.word_vectors fasttext --corpus /work/ner-work/news-corpus --out /work/ner-work/fasttext
    python -m training.word_vectors tagger-vectors --fasttext /work/ner-work/fasttext/news2019.model \
        --train-conll ../shared/data/conll2002-nl/ned.train --tagger models/ner-nl-compact/model.pt \
        --out /work/ner-work/fasttext/news2019-aligned.kv
    python -m training.word_vectors swap --tagger models/ner-nl-compact/model.pt \
        --vectors /work/ner-work/fasttext/news2019-aligned.kv --out /work/ner-work/fasttext/swapped.pt

``tagger-vectors --keep-old-vectors`` leaves the words the tagger already has at their old vectors and only
adds the others (the smallest disturbance). ``training.ner tagger --resume-from MODEL --word-vectors KV``
swaps a vectors file in and trains the tagger further.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from service.text import tokenize
from training.corpora import normalise_word, read_conll

log = logging.getLogger("training.word_vectors")
# The seed of every training step here, as in training.ner.
SEED = 13


def normalised_tokens(line: str) -> list[str]:
    """The service's tokens in the form the tagger looks word vectors up by (lower case, digits as 0).

    Flair's ``WordEmbeddings`` tries the token, its lower case and its lower case with digits as 0, so
    vectors trained on that last form serve every case of a word, as the shipped word2vec vectors do.
    """
    return [normalise_word(token.text) for token in tokenize(line)]


def corpus_training_files(corpus_dir: Path) -> list[Path]:
    """The LM corpus's training splits in order; its valid/test articles stay held out here too."""
    return sorted((corpus_dir / "train").iterdir())


def tokenised_lines(files: list[Path]) -> Iterator[list[str]]:
    """Tokens of every non-empty line of ``files``, one line at a time (the corpus is never held whole)."""
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                tokens = normalised_tokens(line)
                if tokens:
                    yield tokens


def write_token_file(files: list[Path], path: Path) -> dict[str, int]:
    """Tokenise once into a space-separated file that gensim's ``corpus_file`` mode reads in C.

    Tokenising in Python on every epoch would cost more than the training itself; the file is streamed
    out line by line, and tokens never contain whitespace, so splitting on spaces gives them back.
    """
    lines = tokens = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for line_tokens in tokenised_lines(files):
            out.write(" ".join(line_tokens) + "\n")
            lines += 1
            tokens += len(line_tokens)
    return {"lines": lines, "tokens": tokens}


def fasttext_parameters(args: argparse.Namespace) -> dict:
    """The gensim FastText settings of a run, as recorded in its report."""
    return {
        "vector_size": args.dim,
        "sg": 1,
        "window": args.window,
        "negative": args.negative,
        "min_count": args.min_count,
        "min_n": args.min_n,
        "max_n": args.max_n,
        "bucket": args.bucket,
        "epochs": args.epochs,
        "sample": 1e-4,
        "workers": 1,
        "seed": SEED,
    }


def train_fasttext(token_file: Path, parameters: dict):
    """Skip-gram fastText with subwords over a token file (one worker, so a seeded run repeats exactly)."""
    from gensim.models import FastText

    model = FastText(**{key: value for key, value in parameters.items() if key != "epochs"})
    model.build_vocab(corpus_file=str(token_file))
    model.train(
        corpus_file=str(token_file),
        total_examples=model.corpus_count,
        total_words=model.corpus_total_words,
        epochs=parameters["epochs"],
    )
    return model


def fasttext_command(args: argparse.Namespace) -> None:
    """Tokenise the corpus, train fastText, save the full model and a JSON report beside it."""
    corpus_dir, out = Path(args.corpus), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = corpus_training_files(corpus_dir)[: args.max_splits]
    started = time.monotonic()
    token_file = out / f"{args.name}.tokens.txt"
    corpus_size = write_token_file(files, token_file)
    tokenised = time.monotonic()
    log.info("tokenised %(lines)d lines, %(tokens)d tokens", corpus_size)
    parameters = fasttext_parameters(args)
    model = train_fasttext(token_file, parameters)
    trained = time.monotonic()
    model_path = out / f"{args.name}.model"
    model.save(str(model_path))
    report = {
        "model": str(model_path),
        "corpus": {"folder": str(corpus_dir), "splits": [f.name for f in files], **corpus_size},
        "bytes": sum(f.stat().st_size for f in files),
        "vocabulary": len(model.wv),
        "parameters": parameters,
        "tokenisation": "service.text.tokenize, lower case, digits as 0 (training.corpora.normalise_word)",
        "wall_seconds": {"tokenise": round(tokenised - started, 1), "train": round(trained - tokenised, 1)},
    }
    (out / f"{args.name}.report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    log.info("wrote %s: %d words, trained in %.0f s", model_path, len(model.wv), trained - tokenised)
    if not args.keep_tokens:
        token_file.unlink()


# ------------------------------------------------------------------------------------- tagger vectors

# CoNLL's dev and test files: selecting or scoring on them is the only use they may have, so their words must
# never shape the tagger's vocabulary.
HELD_OUT_CONLL = frozenset({"ned.testa", "ned.testb"})


def conll_words(path: Path) -> list[str]:
    """The distinct normalised words of a CoNLL training file, in first-seen order (a stable vocabulary)."""
    if path.name in HELD_OUT_CONLL:
        raise ValueError(f"{path.name} is held out: its words must not enter the vocabulary")
    words = (normalise_word(token) for sentence in read_conll(path) for token, _ in sentence)
    return list(dict.fromkeys(words))


def tagger_vocabulary(required: list[str], frequent: list[str], max_words: int) -> list[str]:
    """Every required word (the tagger's training words), then the most frequent corpus words up to the cap.

    ``frequent`` must come from text that holds no held-out file; the cap bounds the tagger file's size
    (each word costs ``4 × dim`` bytes).
    """
    if len(required) > max_words:
        raise ValueError(f"{len(required)} required words exceed the cap of {max_words}")
    vocabulary = dict.fromkeys(required)
    for word in frequent:
        if len(vocabulary) >= max_words:
            break
        vocabulary.setdefault(word)
    return list(vocabulary)


def procrustes_rotation(source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, float]:
    """The rotation ``R`` and scale ``s`` minimising ``||s · source @ R - target||`` (rows are paired words).

    An orthogonal map keeps the new space's geometry (its neighbours and subword structure) and only turns it
    to where the tagger's first layer expects each direction.
    """
    left, singular_values, right = np.linalg.svd(source.T @ target)
    rotation = left @ right
    scale = float(singular_values.sum() / np.square(source).sum())
    return rotation, scale


def norm_matching_scale(source: np.ndarray, target: np.ndarray) -> float:
    """The scale that gives the rotated vectors the old vectors' mean norm.

    The least-squares scale shrinks vectors by the cosine of the fit (about 0.6 here), which the tagger reads
    as weaker words; its first layer's weights were trained on the old norms. Measured on ``ned.testa`` with
    the shipped tagger and no further training: 78.54 micro F1 with this scale, 76.15 with least squares.
    """
    return float(np.linalg.norm(target, axis=1).mean() / np.linalg.norm(source, axis=1).mean())


SCALES = {"norm": norm_matching_scale, "least-squares": lambda source, target: procrustes_rotation(source, target)[1]}


def mean_cosine(first: np.ndarray, second: np.ndarray) -> float:
    """Mean cosine similarity of paired rows."""
    norms = np.linalg.norm(first, axis=1) * np.linalg.norm(second, axis=1)
    return float(np.mean(np.sum(first * second, axis=1) / np.maximum(norms, 1e-12)))


def alignment_fit(
    source: np.ndarray, target: np.ndarray, scale: str = "norm", held_out_share: float = 0.1
) -> dict[str, float]:
    """How well the rotation maps new onto old vectors: on all shared words, and on words left out of the fit.

    The held-out figure says how well the map carries over to the words only the new vocabulary has.
    """
    order = np.random.default_rng(SEED).permutation(len(source))
    held_out, fitted = order[: int(len(order) * held_out_share)], order[int(len(order) * held_out_share) :]
    rotation, _ = procrustes_rotation(source[fitted], target[fitted])
    full_rotation, _ = procrustes_rotation(source, target)
    factor = SCALES[scale](source, target)
    aligned = factor * source @ full_rotation
    return {
        "shared_words": len(source),
        "mean_cosine_before": mean_cosine(source, target),
        "mean_cosine_after": mean_cosine(aligned, target),
        "mean_cosine_held_out": mean_cosine(source[held_out] @ rotation, target[held_out]),
        "scale": scale,
        "scale_factor": factor,
        "mean_norm_old": float(np.linalg.norm(target, axis=1).mean()),
        "mean_norm_aligned": float(np.linalg.norm(aligned, axis=1).mean()),
        "relative_residual": float(np.linalg.norm(aligned - target) / np.linalg.norm(target)),
    }


def tagger_word_embeddings(tagger):
    """The tagger's ``WordEmbeddings`` and its position in the stack (there is exactly one)."""
    from flair.embeddings import WordEmbeddings

    found = [(i, e) for i, e in enumerate(tagger.embeddings.embeddings) if isinstance(e, WordEmbeddings)]
    if len(found) != 1:
        raise ValueError(f"expected one WordEmbeddings in the tagger's stack, found {len(found)}")
    return found[0]


def tagger_word_vectors(tagger) -> dict[str, np.ndarray]:
    """The word vectors a trained tagger reads, by word (its table's last row, the unknown word, left out)."""
    _, embedding = tagger_word_embeddings(tagger)
    weights = embedding.embedding.weight.detach().cpu().numpy()
    return {word: weights[index] for word, index in embedding.vocab.items()}


def aligned_keyed_vectors(
    model, vocabulary: list[str], old: dict[str, np.ndarray], scale: str = "norm", keep_old: bool = False
):
    """fastText vectors for ``vocabulary`` (subwords give the unseen ones theirs), rotated into ``old``'s space.

    ``keep_old`` leaves the words the old table has at their old vectors, so only words new to the table
    (which the tagger read as the zero "unknown" vector before) change: the least disturbance of a trained
    tagger, measured at 79.68 ``ned.testa`` F1 without further training (shipped 79.01; every word
    replaced: 78.54). Returns the KeyedVectors and the alignment figures.
    """
    from gensim.models import KeyedVectors

    new = np.stack([model.wv[word] for word in vocabulary]).astype(np.float64)
    shared = [i for i, word in enumerate(vocabulary) if word in old]
    source, target = new[shared], np.stack([old[vocabulary[i]] for i in shared]).astype(np.float64)
    rotation, _ = procrustes_rotation(source, target)
    aligned = SCALES[scale](source, target) * new @ rotation
    if keep_old:
        aligned[shared] = target
    vectors = KeyedVectors(vector_size=new.shape[1])
    vectors.add_vectors(vocabulary, aligned.astype(np.float32))
    return vectors, alignment_fit(source, target, scale)


def tagger_vectors_command(args: argparse.Namespace) -> None:
    """Build the aligned KeyedVectors file for the tagger and a JSON report of vocabulary and fit."""
    from flair.models import SequenceTagger
    from gensim.models import FastText

    model = FastText.load(args.fasttext)
    required = conll_words(Path(args.train_conll))
    vocabulary = tagger_vocabulary(required, list(model.wv.index_to_key), args.max_words)
    old = tagger_word_vectors(SequenceTagger.load(args.tagger))
    vectors, fit = aligned_keyed_vectors(model, vocabulary, old, args.scale, args.keep_old_vectors)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    vectors.save(str(out))
    in_fasttext = sum(word in model.wv.key_to_index for word in vocabulary)
    report = {
        "vectors": str(out),
        "fasttext": args.fasttext,
        "aligned_to": args.tagger,
        "words": len(vocabulary),
        "train_conll_words": len(required),
        "in_fasttext_vocabulary": in_fasttext,
        "from_subwords_only": len(vocabulary) - in_fasttext,
        "old_words": len(old),
        "kept_old_vectors": args.keep_old_vectors,
        "alignment": fit,
    }
    Path(f"{out}.report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    log.info("wrote %s: %s", out, json.dumps(report))


# ----------------------------------------------------------------------------------------------- swap


def swap_word_vectors(tagger, path: str) -> None:
    """Put other word vectors (same dimension) into a trained tagger in place of its word embeddings.

    Tokens concatenate their embeddings sorted by name, so the new embedding takes over the old one's name
    and the stack keeps its order and the tagger's input layout (as ``training.ner.swap_language_models``).
    """
    from flair.embeddings import WordEmbeddings

    index, old = tagger_word_embeddings(tagger)
    replacement = WordEmbeddings(
        path, name=old.name, fine_tune=old.fine_tune, force_cpu=old.force_cpu, stable=old.stable, field=old.field
    )
    if replacement.embedding_length != old.embedding_length:
        raise ValueError(f"{path}: {replacement.embedding_length} dimensions, the tagger reads {old.embedding_length}")
    tagger.embeddings.embeddings[index] = replacement
    tagger.embeddings.add_module(f"list_embedding_{index}", replacement)


def swap_command(args: argparse.Namespace) -> None:
    """Save a copy of a tagger with other word vectors and no further training (for a dev check)."""
    from flair.models import SequenceTagger

    tagger = SequenceTagger.load(args.tagger)
    swap_word_vectors(tagger, args.vectors)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    tagger.save(args.out)
    log.info("wrote %s", args.out)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)

    p = sub.add_parser("fasttext", help="train gensim fastText (skip-gram, subwords) on an LM corpus folder")
    p.add_argument("--corpus", required=True, help="TextCorpus folder from `training.ner news-corpus`")
    p.add_argument("--out", required=True, help="folder for NAME.model and NAME.report.json")
    p.add_argument("--name", default="news2019")
    p.add_argument("--max-splits", type=int, help="read only the first N training splits (timing runs)")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--min-n", type=int, default=3)
    p.add_argument("--max-n", type=int, default=6)
    p.add_argument("--bucket", type=int, default=1_000_000, help="hash buckets for character n-grams")
    p.add_argument("--epochs", type=int, default=10, help="10 took 21 min on one thread for news2019")
    p.add_argument("--keep-tokens", action="store_true", help="keep NAME.tokens.txt (the tokenised corpus)")
    p.set_defaults(run=fasttext_command)

    p = sub.add_parser("tagger-vectors", help="KeyedVectors for the tagger, aligned to its current word vectors")
    p.add_argument("--fasttext", required=True, help="a model saved by the fasttext step")
    p.add_argument("--train-conll", required=True, help="CoNLL training file whose words are all kept (ned.train)")
    p.add_argument("--tagger", required=True, help="the trained tagger whose word-vector space to align to")
    p.add_argument("--out", required=True, help="KeyedVectors file to write (a .report.json goes beside it)")
    p.add_argument("--max-words", type=int, default=50_000, help="vocabulary cap (4 × dim bytes per word)")
    p.add_argument("--scale", choices=sorted(SCALES), default="norm", help="how the rotated vectors are scaled")
    p.add_argument("--keep-old-vectors", action="store_true", help="words the tagger's table has keep their vectors")
    p.set_defaults(run=tagger_vectors_command)

    p = sub.add_parser("swap", help="save a tagger with other word vectors, without training")
    p.add_argument("--tagger", required=True)
    p.add_argument("--vectors", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=swap_command)

    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
