"""A NER tagger on a split of the annotated corpus: the tagger alone, the service's refinements, and each refinement
rule measured on it (alone, and the others without it), written as JSON.

The articles are split and tokenised by the service (``service.text``) and tagged as the service tags them
(``NerModel.tag``); gold and predicted entities are compared as exact character spans with exact types, micro and
per type (the CoNLL convention of ``bench.ner_accuracy``). Select taggers and rules on ``dev``; ``test`` is read
once per shipped model.

    python -m bench.corpus_ner --model models/ner-nl-compact/model.pt --split dev \
        --out bench/results/corpus_ner_dev.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.harness import write_report
from bench.ner_accuracy import score
from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path
from corpus.store import CORPUS_DIR, load_split, read_records, split_path
from service.config import Settings
from service.entities import DEFAULT_RULES, refine_entities
from service.models.ner import load_ner_model
from service.text import split_sentences


def evaluate(model_ref: str, split: str, corpus: Path, shared: Path, quantize: tuple[str, ...]) -> dict:
    ids = [record["id"] for _, record in read_records(split_path(split, corpus))]
    articles = load_split(split, load_texts(ids, news2019_path(shared)), corpus)
    model = load_ner_model(model_ref, quantize=quantize)
    sentences = [split_sentences(article.text) for article in articles]
    found = model.tag([(article.text, sents) for article, sents in zip(articles, sentences, strict=True)])
    gold = [{tuple(entity) for entity in article.record["entities"]} for article in articles]

    def refined(rules: tuple[str, ...]) -> list[set[tuple]]:
        return [
            {(e.start, e.end, e.type) for e in refine_entities(entities, article.text, sents, rules)}
            for entities, article, sents in zip(found, articles, sentences, strict=True)
        ]

    def refined_f1(rules: tuple[str, ...]) -> float:
        return score(gold, refined(rules))["micro"]["f1"]

    return {
        "model": model_ref,
        "model_version": model.version,
        "quantized": list(quantize),
        "corpus": corpus.name,
        "split": split,
        "articles": len(articles),
        "tagger": score(gold, [{(e.start, e.end, e.type) for e in entities} for entities in found]),
        "refined": {
            "rules": list(DEFAULT_RULES),
            **score(gold, refined(DEFAULT_RULES)),
            "ablation": {
                rule: {
                    "alone_f1": refined_f1((rule,)),
                    "without_f1": refined_f1(tuple(r for r in DEFAULT_RULES if r != rule)),
                }
                for rule in DEFAULT_RULES
            },
        },
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=Settings.from_env().ner_model, help="local model path or hub id")
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--quantize", default=",".join(Settings.from_env().ner_quantize), help="as NER_QUANTIZE")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    quantize = tuple(part for part in args.quantize.split(",") if part)
    report = evaluate(args.model, args.split, args.corpus, args.shared, quantize)
    if args.out:
        write_report(report, args.out)
    summary = {k: report[k] for k in ("model", "split", "articles")}
    summary["tagger_f1"] = report["tagger"]["micro"]["f1"]
    summary["refined_f1"] = report["refined"]["micro"]["f1"]
    summary["per_type_refined"] = {k: v["f1"] for k, v in report["refined"]["per_type"].items()}
    summary["ablation"] = report["refined"]["ablation"]
    print(json.dumps(summary, indent=1))
    return report


if __name__ == "__main__":
    main()
