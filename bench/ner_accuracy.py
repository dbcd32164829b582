"""Entity-level accuracy and speed of a Flair tagger on a CoNLL-format file, written as JSON.

Gold and predicted entities are compared as exact spans with exact types (CoNLL's conlleval convention):
micro and per-type precision, recall and F1. The tagger reads the file's own tokens, and is loaded through
the service's loader, so a local path and a hub id (``flair/ner-dutch``) are measured the same way.

    python -m bench.ner_accuracy --model models/ner-nl-compact/model.pt \
        --conll ../shared/data/conll2002-nl/ned.testb --out bench/results/ner_accuracy_testb.json

``--refine`` also applies the service's document-level repairs (``service.entities.refine_entities``) to
each CoNLL document (the sentences between two ``-DOCSTART-`` lines, rebuilt as one text: tokens joined by
spaces, sentences by newlines) and adds their scores under ``refined``, from the same tagging run (the
top-level scores stay the tagger's own); ``--rules`` picks which repairs (default: the service's), and
``ablation`` scores each of them alone and the others without it:

    python -m bench.ner_accuracy --model models/ner-nl-compact/model.pt --refine \
        --conll ../shared/data/conll2002-nl/ned.testb --out bench/results/ner_accuracy_refine_testb.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections import Counter
from pathlib import Path

import torch

from service.entities import DEFAULT_RULES, RULES, refine_entities
from service.models.ner import Entity, load_ner_model
from service.text import Sentence, Token
from training.corpora import DOCSTART, bio_spans, read_conll

Span = tuple[int, int, str, float]


def score(gold: list[set[tuple]], predicted: list[set[tuple]]) -> dict:
    """Micro and per-type P/R/F1 (in %) over sentences of ``(start, end, type)`` spans."""
    counts: dict[str, Counter] = {}
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        for span in predicted_spans:
            counts.setdefault(span[2], Counter())["tp" if span in gold_spans else "fp"] += 1
        for span in gold_spans - predicted_spans:
            counts.setdefault(span[2], Counter())["fn"] += 1
    per_type = {kind: _prf(c) for kind, c in sorted(counts.items())}
    return {"micro": _prf(sum(counts.values(), Counter())), "per_type": per_type}


def _prf(counts: Counter) -> dict:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(100 * precision, 2),
        "recall": round(100 * recall, 2),
        "f1": round(100 * f1, 2),
        "support": tp + fn,
        "predicted": tp + fp,
    }


def document_sizes(path: Path) -> list[int]:
    """Sentences per document of a CoNLL file (documents start at ``-DOCSTART-``), counted as ``read_conll``
    reads sentences, so ``read_conll``'s list cuts into documents by these sizes."""
    sizes = [0]
    in_sentence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if fields and fields[0] == DOCSTART:
            if in_sentence:
                sizes[-1] += 1
            in_sentence = False
            sizes.append(0)
        elif fields:
            in_sentence = True
        elif in_sentence:
            sizes[-1] += 1
            in_sentence = False
    sizes[-1] += in_sentence
    return [size for size in sizes if size]


def refine_document(token_lists: list[list[str]], found: list[list[Span]], rules: tuple[str, ...]) -> list[set]:
    """One document's predicted ``(first, end, type)`` spans per sentence after ``refine_entities``."""
    text, sentences = _document_text(token_lists)
    entities = [
        Entity(
            text[sentence.tokens[first].start : sentence.tokens[end - 1].end],
            kind,
            sentence.tokens[first].start,
            sentence.tokens[end - 1].end,
            confidence,
            index,
        )
        for index, (sentence, spans) in enumerate(zip(sentences, found))
        for first, end, kind, confidence in spans
    ]
    predicted: list[set] = [set() for _ in sentences]
    for entity in refine_entities(entities, text, sentences, rules):
        tokens = sentences[entity.sentence].tokens
        first = next(i for i, token in enumerate(tokens) if token.start == entity.start)
        end = next(i for i, token in enumerate(tokens) if token.end == entity.end) + 1
        predicted[entity.sentence].add((first, end, entity.type))
    return predicted


def _document_text(token_lists: list[list[str]]) -> tuple[str, list[Sentence]]:
    """The document as one text (tokens joined by spaces, sentences by newlines) and its sentences."""
    sentences, offset = [], 0
    for words in token_lists:
        tokens, start = [], offset
        for word in words:
            tokens.append(Token(word, offset, offset + len(word)))
            offset += len(word) + 1
        sentences.append(Sentence(start, offset - 1, tuple(tokens)))
    return "\n".join(" ".join(words) for words in token_lists), sentences


def refined_predictions(
    token_lists: list[list[str]], found: list[list[Span]], sizes: list[int], rules: tuple[str, ...]
) -> list[set]:
    """Predicted spans of every sentence, refined document by document."""
    predicted: list[set] = []
    start = 0
    for size in sizes:
        predicted.extend(refine_document(token_lists[start : start + size], found[start : start + size], rules))
        start += size
    return predicted


def evaluate(model_ref: str, conll: Path, batch_size: int, rules: tuple[str, ...] | None = None) -> dict:
    """Tag every sentence of ``conll`` (one predict call, ``batch_size`` per mini-batch) and score it; with
    ``rules``, also score the predictions refined per document by those rules."""
    load_started = time.perf_counter()
    model = load_ner_model(model_ref, batch_size=batch_size)
    load_s = time.perf_counter() - load_started
    sentences = read_conll(conll)
    started = time.perf_counter()
    found = model.predict_spans([[token for token, _ in tokens] for tokens in sentences])
    elapsed = time.perf_counter() - started
    gold = [set(bio_spans([tag for _, tag in tokens])) for tokens in sentences]
    predicted = [{(first, end, kind) for first, end, kind, _ in spans} for spans in found]
    tokens = sum(len(s) for s in sentences)
    scores = score(gold, predicted)
    if rules is not None:
        token_lists = [[token for token, _ in tokens] for tokens in sentences]
        sizes = document_sizes(conll)

        def refined_f1(chosen: tuple[str, ...]) -> float:
            return score(gold, refined_predictions(token_lists, found, sizes, chosen))["micro"]["f1"]

        refined = score(gold, refined_predictions(token_lists, found, sizes, rules))
        ablation = {
            rule: {"alone_f1": refined_f1((rule,)), "without_f1": refined_f1(tuple(r for r in rules if r != rule))}
            for rule in rules
        }
        scores["refined"] = {"rules": list(rules), **refined, "ablation": ablation}
    return {
        "model": model_ref,
        "model_version": model.version,
        "model_size_mb": round(Path(model_ref).stat().st_size / 2**20, 1) if Path(model_ref).is_file() else None,
        "data": str(conll),
        "sentences": len(sentences),
        "tokens": tokens,
        **scores,
        "speed": {
            "sentences_per_s": round(len(sentences) / elapsed, 1),
            "tokens_per_s": round(tokens / elapsed, 1),
            "seconds": round(elapsed, 2),
            "model_load_s": round(load_s, 2),
            "batch_size": batch_size,
            "torch_threads": torch.get_num_threads(),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        },
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="local model path or hub id")
    parser.add_argument("--conll", required=True, type=Path)
    parser.add_argument("--out", type=Path, help="JSON file to write (default: print only)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--refine", action="store_true", help="also score refine_entities per document")
    parser.add_argument("--rules", nargs="*", choices=sorted(RULES), help=f"refinements (default {DEFAULT_RULES})")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    rules = tuple(DEFAULT_RULES if args.rules is None else args.rules) if args.refine else None
    result = evaluate(args.model, args.conll, args.batch_size, rules)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
