"""How many actors get a stance at all: the share of actors with at least two mentions that get a non-neutral
stance, of either kind (on an issue ``topic`` or toward another actor, a ``target``), written as JSON.

The articles are the first ``--articles`` (default 100) of ``bench.harness.load_articles``: the non-empty
dpgMedia2019 texts in a fixed shuffled order (seed 2019), the sample the other benchmarks use. They go through
the service's pipeline (``service.state.build_pipeline(Settings.from_env())``) with the options a caller gets
by default (actor types PER and ORG) unless ``--actor-types`` says otherwise. Mentions are counted over every
kind (names, pronouns, descriptions). When the pipeline does not return actor stances yet (``Stance`` has no
``target``), the report says so and leaves the actor-stance shares out instead of writing zeros.

    python -m bench.stance_coverage --out bench/results/stance_coverage.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path

from bench.harness import load_articles
from service.config import Settings
from service.documents import Document, Options
from service.results import ActorResult, DocumentResult, Stance

MIN_MENTIONS = 2
ARTICLES = 100


def actor_stances_available() -> bool:
    """Whether the pipeline's stances can name a target actor (issue 13's actor-to-actor stance)."""
    return "target" in {field.name for field in dataclasses.fields(Stance)}


def stance_kinds(actor: ActorResult, with_targets: bool) -> set[str]:
    """The kinds of non-neutral stance ``actor`` has: ``issue`` (a topic), ``actor`` (a target)."""
    kinds = set()
    for stance in actor.stances:
        if stance.position == "neutral":
            continue
        if stance.topic is not None:
            kinds.add("issue")
        if with_targets and stance.target is not None:
            kinds.add("actor")
    return kinds


def coverage(results: Iterable[DocumentResult], with_targets: bool) -> dict:
    """Counts and shares over the actors with at least ``MIN_MENTIONS`` mentions."""
    counted = any_stance = issue = actor = either = 0
    for result in results:
        for found in result.actors:
            if len(found.mentions) < MIN_MENTIONS:
                continue
            counted += 1
            any_stance += bool(found.stances)
            kinds = stance_kinds(found, with_targets)
            issue += "issue" in kinds
            actor += "actor" in kinds
            either += bool(kinds)

    def share(part: int) -> float | None:
        return round(part / counted, 4) if counted else None

    report = {
        "actors_with_min_mentions": counted,
        "with_any_stance": any_stance,
        "with_any_stance_share": share(any_stance),
        "with_non_neutral_issue_stance": issue,
        "non_neutral_issue_share": share(issue),
    }
    if with_targets:
        report |= {
            "with_non_neutral_actor_stance": actor,
            "non_neutral_actor_share": share(actor),
            "with_non_neutral_stance_of_either_kind": either,
            "non_neutral_either_share": share(either),
        }
    return report


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--actor-types", nargs="+", default=sorted(Options().actor_types))
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    from service.state import build_pipeline  # loads torch: imported only when the bench really runs

    pipeline = build_pipeline(Settings.from_env())
    options = Options(actor_types=frozenset(args.actor_types))
    texts = load_articles(args.articles)
    results = pipeline.analyze([Document(text, options) for text in texts])
    with_targets = actor_stances_available()
    report = {
        "articles": len(texts),
        "sample": "bench.harness.load_articles: non-empty dpgmedia2019 texts, shuffled with seed 2019, first N",
        "actor_types": sorted(args.actor_types),
        "min_mentions": MIN_MENTIONS,
        "models": pipeline.model_info(),
        "actor_stances_available": with_targets,
        **coverage(results, with_targets),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
