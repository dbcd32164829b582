"""How many of the actor stances the service returns are right, judged by a reader, written as JSON.

``bench.actor_stance_accuracy`` scores the annotated pairs: it cannot judge the many other non-neutral stances
the service returns on the same articles, since the annotation holds only the clear pairs. Here a reader judged
those too (``bench/data/actor_stance_judged.jsonl``, guidelines in ``docs/annotation.md``, section "Judged
stances"): per returned stance (article, source actor, target actor, position), ``right`` (the text shows the
source taking that position toward the target), ``opposite`` (a stance, the other way), ``no_stance`` (the text
shows none: two names in one enumeration, a place, a reporter, the relation the other way round) or
``unclear``. Two sets:

- ``dev``: the articles of the dev, held-out and dev3 pair sets, whose returned stances beyond the annotated
  pairs were judged for the version before the relation-cue gate (the rules since were written with them);
  annotated pairs count by their gold position.
- ``unseen``: the articles of the test and test3 pair sets (PER, ORG and LOC actors) and the first 40 articles of
  the coverage sample (``bench.harness.load_articles``, the service's default actor types), every stance returned
  by the version before the gate and by the gated one, judged once, blind to which version returned it.

A stance that no judgement matches (the service returns a pair not judged before) is counted ``unjudged`` and
listed, so that a changed service shows what is left to judge; ``precision`` is right / judged.

    python -m bench.actor_stance_precision --out bench/results/actor_stance_precision.json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bench.actor_stance_accuracy import ACTOR_TYPES, actors_at
from bench.harness import load_articles
from bench.quotes_accuracy import DATA, load_texts, read_annotations
from service.config import Settings
from service.documents import Document, Options

JUDGED = Path("bench/data/actor_stance_judged.jsonl")
PAIR_SETS = {
    "dev": [
        "bench/data/actor_stance_dev.jsonl",
        "bench/data/actor_stance_heldout.jsonl",
        "bench/data/actor_stance_dev3.jsonl",
    ],
    "unseen": ["bench/data/actor_stance_test.jsonl", "bench/data/actor_stance_test3.jsonl"],
}
COVERAGE_ARTICLES = {"dev": 0, "unseen": 40}
VERDICTS = ("right", "opposite", "no_stance", "unclear")
Key = tuple[str, str, str, str]


def read_judged(path: Path, which: str) -> dict[Key, str]:
    """(article, source actor, target actor, position) → verdict, for one set."""
    judged = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["set"] == which:
            judged[(row["doc"], row["source_actor"], row["target_actor"], row["position"])] = row["verdict"]
    return judged


def articles(which: str, data: Path) -> list[tuple[str, str, Options, list[dict]]]:
    """(article key, text, options, annotated pairs) for every article of one set."""
    found = []
    for path in PAIR_SETS[which]:
        rows = read_annotations(path)
        texts = load_texts(rows, data)
        for row in rows:
            key = f"{row['source']}:{row['id']}"
            found.append((key, texts[(row["source"], row["id"])], Options(actor_types=ACTOR_TYPES), row["pairs"]))
    for index, text in enumerate(load_articles(COVERAGE_ARTICLES[which]) if COVERAGE_ARTICLES[which] else []):
        found.append((f"coverage:{index}", text, Options(), []))
    return found


def gold_verdict(
    pairs: list[dict], mentions: dict[str, list[tuple[int, int]]], source: str, target: str, position: str
) -> str | None:
    """``right``/``opposite`` when (source, target) is an annotated pair of the article, else None."""
    for pair in pairs:
        spans = (pair["source"]["start"], pair["source"]["end"]), (pair["target"]["start"], pair["target"]["end"])
        if source in actors_at(spans[0], mentions) and target in actors_at(spans[1], mentions):
            return "right" if pair["position"] == position else "opposite"
    return None


def judge_set(which: str, pipeline, data: Path) -> dict:
    judged = read_judged(JUDGED, which)
    counts: Counter[str] = Counter()
    unjudged = []
    for key, text, options, pairs in articles(which, data):
        result = pipeline.analyze([Document(text, options)])[0]
        mentions = {a.id: [(m.start, m.end) for m in a.mentions] for a in result.actors}
        for actor in result.actors:
            for stance in actor.stances:
                if stance.target is None or stance.position == "neutral":
                    continue
                verdict = judged.get((key, actor.name, stance.target_name, stance.position)) or gold_verdict(
                    pairs, mentions, actor.id, stance.target, stance.position
                )
                counts[verdict or "unjudged"] += 1
                if verdict is None:
                    unjudged.append([key, actor.name, stance.target_name, stance.position, stance.evidence.start])
    judged_total = sum(counts[v] for v in VERDICTS)
    return {
        "returned_non_neutral": sum(counts.values()),
        **{verdict: counts[verdict] for verdict in (*VERDICTS, "unjudged")},
        "precision": round(counts["right"] / judged_total, 4) if judged_total else None,
        "opposite_share": round(counts["opposite"] / judged_total, 4) if judged_total else None,
        "unjudged_stances": unjudged,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    from service.state import build_pipeline  # loads torch: imported only when the bench really runs

    pipeline = build_pipeline(Settings.from_env())
    report = {
        "models": pipeline.model_info(),
        **{which: judge_set(which, pipeline, Path(args.data)) for which in PAIR_SETS},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({w: {k: v for k, v in report[w].items() if k != "unjudged_stances"} for w in PAIR_SETS}, indent=1))
    return report


if __name__ == "__main__":
    main()
