"""Extraction over many records, in this process or in a pool of worker processes, in input order.

``extract`` is a pure function of a record, so records can be extracted anywhere and in any order;
the results are put back in input order, which makes a build with ``jobs=4`` byte-identical to one
with ``jobs=1``. Only what resolution reads travels back from a worker and is kept: the relations,
packed, and the abbreviation definitions (:class:`Found`), not the mentions nor the record, which
the caller already holds. Forked workers inherit the records: a chunk is sent as its bounds.

>>> from papergraph.model import Record, SourceRef
>>> recs = [Record(SourceRef("x", i, "test"), f"We propose Net{i}, which outperforms ResNet-50.")
...         for i in range(1, 4)]
>>> [sorted(r.mention.text for r in f.relations(rec)) for rec, f in zip(recs, extract_found(recs, jobs=1))]
[['Net1', 'ResNet-50'], ['Net2', 'ResNet-50'], ['Net3', 'ResNet-50']]
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from sys import intern
from typing import ClassVar

from papergraph.extract import document_text, extract, lexicon
from papergraph.lifeline import die_with_parent
from papergraph.model import Evidence, Extraction, Mention, Record, Relation

_log = logging.getLogger(__name__)
#: An extractor other than papergraph's rules (``papergraph.extract.llm.LLMExtractor``); it must
#: pickle, to reach worker processes. One that carries a ``fingerprint`` string (the learned
#: decision, ``papergraph.extract.extract_learned``) depends on nothing but papergraph's code and
#: data: its results are cached under that name too, and it may run on Dask.
Extractor = Callable[[Record], Extraction]

__all__ = [
    "CHUNK_SIZE",
    "Found",
    "PackedExtraction",
    "extract_found",
    "find",
    "find_all",
    "pack",
    "unpack",
]

#: Records sent to a worker at a time: big enough that inter-process traffic is a small cost.
CHUNK_SIZE = 256


@dataclass(frozen=True, slots=True)
class Found:
    """What resolution needs from the extraction of one record, packed (its mentions are not needed).

    The relations are kept as one ``bytes`` object (:func:`pack`): their names and numbers as plain
    tuples, and each evidence sentence as its place in the record's text when it is found there
    (it always is with papergraph's rules) rather than a second copy of it. A worker process sends
    them so, the cache stores them so, and the build holds them so until resolution reads them:
    :meth:`relations` makes the relation objects again from the record, on every call. As objects
    they take about three times the memory (most of what a 1M-paper build held at the end of
    extraction, 9.8 GB, was relations) and cost more to send between processes.

    >>> from papergraph.model import SourceRef
    >>> rec = Record(SourceRef("x", 1, "t"), "We propose FooNet, which outperforms ResNet-50.")
    >>> found = find(rec)
    >>> found.relations(rec) == extract(rec).relations
    True
    """

    packed: bytes = b""
    abbreviations: tuple[tuple[str, str], ...] = ()
    #: Why extraction failed on the record ("IndexError: ..."): the build skips it, never stops.
    failure: str | None = None

    def relations(self, record: Record) -> tuple[Relation, ...]:
        """The relations found in ``record`` (the record they were packed from)."""
        return unpack(record, self.packed) if self.packed else ()


def pack(record: Record, relations: Sequence[Relation]) -> bytes:
    """``relations`` found in ``record`` as compact bytes (:func:`unpack` makes them again)."""
    doc = document_text(record)
    sentences: dict[str, int] = {}
    rows = tuple(
        (
            r.relation,
            r.mention.text,
            r.mention.type,
            r.mention.start,
            r.mention.end,
            sentences.setdefault(r.evidence.sentence, len(sentences)),
            r.evidence.start,
            r.evidence.end,
            r.aliases,
        )
        for r in relations
    )
    # a sentence of the text is kept as where it is; one that is not (another extractor's) as is
    where = tuple((at, at + len(s)) if (at := doc.find(s)) >= 0 else s for s in sentences)
    return pickle.dumps((rows, where), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(record: Record, packed: bytes) -> tuple[Relation, ...]:
    """The relations :func:`pack` packed from ``record``: relation, type and entity names interned
    (one copy of "ResNet-50" for the whole corpus, not one per record), each sentence one string
    shared by the relations it states, offsets below 8,192 one int object each for the whole build.

    >>> from papergraph.model import SourceRef
    >>> rec = Record(SourceRef("x", 1, "t"), "We propose FooNet, which outperforms ResNet-50.")
    >>> a, b = unpack(rec, pack(rec, extract(rec).relations))
    >>> a.evidence.sentence is b.evidence.sentence, a.mention.start is a.evidence.start
    (True, True)
    """
    rows, where = pickle.loads(packed)
    doc = document_text(record)
    sentences = [w if isinstance(w, str) else doc[w[0] : w[1]] for w in where]
    return tuple(
        Relation(
            intern(relation),
            Mention(intern(text), intern(kind), _shared(start), _shared(end)),
            Evidence(sentences[i], _shared(ev_start), _shared(ev_end)),
            tuple(map(intern, aliases)) if aliases else (),
        )
        for relation, text, kind, start, end, i, ev_start, ev_end, aliases in rows
    )


def unpack_names(packed: bytes) -> list[tuple[str, str, tuple[str, ...]]]:
    """(mention text, entity type, aliases) of each relation :func:`pack` packed: what naming the
    entities reads, without making the relation, mention and evidence objects :func:`unpack` makes
    (most of the time of a pass over every relation; resolution makes two such passes).

    >>> from papergraph.model import SourceRef
    >>> rec = Record(SourceRef("x", 1, "t"), "We propose FooNet, which outperforms ResNet-50.")
    >>> rels = extract(rec).relations
    >>> unpack_names(pack(rec, rels)) == [(r.mention.text, r.mention.type, r.aliases) for r in rels]
    True
    """
    return [(text, kind, aliases) for _, text, kind, _, _, _, _, _, aliases in pickle.loads(packed)[0]]


def unpack_facts(record: Record, packed: bytes) -> list[tuple[str, str, str, int, int]]:
    """(relation, mention text, evidence sentence, evidence start, evidence end) of each relation
    :func:`pack` packed from ``record``: what making a paper's edges reads, without the relation
    and mention objects (the evidence of the few relations that become edges is made from it).

    >>> from papergraph.model import SourceRef
    >>> rec = Record(SourceRef("x", 1, "t"), "We propose FooNet, which outperforms ResNet-50.")
    >>> rels = extract(rec).relations
    >>> unpack_facts(rec, pack(rec, rels)) == [
    ...     (r.relation, r.mention.text, r.evidence.sentence, r.evidence.start, r.evidence.end) for r in rels]
    True
    """
    rows, where = pickle.loads(packed)
    doc = document_text(record)
    sentences = [w if isinstance(w, str) else doc[w[0] : w[1]] for w in where]
    return [
        (relation, text, sentences[i], _shared(ev_start), _shared(ev_end))
        for relation, text, _, _, _, i, ev_start, ev_end, _ in rows
    ]


#: One object for each offset an abstract's text commonly has: every evidence's two offsets point
#: to these rather than to two ints of their own (32 bytes each, above 256, for millions of edges).
_OFFSETS = tuple(range(1 << 13))


def _shared(offset: int) -> int:
    return _OFFSETS[offset] if 0 <= offset < len(_OFFSETS) else offset


def find(record: Record, extractor: Extractor | None = None) -> Found:
    """Extract ``record`` (with :func:`papergraph.extract.extract`, or ``extractor``) and keep what
    resolution needs; a failure is kept, not raised (the traceback is logged at debug level)."""
    try:
        ext = (extractor or extract)(record)
    except (Exception, RecursionError) as exc:
        _log.debug("extraction failed on %s", record.source, exc_info=True)
        return Found(failure=f"{type(exc).__name__}: {exc}")
    return Found(pack(record, ext.relations) if ext.relations else b"", ext.abbreviations)


def find_all(records: Sequence[Record], extractor: Extractor | None = None) -> list[Found]:
    """:func:`find` over a chunk of records (what a worker process or a Dask task runs)."""
    return [find(r, extractor) for r in records]


@dataclass(frozen=True, slots=True)
class PackedExtraction:
    """What resolution reads of an :class:`Extraction` (its record, relations and abbreviations),
    with the relations kept packed (:class:`Found`) and made again each time they are read: a
    build holds every record's, and resolution reads them a few at a time.

    >>> from papergraph.model import SourceRef
    >>> rec = Record(SourceRef("x", 1, "t"), "We propose FooNet, which outperforms ResNet-50.")
    >>> PackedExtraction(rec, find(rec)).relations == extract(rec).relations
    True
    """

    record: Record
    found: Found
    mentions: ClassVar[tuple[Mention, ...]] = ()

    @property
    def relations(self) -> tuple[Relation, ...]:
        return self.found.relations(self.record)

    @property
    def abbreviations(self) -> tuple[tuple[str, str], ...]:
        return self.found.abbreviations

    def names(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(mention text, entity type, aliases) of each relation, in order (:func:`unpack_names`)."""
        return unpack_names(self.found.packed) if self.found.packed else []

    def facts(self) -> list[tuple[str, str, str, int, int]]:
        """(relation, mention text, evidence sentence, start, end) of each relation, in order
        (:func:`unpack_facts`)."""
        return unpack_facts(self.record, self.found.packed) if self.found.packed else []


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork: workers start at once with the lexicons already imported; elsewhere the platform default
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _worker_start(parent: int) -> None:
    """Start a pool worker: it ends when its ``parent`` (the build's pid) ends, however that ends
    (:func:`papergraph.lifeline.die_with_parent`: a killed build leaves no worker waiting on its
    pipe for good), and leaves SIGINT to the parent (Ctrl-C reaches the whole process group; the
    parent stops the pool). What it inherited from the parent (the records, the lexicons) is
    frozen out of the cyclic collector's view (``gc.freeze``: they live as long as the worker, and
    walking them would copy the parent's memory pages and cost 4 to 5 % of extraction time), and
    the collector runs on what the worker makes, whatever the parent does (it may pause its own).
    """
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
    gc.enable()


def _stop(pool: ProcessPoolExecutor) -> None:
    """End ``pool`` now, its running chunks too: the build was interrupted or failed, or its
    caller stopped reading the results."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    manager = getattr(pool, "_executor_manager_thread", None)  # and its manager thread
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    # the manager thread sees its workers gone and ends; waited for here and forgotten, it leaves
    # the interpreter's exit hook nothing to wake (waking it through its closed pipe printed a
    # traceback after Ctrl-C)
    if manager is not None:
        manager.join(timeout=5)
        if not manager.is_alive():
            from concurrent.futures import process

            getattr(process, "_threads_wakeups", {}).pop(manager, None)


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
    global _inherited
    lexicon.load()  # once, in this process: forked workers share it
    context = _pool_context()
    forked = context.get_start_method() == "fork"
    if forked:  # workers inherit the records: a chunk is sent as its bounds, not pickled
        _inherited = records
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
    )
    try:
        pending: deque[Future[list[Found]]] = deque()
        for i in range(0, len(records), chunk_size):
            if forked:
                pending.append(pool.submit(_find_inherited, i, i + chunk_size, extractor))
            else:
                pending.append(pool.submit(find_all, records[i : i + chunk_size], extractor))
            if len(pending) >= 4 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BaseException:  # an interrupt, a failure, or the caller closing this generator
        _stop(pool)
        raise
    else:
        pool.shutdown()
    finally:
        _inherited = ()


#: The records of the running :func:`extract_found`, which forked workers inherit.
_inherited: Sequence[Record] = ()


def _find_inherited(start: int, end: int, extractor: Extractor | None) -> list[Found]:
    """:func:`find_all` over ``records[start:end]`` of the records a forked worker inherited."""
    return find_all(_inherited[start:end], extractor)
