"""Where a request's time goes: the model work vs the per-request Python around it.

Timings on the same articles, in one process with one loaded pipeline:

1. ``Pipeline.analyze`` alone (the bare model work), and how it splits into the NER call, the two stance
   model calls and the rest (clocks around the model calls, no profiler), and the same split for all the
   articles in one batch: which stages batching speeds up;
2. the whole Flask app through its test client (validation, admission, serialisation, logs, metrics), no
   network: the difference to 1 is the app's own per-request cost;
3. a cProfile of each side: the pipeline (where inside the models the time goes) and the request thread
   (the analysis itself runs on the admission pool's thread, so what this thread spends outside waiting for
   it is the Python overhead: schema load/dump, JSON, logging).

    python -m bench.profile_request [--articles 20] [--top 12]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from bench.harness import Run, load_articles
from service import create_app
from service.config import Settings
from service.pipeline import Document
from service.state import build_pipeline
from service.text import split_sentences

# Functions whose cumulative time answers "where does it go" (file suffix, function name).
# Passes over the articles for the full/NER ratio (see ``full_over_ner_alone``).
RATIO_ROUNDS = 3
HOT_SPOTS = {
    "flair SequenceTagger.predict": ("flair/models/sequence_tagger_model.py", "predict"),
    "flair embeddings (embed)": ("flair/embeddings/base.py", "embed"),
    "NerModel.tag_layers": ("service/models/ner.py", "tag_layers"),
    "topic stance predict_relevant": ("service/models/stance.py", "predict_relevant"),
    "actor stance predict": ("service/models/actor_stance.py", "predict"),
    "refine_entities": ("service/entities.py", "refine_entities"),
    "find_quotes": ("service/quotes.py", "find_quotes"),
    "select_evidence": ("service/relations.py", "select_evidence"),
    "split_sentences": ("service/text.py", "split_sentences"),
    "group_actors": ("service/actors.py", "group_actors"),
    "marshmallow Schema.load": ("marshmallow/schema.py", "load"),
    "marshmallow Schema.dump": ("marshmallow/schema.py", "dump"),
    "flask JSON response": ("flask/json/provider.py", "response"),
    "logging handle": ("logging/__init__.py", "handle"),
    "prometheus metrics": ("prometheus_client/metrics.py", "inc"),
    "wait for the analysis thread": ("concurrent/futures/_base.py", "result"),
}


def cumulative_shares(profile: cProfile.Profile, total: float) -> dict[str, dict[str, float]]:
    stats = pstats.Stats(profile).stats  # {(file, line, name): (calls, primitive, tottime, cumtime, callers)}
    shares = {}
    for label, (suffix, name) in HOT_SPOTS.items():
        cumulative = sum(v[3] for (file, _, fn), v in stats.items() if fn == name and file.endswith(suffix))
        if cumulative:
            shares[label] = {"s": round(cumulative, 3), "share": round(cumulative / total, 3)}
    return shares


def top_own_time(profile: cProfile.Profile, count: int) -> list[dict[str, Any]]:
    stats = pstats.Stats(profile).stats
    ranked = sorted(stats.items(), key=lambda item: -item[1][2])[:count]
    return [
        {"function": f"{file.split('site-packages/')[-1]}:{line}({name})", "own_s": round(v[2], 3), "calls": v[1]}
        for (file, line, name), v in ranked
    ]


def model_calls(pipeline) -> dict[str, tuple[object, str]]:
    """The pipeline's model calls whose wall time ``stage_times`` measures: stage name -> (object, method)."""
    return {
        "ner": (pipeline.ner, "tag_layers"),  # NER and the heads that read its embeddings (the quote tagger)
        "topic_stance": (pipeline.stance_model, "predict_relevant"),
        "actor_stance": (pipeline.actor_stance_model, "predict"),
    }


def stage_times(pipeline, work: Callable[[], None]) -> dict[str, Any]:
    """Wall time of each model stage inside ``work``, without a profiler's distortion: the model calls of this
    pipeline instance are wrapped with a clock for the duration of the run; "rest" is everything else
    (sentence splitting, entity refinement, grouping, quotes, evidence selection, assembling results)."""
    spent = dict.fromkeys(model_calls(pipeline), 0.0)

    def clocked(stage: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started

        return timed

    for stage, (owner, method) in model_calls(pipeline).items():
        setattr(owner, method, clocked(stage, getattr(owner, method)))
    started = time.perf_counter()
    try:
        work()
    finally:
        for owner, method in model_calls(pipeline).values():
            delattr(owner, method)  # back to the class methods
    total = time.perf_counter() - started
    rest = total - sum(spent.values())
    return {
        "total_s": round(total, 3),
        **{f"{stage}_s": round(value, 3) for stage, value in spent.items()},
        "rest_s": round(rest, 3),
        **{f"{stage}_share": round(value / total, 3) for stage, value in spent.items()},
        "rest_share": round(rest / total, 3),
    }


def full_over_ner_alone(pipeline, texts: list[str], rounds: int = RATIO_ROUNDS) -> dict[str, Any]:
    """A full analysis against the NER tagger alone on the same articles, read two ways in each of ``rounds``
    passes. Side by side: per article one after the other (the order alternating), so that background load hits
    both sides alike; this is ``ratio``, and ``ner_alone_s`` and ``full_analysis_s`` are its summed times. Back
    to back: one kind over every article, then the other (which first alternates per pass), as a service that
    gets only one kind of request runs; this is ``back_to_back_ratio``. Each pass takes one reading of each way,
    so drift over the run falls on both. The two can differ by more than the change being measured: on the shared
    2-core machine NER alone has read 10 % slower between full analyses in one process than in another of nearly
    the same code, and one side-by-side pass over 40 articles read anywhere from 1.35 to 1.74 within a few hours.
    Each reading is the ratio of the summed times, with each pass's own."""
    calls = [
        {
            "ner": partial(pipeline.ner.tag, [(text, split_sentences(text))]),
            "full": partial(pipeline.analyze, [Document(text=text, id=str(i))]),
        }
        for i, text in enumerate(texts)
    ]
    side_by_side = [{"ner": 0.0, "full": 0.0} for _ in range(rounds)]
    back_to_back = [{"ner": 0.0, "full": 0.0} for _ in range(rounds)]
    for number in range(rounds):
        for i, call in enumerate(calls):
            for name in ("ner", "full") if i % 2 == 0 else ("full", "ner"):
                side_by_side[number][name] += _timed(call[name])
        for name in ("ner", "full") if number % 2 == 0 else ("full", "ner"):
            back_to_back[number][name] = sum(_timed(call[name]) for call in calls)
    spent = {name: sum(this_round[name] for this_round in side_by_side) for name in ("ner", "full")}
    return {
        "ner_alone_s": round(spent["ner"], 3),
        "full_analysis_s": round(spent["full"], 3),
        "ratio": round(spent["full"] / spent["ner"], 3),
        "per_round_ratios": [round(r["full"] / r["ner"], 3) for r in side_by_side],
        "back_to_back_ratio": round(sum(r["full"] for r in back_to_back) / sum(r["ner"] for r in back_to_back), 3),
        "back_to_back_per_round_ratios": [round(r["full"] / r["ner"], 3) for r in back_to_back],
    }


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--ratio-rounds", type=int, default=RATIO_ROUNDS, help="passes of the full/NER ratio")
    args = parser.parse_args(argv)

    run = Run("profile_request")
    settings = Settings.from_env()
    pipeline = build_pipeline(settings)
    client = create_app(settings, pipeline).test_client()
    texts = load_articles(args.articles)
    client.post("/v1/analyze", json={"text": texts[-1]})  # warm-up

    def bare() -> None:
        for i, text in enumerate(texts):
            pipeline.analyze([Document(text=text, id=str(i))])

    def through_app() -> None:
        for i, text in enumerate(texts):
            if client.post("/v1/analyze", json={"text": text, "id": str(i)}).status_code != 200:
                raise RuntimeError("the app refused an article")

    timings = {}
    for name, work in (("pipeline", bare), ("app", through_app), ("pipeline_again", bare)):
        started = time.perf_counter()
        work()
        timings[name] = time.perf_counter() - started
    pipeline_s = (timings["pipeline"] + timings["pipeline_again"]) / 2
    versus_ner = full_over_ner_alone(pipeline, texts, args.ratio_rounds)
    stages = stage_times(pipeline, bare)
    documents = [Document(text=text, id=str(i)) for i, text in enumerate(texts)]
    batch_stages = stage_times(pipeline, lambda: pipeline.analyze(documents))
    batch_gain = {
        stage.removesuffix("_s"): round(stages[stage] / batch_stages[stage], 2)
        for stage in stages
        if stage.endswith("_s") and batch_stages[stage] > 0
    }

    profiles = {}
    for name, work in (("pipeline", bare), ("request_thread", through_app)):
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.runcall(work)
        elapsed = time.perf_counter() - started
        profiles[name] = {
            "profiled_s": round(elapsed, 3),
            "hot_spots": cumulative_shares(profile, elapsed),
            "top_own_time": top_own_time(profile, args.top),
        }

    document = {
        "articles": len(texts),
        "pipeline_s": round(pipeline_s, 3),
        "app_test_client_s": round(timings["app"], 3),
        "app_over_pipeline_ratio": round(timings["app"] / pipeline_s, 4),
        "app_added_ms_per_request": round((timings["app"] - pipeline_s) / len(texts) * 1000, 2),
        "full_analysis_over_ner_alone": versus_ner,
        "pipeline_stages": stages,
        "pipeline_stages_one_batch": batch_stages,
        "one_at_a_time_over_one_batch": batch_gain,
        "profiles": profiles,
        "note": "cProfile slows Python code more than torch kernels; read shares, not absolute times",
    }
    print("full analysis ÷ NER alone, side by side:", versus_ner)
    print("pipeline stages (not profiled):", stages)
    print(f"the same {len(texts)} articles as one batch:", batch_stages)
    print("one at a time ÷ one batch, by stage:", batch_gain)
    print(
        f"pipeline {pipeline_s:.2f} s, app (test client) {timings['app']:.2f} s for {len(texts)} articles: "
        f"+{document['app_added_ms_per_request']} ms per request"
    )
    for name, profile in profiles.items():
        print(name, {k: v["share"] for k, v in profile["hot_spots"].items()})
    run.write(document)
    return document


if __name__ == "__main__":
    main()
