#!/usr/bin/env python3
"""The named query files, as they are, on a real Oxigraph server: time and the server's memory.

    python benchmarks/oxigraph_server_benchmark.py [--papers 100000] [--repeat 3]
        [--cache /tmp/papergraph-query-bench] [--no-optimize] [--out FILE]

The graph of ``--papers`` synthetic papers (built and cached as ``query_benchmark.py`` does, in
the same ``--cache``) is loaded with ``oxigraph load`` into a temporary folder, compacted with
``oxigraph optimize`` (unless ``--no-optimize``: papergraph's own store does the same after its
bulk load), and served by ``oxigraph serve-read-only`` on a free port of 127.0.0.1. Each ``.rq``
file is sent unchanged (its example values in its ``VALUES`` block) by SPARQLWrapper, as a user
sends it (GET, JSON results), ``--repeat`` times; the median, the rows and the server's peak
resident memory (``VmHWM``) are recorded. Needs the ``oxigraph`` command and SPARQLWrapper (the
``[test]`` extra). Prints a table and writes benchmarks/results/oxigraph-server-100k.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from machine import (  # benchmarks/machine.py (run as scripts from the project root)
    machine_at_start,
)
from query_benchmark import graph_files

from papergraph.query.named import named_queries

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "oxigraph-server-100k.json"


def oxigraph() -> str:
    """The ``oxigraph`` command beside this Python, else on the PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        sys.exit("needs the oxigraph command: pip install oxigraph (in the [test] extra)")
    return found


def timed(command: list[str]) -> float:
    """Run ``command`` (it must succeed); its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def peak_mb(pid: int) -> float:
    """The peak resident memory of process ``pid`` so far, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def time_files(base: str, repeat: int) -> dict[str, dict[str, Any]]:
    """Each named query file, sent unchanged by SPARQLWrapper ``repeat`` times."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    out: dict[str, dict[str, Any]] = {}
    for name, query in named_queries().items():
        runs, rows = [], 0
        for _ in range(repeat):
            client = SPARQLWrapper(base + "/query")
            client.setQuery(query.portable)
            client.setReturnFormat(JSON)
            started = time.perf_counter()
            rows = len(client.queryAndConvert()["results"]["bindings"])
            runs.append((time.perf_counter() - started) * 1000)
        out[name] = {
            "rows": rows,
            "median_ms": round(statistics.median(runs), 1),
            "runs_ms": [round(r, 1) for r in runs],
        }
        print(f"{name:<28}{rows:>8}{out[name]['median_ms']:>12.1f}", flush=True)
    return out


def serve_and_time(binary: str, location: Path, repeat: int) -> dict[str, Any]:
    """Serve ``location`` read-only on a free port, time every file, stop the server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        print(f"{'file as it is':<28}{'rows':>8}{'median ms':>12}")
        files = time_files(base, repeat)
        return {"files": files, "server_peak_mb": peak_mb(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cache", default="/tmp/papergraph-query-bench")
    ap.add_argument("--no-optimize", action="store_true", help="serve the store as oxigraph load left it")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args()
    started = datetime.datetime.now(datetime.UTC)
    load_at_start = os.getloadavg()
    ttl, _, _ = graph_files(args.papers, Path(args.cache))
    binary = oxigraph()
    result: dict[str, Any] = {"papers": args.papers, "graph_mb": round(ttl.stat().st_size / 2**20, 1)}
    with tempfile.TemporaryDirectory(prefix="oxigraph-server-bench-") as tmp:
        location = Path(tmp) / "store"
        result["load_s"] = timed([binary, "load", "--location", str(location), "--file", str(ttl)])
        if not args.no_optimize:
            result["optimize_s"] = timed([binary, "optimize", "--location", str(location)])
        result.update(serve_and_time(binary, location, args.repeat))
    print(f"server peak memory {result['server_peak_mb']} MB")
    out = {
        "command": "python benchmarks/oxigraph_server_benchmark.py " + " ".join(sys.argv[1:]),
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_at_start(load_at_start),
        "oxigraph": subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip(),
        "optimized": not args.no_optimize,
        "result": result,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
