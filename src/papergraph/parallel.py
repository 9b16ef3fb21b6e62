"""Extraction over many records, in this process or in a pool of worker processes, in input order.

``extract`` is a pure function of a record, so records can be extracted anywhere and in any order;
the results are put back in input order, which makes a build with ``jobs=4`` byte-identical to one
with ``jobs=1``. Only what resolution reads travels back from a worker and is kept: the relations
and the abbreviation definitions (:class:`Found`), not the mentions nor the record, which the
caller already holds.

>>> from papergraph.model import Record, SourceRef
>>> recs = [Record(SourceRef("x", i, "test"), f"We propose Net{i}, which outperforms ResNet-50.")
...         for i in range(1, 4)]
>>> [sorted(r.mention.text for r in f.relations) for f in extract_found(recs, jobs=1)]
[['Net1', 'ResNet-50'], ['Net2', 'ResNet-50'], ['Net3', 'ResNet-50']]
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from papergraph.extract import extract, lexicon
from papergraph.model import Extraction, Record, Relation

_log = logging.getLogger(__name__)
#: An extractor other than papergraph's rules (``papergraph.extract.llm.LLMExtractor``); it must
#: pickle, to reach worker processes.
Extractor = Callable[[Record], Extraction]

__all__ = ["CHUNK_SIZE", "Found", "default_jobs", "extract_found", "find", "find_all", "with_record"]

#: Records sent to a worker at a time: big enough that inter-process traffic is a small cost.
CHUNK_SIZE = 256


@dataclass(frozen=True)
class Found:
    """What resolution needs from the extraction of one record (its mentions are not needed)."""

    relations: tuple[Relation, ...]
    abbreviations: tuple[tuple[str, str], ...] = ()
    #: Why extraction failed on the record ("IndexError: ..."): the build skips it, never stops.
    failure: str | None = None


def find(record: Record, extractor: Extractor | None = None) -> Found:
    """Extract ``record`` (with :func:`papergraph.extract.extract`, or ``extractor``) and keep what
    resolution needs; a failure is kept, not raised (the traceback is logged at debug level)."""
    try:
        ext = (extractor or extract)(record)
    except (Exception, RecursionError) as exc:
        _log.debug("extraction failed on %s", record.source, exc_info=True)
        return Found((), (), f"{type(exc).__name__}: {exc}")
    return Found(ext.relations, ext.abbreviations)


def find_all(records: Sequence[Record], extractor: Extractor | None = None) -> list[Found]:
    """:func:`find` over a chunk of records (what a worker process or a Dask task runs)."""
    return [find(r, extractor) for r in records]


def with_record(record: Record, found: Found) -> Extraction:
    """The :class:`Extraction` resolution reads: the record, its relations and abbreviations."""
    return Extraction(record, (), found.relations, found.abbreviations)


def default_jobs() -> int:
    """The CPUs this process may run on (``--jobs`` default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork: workers start at once with the lexicons already imported; elsewhere the platform default
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _worker_start() -> None:
    """Start a pool worker: what it inherited from the parent (the records, the lexicons) is
    frozen out of the cyclic collector's view (``gc.freeze``: they live as long as the worker, and
    walking them would copy the parent's memory pages and cost 4 to 5 % of extraction time), and
    the collector runs on what the worker makes, whatever the parent does (it may pause its own).
    """
    gc.freeze()
    gc.enable()


def extract_found(
    records: Sequence[Record],
    *,
    jobs: int = 1,
    chunk_size: int | None = None,
    extractor: Extractor | None = None,
) -> Iterator[Found]:
    """:func:`find` for every record, yielded in input order.

    With ``jobs > 1`` and more than one chunk of records (``chunk_size``, default
    :data:`CHUNK_SIZE`), chunks go to a pool of ``jobs`` worker processes; at most ``4 * jobs``
    chunks are in flight, so memory does not grow with the input.
    """
    chunk_size = chunk_size or CHUNK_SIZE
    if jobs <= 1 or len(records) <= chunk_size:
        for r in records:
            yield find(r, extractor)
        return
    chunks = (records[i : i + chunk_size] for i in range(0, len(records), chunk_size))
    lexicon.load()  # once, in this process: forked workers share it
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context(), initializer=_worker_start) as pool:
        pending: deque[Future[list[Found]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(find_all, chunk, extractor))
            if len(pending) >= 4 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
