"""Silver actor-stance examples: plain statements of support or criticism found in unlabelled 2019 news.

The annotated corpus has about 1,500 sided examples against 25,000 neutral ones, and few of them are plain
statements like "Klaver bekritiseert Rutte"; net2021's 505 ``CC`` statements, which are, helped on dev, and news2019
holds more. A sentence of news2019 becomes an example when

- it holds exactly one stance predicate of ``training/data/stance_predicates.txt`` (verb forms and fixed phrases of
  the annotation guide's support and criticism), no negation, no "volgens" (a speaker reporting someone else's
  stance) and no form of "krijgen" (its subject receives the stance);
- two differently named actors (the NER model's PER and ORG entities) stand around the predicate as its subject
  and object (``_roles``);

and its label is the predicate's side. Articles of the corpus (every split) are skipped, and so is any sentence of
theirs that another article repeats, so dev and test stay unseen. The examples go to a JSON lines file outside the
repository (they hold news text); ``training.actor_stance_corpus`` and ``training.actor_stance_head`` read it with
``--silver``:

    python -m training.actor_stance_silver --ner models/ner-nl-compact/model.pt --out /tmp/silver.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus.articles import iter_news2019, load_texts, news2019_path
from corpus.store import all_ids
from service import lexicon
from service.models.ner import Entity, NerModel, load_ner_model
from service.text import split_sentences, tokenize
from training.net2021 import PairExample

PREDICATES_FILE = Path(__file__).parent / "data" / "stance_predicates.txt"
SIDES = {"support": "positive", "criticism": "negative"}
# Places are left out: most named places are where something happens ("de rechtbank in Utrecht"), not actors.
ACTOR_TYPES = frozenset({"PER", "ORG"})
# Sentences of this many words (tokens) at most and at least: shorter ones are headlines, longer ones lists.
MIN_TOKENS, MAX_TOKENS = 6, 45
_REPORTED = "volgens"
# Tags of the entries that are no predicate but words around one (the data file's header says what each does).
RECEIVES, PERFECT, PASSIVE = "receives", "perfect", "passive"
_NOT_PREDICATES = {RECEIVES, PERFECT, PASSIVE}
_PASSIVE_AGENT = "door"
# How many words may stand between a finite predicate and its object's name ("de Amerikaanse president Trump").
MAX_GAP = 5
NER_BATCH = 256


@dataclass(frozen=True)
class Predicate:
    """A stance predicate: its words, its side and whether it is a participle (which may be passive)."""

    words: tuple[str, ...]
    position: str
    participle: bool


def read_predicates(path: Path = PREDICATES_FILE) -> list[Predicate]:
    """The predicates of ``path`` (the lexicon format: ``words: tags``, ``#`` comments), longest first."""
    found = [
        Predicate(tuple(entry.split()), SIDES[next(tag for tag in tags if tag in SIDES)], "participle" in tags)
        for entry, tags in _entries(path)
        if not tags & _NOT_PREDICATES
    ]
    return sorted(found, key=lambda predicate: -len(predicate.words))


def tagged_words(tag: str, path: Path = PREDICATES_FILE) -> frozenset[str]:
    """The words of ``path`` with ``tag`` (one of the tags of words around a predicate)."""
    return frozenset(entry for entry, tags in _entries(path) if tag in tags)


def _entries(path: Path) -> Iterable[tuple[str, frozenset[str]]]:
    """Each entry of ``path`` with its tags (the format of ``service/lexicon``)."""
    return lexicon.parse_entries(path.read_text(encoding="utf-8")).items()


_AUXILIARIES = {tag: tagged_words(tag) for tag in (PERFECT, PASSIVE)}


def predicates_in(words: Sequence[str], predicates: Sequence[Predicate]) -> list[tuple[int, Predicate]]:
    """Every ``(word index, predicate)`` whose words stand at that index, none inside a longer match."""
    found, covered = [], set()
    for predicate in predicates:
        size = len(predicate.words)
        for index in range(len(words) - size + 1):
            if tuple(words[index : index + size]) == predicate.words and not covered & set(range(index, index + size)):
                found.append((index, predicate))
                covered |= set(range(index, index + size))
    return found


def candidate_sentences(
    articles: Iterable[dict], skip_ids: set[str], predicates: Sequence[Predicate], skip_sentences: set[str]
) -> Iterator[tuple[str, str, Predicate, int]]:
    """``(article id, sentence, predicate, its word index)`` for each sentence worth tagging: one predicate, no
    negation, no "volgens", of a plain length, and not one of ``skip_sentences``."""
    skipped = lexicon.words("negations") | tagged_words(RECEIVES)
    for article in articles:
        if article["id"] in skip_ids:
            continue
        text = article["text"]
        for sentence in split_sentences(text):
            piece = text[sentence.start : sentence.end]
            if not MIN_TOKENS <= len(sentence.tokens) <= MAX_TOKENS or piece in skip_sentences:
                continue
            words = [token.text.lower() for token in sentence.tokens]
            if _REPORTED in words or skipped & set(words):
                continue
            found = predicates_in(words, predicates)
            if len(found) == 1:
                index, predicate = found[0]
                yield article["id"], piece, predicate, index


def silver_example(
    doc_id: str, sentence: str, entities: Sequence[Entity], predicate: Predicate, at: int
) -> PairExample | None:
    """The example a tagged candidate sentence gives (its predicate at word ``at``), or ``None`` unless two
    differently named actors stand around the predicate as its subject and object (``_roles``)."""
    tokens = tokenize(sentence)
    starts = [token.start for token in tokens]
    actors = sorted((entity for entity in entities if entity.type in ACTOR_TYPES), key=lambda entity: entity.start)
    spans = [(bisect_left(starts, entity.start), bisect_left(starts, entity.end)) for entity in actors]
    roles = _roles([token.text.lower() for token in tokens], spans, at, at + len(predicate.words), predicate.participle)
    if roles is None:
        return None
    source, target = actors[roles[0]], actors[roles[1]]
    if source.text == target.text:
        return None
    return PairExample(
        doc_id, "CC", sentence, (source.start, source.end), (target.start, target.end), predicate.position
    )


def _roles(
    words: Sequence[str], spans: Sequence[tuple[int, int]], at: int, end: int, participle: bool
) -> tuple[int, int] | None:
    """``(source, target)`` as indices into ``spans`` (the actors' word spans in order), or ``None`` where the
    sentence does not read as one of the plain patterns:

    - a finite predicate right after the source's clause, the target at most ``MAX_GAP`` words after it
      ("Klaver bekritiseert premier Rutte", "Ook het Koninklijk Huis feliciteerde Laurence");
    - a participle, the source before a form of "hebben" and the target between it and the participle ("Rutte
      heeft Wilders bekritiseerd"), or the source right after "door" (the passive "Rutte wordt door Wilders
      bekritiseerd").
    No comma may stand between the two.
    """

    def last_before(position: int) -> int | None:
        found = [i for i, (_, stop) in enumerate(spans) if stop <= position]
        return found[-1] if found and "," not in words[spans[found[-1]][1] : position] else None

    def first_within(position: int, limit: int) -> int | None:
        found = [i for i, (start, _) in enumerate(spans) if position <= start <= limit]
        return found[0] if found and "," not in words[position : spans[found[0]][0]] else None

    if not participle:
        source, target = last_before(at), first_within(end, end + MAX_GAP)
        return None if source is None or target is None else (source, target)
    agent = next((i for i, (start, stop) in enumerate(spans) if stop <= at and _after_agent(words, start)), None)
    if agent is not None:
        patient = last_before(words.index(_PASSIVE_AGENT, max(0, spans[agent][0] - 2)))
        return None if patient is None or "," in words[spans[agent][1] : at] else (agent, patient)
    if _AUXILIARIES[PASSIVE] & set(words):
        return None
    auxiliary = next((i for i in range(at - 1, -1, -1) if words[i] in _AUXILIARIES[PERFECT]), None)
    if auxiliary is None:
        return None
    source, target = last_before(auxiliary), first_within(auxiliary + 1, at - 1)
    return None if source is None or target is None or "," in words[auxiliary:at] else (source, target)


def _after_agent(words: Sequence[str], start: int) -> bool:
    """Whether the actor at word ``start`` follows "door" (directly or after an article: "door de PVV")."""
    return _PASSIVE_AGENT in words[max(0, start - 2) : start]


def mine(
    ner: NerModel,
    articles: Iterable[dict],
    skip_ids: set[str],
    predicates: Sequence[Predicate],
    skip_sentences: set[str] = frozenset(),
) -> Iterator[PairExample]:
    """Silver examples of ``articles``, the candidate sentences tagged ``NER_BATCH`` at a time."""
    batch: list[tuple[str, str, Predicate, int]] = []

    def flush() -> Iterator[PairExample]:
        tagged = ner.tag([(sentence, split_sentences(sentence)) for _, sentence, _, _ in batch])
        for (doc_id, sentence, predicate, at), entities in zip(batch, tagged, strict=True):
            example = silver_example(doc_id, sentence, entities, predicate, at)
            if example is not None:
                yield example
        batch.clear()

    for candidate in candidate_sentences(articles, skip_ids, predicates, skip_sentences):
        batch.append(candidate)
        if len(batch) == NER_BATCH:
            yield from flush()
    if batch:
        yield from flush()


def corpus_sentences(ids: set[str], news: Path) -> set[str]:
    """Every sentence of the corpus articles: news2019 repeats agency copy under other ids, and a sentence of a
    dev or test article must not come back as a training example."""
    return {
        text[sentence.start : sentence.end]
        for text in load_texts(ids, news).values()
        for sentence in split_sentences(text)
    }


def read_silver(path: Path | None) -> list[PairExample]:
    """The examples a ``mine`` run wrote; none without a path."""
    if path is None:
        return []
    with open(path, encoding="utf-8") as lines:
        return [_example(json.loads(line)) for line in lines]


def _example(row: dict) -> PairExample:
    return PairExample(
        row["doc_id"], row["kind"], row["sentence"], tuple(row["source"]), tuple(row["target"]), row["position"]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ner", required=True, help="the NER model that finds the actors")
    parser.add_argument("--out", type=Path, required=True, help="JSON lines file to write (outside the repository)")
    parser.add_argument("--news", type=Path, default=news2019_path(), help="news2019 articles.jsonl.gz")
    parser.add_argument("--train-articles", type=int, help="skip only the first N train articles in draw order "
                        "(default: all) besides dev and test, as for a model trained on those")  # fmt: skip
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    ner = load_ner_model(args.ner)
    started, counts = time.monotonic(), Counter()
    corpus_ids = all_ids(train_articles=args.train_articles)
    with open(args.out, "w", encoding="utf-8") as out:
        for example in mine(
            ner, iter_news2019(args.news), corpus_ids, read_predicates(), corpus_sentences(corpus_ids, args.news)
        ):
            out.write(json.dumps(asdict(example), ensure_ascii=False) + "\n")
            counts[example.position] += 1
            if sum(counts.values()) % 500 == 0:
                print(f"{dict(counts)} after {time.monotonic() - started:.0f} s", flush=True)
    print(json.dumps({"examples": dict(counts), "seconds": round(time.monotonic() - started)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
