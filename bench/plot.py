"""The benchmark figure: latency and throughput vs concurrency per server configuration, and latency vs
article length with its linear fit. Reads bench/results/throughput.json and scaling.json.

    python -m bench.plot [--out bench/results/latency.png]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench.harness import RESULTS


def plot_concurrency(throughput: dict, latency_axis, rate_axis) -> None:
    for index, (name, config) in enumerate(throughput["configs"].items()):
        colour = f"C{index}"
        levels = [cell["concurrency"] for cell in config["cells"]]
        latency_axis.plot(levels, [c["p50_ms"] for c in config["cells"]], "o-", color=colour, label=f"{name} p50")
        latency_axis.plot(levels, [c["p95_ms"] for c in config["cells"]], "x--", color=colour, label=f"{name} p95")
        rate_axis.plot(levels, [c["articles_per_s"] for c in config["cells"]], "o-", color=colour, label=name)
    for axis in (latency_axis, rate_axis):
        axis.set_xscale("log", base=2)
        axis.set_xticks(levels, [str(level) for level in levels])
        axis.set_xlabel("concurrent clients")
        axis.grid(alpha=0.3)
    latency_axis.set_ylabel("latency per article (ms)")
    latency_axis.set_title("Latency vs concurrency")
    latency_axis.legend(fontsize=7)
    rate_axis.set_ylabel("articles / s")
    rate_axis.set_title("Throughput vs concurrency")
    rate_axis.legend(fontsize=7)


def plot_length(scaling: dict, axis) -> None:
    chars = [p["chars"] for p in scaling["points"]]
    axis.plot(chars, [p["median_ms"] for p in scaling["points"]], "o", label="median of repeats")
    fit = scaling["linear_fit"]
    line = [fit["intercept_ms"] + fit["ms_per_1k_chars"] * c / 1000 for c in chars]
    axis.plot(chars, line, "-", label=f"linear fit, R² {fit['r_squared']}")
    axis.set_xlabel("article length (characters)")
    axis.set_ylabel("latency (ms)")
    axis.set_title("Latency vs article length (concurrency 1)")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=7)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--out", type=Path, default=RESULTS / "latency.png")
    args = parser.parse_args(argv)
    throughput = json.loads((args.results / "throughput.json").read_text())
    scaling = json.loads((args.results / "scaling.json").read_text())

    figure, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    plot_concurrency(throughput, axes[0], axes[1])
    plot_length(scaling, axes[2])
    machine = throughput["machine"]
    figure.suptitle(
        f"{machine['cpu']}, {machine['cpus_usable']} CPUs; {throughput['started_utc']}"
        + (" (other load on the machine)" if throughput["contention"]["contaminated"] else ""),
        fontsize=9,
    )
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")
    return args.out


if __name__ == "__main__":
    main()
