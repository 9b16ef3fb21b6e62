#!/usr/bin/env python3
"""Resident memory of one build process, stage by stage (no extraction cache, no JSON file).

    python benchmarks/stage_memory.py CORPUS OUT_FOLDER [--jobs 2]

Runs ``build(CORPUS, jobs=N, cache=None)``, then writes ``OUT_FOLDER/graph.ttl`` and
``graph.html``, and prints after each stage its seconds, its peak resident memory (VmHWM, reset
before the stage through /proc/self/clear_refs; Linux only) and the resident memory after it
(VmRSS), in MB. ``scale_benchmark.py`` measures the same with a fresh cache and more besides; this
is the quick look used while cutting memory.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from papergraph.run.pipeline import Timings, build


def _memory() -> str:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmHWM", "VmRSS")):
            values[line.split(":")[0]] = int(line.split()[1]) // 1024
    return f"peak {values.get('VmHWM', 0):,} MB, after {values.get('VmRSS', 0):,} MB"


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


class _Printed(Timings):
    def add(self, stage: str, seconds: float) -> None:
        super().add(stage, seconds)
        print(f"{stage:<10} {seconds:8.2f} s  {_memory()}", flush=True)
        _reset_peak()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _reset_peak()
    timings = _Printed()
    kg = build([args.corpus], timings=timings, jobs=args.jobs, cache=None)
    for fmt, write in (("ttl", kg.write_turtle), ("html", kg.write_html)):
        t = time.perf_counter()
        write(out / f"graph.{fmt}")
        timings.add(f"write {fmt}", time.perf_counter() - t)
    print(f"total      {timings.total:8.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
