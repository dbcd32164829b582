"""The language check (``service.models.language``) on real Dutch news, written as JSON: which items it would
refuse (each listed with its language, so a reader can see whether it is really not Dutch), and its cost next
to a full analysis of the same articles, side by side in one run.

    python -m bench.language_check --out bench/results/language_check.json
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from bench.harness import write_report
from corpus.articles import DEFAULT_SHARED, iter_news2019, news2019_path
from service.config import Settings
from service.documents import Document
from service.models.language import load_language_identifier

MIN_CHARS = 300
COST_ARTICLES = 40


def dpgmedia_texts(shared: Path) -> list[tuple[str, str]]:
    with open(shared / "dpgmedia2019" / "articles.jsonl", encoding="utf-8") as lines:
        return [(str(a["id"]), a["text"]) for a in map(json.loads, lines) if len(a.get("text") or "") >= MIN_CHARS]


def refusals(identifier, items: list[tuple[str, str]]) -> dict:
    languages = Counter()
    refused = []
    for item_id, text in items:
        guess = identifier.identify(text)
        languages[guess.language or "too short"] += 1
        if guess.clearly_not_dutch:
            refused.append({"id": item_id, "language": guess.language, "confidence": round(guess.confidence, 4)})
    return {
        "items": len(items),
        "refused": len(refused),
        "languages": dict(languages.most_common()),
        "refused_items": refused,
    }


def cost_ratio(identifier, texts: list[str]) -> dict:
    """Seconds of the check and of a full analysis (the service's pipeline) on the same articles, one each."""
    from service.state import build_pipeline

    pipeline = build_pipeline(Settings.from_env())
    pipeline.analyze([Document(texts[0])])  # warm-up
    check_s = analyse_s = 0.0
    for text in texts:
        started = time.perf_counter()
        identifier.identify(text)
        check_s += time.perf_counter() - started
        started = time.perf_counter()
        pipeline.analyze([Document(text)])
        analyse_s += time.perf_counter() - started
    return {
        "articles": len(texts),
        "check_s": round(check_s, 4),
        "analysis_s": round(analyse_s, 3),
        "check_share": round(check_s / analyse_s, 5),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    identifier = load_language_identifier()
    news = [(a["id"], a["text"]) for a in iter_news2019(news2019_path(args.shared)) if len(a["text"]) >= MIN_CHARS]
    dpg = dpgmedia_texts(args.shared)
    report = {
        "news2019": refusals(identifier, news),
        "dpgmedia2019": refusals(identifier, dpg),
        "cost": cost_ratio(identifier, [text for _, text in dpg[:COST_ARTICLES]]),
    }
    write_report(report, args.out)
    print(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
