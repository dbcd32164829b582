"""Actor-to-actor stance, end to end, on hand-annotated articles, written as JSON.

The dev set (``bench/data/actor_stance_dev.jsonl``, guidelines in ``docs/annotation.md``, section
"Actor-to-actor stance") holds only article ids, offsets and labels: one name mention of the source actor,
one of the target actor, the position (``positive``/``negative``) and the evidence span; the texts are read
from the shared data. Every article goes through the real pipeline as the service builds it
(``service.state.build_pipeline(Settings.from_env())``), asked for PER, ORG and LOC actors, since countries
and capitals are both sources ("Rusland steunt Maduro") and targets in foreign news.

Scores (the annotation is not exhaustive: it holds the clear pairs only):
- pairs: an annotated pair is *found* when some actor whose mentions overlap the gold source span has an
  actor stance toward an actor whose mentions overlap the gold target span; it is *right* when one such
  stance has the gold position. ``right_share`` (right / annotated pairs) is the issue's measure (target:
  at least 0.70). Found pairs without the right position are split into ``neutral`` and ``opposite``.
  ``right_with_evidence_overlap`` counts right pairs one of whose matching stances cites evidence that
  overlaps the gold evidence. Unfound pairs are counted by why: ``source_not_an_actor`` /
  ``target_not_an_actor`` (the span is no mention of any actor) or ``no_stance_between_the_actors``.
  ``per_article[].pairs`` lists each pair's actor ids, outcome and returned positions (no article text).
- ``precision``: over the returned non-neutral actor stances whose source and target actors are an annotated
  pair (the *measurable* ones), the share with an annotated position. Other returned stances cannot be
  judged against a non-exhaustive annotation; they are counted as ``unmeasurable``.

    python -m bench.actor_stance_accuracy --out bench/results/actor_stance_accuracy.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.quotes_accuracy import DATA, load_texts, read_annotations
from service.config import Settings
from service.documents import Document, Options
from service.results import DocumentResult, Stance

ACTOR_TYPES = frozenset({"PER", "ORG", "LOC"})
TARGET_SHARE = 0.70
Offsets = tuple[int, int]


@dataclass(frozen=True)
class ActorStance:
    """One returned stance of ``source`` toward ``target`` (actor ids), with its evidence offsets."""

    source: str
    target: str
    position: str
    evidence: Offsets


@dataclass(frozen=True)
class ArticlePrediction:
    """What the scoring needs from a pipeline result: each actor's mention offsets, and its actor stances."""

    mentions: dict[str, list[Offsets]]
    stances: list[ActorStance]


def require_actor_stances() -> None:
    """Stop with a clear message when the pipeline's stances cannot name a target actor yet: a score computed
    without actor stances would be a fake zero."""
    if "target" not in {field.name for field in dataclasses.fields(Stance)}:
        raise SystemExit(
            "service.results.Stance has no 'target' field: the pipeline does not return actor-to-actor stances "
            "yet, so the annotated pairs cannot be scored"
        )


def article_prediction(result: DocumentResult) -> ArticlePrediction:
    """The actor stances of a pipeline result (stances with a ``target``), and every actor's mentions."""
    mentions = {actor.id: [(m.start, m.end) for m in actor.mentions] for actor in result.actors}
    stances = [
        ActorStance(actor.id, stance.target, stance.position, (stance.evidence.start, stance.evidence.end))
        for actor in result.actors
        for stance in actor.stances
        if stance.target is not None
    ]
    return ArticlePrediction(mentions, stances)


def overlaps(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _span(annotation: dict) -> Offsets:
    return annotation["start"], annotation["end"]


def actors_at(span: Offsets, mentions: dict[str, list[Offsets]]) -> set[str]:
    """Ids of the actors one of whose mentions overlaps ``span``."""
    return {actor for actor, spans in mentions.items() if any(overlaps(span, mention) for mention in spans)}


def matching_stances(pair: dict, prediction: ArticlePrediction) -> list[ActorStance]:
    """The returned stances from the gold source actor toward the gold target actor."""
    sources = actors_at(_span(pair["source"]), prediction.mentions)
    targets = actors_at(_span(pair["target"]), prediction.mentions)
    return [s for s in prediction.stances if s.source in sources and s.target in targets and s.source != s.target]


OUTCOMES = (
    "right",
    "neutral",
    "opposite",
    "source_not_an_actor",
    "target_not_an_actor",
    "no_stance_between_the_actors",
)


def pair_outcome(pair: dict, prediction: ArticlePrediction) -> str:
    """What became of one annotated pair: one of ``OUTCOMES`` (the first three are *found*)."""
    found = matching_stances(pair, prediction)
    if any(s.position == pair["position"] for s in found):
        return "right"
    if any(s.position == "neutral" for s in found):
        return "neutral"
    if found:
        return "opposite"
    if not actors_at(_span(pair["source"]), prediction.mentions):
        return "source_not_an_actor"
    if not actors_at(_span(pair["target"]), prediction.mentions):
        return "target_not_an_actor"
    return "no_stance_between_the_actors"


def score_article(gold_pairs: list[dict], prediction: ArticlePrediction) -> dict[str, int]:
    """Counts of one article: annotated pairs found/right/neutral/opposite (and why unfound pairs were missed),
    and the returned non-neutral stances that are measurable and correct."""
    counts = {"gold": len(gold_pairs), "found": 0, "right_with_evidence_overlap": 0} | dict.fromkeys(OUTCOMES, 0)
    for pair in gold_pairs:
        outcome = pair_outcome(pair, prediction)
        counts[outcome] += 1
        counts["found"] += outcome in ("right", "neutral", "opposite")
        if outcome == "right":
            evidence = _span(pair["evidence"])
            counts["right_with_evidence_overlap"] += any(
                overlaps(s.evidence, evidence) and s.position == pair["position"]
                for s in matching_stances(pair, prediction)
            )
    counts |= {"predicted_non_neutral": 0, "measurable": 0, "correct": 0}
    for stance in prediction.stances:
        if stance.position == "neutral":
            continue
        counts["predicted_non_neutral"] += 1
        gold_positions = {p["position"] for p in gold_pairs if stance in matching_stances(p, prediction)}
        counts["measurable"] += bool(gold_positions)
        counts["correct"] += stance.position in gold_positions
    return counts


def pair_details(gold_pairs: list[dict], prediction: ArticlePrediction) -> list[dict]:
    """Per annotated pair: the actors its spans fell on, its outcome and the positions returned for it (actor
    ids and labels only, no article text), so that a miss can be looked up."""
    return [
        {
            "source_actors": sorted(actors_at(_span(pair["source"]), prediction.mentions)),
            "target_actors": sorted(actors_at(_span(pair["target"]), prediction.mentions)),
            "gold": pair["position"],
            "outcome": pair_outcome(pair, prediction),
            "returned": sorted(s.position for s in matching_stances(pair, prediction)),
        }
        for pair in gold_pairs
    ]


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(per_article: Iterable[dict[str, int]]) -> dict:
    """Totals over the articles, with the shares the module docstring defines."""
    totals: dict[str, int] = {}
    for counts in per_article:
        for name, value in counts.items():
            totals[name] = totals.get(name, 0) + value
    return {
        **totals,
        "right_share": ratio(totals.get("right", 0), totals.get("gold", 0)),
        "found_share": ratio(totals.get("found", 0), totals.get("gold", 0)),
        "precision": ratio(totals.get("correct", 0), totals.get("measurable", 0)),
        "unmeasurable": totals.get("predicted_non_neutral", 0) - totals.get("measurable", 0),
    }


def evaluate(rows: list[dict], texts: dict) -> dict:
    """Run the service's pipeline on the annotated articles and score every one."""
    from service.state import build_pipeline  # loads torch: imported only when the bench really runs

    pipeline = build_pipeline(Settings.from_env())
    options = Options(actor_types=ACTOR_TYPES)
    documents = [Document(texts[(row["source"], row["id"])], options, id=row["id"]) for row in rows]
    results = pipeline.analyze(documents)
    predictions = [article_prediction(result) for result in results]
    counts = [score_article(row["pairs"], prediction) for row, prediction in zip(rows, predictions, strict=True)]
    per_article = [
        {"source": row["source"], "id": row["id"], **article_counts, "pairs": pair_details(row["pairs"], prediction)}
        for row, prediction, article_counts in zip(rows, predictions, counts, strict=True)
    ]
    return {
        "models": pipeline.model_info(),
        "actor_types": sorted(ACTOR_TYPES),
        "articles": len(rows),
        "articles_by_source": {s: sum(row["source"] == s for row in rows) for s in ("news2019", "dpgmedia2019")},
        "target_right_share": TARGET_SHARE,
        **summarise(counts),
        "per_article": per_article,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", default="bench/data/actor_stance_dev.jsonl")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    require_actor_stances()
    rows = read_annotations(args.dev)
    report = {"dev": args.dev, **evaluate(rows, load_texts(rows, Path(args.data)))}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "per_article"}, indent=1))
    return report


if __name__ == "__main__":
    main()
