"""Memory: resident set size (RSS) of every gunicorn worker after warm-up and across 2,000 requests.

The default server gets a warm-up, then real articles from the load generator in equal chunks; after each
chunk the VmRSS of every worker is read from /proc. The articles are cut to their first ~500 characters at a
sentence end so that 2,000 requests fit the benchmark's time; every request still runs the whole pipeline.
A leak shows as RSS that keeps rising chunk after chunk; a one-off rise while allocators settle does not
(caches filling up). The verdict is therefore the growth over the second half of the requests, within a
stated tolerance; the growth from warm-up to the end is reported next to it.

    python -m bench.memory [--requests 2000] [--chunks 8] [--concurrency 4] [--warmup 100] [--max-chars 500]
"""

from __future__ import annotations

import argparse
from typing import Any

from bench.harness import Run, analyze_body, clip, load_articles, run_load, running_server

# Growth of a worker's RSS over the second half of the requests that still counts as "did not grow". Caches
# (oneDNN keeps one compiled LSTM primitive per input shape, up to ONEDNN_PRIMITIVE_CACHE_CAPACITY) fill over
# the first few hundred requests and then stop; a leak keeps growing through the second half.
TOLERANCE_SHARE = 0.01


def _second_half_growth(samples: list[dict], pid: int) -> float | None:
    """RSS change over the second half of the requests: a leak keeps growing there, settling does not."""
    middle, last = samples[len(samples) // 2]["rss_mib"].get(pid), samples[-1]["rss_mib"].get(pid)
    return None if middle is None or last is None else round(last - middle, 1)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--chunks", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--max-chars", type=int, default=500, help="cut articles to this length (0: whole)")
    parser.add_argument("--max-seconds", type=float, default=600, help="stop early after this long")
    args = parser.parse_args(argv)

    run = Run("memory")
    texts = [clip(text, args.max_chars) for text in load_articles()]
    bodies = [analyze_body(text, i) for i, text in enumerate(texts)]
    per_chunk = args.requests // args.chunks
    with running_server() as server:
        url = server.url + "/v1/analyze"
        loaded = server.worker_rss_mib()
        warm = run_load(url, bodies[-args.warmup :], args.concurrency, args.warmup, args.max_seconds)
        samples = [{"requests": 0, "rss_mib": server.worker_rss_mib()}]
        done, failed, seconds = 0, 0, 0.0
        for _ in range(args.chunks):
            if seconds > args.max_seconds:
                break
            offset = done % len(bodies)
            chunk = (bodies[offset:] + bodies[:offset])[:per_chunk]
            report = run_load(url, chunk, args.concurrency, per_chunk, args.max_seconds)
            done += report["ok"]
            failed += report["requests"] - report["ok"]
            seconds += report["wall_s"]
            samples.append({"requests": done, "rss_mib": server.worker_rss_mib()})

    workers = sorted(samples[0]["rss_mib"])
    growth = {}
    for pid in workers:
        first, last = samples[0]["rss_mib"][pid], samples[-1]["rss_mib"].get(pid)
        late = _second_half_growth(samples, pid)
        growth[str(pid)] = {
            "after_load_mib": loaded.get(pid),
            "after_warmup_mib": first,
            "after_requests_mib": last,
            "peak_mib": max(s["rss_mib"].get(pid, 0) for s in samples),
            "growth_mib": None if last is None else round(last - first, 1),
            "second_half_growth_mib": late,
            "stable": late is not None and late <= TOLERANCE_SHARE * first,
        }
    document = {
        "server_env": server.env,
        "server_layout": server.layout,
        "concurrency": args.concurrency,
        "max_chars": args.max_chars or None,
        "warmup_requests": warm["ok"],
        "requests_after_warmup": done,
        "failed_requests": failed,
        "requests_per_s": round(done / seconds, 2) if seconds else 0,
        "tolerance": f"RSS growth over the second half of the requests <= {TOLERANCE_SHARE} x RSS after warm-up",
        "workers": growth,
        "samples": [
            {"requests": s["requests"], "rss_mib": {str(pid): rss for pid, rss in s["rss_mib"].items()}}
            for s in samples
        ],
        "rss_stable": all(w["stable"] for w in growth.values()) and done >= args.requests,
    }
    for pid, worker in growth.items():
        print(
            f"worker {pid}: {worker['after_load_mib']} MiB loaded, {worker['after_warmup_mib']} MiB warm, "
            f"{worker['after_requests_mib']} MiB after {done} requests ({worker['growth_mib']:+} MiB)"
        )
    run.write(document)
    return document


if __name__ == "__main__":
    main()
