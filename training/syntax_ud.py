"""Train and score a Dutch UPOS tagger, lemmatiser and dependency parser (spaCy 3.8) on UD Dutch, to decide
whether syntax earns a place in the service (speech-verb lemmas for the lexicon, subjects of speech verbs
as quote speakers).

Only the UD v2.0 release of LassySmall train (Wikipedia-like text) is available for training; the newspaper
treebank it is meant for (Alpino) has only dev and test here. The v2.0 train overlaps the current LassySmall
dev/test in places, so every train sentence whose text is also in a dev or test file is dropped first.
Selection is on ``nl_alpino-ud-dev`` (spaCy keeps the best checkpoint by ``score_weights``); the test files
are read once, by ``evaluate``, with gold tokens and gold sentences: the published anchors (raw text) also
pay for tokenisation and sentence splitting, so ours are an upper bound for raw text.

Needs spaCy 3.8, which is not in the project's locks (the service does not use it)::

    .venv/bin/python -m pip install 'spacy==3.8.*'

Steps (``--work`` holds the converted treebanks and the trained pipeline; neither is committed: the
treebanks are CC BY-SA 4.0 text and the model would have to carry their attribution)::

    python -m training.syntax_ud prepare --ud ../shared/data/ud-dutch --work /tmp/syntax-ud
    OMP_NUM_THREADS=1 nice -n 10 python -m training.syntax_ud train --work /tmp/syntax-ud
    OMP_NUM_THREADS=1 nice -n 10 python -m training.syntax_ud evaluate --ud ../shared/data/ud-dutch \
        --work /tmp/syntax-ud --ner models/ner-nl-compact/model.pt --out bench/results/ud_syntax.json

``train`` runs ``spacy train training/syntax_ud.cfg`` (CNN tok2vec, no static vectors: nothing comes from
a model hub), bounded by the config's ``max_steps``. ``evaluate`` scores UPOS, lemma, UAS and LAS the
CoNLL 2018 way (every word, punctuation included; LAS on the universal part of the relation, with the full
relation beside it) and times the pipeline against the project's NER tagger on the same sentences, one thread.

What the scores mean (``bench/results/ud_syntax.json``): v2.0 LassySmall train still follows UD v1 where the
current releases do not (``cc`` on the first conjunct, nearly all punctuation on the root; ``conventions`` in
the report), never marks compound parts or separated particles in lemmas (``klooster_orde``, ``op_roepen``),
and, being encyclopaedic, has no "zei" or "zegt" at all; so the scores are what this data allows, not what
a parser trained on current newspaper treebanks would reach. Converting ``cc`` the v1-to-v2 way before
training is the obvious next step, if syntax is taken further.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

log = logging.getLogger("training.syntax_ud")

CONFIG = Path(__file__).with_name("syntax_ud.cfg")
TRAIN = "nl_lassysmall-ud-train-v2.0.conllu"
HELD_OUT = (
    "nl_alpino-ud-dev.conllu",
    "nl_alpino-ud-test.conllu",
    "nl_lassysmall-ud-dev.conllu",
    "nl_lassysmall-ud-test.conllu",
)
DEV = "nl_alpino-ud-dev.conllu"
# v2.0 train still writes names as ``flat:name``; the current releases (all dev/test files) write ``flat``.
RELABEL = {"flat:name": "flat"}
TESTS = ("nl_alpino-ud-test.conllu", "nl_lassysmall-ud-test.conllu")


def read_conllu(path: Path) -> list[list[list[str]]]:
    """Sentences as lists of the 10 CoNLL-U columns of their words.

    Multiword-token ranges and enhanced empty nodes (``8.1``) are dropped: the Dutch treebanks have no
    multiword tokens, and empty nodes belong to the enhanced graph, which is not trained or scored here.
    """
    sentences, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sentences.append(words)
            words = []
        elif not line.startswith("#"):
            columns = line.split("\t")
            if columns[0].isdigit():
                words.append(columns)
    if words:
        sentences.append(words)
    return sentences


def sentence_key(words: list[list[str]]) -> str:
    """The sentence's words joined by spaces, so that texts match whatever their comments or spacing."""
    return " ".join(columns[1] for columns in words)


def write_conllu(sentences: list[list[list[str]]], path: Path) -> None:
    """Basic-tree CoNLL-U only (``DEPS`` and ``MISC`` blanked), which is all ``spacy convert`` reads."""
    lines = []
    for words in sentences:
        lines.extend("\t".join([*columns[:8], "_", "_"]) for columns in words)
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def label_sets(sentences: list[list[list[str]]]) -> tuple[set[str], set[str]]:
    """The UPOS tags and dependency relations a treebank uses."""
    return {w[3] for s in sentences for w in s}, {w[7] for s in sentences for w in s}


def conventions(sentences: list[list[list[str]]]) -> dict[str, float]:
    """Two attachments where v2.0 LassySmall still follows UD v1 and the current releases do not: the share of
    ``cc`` attached to a word before it (the first conjunct) and of ``punct`` attached to the root word."""
    cc = [int(c[6]) < int(c[0]) for words in sentences for c in words if c[7] == "cc"]
    punct = [words[int(c[6]) - 1][7] == "root" for words in sentences for c in words if c[7] == "punct" and c[6] != "0"]
    return {
        "cc_head_before": round(sum(cc) / max(len(cc), 1), 3),
        "punct_on_root": round(sum(punct) / max(len(punct), 1), 3),
    }


def prepare(ud: Path, work: Path) -> dict:
    """Deduplicate train against every dev/test file, write clean CoNLL-U and convert it to spaCy's format.

    Train goes in documents of 10 sentences (the parser also learns where sentences end); dev and test in
    one sentence per document, so that scores are for gold sentences and gold tokens.
    """
    work.mkdir(parents=True, exist_ok=True)
    held_out = {name: read_conllu(ud / name) for name in HELD_OUT}
    seen = {sentence_key(s) for sentences in held_out.values() for s in sentences}
    train = read_conllu(ud / TRAIN)
    kept = [s for s in train if sentence_key(s) not in seen]
    for words in kept:
        for columns in words:
            columns[7] = RELABEL.get(columns[7], columns[7])
    # Within train itself repeated sentences stay: they are the treebank's, and rare.
    info = {
        "train_sentences": len(train),
        "train_tokens": sum(map(len, train)),
        "train_sentences_kept": len(kept),
        "train_tokens_kept": sum(map(len, kept)),
    }
    train_pos, train_deps = label_sets(kept)
    for name, sentences in held_out.items():
        pos, deps = label_sets(sentences)
        info[name] = {
            "sentences": len(sentences),
            "tokens": sum(map(len, sentences)),
            "upos_not_in_train": sorted(pos - train_pos),
            "deprels_not_in_train": sorted(deps - train_deps),
            "deprel_tokens_not_in_train": sum(w[7] not in train_deps for s in sentences for w in s),
        }
    log.info("%s", json.dumps(info, indent=1))
    for name, sentences, per_doc in [(TRAIN, kept, 10), *((n, s, 1) for n, s in held_out.items())]:
        stem = name.removesuffix(".conllu")
        write_conllu(sentences, work / f"{stem}.conllu")
        subprocess.run(
            [sys.executable, "-m", "spacy", "convert", str(work / f"{stem}.conllu"), str(work),
             "--converter", "conllu", "--n-sents", str(per_doc), "--file-type", "spacy"],
            check=True,
        )  # fmt: skip
    (work / "prepare.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def train(work: Path, config: Path, extra: list[str]) -> float:
    """``spacy train`` on one thread; returns the wall time in seconds (the best model is ``work/model/model-best``)."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(config), "--output", str(work / "model"),
         "--paths.train", str(work / "nl_lassysmall-ud-train-v2.0.spacy"),
         "--paths.dev", str(work / DEV.replace(".conllu", ".spacy")), *extra],
        check=True,
        env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
    )  # fmt: skip
    seconds = time.perf_counter() - start
    (work / "train_seconds.txt").write_text(f"{seconds:.0f}\n", encoding="utf-8")
    return seconds


def gold_docs(nlp, sentences: list[list[list[str]]]) -> list:
    """One unannotated Doc per gold sentence, on the gold tokens, marked as one sentence (the parser keeps
    preset boundaries), so that errors in tokenising and splitting are not counted against the parser."""
    from spacy.tokens import Doc

    docs = []
    for words in sentences:
        doc = Doc(nlp.vocab, words=[columns[1] for columns in words])
        for token in doc:
            token.is_sent_start = token.i == 0
        docs.append(doc)
    return docs


def score(docs: list, sentences: list[list[list[str]]]) -> dict[str, float]:
    """CoNLL 2018 scores over every word (punctuation included), in percent: LAS compares the universal part
    of the relation (``obl:arg`` counts as ``obl``) and ``las_full`` the whole label.

    ``lemma_joined`` compares with the gold lemma's ``_`` removed: the current releases mark compound parts and
    separated particles in lemmas (``klooster_orde``, ``op_roepen`` for "roept ... op"), which v2.0 train never
    does, so plain ``lemma`` cannot reach 100; a separated particle verb still counts as wrong there.
    ``*_no_punct`` leave punctuation out (as spaCy's own scorer does): v2.0 train attaches nearly all of it to
    the root (and ``cc`` to the first conjunct, the UD v1 way), the current releases do not."""
    counts = dict.fromkeys(("upos", "lemma", "lemma_joined", "uas", "las", "las_full"), 0)
    no_punct = dict.fromkeys(("uas_no_punct", "las_no_punct"), 0)
    total = words_no_punct = 0
    for doc, words in zip(docs, sentences, strict=True):
        for token, columns in zip(doc, words, strict=True):
            head = 0 if token.head.i == token.i else token.head.i + 1
            relation = "root" if token.dep_ == "ROOT" else token.dep_
            same_head = str(head) == columns[6]
            counts["upos"] += token.pos_ == columns[3]
            counts["lemma"] += token.lemma_ == columns[2]
            counts["lemma_joined"] += token.lemma_ == columns[2].replace("_", "")
            counts["uas"] += same_head
            counts["las"] += same_head and relation.split(":")[0] == columns[7].split(":")[0]
            counts["las_full"] += same_head and relation == columns[7]
            total += 1
            if columns[7] != "punct":
                no_punct["uas_no_punct"] += same_head
                no_punct["las_no_punct"] += same_head and relation.split(":")[0] == columns[7].split(":")[0]
                words_no_punct += 1
    return (
        {name: round(100 * count / total, 2) for name, count in counts.items()}
        | {name: round(100 * count / words_no_punct, 2) for name, count in no_punct.items()}
        | {"words": total}
    )


def speech_verb_scores(docs: list, sentences: list[list[list[str]]]) -> dict[str, float | int]:
    """What the two intended uses need, on gold tokens. Speech verbs are the tokens tagged VERB in gold whose
    gold lemma is the lemma of some form in the project's ``speech_verbs`` lexicon (so also inflections the
    lexicon lacks). ``speech_verb_lemma``: how often the lemmatiser gets their lemma (``_`` removed, as in
    ``score``); ``speech_verbs_forms_not_in_lexicon``: how many a lemma lookup would find that the form list
    misses; speaker subject precision/recall: ``nsubj`` arcs (any subtype) into a speech verb with the right
    head and relation, which is what a parser would offer as the quote's speaker."""
    from service import lexicon

    forms = lexicon.words("speech_verbs")
    lemmas = {c[2] for words in sentences for c in words if c[3] == "VERB" and c[1].lower() in forms}
    verbs = lemma_right = not_listed = gold_subjects = found = predicted = right = 0
    for doc, words in zip(docs, sentences, strict=True):
        is_verb = [c[3] == "VERB" and c[2] in lemmas for c in words]
        for token, columns in zip(doc, words, strict=True):
            if is_verb[token.i]:
                verbs += 1
                lemma_right += token.lemma_ == columns[2].replace("_", "")
                not_listed += columns[1].lower() not in forms
            gold_head = int(columns[6]) - 1
            gold_subject = columns[7].split(":")[0] == "nsubj" and gold_head >= 0 and is_verb[gold_head]
            predicted_subject = token.dep_.split(":")[0] == "nsubj" and is_verb[token.head.i]
            correct = gold_subject and predicted_subject and token.head.i == gold_head
            gold_subjects += gold_subject
            predicted += predicted_subject
            found += correct
            right += correct
    return {
        "speech_verb_lemmas": len(lemmas),
        "speech_verbs": verbs,
        "speech_verb_lemma": round(100 * lemma_right / max(verbs, 1), 2),
        "speech_verbs_forms_not_in_lexicon": not_listed,
        "speaker_subjects": gold_subjects,
        "speaker_subject_precision": round(100 * right / max(predicted, 1), 2),
        "speaker_subject_recall": round(100 * found / max(gold_subjects, 1), 2),
    }


def time_against_ner(nlp, ner, sentences: list[list[list[str]]], rounds: int) -> dict:
    """Words per second of the spaCy pipeline and of the project's NER tagger (as served: int8 parts, its own
    batch size) on the same gold-token sentences in one process on one thread; the sides alternate which goes
    first each round, and the ratio is per round (median) because absolute speed drifts with the machine's load.
    """
    import statistics

    token_lists = [[columns[1] for columns in words] for words in sentences]
    words = sum(map(len, token_lists))
    ner.predict_spans(token_lists[:32])  # warm up both
    list(nlp.pipe(gold_docs(nlp, sentences[:32])))
    spacy_times, ner_times = [], []
    for round_number in range(rounds):

        def run_spacy() -> float:
            docs = gold_docs(nlp, sentences)
            start = time.perf_counter()
            list(nlp.pipe(docs, batch_size=256))
            return time.perf_counter() - start

        def run_ner() -> float:
            start = time.perf_counter()
            ner.predict_spans(token_lists)
            return time.perf_counter() - start

        if round_number % 2 == 0:
            spacy_times.append(run_spacy())
            ner_times.append(run_ner())
        else:
            ner_times.append(run_ner())
            spacy_times.append(run_spacy())
    ratios = [s / n for s, n in zip(spacy_times, ner_times, strict=True)]
    return {
        "words": words,
        "rounds": rounds,
        "spacy_pipeline_words_per_s": round(words / statistics.median(spacy_times)),
        "ner_words_per_s": round(words / statistics.median(ner_times)),
        "spacy_time_over_ner_time": round(statistics.median(ratios), 3),
        "spacy_time_over_ner_time_per_round": [round(r, 3) for r in ratios],
    }


def parser_share(nlp, sentences: list[list[list[str]]]) -> dict[str, float]:
    """Seconds each pipe takes on the sentences (one pass after a warm-up): the parser alone would still need
    the shared tok2vec, so what syntax costs is tok2vec + parser, with the tagger and lemmatiser on top."""
    docs = gold_docs(nlp, sentences)
    for _, pipe in nlp.pipeline:
        list(pipe.pipe(gold_docs(nlp, sentences[:32])))
    seconds = {}
    for name, pipe in nlp.pipeline:
        start = time.perf_counter()
        docs = list(pipe.pipe(docs, batch_size=256))
        seconds[name] = round(time.perf_counter() - start, 3)
    return seconds


def evaluate(ud: Path, work: Path, ner_path: Path, out: Path, rounds: int = 4, note: str = "") -> dict:
    """Score the best checkpoint on dev and the two test files (read here once), time it against the NER
    tagger on Alpino test, and write the report."""
    import spacy
    import torch

    from bench.harness import machine
    from service.config import Settings
    from service.models.ner import load_ner_model

    torch.set_num_threads(1)
    model = work / "model" / "model-best"
    nlp = spacy.load(model)
    report: dict = {
        "benchmark": "ud_syntax",
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": " ".join(sys.argv),
        "machine": machine() | {"spacy": spacy.__version__, "threads": 1},
        "tokenisation": "gold tokens and gold sentences (the published anchors are from raw text)",
        "data": json.loads((work / "prepare.json").read_text(encoding="utf-8")),
        "pipeline": nlp.pipe_names,
        "model_mib": round(sum(f.stat().st_size for f in model.rglob("*") if f.is_file()) / 2**20, 1),
        "train_seconds": float((work / "train_seconds.txt").read_text()) if (work / "train_seconds.txt").exists()
        else None,
        "anchors_las_raw_text": {"stanza_1.5_alpino": 88.67, "spacy_nl_core_news_sm_3.8": 80.45,
                                 "spacy_nl_core_news_lg_3.8 (LassySmall+Alpino train)": 82.98,
                                 "udpipe_1_ud2.5_alpino": 78.2},
        "scores": {},
        "note": note,
    }  # fmt: skip
    report["conventions"] = {"train (deduplicated)": conventions(read_conllu(work / TRAIN))} | {
        name.removesuffix(".conllu"): conventions(read_conllu(ud / name)) for name in (DEV, *TESTS)
    }
    for name in (DEV, *TESTS):
        sentences = read_conllu(ud / name)
        docs = list(nlp.pipe(gold_docs(nlp, sentences), batch_size=256))
        report["scores"][name.removesuffix(".conllu")] = score(docs, sentences) | speech_verb_scores(docs, sentences)
        log.info("%s %s", name, report["scores"][name.removesuffix(".conllu")])
    alpino_test = read_conllu(ud / TESTS[0])
    settings = Settings()
    ner = load_ner_model(str(ner_path), batch_size=settings.ner_batch_size, quantize=settings.ner_quantize)
    report["speed"] = time_against_ner(nlp, ner, alpino_test, rounds) | {
        "ner": {"model": str(ner_path), "quantize": list(settings.ner_quantize), "batch_size": settings.ner_batch_size}
    }
    report["speed"]["pipe_seconds_one_pass"] = parser_share(nlp, alpino_test)
    log.info("%s", report["speed"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--ud", type=Path, required=True)
    p.add_argument("--work", type=Path, required=True)
    t = sub.add_parser("train")
    t.add_argument("--work", type=Path, required=True)
    t.add_argument("--config", type=Path, default=CONFIG)
    e = sub.add_parser("evaluate")
    e.add_argument("--ud", type=Path, required=True)
    e.add_argument("--work", type=Path, required=True)
    e.add_argument("--ner", type=Path, default=Path("models/ner-nl-compact/model.pt"))
    e.add_argument("--out", type=Path, default=Path("bench/results/ud_syntax.json"))
    e.add_argument("--rounds", type=int, default=4, help="timing rounds, the side going first alternating")
    e.add_argument("--note", default="", help="anything about the run the report should carry")
    # Anything else after ``train`` goes to spaCy as config overrides, e.g. ``--training.max_steps 2000``.
    args, overrides = parser.parse_known_args(argv)
    if overrides and args.command != "train":
        parser.error(f"unrecognised arguments: {' '.join(overrides)}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.command == "prepare":
        prepare(args.ud, args.work)
    elif args.command == "train":
        log.info("trained in %.0f s", train(args.work, args.config, overrides))
    else:
        evaluate(args.ud, args.work, args.ner, args.out, args.rounds, args.note)


if __name__ == "__main__":
    main()
