#!/usr/bin/env python3
"""The graph-file writers and the whole build, old code against new, alternated.

    python benchmarks/graph_writers.py --code before=OLD/src --code after=src [--papers 10000]
        [--rounds 3] [--formats graphml,gexf,nodes-csv,edges-csv,ttl,html] [--builds]

Each ``--code LABEL=SRC`` is a source folder of papergraph (``src`` of a checkout or of a ``git
archive``), run through ``PYTHONPATH``. The corpus is ``../shared/bench/make_corpus.py --papers N
--seed 1``, built once (by the first code, ``--jobs 2``, no cache) into a pickled graph; the graph
does not depend on the writers. Then, for each of ``--rounds`` rounds and each code in turn (so that
both see the same load), a fresh process loads the graph and writes each format once, alone: wall
and CPU seconds and the SHA-256 of the file (the same bytes on both sides). With ``--builds``, each
round also runs ``papergraph build CORPUS --out DIR --jobs 2 --no-cache`` (default outputs) with
each code and keeps its wall time and the stage times it prints. Medians per code; the 1-minute load
average is noted before each run. Writes benchmarks/results/graph-writers.json.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import shared_machine  # benchmarks/machine.py (run as scripts from the project root)

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
#: ``papergraph build``'s line of timings, e.g. ``seconds   11.80 (read 0.23, … write ttl 1.85; at …)``.
_SECONDS = re.compile(r"^seconds\s+([\d.]+) \((.*)\)$", re.M)


def _load() -> float:
    return os.getloadavg()[0]


def _env(src: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(src).resolve())}


def child(graph: Path, formats: list[str]) -> None:
    """Write each of ``formats`` of the pickled graph once (this process's code); print JSON."""
    import gc
    import pickle

    import networkx  # noqa: F401 - imported before the clocks start (GEXF needs it on both sides)

    from papergraph.export.formats import FORMATS

    with graph.open("rb") as fh:
        kg = pickle.load(fh)
    out: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            gc.collect()
            path = Path(tmp) / FORMATS[fmt].file_name
            wall, cpu = time.perf_counter(), time.process_time()
            FORMATS[fmt].write(kg, path)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            data = path.read_bytes()
            out[fmt] = {
                "seconds": round(wall, 3),
                "cpu_seconds": round(cpu, 3),
                "mb": round(len(data) / 1e6, 1),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            path.unlink()
    print(json.dumps(out))


def make_graph(corpus: Path, src: str, graph: Path) -> None:
    """Build ``corpus`` with the code in ``src`` (``--jobs 2``, no cache) and pickle the graph."""
    script = (
        "import pickle, sys\n"
        "from papergraph.run.pipeline import build\n"
        "kg = build([sys.argv[1]], jobs=2, cache=None)\n"
        "with open(sys.argv[2], 'wb') as fh:\n"
        "    pickle.dump(kg, fh, protocol=5)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(corpus), str(graph)], env=_env(src), check=True)


def writers(src: str, graph: Path, formats: list[str]) -> dict[str, dict[str, object]]:
    """One run of :func:`child` with the code in ``src``."""
    cmd = [sys.executable, __file__, "--child", str(graph), "--formats", ",".join(formats)]
    done = subprocess.run(cmd, env=_env(src), check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(src: str, corpus: Path) -> dict[str, object]:
    """One ``papergraph build`` (default outputs, ``--jobs 2``, no cache) with the code in ``src``."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "papergraph.cli", "build", str(corpus), "--out", out]
        started = time.perf_counter()
        done = subprocess.run(
            [*cmd, "--jobs", "2", "--no-cache"], env=_env(src), check=True, capture_output=True, text=True
        )
        wall = time.perf_counter() - started
    match = _SECONDS.search(done.stdout + done.stderr)
    stages: dict[str, float] = {}
    if match:
        for part in match.group(2).replace("; at the same time: ", ", at the same time ").split(", "):
            name, _, value = part.rpartition(" ")
            with contextlib.suppress(ValueError):
                stages[name] = float(value)
    return {"seconds": round(wall, 3), "reported_seconds": float(match.group(1)) if match else None, **stages}


def corpus_file(workdir: Path, papers: int) -> Path:
    path = workdir / f"corpus-{papers}-seed1.jsonl"
    if not path.exists():
        cmd = [sys.executable, str(MAKE_CORPUS), "--papers", str(papers), "--out", str(path), "--seed", "1"]
        subprocess.run(cmd, check=True)
    return path


def _median(runs: list[dict[str, object]], key: str) -> float:
    return round(statistics.median(float(r[key]) for r in runs), 3)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--code", action="append", default=[], help="LABEL=SRC (repeatable)")
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--formats", default="graphml,gexf,nodes-csv,edges-csv,ttl,html")
    parser.add_argument("--builds", action="store_true", help="also time whole builds")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "graph-writers")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "graph-writers.json")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    formats = args.formats.split(",")
    if args.child:
        child(args.child, formats)
        return
    codes = dict(c.split("=", 1) for c in args.code) or {"this": str(ROOT / "src")}
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = corpus_file(args.workdir, args.papers)
    graph = args.workdir / f"graph-{args.papers}.pickle"
    make_graph(corpus, next(iter(codes.values())), graph)
    runs: dict[str, dict[str, list[dict[str, object]]]] = {label: {} for label in codes}
    for round_ in range(args.rounds):
        for label, src in codes.items():
            load = _load()
            for fmt, run in writers(src, graph, formats).items():
                runs[label].setdefault(fmt, []).append({**run, "load_average_1min_before": load})
                seconds = f"{run['seconds']:6.2f} s ({run['cpu_seconds']} CPU)"
                print(f"round {round_ + 1} {label:>8} {fmt:>10}: {seconds}")
            if args.builds:
                load = _load()
                run = build(src, corpus)
                runs[label].setdefault("build", []).append({**run, "load_average_1min_before": load})
                print(f"round {round_ + 1} {label:>8}      build: {run['seconds']:6.2f} s {run}")
    medians = {
        label: {
            what: {key: _median(done, key) for key in done[0] if key not in ("sha256", "mb")}
            for what, done in by.items()
        }
        for label, by in runs.items()
    }
    same = {fmt: len({run["sha256"] for by in runs.values() for run in by[fmt]}) == 1 for fmt in formats}
    result = {
        "command": "python benchmarks/graph_writers.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": shared_machine(),
        "corpus": f"make_corpus.py --papers {args.papers} --seed 1",
        "codes": codes,
        "same_bytes": same,
        "medians": medians,
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for label, by in medians.items():
        print(label, json.dumps(by))
    print("same bytes:", same)


if __name__ == "__main__":
    main()
