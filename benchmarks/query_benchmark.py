#!/usr/bin/env python3
"""Named-query benchmark: every query of ontologies/queries on the Oxigraph store and on rdflib.

    python benchmarks/query_benchmark.py [--papers 100000,10000,reference] [--rdflib-max-papers 10000]
        [--repeat 5] [--timeout 300] [--cache /tmp/papergraph-query-bench] [--fresh-store]

For each size, a synthetic corpus from ../shared/bench/make_corpus.py (seed 1) is generated and
built with ``papergraph build --format ttl,nt`` once; both are cached in ``--cache`` (a later run
reuses them). Then, in the same run:

* the store: ``papergraph.query.store.open_store`` on the Turtle file (a fresh bulk load when the store
  is missing or ``--fresh-store`` is given, then the second open, which reuses the persisted
  store), and each named query ``--repeat`` times (the first run and the median are recorded);
* rdflib: for sizes up to ``--rdflib-max-papers``, a worker process parses the N-Triples file into
  an ``rdflib.Graph`` and runs each named query once with the same text and the same bound
  parameters; a query that takes longer than ``--timeout`` seconds is stopped by the worker (which
  keeps its parsed graph for the next query) and recorded as timed out. rdflib is not run on
  bigger graphs: it holds every triple as Python objects (about 1.2 kB each: 1.4 GB for the 1.17
  million triples of 10,000 papers, so about 14 GB for the 11.1 million of 100,000).

Parameters of the parameterised queries are picked from the graph itself (untimed): the most
used dataset and metric, the most improved-on method, a paper that proposes a method and
improves on another, and those two methods. ``builds-on-method`` runs twice: for the most
improved-on method (the biggest answer) and, as "builds-on-method (median)", for the median of the
methods that some paper improves on. Each answer's row count is recorded for both engines
(they must agree). Each query file is also timed as it is, with the example values of its
``VALUES`` block, as a user runs it on another endpoint ("portable"). Prints a table and writes
benchmarks/results/query.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import select
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from machine import (  # benchmarks/machine.py (run as scripts from the project root)
    machine_at_start,
)

from papergraph.query.named import named_queries
from papergraph.query.store import bind, open_store, store_path, table

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results" / "query.json"
GOAL_MS = 100.0

COUNT_PAPERS = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/papergraph/ontology#Paper> }"
PICK = """
PREFIX pg: <https://w3id.org/papergraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?title ?a ?b WHERE {
  ?p pg:proposes ?x ; pg:improvesOn ?y ; rdfs:label ?title .
  ?x a pg:Method ; rdfs:label ?a . ?y a pg:Method ; rdfs:label ?b .
} ORDER BY ?title ?a ?b LIMIT 1
"""


# builds-on-method timed a second time, for the median of the methods some paper improves on (the
# first run takes the most improved-on one: the biggest answer)
TYPICAL = "builds-on-method (median)"
IMPROVED = """
PREFIX pg: <https://w3id.org/papergraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?n WHERE { ?m a pg:Method ; pg:papersImproving ?n ; rdfs:label ?label } ORDER BY DESC(?n) ?label
"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def graph_files(papers: int, cache: Path) -> tuple[Path, Path, dict[str, Any]]:
    """The Turtle and N-Triples files of ``papers`` synthetic papers (0: the reference corpus in
    ../shared/corpus), built once and cached."""
    folder = cache / (f"{papers}" if papers else "reference")
    ttl, nt = folder / "graph.ttl", folder / "graph.nt"
    info: dict[str, Any] = {}
    if not (ttl.is_file() and nt.is_file()):
        folder.mkdir(parents=True, exist_ok=True)
        corpus = folder / "corpus.jsonl"
        make = SHARED / "bench" / "make_corpus.py"
        if papers:
            make_args = ["--papers", str(papers), "--out", str(corpus), "--seed", "1"]
            subprocess.run([sys.executable, str(make), *make_args], check=True)
        else:
            corpus = SHARED / "corpus"
        t = time.perf_counter()
        build = [sys.executable, "-m", "papergraph.cli", "build", str(corpus), "--out", str(folder)]
        subprocess.run([*build, "--quiet", "--format=ttl,nt", "--keep-going"], check=True)
        info["build_seconds"] = round(time.perf_counter() - t, 1)
    info["ttl_mb"] = round(ttl.stat().st_size / 2**20, 1)
    info["nt_mb"] = round(nt.stat().st_size / 2**20, 1)
    return ttl, nt, info


def pick_params(store: Any) -> dict[str, dict[str, str]]:
    """Parameter values that exist in the graph, for every parameterised named query."""

    def top(name: str) -> str:
        q = named_queries()[name]
        return table(store.query(q.text)).records()[0]["label"]

    row = table(store.query(PICK)).records()[0]
    improved = table(store.query(IMPROVED)).records()
    return {
        "paper-contributions": {"paper": row["title"]},
        "builds-on-method": {"method": top("most-improved-methods")},
        TYPICAL: {"method": improved[len(improved) // 2]["label"]},
        "methods-on-dataset-metric": {
            "dataset": top("most-used-datasets"),
            "metric": top("most-used-metrics"),
        },
        "papers-linking-methods": {"method_a": row["a"], "method_b": row["b"]},
    }


def time_store(store: Any, texts: dict[str, str], repeat: int) -> dict[str, dict[str, Any]]:
    out = {}
    for name, text in texts.items():
        runs = []
        rows = 0
        for _ in range(repeat):
            t = time.perf_counter()
            rows = len(table(store.query(text)).rows)
            runs.append((time.perf_counter() - t) * 1000)
        out[name] = {
            "rows": rows,
            "first_ms": round(runs[0], 2),
            "median_ms": round(statistics.median(runs), 2),
            "runs_ms": [round(r, 2) for r in runs],
        }
    return out


# ---- rdflib, in a worker process that can be stopped ---------------------------------------------
def rdflib_worker(nt: str) -> None:
    """Parse ``nt``, print the load time, then answer one query per stdin line (JSON in, JSON out).

    Each line is ``{"query": text, "timeout": seconds}``; a query still running after its timeout is
    stopped by a timer signal (rdflib's engine is Python, so the signal interrupts it), and the
    worker keeps its parsed graph for the next query (parsing 11 M triples takes minutes).
    """
    import signal

    import rdflib

    class Stopped(Exception):
        pass

    def stop(signum: int, frame: Any) -> None:
        raise Stopped

    signal.signal(signal.SIGALRM, stop)
    t = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(nt, format="nt")
    loaded = {"load_s": time.perf_counter() - t, "triples": len(graph), "rss_mb": rss_mb()}
    print(json.dumps(loaded), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        t = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, job["timeout"])
        try:
            rows = len(list(graph.query(job["query"])))
            answer = {"ms": (time.perf_counter() - t) * 1000, "rows": rows}
        except Stopped:
            answer = {"timed_out_after_s": job["timeout"]}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(json.dumps(answer), flush=True)


class Worker:
    def __init__(self, nt: Path, timeout: float) -> None:
        self.nt, self.timeout = nt, timeout
        self.proc: subprocess.Popen[str] | None = None
        self.loads: list[dict[str, Any]] = []

    def _start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--rdflib-worker", str(self.nt)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.loads.append(json.loads(self._read(None)))

    def _read(self, timeout: float | None) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the rdflib worker died")
        return line

    def run(self, text: str) -> dict[str, Any]:
        if self.proc is None:
            self._start()
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"query": text, "timeout": self.timeout}) + "\n")
        self.proc.stdin.flush()
        try:  # the worker stops the query itself; killing it is the fallback
            return json.loads(self._read(self.timeout + 60))
        except TimeoutError:
            self.stop()
            return {"timed_out_after_s": self.timeout}

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


# ---- one size ------------------------------------------------------------------------------------
def bench(papers: int, args: argparse.Namespace) -> dict[str, Any]:
    ttl, nt, info = graph_files(papers, Path(args.cache))
    result: dict[str, Any] = {"papers": papers, "corpus": "synthetic" if papers else "reference", **info}
    if args.fresh_store:
        shutil.rmtree(store_path(ttl), ignore_errors=True)
    fresh = not store_path(ttl).exists()
    t = time.perf_counter()
    store = open_store(ttl)
    result["store_first_open_s"] = round(time.perf_counter() - t, 2)
    result["store_first_open_was_bulk_load"] = fresh
    result["triples"] = len(store)
    del store
    t = time.perf_counter()
    store = open_store(ttl)
    result["store_second_open_s"] = round(time.perf_counter() - t, 3)
    params = pick_params(store)
    result["params"] = params
    queries = {name: q.text for name, q in named_queries().items()}
    queries[TYPICAL] = queries["builds-on-method"]
    texts = {name: bind(text, params.get(name, {})) for name, text in queries.items()}
    result["store"] = time_store(store, texts, args.repeat)
    # each file as it is (its own example values), as a user runs it on another endpoint
    result["portable"] = time_store(store, {n: q.portable for n, q in named_queries().items()}, args.repeat)
    if papers <= args.rdflib_max_papers:
        result["papers"] = papers or int(table(store.query(COUNT_PAPERS)).rows[0][0])
        worker = Worker(nt, args.timeout)
        rd = {}
        for name, text in texts.items():
            print(f"  rdflib {papers:,} papers: {name} ...", file=sys.stderr, flush=True)
            rd[name] = worker.run(text)
        worker.stop()
        result["rdflib"] = rd
        result["rdflib_loads"] = [{k: round(v, 1) for k, v in load.items()} for load in worker.loads]
    return result


def report(results: list[dict[str, Any]]) -> None:
    for r in results:
        print(
            f"\n{r['papers']:,} papers ({r['corpus']}), {r['triples']:,} triples; "
            f"store first open {r['store_first_open_s']} s"
            f"{' (bulk load)' if r['store_first_open_was_bulk_load'] else ''}, "
            f"second {r['store_second_open_s']} s"
        )
        print(f"{'query':<30}{'rows':>7}{'store ms':>11}{'rdflib ms':>12}{'ratio':>9}")
        for name, s in r["store"].items():
            rd = r.get("rdflib", {}).get(name)
            if rd is None:
                rtext, ratio = "-", "-"
            elif "ms" in rd:
                rtext, ratio = f"{rd['ms']:.1f}", f"{rd['ms'] / max(s['median_ms'], 0.01):,.0f}x"
            else:
                rtext, ratio = f">{rd['timed_out_after_s'] * 1000:.0f}", "-"
            print(f"{name:<30}{s['rows']:>7}{s['median_ms']:>11.2f}{rtext:>12}{ratio:>9}")
        print(f"{'file as it is (its examples)':<30}{'rows':>7}{'store ms':>11}")
        for name, s in r.get("portable", {}).items():
            print(f"{name:<30}{s['rows']:>7}{s['median_ms']:>11.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--papers",
        default="100000,10000,reference",
        help="comma-separated corpus sizes ('reference': ../shared/corpus)",
    )
    ap.add_argument("--rdflib-max-papers", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per rdflib query")
    ap.add_argument("--cache", default="/tmp/papergraph-query-bench")
    ap.add_argument("--fresh-store", action="store_true", help="rebuild each store (time the bulk load)")
    ap.add_argument("--rdflib-worker", help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args()
    if args.rdflib_worker:
        rdflib_worker(args.rdflib_worker)
        return
    started = datetime.datetime.now(datetime.UTC)
    results = [bench(0 if p == "reference" else int(p), args) for p in args.papers.split(",")]
    report(results)
    out = {
        "command": "python benchmarks/query_benchmark.py " + " ".join(sys.argv[1:]),
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_at_start(),
        "versions": {name: _version(name) for name in ("papergraph", "pyoxigraph", "rdflib")},
        "goal_ms": GOAL_MS,
        "results": results,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")


def _version(name: str) -> str:
    from importlib import metadata

    return metadata.version(name)


if __name__ == "__main__":
    main()
