#!/usr/bin/env python3
"""Scale: a whole build (read, extract, resolve, the default outputs) at 1k, 10k and 100k papers.

    python benchmarks/scale_benchmark.py [--sizes 1000,10000,100000] [--jobs N] [--update-sizes 10000,100000]

Corpora come from ../shared/bench/make_corpus.py (seed 1), made once into --workdir. Each size runs
in a process of its own, which first times the floor (reading the same corpus with papergraph's
reader and splitting every abstract into sentences with one regular expression), then the build
stage by stage as ``papergraph build`` runs it with its default outputs (Turtle, HTML, GraphML),
with a fresh extraction cache in the output folder. The outputs are written as the build writes
them, side by side in up to --jobs processes (papergraph.export.outputs): one stage, "write
ttl+html+graphml", of their wall time; what each
process spent on each format (or part of the Turtle) is under "writers". Per stage: wall seconds,
abstracts per second and peak memory (VmHWM of the build process, reset before each stage through
/proc/self/clear_refs; the peak RSS of any child process, extraction worker or forked writer, whose
RSS counts the pages it shares with the build; and the peak of the summed PSS of the whole process
tree, sampled every 0.1 s or less often as it grows, which counts shared pages once). For
--update-sizes it also times ``papergraph build --update`` of 1,000 new papers (make_corpus.py
seed 2) into the graph of that size, against a full build of both without cache, and checks that
the files are the same. Writes benchmarks/results/scale.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import shared_machine  # benchmarks/machine.py (run as scripts from the project root)

from papergraph.export.formats import DEFAULT_FORMATS
from papergraph.export.outputs import write_outputs
from papergraph.run.pipeline import Timings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
#: The files of the default outputs, compared between an update and a full rebuild.
OUTPUT_FILES = ("graph.ttl", "graph.html", "graph.graphml")


def corpus(workdir: Path, papers: int, seed: int = 1) -> Path:
    path = workdir / f"corpus-{papers}-seed{seed}.jsonl"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        cmd = [
            sys.executable,
            str(MAKE_CORPUS),
            "--papers",
            str(papers),
            "--out",
            str(tmp),
            "--seed",
            str(seed),
        ]
        subprocess.run(cmd, check=True)
        tmp.rename(path)
    return path


def readable(path: Path) -> Path:
    """``path``, or a folder of its lines in parts of 100,000 when it is bigger than papergraph
    reads in one file (``sources.MAX_FILE_BYTES``, 1 GiB: the 1M corpus is 1.4 GB); the folder's
    files are read in name order, so the records keep their order."""
    from papergraph.sources import MAX_FILE_BYTES

    if path.stat().st_size <= MAX_FILE_BYTES:
        return path
    folder = path.with_suffix("")
    done = folder.with_name(folder.name + ".done")
    if not done.exists():
        folder.mkdir(exist_ok=True)
        with path.open(encoding="utf-8") as fh:
            part, lines = 0, []
            for line in fh:
                lines.append(line)
                if len(lines) == 100_000:
                    (folder / f"part-{part:04d}.jsonl").write_text("".join(lines), encoding="utf-8")
                    part, lines = part + 1, []
            if lines:
                (folder / f"part-{part:04d}.jsonl").write_text("".join(lines), encoding="utf-8")
        done.write_text("", encoding="utf-8")
    return folder


# ---- measured in a child process, one per size ------------------------------------------------


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # Linux: "5" resets VmHWM to the current RSS
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    """Peak resident memory of this process since the last reset (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StageTimings(Timings):
    """Timings that also note each stage's peak memory (and reset the peak for the next stage)."""

    def __init__(self) -> None:
        super().__init__()
        self.peaks: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        super().add(stage, seconds)
        self.peaks[stage] = max(self.peaks.get(stage, 0.0), _peak_mb())
        _reset_peak()


def measure(path: Path, jobs: int, out: Path) -> dict:
    from papergraph.run.build_state import BuildState, cache_file, write_state
    from papergraph.run.pipeline import build
    from papergraph.sources import read_paths

    # the floor: the same reading, then one regular expression splitting sentences
    _reset_peak()
    t = time.perf_counter()
    records = read_paths([path]).records
    sentences = sum(len(SENTENCE.split(r.abstract)) for r in records)
    floor = time.perf_counter() - t
    floor_peak = _peak_mb()
    del records

    # the build as `papergraph build PATH --out OUT` runs it, with its default outputs
    _reset_peak()
    timings = StageTimings()
    started = time.perf_counter()
    kg = build([path], timings=timings, jobs=jobs, cache=cache_file(out))
    # as `papergraph build` writes them: side by side in up to `jobs` processes (one stage, its wall
    # time; what each process spent on each format is under "writers")
    t = time.perf_counter()
    written = write_outputs(kg, out, list(DEFAULT_FORMATS), jobs=jobs)
    timings.add("write " + "+".join(DEFAULT_FORMATS), time.perf_counter() - t)
    total = time.perf_counter() - started
    write_state(out, BuildState.of([str(path)], list(DEFAULT_FORMATS)))  # what `papergraph build` leaves
    n = kg.records
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    stages = [
        {
            "stage": name,
            "seconds": round(seconds, 3),
            "abstracts_per_second": round(n / seconds) if seconds else None,
            "peak_rss_mb": round(timings.peaks[name]),
        }
        for name, seconds in timings.stages.items()
    ]
    return {
        "papers": n,
        "sentences": sentences,
        "nodes": len(kg.papers) + len(kg.entities),
        "edges": len(kg.edges),
        "turtle_mb": round((out / "graph.ttl").stat().st_size / 1e6, 1),
        "html_mb": round((out / "graph.html").stat().st_size / 1e6, 1),
        "jobs": jobs,
        "floor": {
            "seconds": round(floor, 3),
            "abstracts_per_second": round(n / floor),
            "peak_rss_mb": round(floor_peak),
        },
        "stages": stages,
        "writers": {
            "lanes": written.lanes,
            "seconds": {task: round(v, 3) for task, v in written.tasks.items()},
        },
        "total": {
            "seconds": round(total, 3),
            "abstracts_per_second": round(n / total),
            "peak_rss_mb": round(max(timings.peaks.values())),
            "peak_rss_worker_mb": round(children),
            "times_floor": round(total / floor, 1),
        },
    }


def _tree(root: int) -> list[int]:
    """``root`` and every process under it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _pss_kb(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def _run_sampled(cmd: list[str]) -> tuple[str, float]:
    """Run ``cmd``; its stdout, and the peak of its process tree's summed proportional set size
    (PSS, MB): extraction workers and forked writers included, pages they share with the build
    process counted once (RSS would count them in each process). Sampled every 0.1 s, or less
    often as the processes grow: reading ``smaps_rollup`` walks a process's page tables (50-60 ms
    for a 2.4 GB process) and holds its memory map's lock, so the sampler waits 20 times as long
    as its last sample took (at most 5 % of a core, and of the build's page faults)."""
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(cmd, stdout=out, text=True)
        peak = 0
        while proc.poll() is None:
            t = time.perf_counter()
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(proc.pid)))
            time.sleep(max(0.1, 20 * (time.perf_counter() - t)))
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, cmd)
        out.seek(0)
        return out.read(), peak / 1024


# ---- --update against a full build --------------------------------------------------------------


def _run(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def measure_update(base: Path, built: Path, new: Path, jobs: int, workdir: Path) -> dict:
    """``--update`` of ``built`` (the graph of ``base`` with its cache) with ``new``, against a full
    build of both without cache."""
    papergraph = [sys.executable, "-m", "papergraph.cli", "build", "-q"]  # the default outputs
    upd, full = workdir / "update", workdir / "full"
    for d in (upd, full):
        subprocess.run(["rm", "-rf", str(d)], check=True)
    if not (built / ".papergraph-build.json").exists():
        _run([*papergraph, str(base), "--out", str(built), "--jobs", str(jobs)])
    subprocess.run(["cp", "-r", str(built), str(upd)], check=True)
    update = _run([*papergraph, "--update", str(upd), str(new), "--jobs", str(jobs)])
    rebuild = _run([*papergraph, str(base), str(new), "--out", str(full), "--jobs", str(jobs), "--no-cache"])
    same = all((upd / f).read_bytes() == (full / f).read_bytes() for f in OUTPUT_FILES)
    return {
        "base_papers": sum(1 for _ in base.open()),
        "new_papers": sum(1 for _ in new.open()),
        "update_seconds": round(update, 2),
        "full_rebuild_seconds": round(rebuild, 2),
        "update_share_of_full": round(update / rebuild, 3),
        "identical_to_full_rebuild": same,
    }


def markdown(result: dict) -> str:
    """The README's tables for a results file."""
    names = [s["stage"] for s in result["sizes"][0]["stages"]] if result["sizes"] else []
    head = ["papers", "floor", *names, "total", "× floor", "abstracts/s", "peak RSS (MB)", "load"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for row in result["sizes"]:
        by = {s["stage"]: s for s in row["stages"]}
        t = row["total"]
        cells = [
            f"{row['papers']:,}",
            f"{row['floor']['seconds']:.2f} s",
            *(f"{by[n]['seconds']:.2f} s ({by[n]['peak_rss_mb']:,} MB)" for n in names),
            f"{t['seconds']:.1f} s",
            f"{t['times_floor']}",
            f"{t['abstracts_per_second']:,}",
            f"{t['peak_rss_mb']:,} (workers {t['peak_rss_worker_mb']:,}"
            + (f", tree PSS {t['peak_pss_tree_mb']:,})" if "peak_pss_tree_mb" in t else ")"),
            f"{row['load_average_1min_before']}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if result["update"]:
        lines += [
            "",
            "| graph | added | `--update` | full rebuild | share | identical |",
            "|---:|---:|---:|---:|---:|---|",
        ]
        for u in result["update"]:
            lines.append(
                f"| {u['base_papers']:,} | {u['new_papers']:,} | {u['update_seconds']:.1f} s | "
                f"{u['full_rebuild_seconds']:.1f} s | {u['update_share_of_full']:.0%} | "
                f"{'yes' if u['identical_to_full_rebuild'] else 'NO'} |"
            )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--update-sizes", default="10000,100000", help="sizes to time --update of 1k papers on")
    ap.add_argument("--jobs", type=int, default=None, help="extraction processes (default: one per CPU)")
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "papergraph-scale"))
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "scale.json"))
    ap.add_argument("--table", action="store_true", help="print the README tables of --out and stop")
    ap.add_argument("--child", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.table:
        print(markdown(json.loads(Path(args.out).read_text(encoding="utf-8"))))
        return 0
    from papergraph.run.plan import cpus

    jobs = args.jobs or cpus()
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), jobs, Path(args.child[1]))))
        return 0
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    result = {
        "command": "python " + " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": shared_machine(),
        "corpus": "make_corpus.py --seed 1 (synthetic JSON lines: id, title, abstract)",
        "sizes": [],
        "update": [],
    }

    def save() -> None:  # after every measurement, so that a long run interrupted keeps what it has
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    for size in [int(s) for s in args.sizes.split(",") if s]:
        path = readable(corpus(workdir, size))
        out = workdir / f"out-{size}"
        subprocess.run(["rm", "-rf", str(out)], check=True)
        load = os.getloadavg()[0]
        stdout, tree_pss = _run_sampled(
            [sys.executable, __file__, "--child", str(path), str(out), "--jobs", str(jobs)]
        )
        row = json.loads(stdout)
        row["total"]["peak_pss_tree_mb"] = round(tree_pss)
        row["load_average_1min_before"] = round(load, 2)
        result["sizes"].append(row)
        save()
        t = row["total"]
        print(
            f"{size:>9,} papers: {t['seconds']:8.2f} s total ({t['abstracts_per_second']:,}/s), "
            f"floor {row['floor']['seconds']:.2f} s ({t['times_floor']}x), peak {t['peak_rss_mb']:,} MB "
            f"(workers {t['peak_rss_worker_mb']:,} MB, tree PSS {t['peak_pss_tree_mb']:,} MB); "
            + ", ".join(f"{s['stage']} {s['seconds']:.2f}" for s in row["stages"]),
            flush=True,
        )
    new = corpus(workdir, 1000, seed=2)
    for size in [int(s) for s in args.update_sizes.split(",") if s]:
        load = os.getloadavg()[0]
        u = measure_update(corpus(workdir, size), workdir / f"out-{size}", new, jobs, workdir)
        u["load_average_1min_before"] = round(load, 2)
        result["update"].append(u)
        save()
        print(
            f"--update of {u['new_papers']:,} papers on {u['base_papers']:,}: {u['update_seconds']:.2f} s, "
            f"full rebuild {u['full_rebuild_seconds']:.2f} s ({u['update_share_of_full']:.1%}); "
            f"identical: {u['identical_to_full_rebuild']}",
            flush=True,
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
