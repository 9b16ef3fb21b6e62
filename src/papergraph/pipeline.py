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

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from papergraph.extract import extract
from papergraph.graph import KnowledgeGraph, edge_sort_key
from papergraph.model import Extraction, Problem, Record
from papergraph.resolve import resolve_graph
from papergraph.sources import read_paths

_log = logging.getLogger(__name__)


@dataclass
class Timings:
    """Seconds spent in each stage of a build."""

    stages: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds

    @property
    def total(self) -> float:
        return sum(self.stages.values())


def extract_records(records: Sequence[Record]) -> tuple[list[Extraction], list[Problem]]:
    """Extract every record; a record extraction fails on is skipped with a problem naming it (the
    traceback is logged at debug level), never the whole build."""
    extractions: list[Extraction] = []
    problems: list[Problem] = []
    for record in records:
        try:
            extractions.append(extract(record))
        except (Exception, RecursionError) as exc:
            _log.debug("extraction failed on %s", record.source, exc_info=True)
            problems.append(
                Problem(
                    record.source.path,
                    record.source.line,
                    f"record skipped: extraction failed ({type(exc).__name__}: {exc}); please report it",
                )
            )
    return extractions, problems


def build(paths: Iterable[str | Path], *, timings: Timings | None = None) -> KnowledgeGraph:
    """Build the knowledge graph of every paper listing in ``paths`` (files or folders)."""
    timings = timings if timings is not None else Timings()
    t0 = time.perf_counter()
    read = read_paths(paths)
    t1 = time.perf_counter()
    extractions, failed = extract_records(read.records)
    t2 = time.perf_counter()
    found = resolve_graph(extractions)
    kg = KnowledgeGraph(
        papers=tuple(sorted(found.papers, key=lambda p: p.key)),
        entities=tuple(sorted(found.entities, key=lambda e: e.key)),
        edges=tuple(sorted(set(found.edges), key=edge_sort_key)),
        problems=read.problems + tuple(failed),
        files=read.files,
        records=len(extractions),
        merges=tuple(sorted(found.merges, key=lambda m: (m.entity, m.form))),
        works=tuple(sorted(found.works, key=lambda w: w.key)),
        inferred=tuple(found.inferred),
    )
    t3 = time.perf_counter()
    timings.add("read", t1 - t0)
    timings.add("extract", t2 - t1)
    timings.add("resolve", t3 - t2)
    return kg
