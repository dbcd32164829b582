"""The README's benchmark tables, written from the latest bench/results/*.json (never typed by hand).

Writes bench/results/summary.md and replaces the text between the ``<!-- bench:start -->`` and
``<!-- bench:end -->`` markers of README.md with it.

    python -m bench.summary [--no-readme]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.harness import PROJECT_ROOT, RESULTS
from service.config import Settings
from service.models.ner import file_version

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
FILES = (
    "throughput",
    "overhead",
    "batching",
    "ner_vs_frog",
    "profile_request",
    "coldstart",
    "memory",
    "scaling",
    "tuning",
)
# The figures that carry across machines: each is two things measured side by side in one run, or shares.
RATIO_FILES = ("ner_vs_frog", "overhead", "batching", "profile_request")


def load(results: Path) -> dict[str, dict[str, Any]]:
    return {name: json.loads(path.read_text()) for name in FILES if (path := results / f"{name}.json").exists()}


def _cell(config: dict, concurrency: int) -> dict | None:
    return next((c for c in config["cells"] if c["concurrency"] == concurrency), None)


def ratios(r: dict[str, dict]) -> list[str]:
    """One row per side-by-side comparison, each with the run it comes from."""
    rows = ["| Ratio (measured side by side in one run) | Value | Goal | Run |", "| --- | --- | --- | --- |"]
    if "ner_vs_frog" in r:
        f = r["ner_vs_frog"]
        rows.append(
            f"| NER tagger ÷ Frog, tokens/s (1 thread each, {f['tokens']:,} tokens of {f['data']}) | "
            f"{f['tagger_over_frog_speed']:.2f}×{_spread(f.get('per_round_ratios', []))} | – | {run_label(f)} |"
        )
    if "overhead" in r:
        o = r["overhead"]
        rows.append(
            f"| HTTP ÷ in-process `Pipeline.analyze`, time ({o['articles']} articles, 1 client) | "
            f"{o['overhead_ratio']:.3f} (median per article {o['median_per_article_ratio']:.3f}; "
            f"{o['median_added_ms']:+.1f} ms median per request{_healthz(o)}) | ≤ 1.05 "
            f"{_met(o)} | {run_label(o)} |"
        )
    if "batching" in r:
        b = r["batching"]
        rows.append(
            f"| {b['documents']} single requests ÷ one batch of them, time | {b['speedup']:.2f}×"
            f"{_spread([s / t for s, t in zip(b['single_requests_s'], b['batch_request_s'])])} | ≥ 2× "
            f"{_met(b)} | {run_label(b)} |"
        )
    return rows


def time_split(r: dict[str, dict]) -> str:
    """Where an article's time goes inside the pipeline, and which stages a batch speeds up."""
    if "profile_request" not in r:
        return ""
    p = r["profile_request"]
    stages = p["pipeline_stages"]
    names = [key.removesuffix("_share") for key in stages if key.endswith("_share")]
    shares = ", ".join(f"{name.replace('_', ' ')} {stages[f'{name}_share']:.0%}" for name in names)
    batch_gains = p["one_at_a_time_over_one_batch"]
    gains = ", ".join(f"{name.replace('_', ' ')} {gain:.2f}×" for name, gain in batch_gains.items())
    versus_ner = p.get("full_analysis_over_ner_alone")
    full = (
        f"A full analysis takes {versus_ner['ratio']:.2f}×{_spread(versus_ner.get('per_round_ratios', []))} the NER "
        f"tagger alone, side by side{_back_to_back(versus_ner)}. "
        if versus_ner
        else ""
    )
    return (
        f"Where the time goes (`python -m bench.profile_request`, {p['articles']} articles, {run_label(p)}): "
        f"inside `Pipeline.analyze`, {shares}. {full}The whole Flask app through its test client (no network) takes "
        f"{p['app_over_pipeline_ratio']:.2f}× the bare pipeline's time. Analysed one at a time, the same "
        f"articles take this many times as long as in one batch, by stage: {gains}."
    )


def _healthz(overhead: dict[str, Any]) -> str:
    """The transport's share of the added time: a bare round trip that does no work in the app."""
    floor = overhead.get("median_healthz_round_trip_ms")
    return f", of which a bare `GET /healthz` round trip {floor:.1f} ms" if floor is not None else ""


def _back_to_back(versus_ner: dict) -> str:
    """The back-to-back reading of the full/NER ratio, where the run has one (``bench.profile_request``)."""
    if "back_to_back_ratio" not in versus_ner:
        return ""
    spread = _spread(versus_ner.get("back_to_back_per_round_ratios", []))
    ratio = versus_ner["back_to_back_ratio"]
    return f"; back to back (one kind over every article, then the other) {ratio:.2f}×{spread}"


def _spread(per_round: list[float]) -> str:
    """The range of the rounds' own ratios, so that a reader sees how much one run's figure can be trusted."""
    return f" (rounds {min(per_round):.2f}–{max(per_round):.2f})" if len(per_round) > 1 else ""


def _met(doc: dict[str, Any]) -> str:
    """Whether the goal was met; a pass measured next to other work is a lead to confirm, not a result."""
    if not doc["goal_met"]:
        return "(**not met**)"
    return "(met on a busy machine: to confirm on an idle one)" if doc["contention"]["contaminated"] else "(met)"


def run_label(doc: dict[str, Any]) -> str:
    """Where and when a result was measured, and whether other work was competing for the CPUs."""
    contention = doc["contention"]
    busy = (
        f", other processes {contention['other_processes_cpu_share']:.0%} of the CPUs"
        if contention["contaminated"]
        else ""
    )
    return f"{doc['started_utc'][:10]}, {doc['machine']['cpu']} × {doc['machine']['cpus_usable']}{busy}"


def headline(r: dict[str, dict]) -> list[str]:
    rows = ["| Default settings | Value |", "| --- | --- |"]
    if "throughput" in r:
        cells = r["throughput"]["configs"]["default"]["cells"]
        top = max(cells, key=lambda c: c["articles_per_s"])
        one = _cell(r["throughput"]["configs"]["default"], 1) or cells[0]
        rows.append(
            f"| Throughput (articles/s) | {one['articles_per_s']} at 1 client; "
            f"{top['articles_per_s']} at {top['concurrency']} |"
        )
        by_clients = [
            f"{c['p50_ms']:.0f} / {c['p95_ms']:.0f} / {c['p99_ms']:.0f} ms @{c['concurrency']}" for c in cells
        ]
        rows.append("| Latency p50 / p95 / p99, by clients | " + "; ".join(by_clients) + " |")
    if "coldstart" in r:
        start, load_ = r["coldstart"]["server_start"]["median"], r["coldstart"]["model_load"]["median"]
        phases = ", ".join(
            f"{key.removesuffix('_load_s').replace('_', ' ')} {seconds} s"
            for key, seconds in load_.items()
            if key.endswith("_load_s") and key != "models_load_s"
        )
        rows.append(
            f"| Cold start: process → /readyz 200 | {start['readyz_s']} s (/healthz {start['healthz_s']} s); model "
            f"load {load_['models_load_s']} s ({phases}) after importing torch + Flair "
            f"{load_['import_torch_flair_s']} s |"
        )
    if "memory" in r:
        m = r["memory"]
        per_worker = "; ".join(
            f"{w['after_warmup_mib']:.0f} → {w['after_requests_mib']:.0f} MiB "
            f"({w['second_half_growth_mib']:+.0f} MiB over the second half)"
            for w in m["workers"].values()
        )
        rows.append(
            f"| RSS per worker, after warm-up → after {m['requests_after_warmup']} requests | {per_worker}: "
            f"{'stable' if m['rss_stable'] else '**grows** (or the run was cut short)'} |"
        )
    if "scaling" in r:
        fit = r["scaling"]["linear_fit"]
        points = r["scaling"]["points"]
        rows.append(
            f"| Latency vs length ({points[0]['chars']:,}–{points[-1]['chars']:,} chars) | "
            f"{fit['ms_per_1k_chars']} ms per 1,000 chars + {fit['intercept_ms']} ms "
            f"(linear fit, R² {fit['r_squared']}) |"
        )
    return rows


def configurations(r: dict[str, dict]) -> list[str]:
    if "throughput" not in r:
        return []
    configs = r["throughput"]["configs"]
    levels = [c["concurrency"] for c in next(iter(configs.values()))["cells"]]
    rows = [
        "| Configuration | workers × threads, torch threads | "
        + " | ".join(f"articles/s @{n}" for n in levels)
        + f" | p95 @{levels[-1]} |",
        "| --- | --- |" + " --- |" * (len(levels) + 1),
    ]
    for name, config in configs.items():
        layout = config["layout"]
        rates = " | ".join(f"{(_cell(config, n) or {}).get('articles_per_s', '–')}" for n in levels)
        last = _cell(config, levels[-1]) or {}
        rows.append(
            f"| {name} | {layout['workers']} × {layout['threads']}, {layout['torch_threads']} | {rates} | "
            f"{last.get('p95_ms', '–')} ms |"
        )
    return rows


def tuning(r: dict[str, dict]) -> list[str]:
    if "tuning" not in r:
        return []
    rows = [
        "| torch threads | NER_BATCH_SIZE | ms/article, one at a time | ms/article, batch of "
        f"{r['tuning']['batch_documents']} |",
        "| --- | --- | --- | --- |",
    ]
    for row in r["tuning"]["rows"]:
        rows.append(
            f"| {row['torch_threads']} | {row['ner_batch_size']} | {row['singles_ms_per_article']} | "
            f"{row['batch_ms_per_article']} |"
        )
    return rows


def provenance(r: dict[str, dict]) -> list[str]:
    """Where the absolute figures come from; they hold for that machine only."""
    any_result = next(iter(r.values()))
    machine = any_result["machine"]
    busy = [
        f"{name} ({doc['contention']['other_processes_cpu_share']:.0%} of the CPUs)"
        for name, doc in r.items()
        if doc["contention"]["contaminated"]
    ]
    minutes = sum(doc["duration_s"] for doc in r.values()) / 60
    lines = [
        "Absolute figures hold for the machine they were measured on only (machines here differ about 2× in "
        f"speed). These were measured {any_result['started_utc'][:10]} ({minutes:.0f} min in all) on {machine['cpu']}, "
        f"{machine['cpus_usable']} CPUs, {machine['memory_gib']} GiB, Python {machine['python']}, "
        f"torch {machine['torch']}, Flair {machine['flair']} (commit {any_result['git']})."
    ]
    if busy:
        lines.append(
            "**Other processes were busy on the machine during: " + ", ".join(busy) + "**; those figures are "
            "lower bounds of what the service does on an otherwise idle machine."
        )
    return lines


def stale_note(stale: dict[str, dict], shipped_version: str) -> str:
    """Name the results left out because they were measured with another NER model than the shipped one."""
    if not stale:
        return ""
    runs = sorted({run_label(doc) for doc in stale.values()})
    return (
        f"Not shown: {', '.join(stale)} (last measured {'; '.join(runs)}) with another NER model than the "
        f"shipped one ({shipped_version}); `make bench` on an otherwise idle machine measures them again."
    )


def render(r: dict[str, dict], shipped_version: str) -> str:
    """The ratios first (they travel between machines), then the absolute tables with their machine named.
    Only results measured with the shipped NER model are shown: a figure for other weights is not this
    service's figure."""
    stale = {name: doc for name, doc in r.items() if doc["models"]["ner_version"] != shipped_version}
    r = {name: doc for name, doc in r.items() if name not in stale}
    absolute = {name: doc for name, doc in r.items() if name not in RATIO_FILES}
    parts = [
        "\n".join(ratios(r)) if any(name in r for name in RATIO_FILES[:3]) else "",
        time_split(r),
        " ".join(provenance(absolute)) if absolute else "",
        "\n".join(headline(absolute)) if absolute else "",
        "Server configurations (`python -m bench.throughput`):" if "throughput" in absolute else "",
        "\n".join(configurations(absolute)),
        "Inside the pipeline (`python -m bench.tuning`):" if "tuning" in absolute else "",
        "\n".join(tuning(absolute)),
        "![Latency vs concurrency and vs article length](bench/results/latency.png)" if "throughput" in r else "",
        stale_note(stale, shipped_version),
    ]
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def update_readme(readme: Path, text: str) -> bool:
    content = readme.read_text(encoding="utf-8")
    if START not in content or END not in content:
        return False
    before, rest = content.split(START, 1)
    _, after = rest.split(END, 1)
    readme.write_text(f"{before}{START}\n{text}{END}{after}", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--no-readme", action="store_true", help="only write bench/results/summary.md")
    args = parser.parse_args(argv)
    text = render(load(args.results), file_version(Settings.from_env().ner_model))
    (args.results / "summary.md").write_text(text, encoding="utf-8")
    if not args.no_readme and update_readme(PROJECT_ROOT / "README.md", text):
        print("updated the benchmark tables in README.md")
    print(text)
    return text


if __name__ == "__main__":
    main()
