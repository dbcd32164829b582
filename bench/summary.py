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

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
FILES = ("throughput", "overhead", "batching", "coldstart", "memory", "scaling", "tuning")


def load(results: Path) -> dict[str, dict[str, Any]]:
    return {name: json.loads(path.read_text()) for name in FILES if (path := results / f"{name}.json").exists()}


def _cell(config: dict, concurrency: int) -> dict | None:
    return next((c for c in config["cells"] if c["concurrency"] == concurrency), None)


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
    if "overhead" in r:
        o = r["overhead"]
        rows.append(
            f"| Service overhead (HTTP ÷ in-process, 1 client) | {o['overhead_ratio']:.3f} "
            f"({o['median_added_ms']:+.1f} ms median per request; goal ≤ 1.05) |"
        )
    if "batching" in r:
        b = r["batching"]
        rows.append(
            f"| Batch speed-up ({b['documents']} articles, one batch vs singles) | {b['speedup']:.2f}× "
            f"({b['batch_articles_per_s']} vs {b['singles_articles_per_s']} articles/s; goal ≥ 2×) |"
        )
    if "coldstart" in r:
        start, load_ = r["coldstart"]["server_start"]["median"], r["coldstart"]["model_load"]["median"]
        rows.append(
            f"| Cold start: process → /readyz 200 | {start['readyz_s']} s (/healthz {start['healthz_s']} s); model "
            f"load {load_['models_load_s']} s (NER {load_['ner_load_s']} s, stance {load_['stance_load_s']} s) "
            f"after importing torch + Flair {load_['import_torch_flair_s']} s |"
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
    any_result = next(iter(r.values()))
    machine = any_result["machine"]
    busy = [
        f"{name} ({doc['contention']['other_processes_cpu_share']:.0%} of the CPUs)"
        for name, doc in r.items()
        if doc["contention"]["contaminated"]
    ]
    minutes = sum(doc["duration_s"] for doc in r.values()) / 60
    lines = [
        f"Measured {any_result['started_utc'][:10]} ({minutes:.0f} min in all) on {machine['cpu']}, "
        f"{machine['cpus_usable']} CPUs, {machine['memory_gib']} GiB, Python {machine['python']}, "
        f"torch {machine['torch']}, Flair {machine['flair']} (commit {any_result['git']})."
    ]
    if busy:
        lines.append(
            "**Other processes were busy on the machine during: " + ", ".join(busy) + "**; those figures are "
            "lower bounds of what the service does on an otherwise idle machine."
        )
    return lines


def render(r: dict[str, dict]) -> str:
    parts = [
        " ".join(provenance(r)),
        "\n".join(headline(r)),
        "Server configurations (`python -m bench.throughput`):",
        "\n".join(configurations(r)),
        "Inside the pipeline (`python -m bench.tuning`):",
        "\n".join(tuning(r)),
        "![Latency vs concurrency and vs article length](bench/results/latency.png)",
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
    text = render(load(args.results))
    (args.results / "summary.md").write_text(text, encoding="utf-8")
    if not args.no_readme and update_readme(PROJECT_ROOT / "README.md", text):
        print("updated the benchmark tables in README.md")
    print(text)
    return text


if __name__ == "__main__":
    main()
