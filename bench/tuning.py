"""Tuning inside the pipeline: sentences per Flair mini-batch (NER_BATCH_SIZE) x torch threads.

In one process, one loaded pipeline: for each torch thread count and each mini-batch size, the same articles
go through ``Pipeline.analyze`` one at a time (the single-request path) and as one 32-document batch (the
batch endpoint's path). Changing ``NerModel.batch_size`` between runs is exactly what NER_BATCH_SIZE sets at
start. The best setting per path is reported next to the default's time (before/after).

    python -m bench.tuning [--batch-sizes 8 32 128] [--threads 1 2] [--singles 8] [--documents 32]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import torch

from bench.harness import Run, load_articles
from service.config import Settings
from service.pipeline import Document, Pipeline
from service.state import build_pipeline


def time_singles(pipeline: Pipeline, documents: list[Document]) -> float:
    started = time.perf_counter()
    for document in documents:
        pipeline.analyze([document])
    return time.perf_counter() - started


def time_batch(pipeline: Pipeline, documents: list[Document]) -> float:
    started = time.perf_counter()
    pipeline.analyze(documents)
    return time.perf_counter() - started


def row_for(rows: list[dict], threads: int, size: int) -> dict | None:
    """The measurement of one setting (None when it was not among those measured)."""
    return next((r for r in rows if r["torch_threads"] == threads and r["ner_batch_size"] == size), None)


def best(rows: list[dict], key: str) -> dict:
    return min(rows, key=lambda row: row[key])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[8, 32, 128])
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--singles", type=int, default=8, help="articles sent one at a time")
    parser.add_argument("--documents", type=int, default=32, help="articles in the batch")
    args = parser.parse_args(argv)

    run = Run("tuning")
    settings = Settings.from_env()
    pipeline = build_pipeline(settings)
    texts = load_articles(max(args.singles, args.documents))
    singles = [Document(text=t, id=str(i)) for i, t in enumerate(texts[: args.singles])]
    batch = [Document(text=t, id=str(i)) for i, t in enumerate(texts[: args.documents])]
    time_singles(pipeline, singles[:2])  # warm-up
    rows = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for size in args.batch_sizes:
            pipeline.ner.batch_size = size
            single_s, batch_s = time_singles(pipeline, singles), time_batch(pipeline, batch)
            rows.append(
                {
                    "torch_threads": threads,
                    "ner_batch_size": size,
                    "singles_s": round(single_s, 3),
                    "singles_ms_per_article": round(single_s / len(singles) * 1000, 1),
                    "batch_s": round(batch_s, 3),
                    "batch_ms_per_article": round(batch_s / len(batch) * 1000, 1),
                }
            )
            print(
                f"threads {threads} batch {size:>3}: singles {rows[-1]['singles_ms_per_article']} ms/article, "
                f"batch of {len(batch)} {rows[-1]['batch_ms_per_article']} ms/article"
            )

    default = row_for(rows, settings.torch_threads, settings.ner_batch_size)
    document = {
        "singles": len(singles),
        "batch_documents": len(batch),
        "default": {"torch_threads": settings.torch_threads, "ner_batch_size": settings.ner_batch_size},
        "rows": rows,
        "before_after": {
            "singles": {"default": default, "best": best(rows, "singles_s")},
            "batch": {"default": default, "best": best(rows, "batch_s")},
        },
        "note": "torch threads > 1 only help when the worker has the cores to itself (workers x threads <= cores)",
    }
    run.write(document)
    return document


if __name__ == "__main__":
    main()
