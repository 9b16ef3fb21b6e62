"""A build's output files, written side by side by forked processes when there are cores to spare.

After resolution the build has one graph and several files to write from it (Turtle, HTML, ...);
each writer is single-threaded Python, so written one after the other they leave every other core
idle (at 100k papers: Turtle 17 s then HTML 8 s on a 2-core machine). Here the formats are shared
out among ``jobs`` lanes: this process writes the first lane's, and a forked child each of the
others'. A fork inherits the graph without copying or pickling it; :func:`gc.freeze` before the
fork keeps a collection in a child from writing into every object's header (which would copy every
page the graph lives on; the writers pause the collector anyway). Reference counts still change
in the objects a child reads, so the pages it reads are copied: more memory while writing (see
:func:`_can_fork`), and more CPU time in all (page faults), so on a machine whose other cores are
busy, writing side by side is slower than one after the other. The children write into the same
staging folder, so the outputs are still replaced all at once, or not at all, by
:func:`papergraph.atomic.staged_outputs`.

Every file is the same, byte for byte, whatever ``jobs`` is: each is still written whole by one
writer. A writer that fails in a child fails the build with its error (type, message and the
child's traceback); the parent's own failure stops the children before it propagates.

The formats written from the graph's flat view (GraphML, GEXF, the CSV tables:
:mod:`papergraph.export.flat_graph`) share one, made once: before the fork when processes of more
than one lane write from it, else by the first writer that needs it.

>>> import tempfile, pathlib
>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Entity
>>> kg = KnowledgeGraph(entities=(Entity(key="method/lora", type="Method", label="LoRA"),))
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> written = write_outputs(kg, folder, ["ttl", "nt"], jobs=2)
>>> [p.name for p in written], sorted(written.seconds)
(['graph.ttl', 'graph.nt'], ['nt', 'ttl'])
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import math
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from papergraph.export.flat_graph import flat_view, sharing
from papergraph.export.formats import FORMATS
from papergraph.lifeline import die_with_parent

if TYPE_CHECKING:
    from papergraph.graph import KnowledgeGraph

__all__ = ["OutputError", "Written", "lanes", "memory_allows", "write_outputs"]

#: The cost of writing each format relative to Turtle's (``Format.cost``: one core, synthetic
#: corpora; ttl, nt, jsonld, graphml measured at 10k papers) is only used to share the work out
#: among the lanes so that they finish at about the same time. The page (html) embeds at most a
#: fixed number of nodes, so its share falls as the graph grows: (papers, share) measured at 10k,
#: 100k and 1M (README scale runs).
_HTML_COST = ((10_000, 0.58), (100_000, 0.44), (1_000_000, 0.24))


def _cost(fmt: str, papers: int) -> float:
    """Relative cost of writing ``fmt`` for a graph of ``papers`` papers (see ``Format.cost``).

    >>> _cost("html", 1_000), _cost("html", 100_000), round(_cost("html", 300_000), 2)
    (0.58, 0.44, 0.34)
    """
    cost = FORMATS[fmt].cost if fmt in FORMATS else 1.0
    if cost is not None:
        return cost
    if papers <= _HTML_COST[0][0]:
        return _HTML_COST[0][1]
    for (n0, c0), (n1, c1) in itertools.pairwise(_HTML_COST):  # between two measured sizes
        if papers <= n1:
            return c0 + (c1 - c0) * (math.log(papers / n0) / math.log(n1 / n0))
    return _HTML_COST[-1][1]


#: Turtle in two parts (:func:`papergraph.export.rdf_text.write_turtle_part`), as shares of the whole
#: document's CPU time (100k papers, parts written at shares 0.685 and 0.73 beside the page): the
#: first part is at least ``_HEAD`` and grows by ``_TAIL_1`` times the share of statement nodes it
#: takes; the second costs ``_INDEX`` (the indexes both parts make, the source records) and
#: ``_TAIL_2`` times the share it takes.
_HEAD, _TAIL_1, _INDEX, _TAIL_2 = 0.615, 0.37, 0.35, 0.25


class OutputError(RuntimeError):
    """A writer failed in a child process; the message names the file and the child's error."""


class Written(list[Path]):
    """The files written, in the order of the formats asked for, with how each was written.

    ``seconds`` is each format's writing time, measured in the process that wrote it (the sum of
    its parts' when it was written in parts), ``tasks`` the same for each task of ``lanes``: the
    tasks (formats or parts of one) written one after the other by each process. With more than
    one lane they overlapped, so the seconds add up to more than the wall time, ``wall``.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        seconds: dict[str, float],
        lanes: list[list[str]],
        wall: float,
        tasks: dict[str, float] | None = None,
    ):
        super().__init__(paths)
        self.seconds = seconds
        self.tasks = tasks if tasks is not None else dict(seconds)
        self.lanes = lanes
        self.wall = wall


def _writer(kg: KnowledgeGraph, fmt: str) -> Callable[[Path], Path]:
    write = FORMATS[fmt].write
    return lambda path: write(kg, path)


def lanes(formats: Sequence[str], jobs: int, papers: int = 100_000) -> list[list[str]]:
    """``formats`` shared out among at most ``jobs`` processes: the costliest first, each to the
    lane with least work so far (the first lane is this process's); empty lanes are left out.

    When Turtle alone is the longest lane, it is cut in two (``"ttl 1/2 <share>"`` and
    ``"ttl 2/2 <share>"``, see :func:`papergraph.export.rdf_text.write_turtle_part`) and the second part
    goes to the lane with least work, at the share that makes the two lanes about as long.

    >>> lanes(["ttl", "html"], 2)
    [['ttl 1/2 0.685'], ['html', 'ttl 2/2 0.685']]
    >>> lanes(["ttl", "html", "graphml"], 2), lanes(["ttl", "html"], 1)
    ([['ttl'], ['html', 'graphml']], [['ttl', 'html']])
    """
    count = max(1, min(jobs, len(formats) + ("ttl" in formats)))
    if count == 1:
        return [list(formats)]
    out: list[list[str]] = [[] for _ in range(count)]
    load = [0.0] * count
    for fmt in sorted(formats, key=lambda f: (-_cost(f, papers), formats.index(f))):
        lane = min(range(count), key=lambda i: (load[i], i))
        out[lane].append(fmt)
        load[lane] += _cost(fmt, papers)
    for lane in out:  # within a lane, in the order asked for
        lane.sort(key=formats.index)
    ttl = next((i for i, lane in enumerate(out) if lane == ["ttl"]), None)
    if ttl is not None and load[ttl] == max(load):
        other = min((i for i in range(count) if i != ttl), key=lambda i: (load[i], i))
        # _HEAD + _TAIL_1 * s == other / T + _INDEX + _TAIL_2 * (1 - s)
        share = (load[other] / load[ttl] + _INDEX + _TAIL_2 - _HEAD) / (_TAIL_1 + _TAIL_2)
        if share < 1:
            share = round(max(share, 0.0), 3)
            out[ttl] = [f"ttl 1/2 {share}"]
            out[other].append(f"ttl 2/2 {share}")
            if ttl != 0 and not out[0]:
                out[0], out[ttl] = out[ttl], out[0]
    return [lane for lane in out if lane]


def _format(task: str) -> str:
    """The format a lane's task writes: ``"ttl 2/2 0.5"`` is part of ``"ttl"``."""
    return task.split(" ", 1)[0]


def _part_path(folder: Path, part: int) -> Path:
    return folder / f".{FORMATS['ttl'].file_name}.part-{part}"


def _write_task(kg: KnowledgeGraph, folder: Path, task: str) -> None:
    if " " not in task:
        _writer(kg, task)(folder / FORMATS[task].file_name)
        return
    from papergraph.export.rdf_text import write_turtle_part

    _, part, share = task.split(" ")
    with open(_part_path(folder, int(part[0])), "w", encoding="utf-8", newline="") as fh:
        write_turtle_part(kg, fh, int(part[0]), float(share))


def _join_turtle(folder: Path) -> None:
    """Append the second part of the Turtle to the first (in the kernel: no copy through Python),
    flush it to disk and give it its name."""
    first, second = _part_path(folder, 1), _part_path(folder, 2)
    with open(first, "r+b") as out, open(second, "rb") as src:  # not "ab": sendfile refuses O_APPEND
        out.seek(0, os.SEEK_END)
        left = os.fstat(src.fileno()).st_size
        while left > 0:
            sent = os.sendfile(out.fileno(), src.fileno(), None, left)
            if sent == 0:
                raise OSError(f"could not append {second} to {first}")
            left -= sent
        out.flush()
        os.fsync(out.fileno())
    os.replace(first, folder / FORMATS["ttl"].file_name)
    second.unlink()


def _can_fork(children: int) -> bool:
    """Forking ``children`` writers is safe here: the platform has it, no other thread could hold
    a lock a child would wait on forever (a Dask client's event loop, say), and there is memory for
    them (:func:`memory_allows`)."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    meminfo: dict[str, int] = {}
    resident = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open("/proc/meminfo", encoding="ascii") as fh:
            meminfo = {ln.split(":")[0]: int(ln.split()[1]) for ln in fh if ln.split()[1].isdigit()}
        with open("/proc/self/status", encoding="ascii") as fh:
            resident = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:"))
    total, available = meminfo.get("MemTotal"), meminfo.get("MemAvailable")
    if total is None or available is None or resident is None:
        return True
    return memory_allows(children, resident, available, total)


def memory_allows(children: int, resident: int, available: int, total: int) -> bool:
    """Whether ``children`` forked writers fit in memory (all in the same unit, e.g. kB).

    A child reading the graph writes reference counts into the objects it reads, which copies the
    pages they are on: at 100k papers a child writing the page and half the Turtle grew by 85 % of
    the build process's resident size (summed PSS 1.1 -> 1.9 GB). So each child is counted at the
    build's ``resident`` size, and writing side by side must fit both in the memory ``available``
    and, with the build process, in half the machine's ``total`` memory: a faster write is not
    worth taking the machine's memory from everything else (at a million papers, 6.7 GB resident,
    a child would take the build to about 13 GB).

    >>> GB = 1 << 20  # in kB
    >>> memory_allows(1, 1 * GB, 20 * GB, 24 * GB), memory_allows(1, 7 * GB, 17 * GB, 24 * GB)
    (True, False)
    >>> memory_allows(1, 1 * GB, 0.5 * GB, 24 * GB)
    False
    """
    return available >= children * resident and (1 + children) * resident <= total / 2


def _write_lane(
    kg: KnowledgeGraph, folder: Path, lane: Sequence[str], doing: list[str] | None = None
) -> dict[str, float]:
    """Write ``lane``'s tasks one after the other; ``doing`` gets each task as it starts."""
    seconds = {}
    for task in lane:
        if doing is not None:
            doing.append(task)
        t = time.perf_counter()
        _write_task(kg, folder, task)
        seconds[task] = time.perf_counter() - t
    return seconds


def _child(kg: KnowledgeGraph, folder: Path, lane: Sequence[str], fd: int, parent: int) -> None:
    """Write ``lane`` and report through ``fd`` (JSON: the seconds, or the error); never returns."""
    code = 0
    doing: list[str] = []
    try:
        die_with_parent(parent)  # a build killed while it writes leaves no child writing on
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        report: dict[str, object] = {"seconds": _write_lane(kg, folder, lane, doing)}
    except BaseException as exc:  # every failure, even an interrupt, is reported to the parent
        code = 1
        report = {
            "format": _format(doing[-1] if doing else lane[0]),
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        }
    try:
        data = json.dumps(report).encode()
        while data:
            data = data[os.write(fd, data) :]
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers a second time


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def write_outputs(
    kg: KnowledgeGraph, folder: str | Path, formats: Sequence[str], *, jobs: int = 1
) -> Written:
    """Write ``formats`` of ``kg`` into ``folder`` (``graph.<format>`` files), by up to ``jobs``
    processes at once (1: all in this process, one after the other); return the files.

    Raises :class:`OutputError` when a child's writer failed (after every child has ended), or the
    parent's own writer's exception; files already written into ``folder`` are left there (the
    caller's staging folder is removed as a whole).
    """
    with sharing(kg):  # the formats written from the flat view share one
        return _write_outputs(kg, Path(folder), formats, jobs)


def _write_outputs(kg: KnowledgeGraph, folder: Path, formats: Sequence[str], jobs: int) -> Written:
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    plan = lanes(formats, jobs, len(kg.papers))
    if len(plan) > 1 and not _can_fork(len(plan) - 1):
        plan = [list(formats)]
    children: list[tuple[int, int, list[str]]] = []  # pid, read end of its pipe, its lane
    seconds: dict[str, float] = {}
    frozen = False
    try:
        if sum(any(FORMATS[_format(task)].flat for task in lane) for lane in plan) > 1:
            flat_view(kg)  # made here once, not in each process writing from it
        if len(plan) > 1:
            sys.stdout.flush()
            sys.stderr.flush()
            gc.collect()  # nothing left for the children to collect, then the graph is frozen
            gc.freeze()
            frozen = True
            parent = os.getpid()
            for lane in plan[1:]:
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:  # the child
                    os.close(read)
                    _child(kg, folder, lane, write, parent)
                os.close(write)
                children.append((pid, read, lane))
        seconds.update(_write_lane(kg, folder, plan[0]))
    except BaseException:
        for pid, read, _ in children:
            os.kill(pid, signal.SIGTERM)
            os.close(read)
            os.waitpid(pid, 0)
        raise
    finally:
        if frozen:
            gc.unfreeze()
    failures: list[str] = []
    tracebacks: list[str] = []
    for pid, read, lane in children:
        data = _read_all(read)
        _, status = os.waitpid(pid, 0)
        report = json.loads(data) if data else {}
        if "seconds" in report and os.waitstatus_to_exitcode(status) == 0:
            seconds.update(report["seconds"])
        elif "error" in report:
            name = FORMATS[report["format"]].file_name
            failures.append(f"writing {name} failed: {report['error']}")
            tracebacks.append(f"in the process writing {name}:\n{report['traceback']}")
        else:
            failures.append(
                f"the process writing {', '.join(FORMATS[_format(t)].file_name for t in lane)} ended "
                "before it "
                "finished "
                f"(exit status {os.waitstatus_to_exitcode(status)})"
            )
    if failures:
        error = OutputError("; ".join(failures))
        for text in tracebacks:  # shown with the traceback (papergraph --debug), not in the message
            error.add_note(text)
        raise error
    if any(task.startswith("ttl ") for lane in plan for task in lane):
        t = time.perf_counter()
        _join_turtle(folder)
        seconds["ttl join"] = time.perf_counter() - t
    by_format: dict[str, float] = {}
    for task, spent in seconds.items():
        by_format[_format(task)] = by_format.get(_format(task), 0.0) + spent
    wall = time.perf_counter() - started
    return Written([folder / FORMATS[f].file_name for f in formats], by_format, plan, wall, seconds)
