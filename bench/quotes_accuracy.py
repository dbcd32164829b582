"""Quote detection and speaker attribution measured on hand-annotated articles, written as JSON.

The dev set (``bench/data/quotes_dev.jsonl``, guidelines in ``docs/annotation.md``) holds only article ids,
offsets and labels; the texts are read from the shared data. Every article goes through the real pipeline
parts: the shipped NER model (int8 as served) and quote tagger (``--quote-model none``: the rules alone), the
service's sentence splitter and entity repairs, the actor grouping (with its pronoun and description mentions)
and ``service.quotes.find_quotes``.

Scores (a prediction and a gold quote match when their spans overlap):
- ``quotes``: precision and recall of quote detection, direct and indirect together;
- ``named_speaker``: over gold quotes whose speaker is a named actor, and predicted quotes resolved to an
  actor (``speaker`` set). A prediction is correct when it overlaps such a gold quote and its
  ``speaker_text`` overlaps the gold speaker span, or its actor has a mention overlapping that span;
- ``named_speaker_strict``: the same, but the speaker must be the right actor (its mentions overlap the
  gold speaker span, or its name shares a word with the gold normalised name), whatever words named it.

A second check uses ``net2021/statements.csv``, whose ``src`` column says who makes the claim of each coded
sentence (``journalist`` or a category). Only party categories (``VVD``, ``GroenLinks``, …) can be matched
to words in a sentence, so the check takes every distinct sentence whose src is a party. The ``[...]``
markup of ``txt`` marks every actor word of the sentence, speaker or not, so it cannot say who speaks;
instead the speaker text the quotes found is mapped onto the src categories: the party's name in it
("VVD-leider", "de liberalen") or a politician of 2021 listed in ``PARTIES`` ("Rutte", "Hugo de Jonge").
The sentences come tokenised ("Kaag ( D66 ) : ' …'") and are detokenised first. Precision: sentences whose
mapped speaker is the src, among sentences with a mapped speaker; recall: the same among all sentences, and
among the sentences in which a quote was found (many coded sentences quote no one).

The rules were developed on the dev set; ``bench/data/quotes_heldout.jsonl`` holds 5 more articles
annotated after the rules were settled (its first measurement and the changes it prompted are in
``docs/annotation.md``), and ``bench/data/quotes_test.jsonl`` 4 articles annotated last (its first
measurement, and the one fix it prompted, are there too).

    python -m bench.quotes_accuracy --out bench/results/quotes_accuracy.json
"""

from __future__ import annotations

import argparse
import csv
import gzip
import inspect
import json
import random
import re
from collections.abc import Iterable
from pathlib import Path

from service.actors import group_actors
from service.config import Settings
from service.entities import refine_entities
from service.models.ner import load_ner_model
from service.quotes import find_quotes
from service.results import Quote
from service.state import load_quotes
from service.text import split_sentences

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ACTOR_TYPES = {"PER", "ORG"}
NET2021_SAMPLE = 0  # 0: every distinct sentence


def load_texts(dev_rows: list[dict], data: Path) -> dict[tuple[str, str], str]:
    """The article texts the dev set refers to, from the shared data (never stored in the repository)."""
    wanted = {(row["source"], row["id"]) for row in dev_rows}
    texts: dict[tuple[str, str], str] = {}
    with open(data / "dpgmedia2019" / "articles.jsonl", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if ("dpgmedia2019", str(article["id"])) in wanted:
                texts[("dpgmedia2019", str(article["id"]))] = article["text"]
    with gzip.open(data / "news2019" / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if ("news2019", article["id"]) in wanted:
                texts[("news2019", article["id"])] = article["text"]
    missing = wanted - texts.keys()
    if missing:
        raise SystemExit(f"articles not found in the shared data: {sorted(missing)}")
    return texts


class QuoteFinder:
    """The pipeline's path from text to quotes: NER, repairs, actors with all their mentions, quotes."""

    def __init__(self, model_path: str, quote_model: str) -> None:
        settings = Settings(quote_model=quote_model)
        self.ner = load_ner_model(model_path, quantize=settings.ner_quantize)
        quotes = load_quotes(settings, self.ner)
        self.heads = [quotes] if quotes else []
        self._takes_text = len(inspect.signature(group_actors).parameters) > 2

    def analyse(self, texts: list[str]) -> list[tuple[list[Quote], dict[str, list[tuple[int, int, str]]]]]:
        """Quotes of every text, with each actor's mentions ``(start, end, text)`` by actor id."""
        sentences = [split_sentences(text) for text in texts]
        layers = self.ner.tag_layers(list(zip(texts, sentences, strict=True)), self.heads)
        tagged, marked = layers.entities, layers.marked
        quote_spans = [self.heads[0].kept(spans) for spans in marked[0]] if self.heads else [None] * len(texts)
        results = []
        for text, sents, found, spans in zip(texts, sentences, tagged, quote_spans, strict=True):
            entities = refine_entities(found, text, sents)
            if self._takes_text:
                actors = group_actors(entities, ACTOR_TYPES, text, sents)
            else:
                actors = group_actors(entities, ACTOR_TYPES)
            mentions_by_actor = {
                actor.id: [(m.start, m.end, text[m.start : m.end]) for m in actor.mentions] for actor in actors
            }
            results.append((find_quotes(text, sents, actors, spans), mentions_by_actor))
        return results


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def prf(true_predicted: int, predicted: int, true_gold: int, gold: int) -> dict:
    precision, recall = ratio(true_predicted, predicted), ratio(true_gold, gold)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision and recall else None
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "predicted": predicted,
        "gold": gold,
        "true_predicted": true_predicted,
        "true_gold": true_gold,
    }


def _name_words(name: str) -> set[str]:
    return {word for word in re.findall(r"\w+", name.casefold()) if len(word) > 2}


def speaker_correct(quote: Quote, gold: dict, mentions_by_actor: dict, strict: bool) -> bool:
    """Whether ``quote`` names the speaker of ``gold`` (see the module docstring for both definitions)."""
    if quote.speaker is None or "speaker_start" not in gold:
        return False
    span = (gold["speaker_start"], gold["speaker_end"])
    mentions = mentions_by_actor.get(quote.speaker, [])
    if any(overlaps(s, e, *span) for s, e, _ in mentions):
        return True
    if strict:
        gold_words = _name_words(gold.get("speaker_name_normalised", ""))
        return any(gold_words & _name_words(text) for _, _, text in mentions)
    return quote.speaker_text is not None and overlaps(quote.speaker_text.start, quote.speaker_text.end, *span)


def score_article(gold_quotes: list[dict], quotes: list[Quote], mentions_by_actor: dict) -> dict[str, list[int]]:
    """Counts ``[true_predicted, predicted, true_gold, gold]`` per score for one article."""

    def matches(quote: Quote, gold: dict) -> bool:
        return overlaps(quote.start, quote.end, gold["start"], gold["end"])

    named = [g for g in gold_quotes if g.get("speaker_name_normalised") and "speaker_start" in g]
    attributed = [q for q in quotes if q.speaker is not None]
    counts = {
        "quotes": [
            sum(any(matches(q, g) for g in gold_quotes) for q in quotes),
            len(quotes),
            sum(any(matches(q, g) for q in quotes) for g in gold_quotes),
            len(gold_quotes),
        ]
    }
    for name, strict in (("named_speaker", False), ("named_speaker_strict", True)):

        def correct(quote: Quote, gold: dict, strict: bool = strict) -> bool:
            return matches(quote, gold) and speaker_correct(quote, gold, mentions_by_actor, strict)

        counts[name] = [
            sum(any(correct(q, g) for g in named) for q in attributed),
            len(attributed),
            sum(any(correct(q, g) for q in attributed) for g in named),
            len(named),
        ]
    return counts


def evaluate_annotated(finder: QuoteFinder, dev_rows: list[dict], texts: dict) -> dict:
    totals: dict[str, list[int]] = {}
    per_article = []
    keys = [(row["source"], row["id"]) for row in dev_rows]
    analysed = finder.analyse([texts[key] for key in keys])
    for row, (quotes, mentions_by_actor) in zip(dev_rows, analysed, strict=True):
        counts = score_article(row["quotes"], quotes, mentions_by_actor)
        per_article.append({"source": row["source"], "id": row["id"], **{k: v for k, v in counts.items()}})
        for name, values in counts.items():
            totals[name] = [a + b for a, b in zip(totals.get(name, [0, 0, 0, 0]), values)]
    return {
        "articles": len(dev_rows),
        "gold_quotes": sum(len(row["quotes"]) for row in dev_rows),
        **{name: prf(*values) for name, values in totals.items()},
        "per_article_counts": per_article,
    }


# The party categories of net2021's src column, the other spellings of each in news text, and the
# politicians of Feb-Mar 2021 whom the coders code as their party ("a party's leader or minister is coded
# as the party"). A speaker text is mapped to a category only through these words.
PARTIES = {
    "VVD": ("vvd liberalen", "rutte, wiebes, dijkhoff, yesilgöz, blok, van ark, van 't wout"),
    "CDA": ("cda christendemocraten", "hoekstra, keijzer, omtzigt, grapperhaus, de jonge, bijleveld, knops"),
    "D66": ("d66", "kaag, jetten, ollongren, koolmees, sjoerdsma, van engelshoven, van veldhoven"),
    "PVV": ("pvv", "wilders"),
    "SP": ("sp socialisten", "marijnissen"),
    "PvdA": ("pvda sociaaldemocraten", "ploumen, asscher"),
    "GroenLinks": ("groenlinks gl", "klaver"),
    "FvD": ("fvd forum", "baudet"),
    "CU": ("christenunie cu", "segers, slob, schouten"),
    "PvdD": ("pvdd", "ouwehand"),
    "JA21": ("ja21", "eerdmans"),
    "SGP": ("sgp", "van der staaij"),
    "50Plus": ("50plus", "den haan"),
    "DENK": ("denk", "azarkan, kuzu"),
    "BBB": ("bbb", "van der plas"),
    "VOLT": ("volt", "dassen"),
}
_NAME_PARTS = re.compile(r"[\w']+")


def speaker_category(speaker_text: str) -> str | None:
    """The party category a speaker text names: "Rutte" and "de VVD-leider" give VVD."""
    words = _NAME_PARTS.findall(speaker_text.casefold().replace("-", " "))
    joined = f" {' '.join(words)} "
    for category, (spellings, politicians) in PARTIES.items():
        if set(spellings.split()) & set(words):
            return category
        if any(f" {name.strip()} " in joined for name in politicians.split(",")):
            return category
    return None


def net2021_rows(path: Path, sample: int, seed: int = 2021) -> list[dict]:
    """One row per coded sentence whose src is a party category (deduplicated on the sentence text)."""
    categories = set(PARTIES)
    by_text: dict[str, dict] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["src"] in categories and row["text"] and row["text"] not in by_text:
                by_text[row["text"]] = row
    rows = sorted(by_text.values(), key=lambda r: r["text"])
    random.Random(seed).shuffle(rows)
    return rows[:sample] if sample else rows


_ATTACH_LEFT = set(",.;:!?)”’")
_ATTACH_RIGHT = set("„“‘(")


def detokenise(text: str) -> str:
    """net2021 sentences are tokenised ("Kaag ( D66 ) : ' VVD …'"): rejoin punctuation and quote marks to
    their words so the text reads as published. Straight quote marks alternate between opening and closing."""
    out: list[str] = []
    glue_next = False
    open_marks: set[str] = set()
    for token in text.split():
        attach_left, glue = token in _ATTACH_LEFT, token in _ATTACH_RIGHT
        if token in ('"', "'"):
            attach_left, glue = (True, False) if token in open_marks else (False, True)
            open_marks ^= {token}
        if out and not attach_left and not glue_next:
            out.append(" ")
        out.append(token)
        glue_next = glue
    return "".join(out)


def evaluate_net2021(finder: QuoteFinder, rows: Iterable[dict]) -> dict:
    """Speaker precision/recall per sentence against the coders' src party category."""
    rows = list(rows)
    texts = [detokenise(row["text"]) for row in rows]
    analysed = finder.analyse(texts)
    attributed = correct = with_quote = 0
    for row, (quotes, _mentions) in zip(rows, analysed, strict=True):
        with_quote += bool(quotes)
        categories = {speaker_category(q.speaker_text.text) for q in quotes if q.speaker_text is not None} - {None}
        if categories:
            attributed += 1
            correct += row["src"] in categories
    total = len(rows)
    return {
        "sentences": total,
        "method": (
            "every distinct sentence coded with a party as src, detokenised; attributed = one of its quotes has "
            "a speaker text naming a party or a politician in PARTIES (bench/quotes_accuracy.py); precision = "
            "attributed sentences whose party is the src; recall = correct among all sentences, and among the "
            "sentences in which a quote was found"
        ),
        "attributed": attributed,
        "correct": correct,
        "precision": ratio(correct, attributed),
        "recall": ratio(correct, total),
        "sentences_with_a_quote": with_quote,
        "recall_on_sentences_with_a_quote": ratio(correct, with_quote),
    }


def read_annotations(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="models/ner-nl-compact/model.pt")
    parser.add_argument(
        "--quote-model", default=Settings().quote_model, help="the quote tagger, or none: the rules alone"
    )
    parser.add_argument("--dev", default="bench/data/quotes_dev.jsonl")
    parser.add_argument("--heldout", default="bench/data/quotes_heldout.jsonl")
    parser.add_argument("--test", default="bench/data/quotes_test.jsonl")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--net2021-sample", type=int, default=NET2021_SAMPLE)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    data = Path(args.data)
    annotated = {"dev": args.dev, "heldout": args.heldout, "test": args.test}
    finder = QuoteFinder(args.model, args.quote_model)
    report: dict = {"model": args.model, "quote_model": args.quote_model, "actor_types": sorted(ACTOR_TYPES)}
    for name, path in annotated.items():
        rows = read_annotations(path)
        report[name] = evaluate_annotated(finder, rows, load_texts(rows, data))
    statements = net2021_rows(data / "net2021" / "statements.csv", args.net2021_sample)
    report["net2021"] = evaluate_net2021(finder, statements)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    scores = ("quotes", "named_speaker", "named_speaker_strict")
    summary = {part: {k: report[part][k] for k in scores} for part in annotated}
    print(json.dumps({**summary, "net2021": report["net2021"]}, indent=1))


if __name__ == "__main__":
    main()
