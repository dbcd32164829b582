"""The service scored on a split of the annotated corpus (``corpus/``), every layer, written as JSON.

Every article goes through the real pipeline as the service builds it (``service.state.build_pipeline`` with the
settings from the environment, actor types PER, ORG and LOC as in the corpus). Predicted actors are mapped to
gold actors by their mentions: a predicted actor is the gold actor that most of its names overlap (where none of
its names overlaps a gold mention, most of its other mentions).

- ``entities``: exact span and type, precision / recall / F1 per type and micro (the refined entities the
  response returns).
- ``actors``: pairwise mention F1 (a link is two mentions of one actor; a predicted link is right when both
  mentions are gold mentions with the same offsets and of one gold actor), and how many gold actors with a name
  were split over several predicted actors.
- ``quotes``: detection (content spans overlap), with ``exact_words``: of the gold quotes found, the share whose
  most overlapping returned quote has exactly their words (spaces and punctuation at the ends aside); and
  ``named_speaker``: a returned quote with a speaker actor is
  right when it overlaps a gold quote whose speaker is a named actor and its speaker maps to that actor; recall
  over gold quotes with a named speaker.
- ``actor_stance``: returned non-neutral stances between two actors, mapped to gold actors, against the gold
  labelled pairs (``corpus.pairs``): precision over returned, recall over gold non-neutral pairs; its
  ``reliability`` as for issue stances.
- ``issue_stance``: returned topic stances per (actor, topic) against the gold units of that actor and topic
  (their most frequent position); F1 per topic, macro-F1 over topics with gold or returned stances, and the
  opposite-pole rate: returned stances whose gold position is the other pole, over all returned; and the share
  returned for an actor and topic with no gold unit at all; ``reliability``: the returned stances binned by their
  confidence (the chance of being right where the model is calibrated, ``service/models/calibration.py``), with
  the share right and the share on the other pole.
- ``scored`` (issue and actor stances): every returned stance as ``[raw score of its position, right]``, what
  ``training/calibration.py`` fits the confidence curves to.
- ``intervals``: the headline figures with a 95 % bootstrap interval over articles (the articles drawn again with
  replacement, ``RESAMPLES`` times, seeded): how far a figure moves with the sample of articles, so that a
  difference between two runs inside it is read as noise. With ``--per-article FILE`` each article's counts go to
  a JSON Lines file too (a header line with the split and topics, then one line per article), which
  ``bench.corpus_compare`` reads to compare two runs on the same articles pairwise.

    python -m bench.corpus_accuracy --split dev --out bench/results/corpus_dev.json \
        --per-article bench/results/corpus_dev_articles.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from bench.harness import write_report
from corpus.articles import DEFAULT_SHARED, load_texts, news2019_path, topics_path
from corpus.labels import ENTITY_TYPES, issue_topics
from corpus.pairs import NEUTRAL, actor_pairs
from corpus.store import CORPUS_DIR, Article, load_split, read_records, split_path
from service.config import Settings
from service.documents import Document, Options
from service.results import DocumentResult, Mention, Quote

if TYPE_CHECKING:
    from service.pipeline import Pipeline

ACTOR_TYPES = frozenset({"PER", "ORG", "LOC"})
OPPOSITE = {"positive": "negative", "negative": "positive"}
# Upper edges of the confidence bins of the stance reliability tables (the last bin runs to 1).
CONFIDENCE_BINS = (0.4, 0.5, 0.6, 0.7)
# Bootstrap resamples of the articles behind ``intervals``, and the seed that makes them repeatable.
RESAMPLES = 1000
SEED = 2019
Offsets = tuple[int, int]


def prf(correct: int, predicted: int, gold: int) -> dict:
    precision = correct / predicted if predicted else None
    recall = correct / gold if gold else None
    f1 = 2 * correct / (predicted + gold) if predicted + gold else None
    return {
        "precision": None if precision is None else round(precision, 4),
        "recall": None if recall is None else round(recall, 4),
        "f1": None if f1 is None else round(f1, 4),
        "correct": correct,
        "predicted": predicted,
        "gold": gold,
    }


def _overlap(a: Sequence[int], b: Sequence[int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the spaces and punctuation at its ends (a closing full stop, a quote mark)."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _same_words(text: str, content: Sequence[int], found: Sequence[Quote]) -> bool:
    """Whether the found quote that overlaps the gold ``content`` most says exactly its words (ends trimmed)."""
    overlapping = [q for q in found if _overlap((q.start, q.end), content) > 0]
    if not overlapping:
        return False
    best = max(overlapping, key=lambda q: _overlap((q.start, q.end), content))
    return _trimmed(text, best.start, best.end) == _trimmed(text, content[0], content[1])


def map_actors(result: DocumentResult, article: Article) -> dict[str, int]:
    """Predicted actor id -> the gold actor most of its names overlap, or where none of its names overlaps a gold
    mention, most of its other mentions (absent when none overlaps).

    An actor is who its names name (its ``name`` is what a client reads): pronouns and descriptions linked to it
    wrongly are the links' errors, counted there, and must not turn the actor into another one, which would count
    its quotes and stances wrong as well."""
    mapping = {}
    for actor in result.actors:
        names = [mention for mention in actor.mentions if mention.kind == "name"]
        votes = _gold_votes(names, article) or _gold_votes(actor.mentions, article)
        if votes:
            mapping[actor.id] = votes.most_common(1)[0][0]
    return mapping


def _gold_votes(mentions: Sequence[Mention], article: Article) -> Counter:
    """For each gold actor, how many of ``mentions`` overlap one of its mentions."""
    return Counter(
        gold["id"]
        for mention in mentions
        for gold in article.record["actors"]
        if any(_overlap((mention.start, mention.end), m) for m in gold["mentions"])
    )


def _plain(topic: str) -> str:
    """The service names topics ``civil_rights``, the codebook ``CivilRights``: both become ``civilrights``."""
    return topic.lower().replace("_", "")


class Scores:
    """Counts summed over articles, turned into the report at the end."""

    def __init__(self, topics: Sequence[str]) -> None:
        self.topics = topics
        self.topic_key = {_plain(topic): topic for topic in topics}
        self.entities: dict[str, Counter] = defaultdict(Counter)
        self.counts = Counter()
        self.issue: dict[str, Counter] = defaultdict(Counter)
        self.reliability: dict[str, dict[int, Counter]] = {"issue": defaultdict(Counter), "actor": defaultdict(Counter)}
        self.scored: dict[str, list[list]] = {"issue": [], "actor": []}

    @classmethod
    def merged(cls, topics: Sequence[str], parts: Iterable[Scores]) -> Scores:
        """One ``Scores`` holding the counts of all ``parts`` (each usually one article's)."""
        total = cls(topics)
        for part in parts:
            for kind, counts in part.entities.items():
                total.entities[kind].update(counts)
            total.counts.update(part.counts)
            for topic, counts in part.issue.items():
                total.issue[topic].update(counts)
            for kind, bins in part.reliability.items():
                for bin_, counts in bins.items():
                    total.reliability[kind][bin_].update(counts)
            for kind, rows in part.scored.items():
                total.scored[kind].extend(rows)
        return total

    def counts_record(self) -> dict:
        """The counts behind ``headline`` as plain JSON (``from_record`` reads them back)."""
        return {
            "counts": _nonzero(self.counts),
            "entities": {kind: _nonzero(counts) for kind, counts in self.entities.items()},
            "issue": {topic: _nonzero(counts) for topic, counts in self.issue.items() if +counts},
        }

    @classmethod
    def from_record(cls, topics: Sequence[str], record: dict) -> Scores:
        scores = cls(topics)
        scores.counts.update(record["counts"])
        for kind, counts in record["entities"].items():
            scores.entities[kind].update(counts)
        for topic, counts in record["issue"].items():
            scores.issue[topic].update(counts)
        return scores

    def headline(self) -> dict[str, float | None]:
        """The figures the README quotes, from the counts alone (cheap enough to compute a thousand times)."""
        c = self.counts
        micro = Counter()
        for counts in self.entities.values():
            micro.update(counts)
        topic_f1 = [
            prf(counts["correct"], counts["predicted"], counts["gold"])["f1"] or 0.0
            for counts in (self.issue[topic] for topic in self.topics)
            if counts["predicted"] or counts["gold"]
        ]
        return {
            "entities_f1": prf(micro["correct"], micro["predicted"], micro["gold"])["f1"],
            "links_f1": prf(c["link_right"], c["link_predicted"], c["link_gold"])["f1"],
            "quote_exact_words": _share(c["quote_exact"], c["quote_recalled"]),
            "named_speaker_precision": _share(c["speaker_right"], c["speaker_predicted"]),
            "named_speaker_recall": _share(c["speaker_recalled"], c["speaker_gold"]),
            "actor_stance_precision": _share(c["pair_right"], c["pair_predicted"]),
            "actor_stance_recall": _share(c["pair_recalled"], c["pair_gold"]),
            "issue_macro_f1": round(sum(topic_f1) / len(topic_f1), 4) if topic_f1 else None,
        }

    def add(self, article: Article, result: DocumentResult) -> None:
        mapping = map_actors(result, article)
        self._entities(article, result)
        self._actors(article, result)
        self._quotes(article, result, mapping)
        self._actor_stances(article, result, mapping)
        self._issue_stances(article, result, mapping)

    def _entities(self, article: Article, result: DocumentResult) -> None:
        gold = {(s, e, t) for s, e, t in article.record["entities"]}
        predicted = {(e.start, e.end, e.type) for e in result.entities}
        for kind in ENTITY_TYPES:
            g = {x for x in gold if x[2] == kind}
            p = {x for x in predicted if x[2] == kind}
            self.entities[kind].update(correct=len(g & p), predicted=len(p), gold=len(g))

    def _actors(self, article: Article, result: DocumentResult) -> None:
        gold_actor = {tuple(m): actor["id"] for actor in article.record["actors"] for m in actor["mentions"]}
        gold_links = sum(len(a["mentions"]) * (len(a["mentions"]) - 1) // 2 for a in article.record["actors"])
        predicted_links = right = 0
        for actor in result.actors:
            spans = sorted({(m.start, m.end) for m in actor.mentions})
            for a, b in combinations(spans, 2):
                predicted_links += 1
                right += a in gold_actor and b in gold_actor and gold_actor[a] == gold_actor[b]
        self.counts.update(link_right=right, link_predicted=predicted_links, link_gold=gold_links)
        owners: dict[int, set[str]] = defaultdict(set)
        for actor in result.actors:
            for mention in actor.mentions:
                if (mention.start, mention.end) in gold_actor:
                    owners[gold_actor[(mention.start, mention.end)]].add(actor.id)
        self.counts.update(
            gold_actors=len(article.record["actors"]), split_actors=sum(len(o) > 1 for o in owners.values())
        )

    def _quotes(self, article: Article, result: DocumentResult, mapping: dict[str, int]) -> None:
        gold = article.record["quotes"]
        found = result.quotes
        detected = sum(any(_overlap((q.start, q.end), g["content"]) for g in gold) for q in found)
        recalled = sum(any(_overlap((q.start, q.end), g["content"]) for q in found) for g in gold)
        exact = sum(_same_words(article.text, g["content"], found) for g in gold)
        self.counts.update(
            quote_detected=detected,
            quote_predicted=len(found),
            quote_recalled=recalled,
            quote_gold=len(gold),
            quote_exact=exact,
        )
        named_gold = [g for g in gold if g["speaker"] is not None]
        named_found = [q for q in found if q.speaker is not None]

        def right(q, g) -> bool:
            return _overlap((q.start, q.end), g["content"]) > 0 and mapping.get(q.speaker) == g["speaker"]

        self.counts.update(
            speaker_right=sum(any(right(q, g) for g in named_gold) for q in named_found),
            speaker_predicted=len(named_found),
            speaker_recalled=sum(any(right(q, g) for q in named_found) for g in named_gold),
            speaker_gold=len(named_gold),
        )

    def _actor_stances(self, article: Article, result: DocumentResult, mapping: dict[str, int]) -> None:
        gold = actor_pairs(article)
        returned: dict[tuple, str] = {}
        scores: dict[tuple, tuple[float, float]] = {}
        for actor in result.actors:
            for stance in actor.stances:
                if stance.target is not None and stance.position != NEUTRAL:
                    key = (
                        mapping.get(actor.id, f"unmapped-{actor.id}"),
                        mapping.get(stance.target, f"unmapped-{stance.target}"),
                    )
                    returned.setdefault(key, stance.position)
                    scores.setdefault(key, (stance.confidence, stance.scores[stance.position]))
        for key, position in returned.items():
            self._score("actor", *scores[key], gold.get(key) == position, OPPOSITE.get(position) == gold.get(key))
        right = sum(gold.get(key) == position for key, position in returned.items())
        gold_nonneutral = {key: label for key, label in gold.items() if label != NEUTRAL}
        recalled = sum(returned.get(key) == label for key, label in gold_nonneutral.items())
        self.counts.update(
            pair_right=right, pair_predicted=len(returned), pair_recalled=recalled, pair_gold=len(gold_nonneutral),
            pair_opposite=sum(OPPOSITE.get(position) == gold.get(key) for key, position in returned.items()),
        )  # fmt: skip

    def _issue_stances(self, article: Article, result: DocumentResult, mapping: dict[str, int]) -> None:
        by_actor_topic: dict[tuple[int, str], Counter] = defaultdict(Counter)
        for unit in article.record["issue_positions"]:
            by_actor_topic[(unit["actor"], unit["topic"])][unit["position"]] += 1
        gold = {key: votes.most_common(1)[0][0] for key, votes in by_actor_topic.items()}
        returned: dict[tuple, str] = {}
        scores: dict[tuple, tuple[float, float]] = {}
        for actor in result.actors:
            for stance in actor.stances:
                if stance.topic is not None:
                    key = (mapping.get(actor.id, f"unmapped-{actor.id}"), self.topic_key[_plain(stance.topic)])
                    returned.setdefault(key, stance.position)
                    scores.setdefault(key, (stance.confidence, stance.scores[stance.position]))
        for (actor, topic), position in returned.items():
            right = gold.get((actor, topic)) == position
            opposite = position in OPPOSITE and OPPOSITE[position] == gold.get((actor, topic))
            self.issue[topic].update(predicted=1, correct=int(right))
            self.counts["issue_opposite"] += opposite
            self.counts["issue_no_position"] += (actor, topic) not in gold
            self._score("issue", *scores[(actor, topic)], right, opposite)
        for (_, topic), _position in gold.items():
            self.issue[topic]["gold"] += 1

    def _score(self, kind: str, confidence: float, raw: float, right: bool, opposite: bool) -> None:
        """One returned stance of ``kind``: into its confidence bin, and its raw score with whether it is right."""
        bin_ = sum(confidence >= edge for edge in CONFIDENCE_BINS)
        self.reliability[kind][bin_].update(returned=1, correct=right, opposite=opposite)
        self.scored[kind].append([round(raw, 4), int(right)])

    def report(self) -> dict:
        c = self.counts
        micro = Counter()
        for counts in self.entities.values():
            micro.update(counts)
        per_topic = {
            t: prf(self.issue[t]["correct"], self.issue[t]["predicted"], self.issue[t]["gold"]) for t in self.topics
        }
        scored = [v["f1"] or 0.0 for v in per_topic.values() if v["predicted"] or v["gold"]]
        returned = sum(v["predicted"] for v in per_topic.values())
        return {
            "entities": {
                "micro": prf(micro["correct"], micro["predicted"], micro["gold"]),
                **{t: prf(*(self.entities[t][k] for k in ("correct", "predicted", "gold"))) for t in ENTITY_TYPES},
            },
            "actors": {
                "pairwise_mention_links": prf(c["link_right"], c["link_predicted"], c["link_gold"]),
                "gold_actors": c["gold_actors"],
                "gold_actors_split": c["split_actors"],
            },
            "quotes": {
                "detection": {
                    **prf(c["quote_detected"], c["quote_predicted"], c["quote_gold"]),
                    "recall": round(c["quote_recalled"] / c["quote_gold"], 4) if c["quote_gold"] else None,
                    "exact_words": _share(c["quote_exact"], c["quote_recalled"]),
                },
                "named_speaker": {
                    **prf(c["speaker_right"], c["speaker_predicted"], c["speaker_gold"]),
                    "recall": round(c["speaker_recalled"] / c["speaker_gold"], 4) if c["speaker_gold"] else None,
                },
            },
            "actor_stance": {
                **prf(c["pair_right"], c["pair_predicted"], c["pair_gold"]),
                "recall": round(c["pair_recalled"] / c["pair_gold"], 4) if c["pair_gold"] else None,
                "opposite": c["pair_opposite"],
                "reliability": self._reliability("actor"),
                "scored": self.scored["actor"],
            },
            "issue_stance": {
                "macro_f1": round(sum(scored) / len(scored), 4) if scored else None,
                "topics_scored": len(scored),
                "returned": returned,
                "opposite_pole_rate": round(c["issue_opposite"] / returned, 4) if returned else None,
                "no_position_rate": round(c["issue_no_position"] / returned, 4) if returned else None,
                "per_topic": per_topic,
                "reliability": self._reliability("issue"),
                "scored": self.scored["issue"],
            },
        }  # fmt: skip

    def _reliability(self, kind: str) -> list[dict]:
        edges = (0.0, *CONFIDENCE_BINS, 1.0)
        bins = self.reliability[kind]
        return [
            {
                "confidence": [edges[b], edges[b + 1]],
                "returned": bins[b]["returned"],
                "correct": round(bins[b]["correct"] / bins[b]["returned"], 4),
                "opposite": round(bins[b]["opposite"] / bins[b]["returned"], 4),
            }
            for b in range(len(edges) - 1)
            if bins[b]["returned"]
        ]


def evaluate(articles: Iterable[Article], topics: Sequence[str], per_article: Path | None = None) -> dict:
    """The report of the service on ``articles``; with ``per_article``, each article's counts written there."""
    from service.state import build_pipeline  # loads torch: imported only when the bench really runs

    articles = list(articles)
    pipeline = build_pipeline(Settings.from_env())
    parts = score_articles(pipeline, articles, topics)
    if per_article is not None:
        write_article_counts(per_article, articles, topics, parts)
    return {
        "models": pipeline.model_info(),
        "actor_types": sorted(ACTOR_TYPES),
        "articles": len(articles),
        **Scores.merged(topics, parts).report(),
        "intervals": intervals(topics, parts),
    }


def score_articles(pipeline: Pipeline, articles: Sequence[Article], topics: Sequence[str]) -> list[Scores]:
    """Each article's counts for what ``pipeline`` returns on it (the corpus's actor types)."""
    options = Options(actor_types=ACTOR_TYPES)
    results = pipeline.analyze([Document(a.text, options, id=a.id) for a in articles])
    parts = []
    for article, result in zip(articles, results, strict=True):
        parts.append(Scores(topics))
        parts[-1].add(article, result)
    return parts


def write_article_counts(
    path: Path, articles: Sequence[Article], topics: Sequence[str], parts: Sequence[Scores]
) -> None:
    """A header line (split, topics), then one line per article: its id and counts."""
    lines = [json.dumps({"split": articles[0].record["split"] if articles else None, "topics": list(topics)})]
    lines += [
        json.dumps({"id": article.id, **part.counts_record()}, sort_keys=True)
        for article, part in zip(articles, parts, strict=True)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_article_counts(path: Path) -> tuple[dict, dict[str, Scores]]:
    """The header and, by article id, the counts ``write_article_counts`` wrote."""
    header, *rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return header, {row["id"]: Scores.from_record(header["topics"], row) for row in rows}


def intervals(topics: Sequence[str], parts: Sequence[Scores], resamples: int = RESAMPLES) -> dict[str, dict]:
    """Each headline figure of the articles' ``parts`` with its 95 % percentile bootstrap interval: the articles
    drawn again with replacement ``resamples`` times (seeded, so a rerun gives the same bounds)."""
    draw = random.Random(SEED)
    figures = Scores.merged(topics, parts).headline()
    samples: dict[str, list[float]] = {name: [] for name in figures}
    for _ in range(resamples):
        resampled = Scores.merged(topics, draw.choices(parts, k=len(parts))).headline()
        for name, value in resampled.items():
            if value is not None:
                samples[name].append(value)
    return {name: {"value": value, "ci95": percentiles(samples[name])} for name, value in figures.items()}


def percentiles(values: list[float]) -> list[float] | None:
    """The 2.5th and 97.5th percentiles of ``values`` (None for none)."""
    if not values:
        return None
    ordered = sorted(values)
    return [round(ordered[int(0.025 * (len(ordered) - 1))], 4), round(ordered[int(0.975 * (len(ordered) - 1))], 4)]


def _nonzero(counts: Counter) -> dict[str, int]:
    return {key: value for key, value in sorted(counts.items()) if value}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-article", type=Path, help="also write each article's counts here (JSON Lines)")
    args = parser.parse_args(argv)
    ids = [r["id"] for _, r in read_records(split_path(args.split, args.corpus))]
    articles = load_split(args.split, load_texts(ids, news2019_path(args.shared)), args.corpus)
    report = {
        "corpus": args.corpus.name,
        "split": args.split,
        **evaluate(articles, issue_topics(topics_path(args.shared)), args.per_article),
    }
    write_report(report, args.out)
    print(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
