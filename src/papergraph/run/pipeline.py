"""The whole build: read → extract → resolve → :class:`~papergraph.graph.KnowledgeGraph`.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> text = "Abstract: We propose FooNet, which outperforms ResNet-50 on ImageNet.\\n"
>>> _ = (folder / "a.txt").write_text(text)
>>> kg = build([folder])
>>> len(kg.papers), sorted(e.label for e in kg.entities)
(1, ['FooNet', 'ImageNet', 'ResNet-50'])
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papergraph.gcpause import paused_gc
from papergraph.graph import KnowledgeGraph, edge_sort_key
from papergraph.model import Edge, Extraction, Problem, Record
from papergraph.resolve import resolve_graph
from papergraph.run.cache import ExtractionCache, record_key
from papergraph.run.parallel import Extractor, Found, PackedExtraction, extract_found
from papergraph.run.plan import Plan
from papergraph.run.progress import Progress, counted
from papergraph.sources import read_paths


@dataclass
class Timings:
    """Seconds spent in each stage of a build.

    Stages that ran at the same time (outputs written by several processes) each keep their own
    seconds, and ``overlaps`` says which ran together and the wall time they took together, so that
    :attr:`total` is wall time, not the sum of them.

    >>> t = Timings()
    >>> t.add("resolve", 2.0); t.add("write ttl", 3.0); t.add("write html", 1.0)
    >>> t.overlap(("write ttl", "write html"), 3.2)
    >>> t.total, t.summary()
    (5.2, 'resolve 2.00, write ttl 3.00, write html 1.00; at the same time: write ttl + write html 3.20')
    """

    stages: dict[str, float] = field(default_factory=dict)
    overlaps: list[tuple[tuple[str, ...], float]] = field(default_factory=list)

    def add(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds

    def overlap(self, stages: Sequence[str], seconds: float) -> None:
        """Note that ``stages`` (already added) ran at the same time, in ``seconds`` of wall time."""
        self.overlaps.append((tuple(stages), seconds))

    @property
    def total(self) -> float:
        together = {stage for stages, _ in self.overlaps for stage in stages}
        alone = sum(v for k, v in self.stages.items() if k not in together)
        return alone + sum(seconds for _, seconds in self.overlaps)

    def summary(self) -> str:
        """The stages and their seconds, then those that overlapped and their wall time."""
        text = ", ".join(f"{k} {v:.2f}" for k, v in self.stages.items())
        if self.overlaps:
            text += "; at the same time: " + ", ".join(
                f"{' + '.join(stages)} {seconds:.2f}" for stages, seconds in self.overlaps
            )
        return text


def build(
    paths: Iterable[str | Path],
    *,
    timings: Timings | None = None,
    jobs: int | None = None,
    cache: str | Path | None = None,
    dask: Any = None,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
) -> KnowledgeGraph:
    """Build the knowledge graph of every paper listing in ``paths`` (files or folders).

    ``jobs`` worker processes extract the records, or with ``dask="local"`` the workers of a local
    Dask cluster (default: one per CPU, :class:`~papergraph.run.plan.Plan`; small inputs stay in
    this process); ``cache`` is an SQLite file of extraction results by record content
    (:mod:`papergraph.run.cache`): only records not in it are extracted, and it is then updated;
    ``dask`` (a scheduler address, ``"local"``, or a ``distributed.Client``) extracts on a Dask
    cluster instead (:mod:`papergraph.run.dask_extract`). Whatever the options, the graph is the same.
    ``extractor`` replaces papergraph's rules (an :class:`~papergraph.extract.llm.LLMExtractor`);
    its results are not cached, and it runs in this process or ``jobs`` processes, not on Dask,
    unless it carries a ``fingerprint`` (:data:`papergraph.extract.extract_learned`): then it is
    cached under that name and may run on Dask.
    ``progress`` is told the stage and, while extracting, how many records are done
    (:mod:`papergraph.run.progress`); it changes nothing else.
    """
    plan = Plan.of(jobs, dask)
    variant = "" if extractor is None else getattr(extractor, "fingerprint", None)
    if variant is None:  # an extractor of one's own: its results depend on more than papergraph
        if dask is not None:
            raise ValueError("an extractor of your own runs locally (jobs), not on Dask")
        cache = None
    timings = timings if timings is not None else Timings()
    t0 = time.perf_counter()
    if progress is not None:
        progress("read", 0, None)
    read = read_paths(paths)
    timings.add("read", time.perf_counter() - t0)
    # unpickling millions of objects (from the cache, from workers) with the collector walking
    # them all again and again was 80 % of the cache stage; the rules make no reference cycles
    with paused_gc() if variant is not None else contextlib.nullcontext():
        found = _extract(
            read.records,
            timings,
            jobs=plan.jobs,
            cache=cache,
            dask=plan.dask,
            extractor=extractor,
            variant=variant or "",
            progress=progress,
        )
    # the relations stay packed: resolution makes them again a record at a time, when it reads them
    extractions = [
        PackedExtraction(r, f) for r, f in zip(read.records, found, strict=True) if f.failure is None
    ]
    failed = [_failure(r, f.failure) for r, f in zip(read.records, found, strict=True) if f.failure]
    del found
    t2 = time.perf_counter()
    if progress is not None:
        progress("resolve", 0, None)
    with paused_gc():
        kg = _resolve(extractions, read.problems + tuple(failed), read.files)
    timings.add("resolve", time.perf_counter() - t2)
    return kg


def _resolve(
    extractions: Sequence[Extraction | PackedExtraction], problems: tuple[Problem, ...], files: Any
) -> KnowledgeGraph:
    resolved = resolve_graph(extractions)
    return KnowledgeGraph(
        papers=tuple(sorted(resolved.papers, key=lambda p: p.key)),
        entities=tuple(sorted(resolved.entities, key=lambda e: e.key)),
        edges=sorted_edges(resolved.edges),
        problems=problems,
        files=files,
        records=len(extractions),
        merges=tuple(sorted(resolved.merges, key=lambda m: (m.entity, m.form))),
        works=tuple(sorted(resolved.works, key=lambda w: w.key)),
        inferred=tuple(resolved.inferred),
        citations=resolved.citations,
    )


def sorted_edges(edges: Iterable[Edge]) -> tuple[Edge, ...]:
    """``edges`` without repeats, in the order of :func:`~papergraph.graph.edge_sort_key`.

    The key starts with the edge's source, so the edges are sorted one source at a time: the same
    order as one sort of them all, but only one source's keys (tuples of seven fields) exist at a
    time, not millions of them.

    >>> edges = [Edge("b", "uses", "x"), Edge("a", "uses", "y"), Edge("a", "proposes", "x"),
    ...          Edge("b", "uses", "x")]
    >>> sorted_edges(edges) == tuple(sorted(set(edges), key=edge_sort_key))
    True
    """
    by_source: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        by_source[edge.source].append(edge)
    out: list[Edge] = []
    for source in sorted(by_source):
        out += sorted(set(by_source.pop(source)), key=edge_sort_key)
    return tuple(out)


def _extract(
    records: Sequence[Record],
    timings: Timings,
    *,
    jobs: int,
    cache: str | Path | None,
    dask: Any,
    extractor: Extractor | None = None,
    variant: str = "",
    progress: Progress | None = None,
) -> list[Found]:
    """What resolution needs from every record, in input order: from ``cache`` when it has the
    record, else extracted (by ``jobs`` processes, or on ``dask``) and stored in ``cache``
    (``variant``: the extractor's fingerprint, when it is not the rules)."""
    if cache is None or not records:  # nothing read: no cache file (nor output folder) either
        t = time.perf_counter()
        fresh = _extract_records(records, jobs=jobs, dask=dask, extractor=extractor, progress=progress)
        timings.add("extract", time.perf_counter() - t)
        return fresh
    t = time.perf_counter()
    with ExtractionCache(cache, variant) as store:
        keys = [record_key(r) for r in records]
        hits = store.get(keys)
        todo = [r for r, k in zip(records, keys, strict=True) if k not in hits]
        timings.add("cache", time.perf_counter() - t)
        t = time.perf_counter()
        done = len(records) - len(todo)
        fresh = iter(
            _extract_records(todo, jobs=jobs, dask=dask, extractor=extractor, progress=progress, done=done)
        )
        timings.add("extract", time.perf_counter() - t)
        t = time.perf_counter()
        found = [hits[k] if k in hits else next(fresh) for k in keys]
        store.put({k: f for k, f in zip(keys, found, strict=True) if k not in hits and f.failure is None})
        timings.add("cache", time.perf_counter() - t)
    return found


def _extract_records(
    records: Sequence[Record],
    *,
    jobs: int,
    dask: Any,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    done: int = 0,
) -> list[Found]:
    """``records`` extracted; ``progress`` is told how many of ``done + len(records)`` are done
    (``done`` were found in the cache): as they come from the workers, or at the end on Dask."""
    total = done + len(records)
    if dask is None:
        found = extract_found(records, jobs=jobs, extractor=extractor)
        if progress is not None:
            found = counted(found, "extract", total, progress, done)
        return list(found)
    from papergraph.run.dask_extract import dask_client, extract_found_on_dask

    if progress is not None:
        progress("extract", done, total)
    if not isinstance(dask, str):
        out = extract_found_on_dask(records, dask, extractor=extractor)
    else:
        with dask_client(dask, workers=jobs) as client:  # "local": a cluster of ``jobs`` workers
            out = extract_found_on_dask(records, client, extractor=extractor)
    if progress is not None:
        progress("extract", total, total)
    return out


def _failure(record: Record, failure: str) -> Problem:
    """The problem that names a record extraction failed on: skipped, never the whole build."""
    return Problem(
        record.source.path,
        record.source.line,
        f"record skipped: extraction failed ({failure}); please report it",
    )
