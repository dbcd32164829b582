"""Train the compact Dutch NER tagger (Flair SequenceTagger) from CoNLL-2002 and unlabeled Dutch text.

Every representation is trained here (no model hub): a character dictionary, word2vec vectors and forward
and backward character language models (Flair embeddings) from the unlabeled text, then a BiLSTM-CRF
tagger over their stack. Train on ``ned.train``, select on ``ned.testa``; ``ned.testb`` is only read by
``bench/ner_accuracy.py``.

Steps (each writes under ``--work``; see models/ner-nl-compact/MODEL_CARD.md for the exact commands)::

    python -m training.ner prepare --conll DIR --articles FILE --units FILE --work DIR
    timeout -s INT 27m python -m training.ner lm --direction forward --work DIR &
    timeout -s INT 27m python -m training.ner lm --direction backward --work DIR &
    python -m training.ner tagger --conll DIR --work DIR --out DIR --minutes 95

Runs bounded by a time budget continue where they stopped: ``lm --resume-from`` trains an LM further,
``tagger --resume-from`` trains a saved tagger further (``--swap-lms`` first puts further-trained LMs in),
and ``tagger --average`` also averages the epochs' weights, keeping whichever scores higher on dev.
"""

from __future__ import annotations

import argparse
import collections
import logging
import random
import re
import shutil
from pathlib import Path

import torch

from training.corpora import read_conll, to_flair_sentence, unlabeled_sentences

log = logging.getLogger("training.ner")

SEED = 13


def seed_everything(seed: int = SEED) -> None:
    """Fix every random source so that a rerun of the same command gives the same model."""
    import flair

    random.seed(seed)
    torch.manual_seed(seed)
    flair.set_seed(seed)


# --------------------------------------------------------------------------------------------- prepare


def _normalise_word(word: str) -> str:
    """The form word vectors are trained on: Flair's WordEmbeddings falls back to lower case, digits as 0."""
    return re.sub(r"\d", "0", word.lower())


def build_char_dictionary(sentences: list[str], path: Path, min_count: int = 3) -> int:
    """Pickle a Flair character Dictionary of every character seen ``min_count`` times (no download)."""
    from flair.data import Dictionary

    counts = collections.Counter(char for sentence in sentences for char in sentence)
    dictionary = Dictionary(add_unk=True)
    for char, count in counts.most_common():
        if count >= min_count:
            dictionary.add_item(char)
    dictionary.save(str(path))
    return len(dictionary)


def train_word_vectors(sentences: list[str], path: Path, dim: int, min_count: int) -> int:
    """Train skip-gram word2vec on the unlabeled text and save gensim KeyedVectors for WordEmbeddings."""
    from gensim.models import Word2Vec

    from service.text import tokenize

    tokenised = [[_normalise_word(t.text) for t in tokenize(s)] for s in sentences]
    model = Word2Vec(
        tokenised,
        vector_size=dim,
        window=5,
        min_count=min_count,
        sg=1,
        negative=10,
        epochs=10,
        workers=2,
        seed=SEED,
    )
    model.wv.save(str(path))
    return len(model.wv)


def write_lm_corpus(sentences: list[str], folder: Path, splits: int = 20) -> None:
    """Lay out text the way Flair's TextCorpus expects: train/ split files, valid.txt and test.txt.

    The held-out 1% gives the language-model trainer a validation loss for picking its best checkpoint.
    """
    shuffled = sentences[:]
    random.Random(SEED).shuffle(shuffled)
    held_out = max(200, len(shuffled) // 100)
    (folder / "train").mkdir(parents=True, exist_ok=True)
    (folder / "valid.txt").write_text("\n".join(shuffled[:held_out]) + "\n", encoding="utf-8")
    (folder / "test.txt").write_text("\n".join(shuffled[held_out : 2 * held_out]) + "\n", encoding="utf-8")
    train = shuffled[2 * held_out :]
    size = len(train) // splits + 1
    for index in range(splits):
        part = train[index * size : (index + 1) * size]
        (folder / "train" / f"train_split_{index + 1}").write_text("\n".join(part) + "\n", encoding="utf-8")


def prepare(args: argparse.Namespace) -> None:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    conll = Path(args.conll)
    sentences = unlabeled_sentences(conll / "ned.train", args.articles, args.units)
    log.info("unlabeled sentences: %d (%d chars)", len(sentences), sum(map(len, sentences)))
    log.info("char dictionary: %d", build_char_dictionary(sentences, work / "chars.pkl"))
    log.info("word vectors: %d", train_word_vectors(sentences, work / "w2v.kv", args.dim, args.min_count))
    write_lm_corpus(sentences, work / "lm-corpus")


# -------------------------------------------------------------------------------------------------- lm


def train_language_model(args: argparse.Namespace) -> None:
    """Train one direction of a character LM (Flair embeddings) on the prepared corpus."""
    from flair.data import Dictionary
    from flair.models import LanguageModel
    from flair.trainers.language_model_trainer import LanguageModelTrainer, TextCorpus

    seed_everything()
    work = Path(args.work)
    forward = args.direction == "forward"
    dictionary = Dictionary.load_from_file(str(work / "chars.pkl"))
    corpus = TextCorpus(work / "lm-corpus", dictionary, forward, character_level=True)
    if args.resume_from:
        # A run that a time budget stopped continues from its best checkpoint, typically at the annealed
        # learning rate it had reached, into a new folder so the earlier LM stays as it was.
        language_model = LanguageModel.load_language_model(args.resume_from)
        if language_model.is_forward_lm != forward:
            raise SystemExit(f"{args.resume_from} is not a {args.direction} language model")
    else:
        language_model = LanguageModel(dictionary, forward, hidden_size=args.hidden, nlayers=1)
    trainer = LanguageModelTrainer(language_model, corpus)
    # Each "epoch" visits every split and keeps best-lm.pt (best validation loss) after each split, so a
    # run stopped by ``timeout`` still leaves the best model so far; --max-epochs bounds a faster machine.
    trainer.train(
        Path(args.out) if args.out else work / f"lm-{args.direction}",
        sequence_length=250,
        learning_rate=args.learning_rate,
        mini_batch_size=64,
        max_epochs=args.max_epochs,
        patience=10,
        num_workers=0,
    )


# ---------------------------------------------------------------------------------------------- tagger


def conll_to_flair(path: Path):
    """CoNLL sentences as Flair Sentences with gold entity spans."""
    return [to_flair_sentence(tokens) for tokens in read_conll(path)]


def build_embeddings(work: Path, language_models: tuple[str, str] | None):
    """The stack the tagger reads: word2vec, characters and (optionally) both character LMs.

    CharacterEmbeddings comes first and names are kept (``overwrite_names=False``) so that the stack has
    the same order after ``SequenceTagger.load`` (see ../shared/notes/flair-offline.md).
    """
    from flair.embeddings import CharacterEmbeddings, FlairEmbeddings, StackedEmbeddings, WordEmbeddings

    stack = [
        CharacterEmbeddings(path_to_char_dict=str(work / "chars.pkl")),
        WordEmbeddings(str(work / "w2v.kv")),
    ]
    if language_models:
        stack += [FlairEmbeddings(path) for path in language_models]
    return StackedEmbeddings(stack, overwrite_names=False)


def swap_language_models(tagger, language_models: tuple[str, str]) -> None:
    """Put further-trained character LMs into a trained tagger, so it adapts to them instead of restarting.

    Tokens concatenate their embeddings sorted by name, so each new LM takes over the name of the one it
    replaces; the stack keeps its order and the tagger's input layout.
    """
    from flair.embeddings import FlairEmbeddings

    stack = tagger.embeddings
    for path in language_models:
        replacement = FlairEmbeddings(path)
        index = next(
            i
            for i, old in enumerate(stack.embeddings)
            if isinstance(old, FlairEmbeddings) and old.is_forward_lm == replacement.is_forward_lm
        )
        replacement.name = stack.embeddings[index].name
        stack.embeddings[index] = replacement
        stack.add_module(f"list_embedding_{index}", replacement)


def language_model_paths(args: argparse.Namespace, work: Path) -> tuple[str, str]:
    """The forward and backward LM files: as given, or the ones the ``lm`` step wrote by default."""
    return (
        args.lm_forward or str(work / "lm-forward" / "best-lm.pt"),
        args.lm_backward or str(work / "lm-backward" / "best-lm.pt"),
    )


def trainable_embedding_names(tagger) -> list[str]:
    """Names of the embeddings in the tagger's stack whose output changes as training goes on."""
    return [embedding.name for embedding in tagger.embeddings.embeddings if not embedding.static_embeddings]


def train_tagger(args: argparse.Namespace) -> None:
    from flair.data import Corpus
    from flair.datasets import FlairDatapointDataset
    from flair.models import SequenceTagger
    from flair.trainers import ModelTrainer

    from training.plugins import DeadlinePlugin, RefreshTrainableEmbeddingsPlugin, WeightAveragePlugin

    seed_everything()
    conll, work, out = Path(args.conll), Path(args.work), Path(args.out)
    corpus = Corpus(
        train=FlairDatapointDataset(conll_to_flair(conll / "ned.train")),
        dev=FlairDatapointDataset(conll_to_flair(conll / "ned.testa")),
        test=FlairDatapointDataset([]),
        sample_missing_splits=False,
    )
    language_models = None if args.no_flair else language_model_paths(args, work)
    if args.resume_from:
        # Continue a run that a time budget stopped: same model, same data, a (lower) learning rate;
        # optionally with further-trained LMs in place of the ones it was trained with.
        tagger = SequenceTagger.load(args.resume_from)
        if args.swap_lms:
            swap_language_models(tagger, language_models)
    else:
        tagger = SequenceTagger(
            hidden_size=args.hidden,
            embeddings=build_embeddings(work, language_models),
            tag_dictionary=corpus.make_label_dictionary("ner", add_unk=False),
            tag_type="ner",
            use_crf=True,
            dropout=0.0,
            word_dropout=0.05,
            locked_dropout=0.5,
        )
    run_dir = work / f"tagger-{args.name}"
    averaging = WeightAveragePlugin() if args.average else None
    ModelTrainer(tagger, corpus).train(
        run_dir,
        learning_rate=args.learning_rate,
        mini_batch_size=32,
        max_epochs=args.max_epochs,
        patience=args.patience,
        anneal_factor=0.5,
        # Static embeddings (LMs, word vectors) are computed once and kept; the plugin keeps the trainable
        # character embeddings of the dev set fresh.
        embeddings_storage_mode="cpu",
        save_final_model=True,
        plugins=[
            DeadlinePlugin(minutes=args.minutes),
            RefreshTrainableEmbeddingsPlugin(corpus.dev, trainable_embedding_names(tagger)),
            *([averaging] if averaging else []),
        ],
    )
    best = run_dir / "best-model.pt"
    chosen = best if best.exists() else run_dir / "final-model.pt"
    if averaging:
        chosen = choose_on_dev(chosen, save_averaged(chosen, averaging.averaged_state(), run_dir), conll / "ned.testa")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(chosen, out / "model.pt")
    log.info("wrote %s (from %s)", out / "model.pt", chosen)


def save_averaged(template: Path, state: dict, run_dir: Path) -> Path:
    """The averaged weights as an ordinary saved tagger (same embeddings and tags as ``template``)."""
    from flair.models import SequenceTagger

    tagger = SequenceTagger.load(template)
    tagger.load_state_dict(state)
    path = run_dir / "averaged-model.pt"
    tagger.save(path)
    return path


def choose_on_dev(best_epoch: Path, averaged: Path, dev: Path) -> Path:
    """Whichever of the two saved models scores the higher micro F1 on the dev file (fresh sentences)."""
    from flair.models import SequenceTagger

    scores = {}
    for path in (best_epoch, averaged):
        result = SequenceTagger.load(path).evaluate(conll_to_flair(dev), gold_label_type="ner", mini_batch_size=32)
        scores[path] = result.main_score
        log.info("dev micro F1 %.4f  %s", result.main_score, path)
    return max(scores, key=scores.get)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 suits a shared 2-core box)")
    sub = parser.add_subparsers(dest="step", required=True)

    p = sub.add_parser("prepare", help="char dictionary, word vectors and LM corpus from unlabeled text")
    p.add_argument("--conll", required=True)
    p.add_argument("--articles", required=True)
    p.add_argument("--units", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--min-count", type=int, default=3)
    p.set_defaults(run=prepare)

    p = sub.add_parser("lm", help="train one direction of the character language model")
    p.add_argument("--direction", choices=("forward", "backward"), required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--max-epochs", type=int, default=100)
    p.add_argument("--learning-rate", type=float, default=20.0, help="SGD learning rate (Flair's LM default)")
    p.add_argument("--resume-from", help="a saved language model (best-lm.pt) to train further")
    p.add_argument("--out", help="output folder (default: WORK/lm-DIRECTION)")
    p.set_defaults(run=train_language_model)

    p = sub.add_parser("tagger", help="train the BiLSTM-CRF tagger and copy the best model to --out")
    p.add_argument("--conll", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="main")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--max-epochs", type=int, default=60)
    p.add_argument("--minutes", type=float, default=100)
    p.add_argument("--no-flair", action="store_true", help="leave the character LMs out (ablation)")
    p.add_argument("--learning-rate", type=float, default=0.1)
    p.add_argument("--average", action="store_true", help="also average the epochs' weights; keep the better on dev")
    p.add_argument("--patience", type=int, default=2, help="epochs without dev improvement before annealing")
    p.add_argument("--resume-from", help="a saved tagger to train further instead of a new one")
    p.add_argument("--lm-forward", help="forward character LM (default: WORK/lm-forward/best-lm.pt)")
    p.add_argument("--lm-backward", help="backward character LM (default: WORK/lm-backward/best-lm.pt)")
    p.add_argument("--swap-lms", action="store_true", help="with --resume-from: replace the tagger's LMs")
    p.set_defaults(run=train_tagger)

    args = parser.parse_args(argv)
    if getattr(args, "swap_lms", False) and (args.no_flair or not args.resume_from):
        parser.error("--swap-lms needs --resume-from and the Flair LMs (not --no-flair)")
    torch.set_num_threads(args.threads)
    args.run(args)


if __name__ == "__main__":
    main()
