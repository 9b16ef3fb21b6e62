#!/usr/bin/env python3
"""Reading a large file with broken records: what is read, what is reported, and what it costs.

    python benchmarks/bad_input_benchmark.py [--papers 20000] [--repeat 3]

Makes a synthetic JSON Lines corpus with ../shared/bench/make_corpus.py (seed 1), then a broken
copy: every 100th line cut in half (a truncated line), every 1,000th record given a 3,000-character
title (over the limit), every 500th a lone surrogate escape (``\\ud800``). Times ``read_paths``
(decoding, format detection, parsing and the per-record checks; no extraction) on both, and the
per-record checks alone on the clean file's records (their cost); the median of ``--repeat`` runs.
Writes benchmarks/results/bad_input.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import cpu_model  # benchmarks/machine.py (run as scripts from the project root)

from papergraph.sources import read_paths
from papergraph.sources.record_checks import check_record

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def break_corpus(clean: Path, broken: Path) -> dict[str, int]:
    """Write the broken copy of ``clean``; return how many lines of each kind were broken."""
    counts = {"truncated": 0, "long_title": 0, "surrogate": 0}
    out = []
    for number, line in enumerate(clean.read_text(encoding="utf-8").splitlines(), start=1):
        if number % 100 == 0:
            line = line[: len(line) // 2]
            counts["truncated"] += 1
        elif number % 1000 == 1:
            record = json.loads(line)
            record["title"] = "T" * 3000
            line = json.dumps(record)
            counts["long_title"] += 1
        elif number % 500 == 7:
            record = json.loads(line)
            record["abstract"] += " \ud800"
            line = json.dumps(record)  # ASCII: the surrogate as a \ud800 escape
            counts["surrogate"] += 1
        out.append(line)
    broken.write_text("\n".join(out) + "\n", encoding="utf-8")
    return counts


def time_read(path: Path, repeat: int) -> tuple[float, list[float], object]:
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = read_paths([path])
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clean, broken = Path(tmp) / "clean.jsonl", Path(tmp) / "broken.jsonl"
        make = [sys.executable, str(SHARED / "bench" / "make_corpus.py"), "--papers", str(args.papers)]
        subprocess.run(
            [*make, "--out", str(clean), "--seed", "1"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        broken_counts = break_corpus(clean, broken)
        rows = {}
        for name, path in (("clean", clean), ("broken", broken)):
            median, runs, result = time_read(path, args.repeat)
            rows[name] = {
                "megabytes": round(path.stat().st_size / 1e6, 1),
                "records": len(result.records),
                "skipped": sum(p.skipped for p in result.problems),
                "warnings": sum(not p.skipped for p in result.problems),
                "seconds_median": round(median, 3),
                "seconds_runs": [round(r, 3) for r in runs],
            }
            print(f"{name:7s} {rows[name]}")
        records = read_paths([clean]).records
        runs = []
        for _ in range(args.repeat):  # what the per-record checks cost, alone
            start = time.perf_counter()
            for record in records:
                check_record(record)
            runs.append(time.perf_counter() - start)
        rows["record_checks_alone_on_clean"] = {
            "seconds_median": round(statistics.median(runs), 3),
            "microseconds_per_record": round(statistics.median(runs) / len(records) * 1e6, 1),
            "seconds_runs": [round(r, 3) for r in runs],
        }
        print(f"record checks alone {rows['record_checks_alone_on_clean']}")
    report = {
        "command": "python benchmarks/bad_input_benchmark.py " + " ".join(sys.argv[1:]),
        "papers": args.papers,
        "broken_lines": broken_counts,
        "read": rows,
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
    }
    out = ROOT / "benchmarks" / "results" / "bad_input.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
