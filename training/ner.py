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
``tagger --resume-from`` trains a saved tagger further (``--swap-lms`` first puts further-trained LMs in,
``--word-vectors`` other word vectors: see ``training.word_vectors``; ``--freeze-embeddings`` trains only the
tagger's own layers, so the embeddings other heads read stay as they are), and ``tagger --average`` also averages
the epochs' weights, keeping whichever scores higher on dev. ``tagger --corpus`` adds the annotated corpus's
train split (``--train-articles N``: its first N articles in draw order, as a model card names) and selects on its
dev split.
"""

from __future__ import annotations

import argparse
import collections
import logging
import random
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import torch

from corpus.articles import load_texts, news2019_path
from corpus.store import TRAIN_ARTICLES_HELP, load_split, read_records, split_path
from training.corpora import (
    entity_tagged_sentences,
    news_paragraphs,
    normalise_word,
    read_conll,
    to_flair_sentence,
    unlabeled_sentences,
)

log = logging.getLogger("training.ner")

SEED = 13
# Characters of news2019 held out (as whole articles) for LM validation, and again for LM test.
LM_HELD_OUT_CHARS = 200_000


def seed_everything(seed: int = SEED) -> None:
    """Fix every random source so that a rerun of the same command gives the same model."""
    import flair

    random.seed(seed)
    torch.manual_seed(seed)
    flair.set_seed(seed)


# --------------------------------------------------------------------------------------------- prepare


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

    tokenised = [[normalise_word(t.text) for t in tokenize(s)] for s in sentences]
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


def held_out_article_ids(paragraphs: list[tuple[str, str]], chars: int, seed: int = SEED) -> tuple[set[str], set[str]]:
    """The ids of the articles held out as LM validation and test text: about ``chars`` characters each, whole
    articles in a seeded order. The annotated corpus draws its dev and test articles from these, so that the
    in-domain LMs never read them."""
    ids = sorted({article for article, _ in paragraphs})
    random.Random(seed).shuffle(ids)
    sizes: dict[str, int] = collections.Counter()
    for article, paragraph in paragraphs:
        sizes[article] += len(paragraph)
    held: list[set[str]] = [set(), set()]
    filled = [0, 0]
    for article in ids:
        part = 0 if filled[0] < chars else 1
        if filled[part] >= chars:
            break
        held[part].add(article)
        filled[part] += sizes[article]
    return held[0], held[1]


def hold_out_articles(
    paragraphs: list[tuple[str, str]], chars: int, seed: int = SEED
) -> tuple[list[str], list[str], list[str]]:
    """Split ``(article id, paragraph)`` pairs into train, valid and test text by whole articles.

    Valid and test get about ``chars`` characters each of articles no train line comes from, so the
    validation loss measures in-domain text the LM has not read (news repeats itself within an article).
    """
    valid_ids, test_ids = held_out_article_ids(paragraphs, chars, seed)
    valid = [text for article, text in paragraphs if article in valid_ids]
    test = [text for article, text in paragraphs if article in test_ids]
    train = [text for article, text in paragraphs if article not in valid_ids and article not in test_ids]
    return train, valid, test


def write_split_corpus(train: list[str], valid: list[str], test: list[str], folder: Path, splits: int) -> None:
    """Write a Flair TextCorpus folder; many small splits make the trainer validate (and checkpoint) often."""
    shuffled = train[:]
    random.Random(SEED).shuffle(shuffled)
    (folder / "train").mkdir(parents=True, exist_ok=True)
    (folder / "valid.txt").write_text("\n".join(valid) + "\n", encoding="utf-8")
    (folder / "test.txt").write_text("\n".join(test) + "\n", encoding="utf-8")
    size = len(shuffled) // splits + 1
    width = len(str(splits))
    for index in range(splits):
        part = shuffled[index * size : (index + 1) * size]
        # Zero-padded names: the trainer reads splits in sorted order, which a resume relies on.
        name = f"train_split_{index + 1:0{width}d}"
        (folder / "train" / name).write_text("\n".join(part) + "\n", encoding="utf-8")


def news_corpus(args: argparse.Namespace) -> None:
    """The LM corpus for in-domain pretraining: news2019 paragraphs plus the unlabeled text used before."""
    out = Path(args.out)
    paragraphs = list(news_paragraphs(args.news))
    train, valid, test = hold_out_articles(paragraphs, args.held_out_chars)
    earlier = unlabeled_sentences(Path(args.conll) / "ned.train", args.articles, args.units)
    write_split_corpus(train + earlier, valid, test, out, args.splits)
    log.info(
        "news paragraphs %d (train %d, %d chars; valid %d chars; test %d chars) + earlier sentences %d (%d chars)",
        len(paragraphs),
        len(train),
        sum(map(len, train)),
        sum(map(len, valid)),
        sum(map(len, test)),
        len(earlier),
        sum(map(len, earlier)),
    )


def extract_language_models(args: argparse.Namespace) -> None:
    """Save the character LMs inside a trained tagger as LM files, so that they can be trained further.

    The shipped tagger is the only copy of the LMs it was trained with; continuing exactly those (same
    dictionary, same size) lets ``tagger --swap-lms`` put the further-trained ones back into it.
    """
    from flair.embeddings import FlairEmbeddings
    from flair.models import SequenceTagger

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for embedding in SequenceTagger.load(args.tagger).embeddings.embeddings:
        if isinstance(embedding, FlairEmbeddings):
            direction = "forward" if embedding.is_forward_lm else "backward"
            embedding.lm.save(out / f"lm-{direction}.pt")
            log.info("wrote %s (hidden %d)", out / f"lm-{direction}.pt", embedding.lm.hidden_size)


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
    """Train one direction of a character LM (Flair embeddings) on the prepared corpus.

    A new LM reads the work folder's character dictionary; a resumed one keeps its own, since its input and
    output layers are laid out by it. ``--resume-checkpoint`` continues a run that was stopped mid-pass.
    """
    from flair.data import Dictionary
    from flair.models import LanguageModel
    from flair.trainers.language_model_trainer import LanguageModelTrainer, TextCorpus

    seed_everything()
    work = Path(args.work)
    forward = args.direction == "forward"
    corpus_dir = Path(args.corpus) if args.corpus else work / "lm-corpus"
    out = Path(args.out) if args.out else work / f"lm-{args.direction}"
    if args.resume_checkpoint:
        trainer = resume_from_checkpoint(Path(args.resume_checkpoint), corpus_dir, out, forward)
    else:
        if args.resume_from:
            # A run that a time budget stopped continues from its best checkpoint, typically at the annealed
            # learning rate it had reached, into a new folder so the earlier LM stays as it was.
            language_model = LanguageModel.load_language_model(args.resume_from)
            if language_model.is_forward_lm != forward:
                raise SystemExit(f"{args.resume_from} is not a {args.direction} language model")
            dictionary = language_model.dictionary
            if language_model.decoder is None:
                fit_new_decoder(language_model, corpus_dir, out / "decoder", args.learning_rate)
        else:
            dictionary = Dictionary.load_from_file(str(work / "chars.pkl"))
            language_model = LanguageModel(dictionary, forward, hidden_size=args.hidden, nlayers=1)
        corpus = TextCorpus(corpus_dir, dictionary, forward, character_level=True)
        trainer = LanguageModelTrainer(language_model, corpus)
        if args.resume_from:
            log.info("validation loss before training: %.4f", validation_loss(trainer))
    # Each "epoch" visits every split and keeps best-lm.pt (best validation loss) after each split, so a
    # run stopped by ``timeout`` still leaves the best model so far; checkpoint.pt after each split lets
    # ``--resume-checkpoint`` go on from there; --max-epochs bounds a faster machine.
    trainer.train(
        out,
        sequence_length=250,
        learning_rate=args.learning_rate,
        mini_batch_size=64,
        max_epochs=args.max_epochs,
        patience=10,
        num_workers=0,
        checkpoint=True,
    )


def fit_new_decoder(language_model, corpus_dir: Path, out: Path, learning_rate: float) -> None:
    """Give an LM taken out of a tagger a new output layer, fitted on the first split with the rest frozen.

    A tagger keeps its LMs without their output layer (it only reads their hidden states). A random output
    layer trained together with the LSTM would first push noise into the very states the tagger learned to
    read, so it learns alone until its predictions are sensible; then the whole LM trains on.
    """
    from flair.trainers.language_model_trainer import LanguageModelTrainer, TextCorpus

    language_model.decoder = torch.nn.Linear(
        language_model.nout or language_model.hidden_size, len(language_model.dictionary)
    )
    language_model.decoder.bias.detach().fill_(0)
    language_model.decoder.weight.detach().uniform_(-0.1, 0.1)
    body = [p for name, p in language_model.named_parameters() if not name.startswith("decoder.")]
    for parameter in body:
        parameter.requires_grad_(False)
    first_split = linked_corpus(corpus_dir, out / "corpus", sorted((corpus_dir / "train").iterdir())[:1])
    corpus = TextCorpus(first_split, language_model.dictionary, language_model.is_forward_lm, character_level=True)
    LanguageModelTrainer(language_model, corpus).train(
        out, sequence_length=250, learning_rate=learning_rate, mini_batch_size=64, max_epochs=1, num_workers=0
    )
    for parameter in body:
        parameter.requires_grad_(True)


def linked_corpus(corpus_dir: Path, folder: Path, splits: list[Path]) -> Path:
    """A TextCorpus folder of links: the same valid/test text and only the given training splits."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "train").mkdir(parents=True)
    for name in ("valid.txt", "test.txt"):
        (folder / name).symlink_to((corpus_dir / name).resolve())
    for split in splits:
        (folder / "train" / split.name).symlink_to(split.resolve())
    return folder


def validation_loss(trainer) -> float:
    """The LM's loss on the corpus's validation text, as the trainer computes it after each split."""
    return trainer.evaluate(trainer._batchify(trainer.corpus.valid, 64), 64, 250)


def resume_from_checkpoint(checkpoint: Path, corpus_dir: Path, out: Path, forward: bool):
    """A trainer that finishes the pass a stopped run was in, from the split after its last checkpoint.

    Flair's trainer restores model, optimizer and best loss but re-reads the pass from its first split, so
    the splits already read are left out through a corpus folder of links to the remaining ones.
    """
    from flair.models import LanguageModel
    from flair.trainers.language_model_trainer import LanguageModelTrainer, TextCorpus

    state = LanguageModel.load_checkpoint(checkpoint)
    if state["model"].is_forward_lm != forward:
        raise SystemExit(f"{checkpoint} is not a {'forward' if forward else 'backward'} checkpoint")
    remaining = linked_corpus(
        corpus_dir, out / "resume-corpus", sorted((corpus_dir / "train").iterdir())[state["split"] :]
    )
    log.info("resuming epoch %d after split %d (best loss %.4f)", state["epoch"], state["split"], state["loss"])
    corpus = TextCorpus(remaining, state["model"].dictionary, forward, character_level=True)
    return LanguageModelTrainer.load_checkpoint(checkpoint, corpus)


# ---------------------------------------------------------------------------------------------- tagger


def conll_to_flair(path: Path):
    """CoNLL sentences as Flair Sentences with gold entity spans."""
    return [to_flair_sentence(tokens) for tokens in read_conll(path)]


def corpus_to_flair(corpus_dir: Path, split: str, train_articles: int | None = None):
    """The annotated corpus's entities of one split (``corpus/README.md``) as Flair Sentences, tokenised as the
    service tokenises, with the texts joined from ``../shared/data``; of train only the first ``train_articles`` in
    draw order where given (``corpus.store.load_split``)."""
    ids = [record["id"] for _, record in read_records(split_path(split, corpus_dir))]
    articles = load_split(split, load_texts(ids, news2019_path()), corpus_dir, train_articles)
    sentences, dropped = [], 0
    for article in articles:
        tagged, left_out = entity_tagged_sentences(article.text, article.record["entities"])
        sentences.extend(to_flair_sentence(tokens) for tokens in tagged)
        dropped += left_out
    log.info(
        "corpus %s: %d articles, %d sentences, %d entities not on token boundaries",
        split,
        len(articles),
        len(sentences),
        dropped,
    )
    return sentences


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


def freeze(embeddings) -> None:
    """Keep an embedding stack as it is: only the tagger above it learns, and its vectors are computed once.
    The quote tagger and the actor-stance heads read these same vectors, so a tagger retrained this way leaves
    them valid."""
    for parameter in embeddings.parameters():
        parameter.requires_grad = False
    for embedding in embeddings.embeddings:
        embedding.static_embeddings = True


def embed_once(embeddings, sentences: list, batch_size: int = 64) -> None:
    """Compute frozen embeddings of ``sentences`` before training, each token's vector a copy of its own.

    Flair's trainer would cache them in its first epoch, but a character LM's token vector is a view into the
    states of every character of its batch, so the cache holds all of those: for CoNLL and the corpus more
    than this machine's memory."""
    names = embeddings.get_names()
    with torch.no_grad():
        for first in range(0, len(sentences), batch_size):
            batch = sentences[first : first + batch_size]
            embeddings.embed(batch)
            for sentence in batch:
                for token in sentence:
                    for name in names:
                        token.set_embedding(name, token.get_embedding([name]).clone())
    log.info("embedded %d sentences once", len(sentences))


def trainable_embedding_names(tagger) -> list[str]:
    """Names of the embeddings in the tagger's stack whose output changes as training goes on."""
    return [embedding.name for embedding in tagger.embeddings.embeddings if not embedding.static_embeddings]


def new_tagger(hidden: int, embeddings, corpus, tag_type: str):
    """A BiLSTM-CRF over ``embeddings`` for the span labels ``tag_type`` of ``corpus``, with the dropout every
    tagger of this project trains with."""
    from flair.models import SequenceTagger

    return SequenceTagger(
        hidden_size=hidden,
        embeddings=embeddings,
        tag_dictionary=corpus.make_label_dictionary(tag_type, add_unk=False),
        tag_type=tag_type,
        use_crf=True,
        dropout=0.0,
        word_dropout=0.05,
        locked_dropout=0.5,
    )


def fit_tagger(tagger, corpus, run_dir: Path, args: argparse.Namespace, plugins: list, **options) -> None:
    """Flair's trainer with this project's schedule: SGD from ``args.learning_rate``, halved after
    ``args.patience`` epochs without a better dev score, at most ``args.max_epochs`` epochs within
    ``args.minutes``, static embeddings kept between epochs; ``best-model.pt`` and ``final-model.pt`` in
    ``run_dir``."""
    from flair.trainers import ModelTrainer

    from training.plugins import DeadlinePlugin

    trainer = ModelTrainer(tagger, corpus)
    # At the end Flair reloads best-model.pt through a fresh model, which cannot take int8 modules (a head over
    # the NER tagger's int8 embeddings); reading the saved weights into the live model works for both.
    trainer._load_model = lambda path: tagger.load_state_dict(torch.load(path, weights_only=False)["state_dict"])
    trainer.train(
        run_dir,
        learning_rate=args.learning_rate,
        mini_batch_size=32,
        max_epochs=args.max_epochs,
        patience=args.patience,
        anneal_factor=0.5,
        embeddings_storage_mode="cpu",
        save_final_model=True,
        plugins=[DeadlinePlugin(minutes=args.minutes), *plugins],
        **options,
    )


def train_tagger(args: argparse.Namespace) -> None:
    from flair.data import Corpus
    from flair.datasets import FlairDatapointDataset
    from flair.models import SequenceTagger

    from training.plugins import RefreshTrainableEmbeddingsPlugin, WeightAveragePlugin

    seed_everything()
    conll, work, out = Path(args.conll), Path(args.work), Path(args.out)
    train = conll_to_flair(conll / "ned.train")
    if args.corpus:
        # Modern news beside the 2000 Belgian news, and selection on modern news: corpus dev, not ned.testa.
        train += corpus_to_flair(Path(args.corpus), "train", args.train_articles)
        load_dev = partial(corpus_to_flair, Path(args.corpus), "dev")
    else:
        load_dev = partial(conll_to_flair, conll / "ned.testa")
    corpus = Corpus(
        train=FlairDatapointDataset(train),
        dev=FlairDatapointDataset(load_dev()),
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
        if args.word_vectors:
            from training.word_vectors import swap_word_vectors

            swap_word_vectors(tagger, args.word_vectors)
        if args.freeze_embeddings:
            freeze(tagger.embeddings)
            embed_once(tagger.embeddings, [*corpus.train, *corpus.dev])
    else:
        tagger = new_tagger(args.hidden, build_embeddings(work, language_models), corpus, "ner")
    run_dir = work / f"tagger-{args.name}"
    averaging = WeightAveragePlugin() if args.average else None
    # Static embeddings (LMs, word vectors) are computed once and kept; the refresh plugin keeps the trainable
    # character embeddings of the dev set fresh.
    fit_tagger(
        tagger,
        corpus,
        run_dir,
        args,
        [
            RefreshTrainableEmbeddingsPlugin(corpus.dev, trainable_embedding_names(tagger)),
            *([averaging] if averaging else []),
        ],
    )
    best = run_dir / "best-model.pt"
    chosen = best if best.exists() else run_dir / "final-model.pt"
    if averaging:
        chosen = choose_on_dev(chosen, save_averaged(chosen, averaging.averaged_state(), run_dir), load_dev)
    out.mkdir(parents=True, exist_ok=True)
    if args.freeze_embeddings:
        export_head(chosen, Path(args.resume_from), out / "model.pt")
    else:
        shutil.copy(chosen, out / "model.pt")
    log.info("wrote %s (from %s)", out / "model.pt", chosen)


def export_head(checkpoint: Path, embeddings_from: Path, out: Path) -> None:
    """Save a tagger trained over frozen embeddings with the embedding stack of ``embeddings_from`` (a tagger
    file) exactly as it is there: the file loads like any SequenceTagger, and its embeddings are the ones the
    service quantises and shares with the other heads, not the training run's static copy."""
    head = torch.load(checkpoint, map_location="cpu", weights_only=False)
    source = torch.load(embeddings_from, map_location="cpu", weights_only=False)
    state = {key: value for key, value in head["state_dict"].items() if not key.startswith("embeddings.")}
    state.update((key, value) for key, value in source["state_dict"].items() if key.startswith("embeddings."))
    torch.save({**head, "embeddings": source["embeddings"], "state_dict": state}, out)


def save_averaged(template: Path, state: dict, run_dir: Path) -> Path:
    """The averaged weights as an ordinary saved tagger (same embeddings and tags as ``template``)."""
    from flair.models import SequenceTagger

    tagger = SequenceTagger.load(template)
    tagger.load_state_dict(state)
    path = run_dir / "averaged-model.pt"
    tagger.save(path)
    return path


def choose_on_dev(best_epoch: Path, averaged: Path, load_dev: Callable[[], list]) -> Path:
    """Whichever of the two saved models scores the higher micro F1 on freshly loaded dev sentences."""
    from flair.models import SequenceTagger

    scores = {}
    for path in (best_epoch, averaged):
        result = SequenceTagger.load(path).evaluate(load_dev(), gold_label_type="ner", mini_batch_size=32)
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

    p = sub.add_parser("news-corpus", help="LM corpus from news2019 (held-out articles) + the earlier text")
    p.add_argument("--news", required=True, help="news2019/articles.jsonl.gz")
    p.add_argument("--conll", required=True)
    p.add_argument("--articles", required=True)
    p.add_argument("--units", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--splits", type=int, default=40)
    p.add_argument(
        "--held-out-chars", type=int, default=LM_HELD_OUT_CHARS, help="about this much text each for valid/test"
    )
    p.set_defaults(run=news_corpus)

    p = sub.add_parser("extract-lms", help="save a trained tagger's character LMs as LM files")
    p.add_argument("--tagger", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=extract_language_models)

    p = sub.add_parser("lm", help="train one direction of the character language model")
    p.add_argument("--direction", choices=("forward", "backward"), required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--max-epochs", type=int, default=100)
    p.add_argument("--learning-rate", type=float, default=20.0, help="SGD learning rate (Flair's LM default)")
    p.add_argument("--resume-from", help="a saved language model (best-lm.pt) to train further")
    p.add_argument("--resume-checkpoint", help="a checkpoint.pt of a stopped run: finish its pass")
    p.add_argument("--corpus", help="TextCorpus folder (default: WORK/lm-corpus)")
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
    p.add_argument("--word-vectors", help="with --resume-from: replace the tagger's word vectors by these KeyedVectors")
    p.add_argument("--corpus", help="the annotated corpus folder (corpus/v1): add its train split, select on its dev")
    p.add_argument("--train-articles", type=int, help=TRAIN_ARTICLES_HELP)
    p.add_argument(
        "--freeze-embeddings",
        action="store_true",
        help="with --resume-from: train the BiLSTM-CRF only, over the tagger's embeddings as they are",
    )
    p.set_defaults(run=train_tagger)

    args = parser.parse_args(argv)
    if getattr(args, "swap_lms", False) and (args.no_flair or not args.resume_from):
        parser.error("--swap-lms needs --resume-from and the Flair LMs (not --no-flair)")
    if getattr(args, "freeze_embeddings", False) and not args.resume_from:
        parser.error("--freeze-embeddings needs --resume-from (a trained tagger whose embeddings stay as they are)")
    if getattr(args, "word_vectors", None) and not args.resume_from:
        parser.error("--word-vectors needs --resume-from (a new tagger reads WORK/w2v.kv)")
    if getattr(args, "train_articles", None) is not None and not args.corpus:
        parser.error("--train-articles needs --corpus (the train articles are the annotated corpus's)")
    torch.set_num_threads(args.threads)
    args.run(args)


if __name__ == "__main__":
    main()
