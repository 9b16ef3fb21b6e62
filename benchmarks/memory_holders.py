#!/usr/bin/env python3
"""What holds a build's memory, in bytes per record: the records, the extraction results as the
build keeps them, and the KnowledgeGraph (what stays once the records and results are dropped).

    python benchmarks/memory_holders.py CORPUS [--jobs 2] [--out benchmarks/results/memory-holders.json]

Measured with tracemalloc (Python's allocations, not the process's resident memory, which also
holds freed memory the allocator keeps): the records as read; the extraction results as they come
back from the worker processes and are kept (``papergraph.run.parallel.Found``); the graph made by
resolution, measured after everything else is dropped. Also the size of the results as pickled
(what a worker sends and the cache stores) per record.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import time
import tracemalloc
from pathlib import Path

from papergraph.run import pipeline
from papergraph.run.parallel import extract_found
from papergraph.sources import read_paths


def _traced() -> int:
    return tracemalloc.get_traced_memory()[0]


def measure(corpus: Path, jobs: int) -> dict:
    gc.disable()  # as a build runs these stages; nothing here makes reference cycles
    tracemalloc.start()
    before = _traced()
    read = read_paths([corpus])
    n = len(read.records)
    records = _traced() - before
    before = _traced()
    found = list(extract_found(read.records, jobs=jobs))
    results = _traced() - before
    pickled = len(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    del read, found
    before = _traced()
    kg = pipeline.build([corpus], jobs=jobs)  # its own records and results are dropped on return
    graph = _traced() - before
    tracemalloc.stop()
    return {
        "corpus": str(corpus),
        "records": n,
        "edges": len(kg.edges),
        "bytes_per_record": {
            "records": round(records / n),
            "extraction_results_kept": round(results / n),
            "extraction_results_pickled": round(pickled / n),
            "knowledge_graph": round(graph / n),
        },
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", help="write the figures as JSON here too")
    args = ap.parse_args()
    result = measure(Path(args.corpus), args.jobs)
    result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
