#!/usr/bin/env python3
"""Load on ``papergraph serve``: concurrent clients on 127.0.0.1 running the named queries.

    python benchmarks/serve_load.py GRAPH [--clients 32] [--requests 3200] [--seconds 120] [--workers 2]

Starts ``papergraph serve GRAPH --port 0 --quiet --no-viewer`` (with ``--workers``), then
``--clients`` threads, each sending one request at a time on a new connection (the server speaks
HTTP/1.0) until ``--requests`` have been sent in all or ``--seconds`` have passed: every named
query of the library, in turn, with its example parameters bound (they answer on the reference
corpus), by GET, asking for JSON. Counts the answers by status, the connection errors (a reset,
a refusal, a timeout) and the latency of each request (from connecting to the last byte read).
Prints a table and writes benchmarks/results/serve_load.json. The graph is the reference corpus:
``papergraph build ../shared/corpus -o /tmp/refgraph`` (or the bundled example corpus, the same
papers).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from machine import cpu_model  # benchmarks/machine.py (run as scripts from the project root)

from papergraph.query.named import named_queries
from papergraph.query.store import bind

ROOT = Path(__file__).resolve().parents[1]


def _queries() -> list[tuple[str, str]]:
    return [(q.name, bind(q.text, q.bindings({}, examples=True))) for q in named_queries().values()]


def _client(host: str, port: int, targets: list[tuple[str, str]], budget, out: list, stop: float) -> None:
    i = 0
    while time.monotonic() < stop and budget():
        name, target = targets[i % len(targets)]
        i += 1
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request("GET", target, headers={"Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            response.read()
            conn.close()
            out.append((name, response.status, time.perf_counter() - started))
        except OSError as exc:
            out.append((name, type(exc).__name__, time.perf_counter() - started))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3200)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "serve_load.json"))
    args = parser.parse_args()

    command = ["serve", args.graph, "--port", "0", "--quiet", "--no-viewer", "--workers", str(args.workers)]
    server = subprocess.Popen(
        [sys.executable, "-m", "papergraph.cli", *command],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        server.stdout.readline()
        endpoint = urlsplit(server.stdout.readline().split()[2])
        targets = [(name, f"{endpoint.path}?{urlencode({'query': text})}") for name, text in _queries()]
        lock = threading.Lock()
        left = [args.requests]

        def budget() -> bool:
            with lock:
                left[0] -= 1
                return left[0] >= 0

        results: list[tuple[str, object, float]] = []
        stop = time.monotonic() + args.seconds
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        threads = [
            threading.Thread(
                target=_client,
                args=(endpoint.hostname, endpoint.port, targets[i:] + targets[:i], budget, results, stop),
            )
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)

    latencies = sorted(r[2] for r in results)
    statuses: dict[str, int] = {}
    for _, status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    per_query = {
        name: round(statistics.median(r[2] for r in results if r[0] == name) * 1000, 2)
        for name, _ in targets
        if any(r[0] == name for r in results)
    }
    record = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version()},
        "load_average_1min_before": round(load_before, 2),
        "graph": args.graph,
        "clients": args.clients,
        "workers": args.workers,
        "requests": len(results),
        "seconds": round(wall, 2),
        "requests_per_second": round(len(results) / wall, 1),
        "statuses": statuses,
        "latency_ms": {
            "median": round(pct(0.5), 2),
            "p90": round(pct(0.9), 2),
            "p99": round(pct(0.99), 2),
            "max": round(latencies[-1] * 1000, 2),
        },
        "median_ms_by_query": per_query,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    lat = record["latency_ms"]
    print("| date | machine | clients | workers | requests | req/s | statuses | median | p90 | p99 | max |")
    print("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    machine = f"{record['machine']['cpu']}, {record['machine']['cores']} cores"
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
    print(
        f"| {record['date']} | {machine} | {args.clients} | {args.workers} | {len(results)} "
        f"| {record['requests_per_second']} | {counts} | {lat['median']} ms | {lat['p90']} ms "
        f"| {lat['p99']} ms | {lat['max']} ms |"
    )
    ok = statuses.get("200", 0) == len(results)
    return 0 if ok and lat["p99"] < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
