"""Cold start: gunicorn process start -> /healthz 200 -> /readyz 200, and the model load on its own.

Each round starts a fresh server with the default settings and polls every 50 ms. The model load is timed in
a fresh Python process, split into importing torch + Flair and loading each model the service loads (NER, issue
stance, actor stance with its heads, quote tagger, reference ranker, language identifier: what every worker does
after the fork). The files are in the page cache after the first round, which
is also the case when a container restarts on the same node.

    python -m bench.coldstart [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any

from bench.harness import PROJECT_ROOT, SERVER_ENV, Run, Server, server_layout


def server_start() -> dict[str, float]:
    server = Server()
    try:
        healthy = server.wait("/healthz")
        ready = server.wait("/readyz")
    finally:
        server.stop()
    return {"healthz_s": round(healthy, 3), "readyz_s": round(ready, 3)}


def model_load_in_fresh_process() -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.coldstart", "--time-model-load"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def time_model_load() -> dict[str, float]:
    """Run inside the fresh process: the phases of ``service.state.build_pipeline``, one by one, with the
    settings from the environment (each model a setting turns off is skipped by its loader)."""
    started = time.perf_counter()
    import flair  # noqa: F401
    import torch

    from service.config import Settings
    from service.models.language import load_language_identifier
    from service.models.ner import load_ner_model
    from service.models.stance import load_stance_model
    from service.state import load_actor_stance, load_coref, load_quotes

    imported = time.perf_counter()
    settings = Settings.from_env()
    torch.set_num_threads(settings.torch_threads)
    phases: dict[str, float] = {"import_torch_flair_s": round(imported - started, 3)}
    last = imported

    def timed(name: str, load) -> Any:
        nonlocal last
        model = load()
        now = time.perf_counter()
        phases[f"{name}_load_s"] = round(now - last, 3)
        last = now
        return model

    ner = timed("ner", lambda: load_ner_model(settings.ner_model, batch_size=settings.ner_batch_size))
    timed("stance", lambda: load_stance_model(settings.stance_model))
    timed("actor_stance", lambda: load_actor_stance(settings.actor_stance_model, ner, settings.ner_quantize))
    timed("quotes", lambda: load_quotes(settings, ner))
    timed("coref", lambda: load_coref(settings.coref_model))
    timed("language", load_language_identifier)
    phases["models_load_s"] = round(last - imported, 3)
    return phases


def _medians(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in rounds), 3) for key in rounds[0]}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--time-model-load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.time_model_load:
        print(json.dumps(time_model_load()))
        return {}

    run = Run("coldstart")
    starts = [server_start() for _ in range(args.rounds)]
    loads = [model_load_in_fresh_process() for _ in range(args.rounds)]
    document = {
        "server_env": SERVER_ENV,
        "server_layout": server_layout(SERVER_ENV),
        "rounds": args.rounds,
        "server_start": {"median": _medians(starts), "rounds": starts},
        "model_load": {"median": _medians(loads), "rounds": loads},
    }
    median_start, median_load = document["server_start"]["median"], document["model_load"]["median"]
    print(
        f"process start -> /healthz {median_start['healthz_s']} s, -> /readyz {median_start['readyz_s']} s; "
        f"model load {median_load['models_load_s']} s (+ import torch/flair {median_load['import_torch_flair_s']} s)"
    )
    run.write(document)
    return document


if __name__ == "__main__":
    main()
