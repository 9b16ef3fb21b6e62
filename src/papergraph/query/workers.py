"""A pool of worker processes that run SPARQL jobs with a deadline, killed and replaced past it.

pyoxigraph evaluates a query in native code with the GIL released and offers no way to stop it (no
timeout, no cancellation; signals are not looked at), so a thread running a runaway query cannot be
stopped. Each worker is a process that opens the graph's store once (the persisted store,
read-only, shared by all through the page cache; or, for an endpoint that takes updates, its own
in-memory copy) and answers one :class:`~papergraph.query.protocol.Job` at a time. When a job is
not answered by its deadline, or the client that asked for it goes away, the worker is killed
(SIGKILL: its CPU stops at once) and a new one is started in the background, so the pool keeps its
size. Workers are forked from a fork server that has already imported pyoxigraph, so a new one
costs the opening of the store, not the start of Python.

Updates (only when the endpoint takes them) are kept in a log, in the order they succeeded; a
worker applies the ones it has not seen before its next job, so every worker answers from the same
data, and a replaced worker catches up from the log.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import queue
import socket
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from papergraph.query.protocol import Answer, Job, answer

__all__ = ["QueryPool"]

log = logging.getLogger(__name__)


def _serve(conn: Any, graph: str, persist: bool, max_result: int, memory: int | None) -> None:
    """The body of a worker process: open the store, then answer jobs until the pipe closes.
    Its standard error goes nowhere: what goes wrong is answered through the pipe, and a worker
    the memory limit stops (the allocator's message) is reported by the parent."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    if memory:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from papergraph.query.store import open_store

    try:
        store = open_store(graph, persist=persist)
    except Exception as exc:  # sent to the parent, which says it
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            updates, job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            for text in updates:
                store.update(text)
            reply = answer(store, job, max_result)
        except MemoryError:
            reply = Answer.error(HTTPStatus.INTERNAL_SERVER_ERROR, "the query ran out of memory")
        except Exception as exc:
            reply = Answer.error(
                HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {type(exc).__name__}: {exc}"
            )
        conn.send(reply)


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    applied: int = 0  # how many updates of the log it has applied
    triples: int = 0


@dataclass
class QueryPool:
    """``workers`` processes answering jobs on the store of ``graph`` within ``timeout`` seconds.

    Parameters
    ----------
    graph:
        The graph file.
    workers:
        How many processes (each runs one job at a time).
    timeout:
        Seconds a job may run; past them its worker is killed and the job answered with 503.
    max_result:
        The most bytes of a serialised result (422 beyond).
    persist:
        Open the persisted store read-only (``True``) or load an in-memory copy in each worker
        (``False``: needed for updates).
    memory:
        The address-space limit of each worker in bytes (``RLIMIT_AS``), or ``None``.
    """

    graph: str
    workers: int = 2
    timeout: float = 5.0
    max_result: int = 64 << 20
    persist: bool = True
    memory: int | None = None
    triples: int = 0
    _idle: queue.Queue[_Worker] = field(default_factory=queue.Queue, repr=False)
    _log: list[str] = field(default_factory=list, repr=False)
    _update_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _all: set[_Worker] = field(default_factory=set, repr=False)
    _closed: bool = False

    def __post_init__(self) -> None:
        if self.workers < 1 or not self.timeout > 0:
            raise ValueError("a pool needs at least one worker and a positive timeout")
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["papergraph.query.workers", "papergraph.query.store"])
        started = [self._spawn() for _ in range(self.workers)]
        for worker in started:
            self._ready(worker, wait=600)
            self._idle.put(worker)
        self.triples = started[0].triples

    # -- the processes -------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(child, self.graph, self.persist, self.max_result, self.memory),
            name="papergraph-query",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.add(worker)
        return worker

    def _ready(self, worker: _Worker, wait: float) -> None:
        if not worker.conn.poll(wait):
            self._kill(worker)
            raise RuntimeError("a query worker did not start")
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._kill(worker)
            raise RuntimeError("a query worker died while opening the store") from exc
        if kind != "ready":
            self._kill(worker)
            raise ValueError(value)
        worker.triples = value

    def _kill(self, worker: _Worker) -> None:
        self._all.discard(worker)
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; start its successor in the background."""
        self._kill(worker)
        if self._closed:
            return

        def start() -> None:
            try:
                new = self._spawn()
                self._ready(new, wait=600)
            except Exception:
                log.debug("could not start a query worker", exc_info=True)
                return
            if self._closed:
                self._kill(new)
            else:
                self._idle.put(new)

        threading.Thread(target=start, name="papergraph-query-start", daemon=True).start()

    # -- jobs ----------------------------------------------------------------------------------
    def run(self, job: Job, client: socket.socket | None = None) -> Answer:
        """Answer ``job`` in a worker within the timeout.

        Parameters
        ----------
        job:
            The query or update.
        client:
            The client's socket: when it closes before the answer, the job is stopped.

        Returns
        -------
        Answer
            The worker's answer, or 503 when the job ran past the timeout (or no worker was free
            within it), 500 when the worker died, 499 when the client went away.
        """
        if job.update:
            with self._update_lock:
                reply = self._run(job, client)
                if reply.status == HTTPStatus.NO_CONTENT:
                    self._log.append(job.text)
                return reply
        return self._run(job, client)

    def _run(self, job: Job, client: socket.socket | None) -> Answer:
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer.error(
                HTTPStatus.SERVICE_UNAVAILABLE, f"busy: all {self.workers} query workers stayed busy"
            )
        pending = self._log[worker.applied :]
        deadline = time.monotonic() + self.timeout
        try:
            worker.conn.send((pending, job))
        except (OSError, ValueError):
            self._replace(worker)
            return Answer.error(HTTPStatus.INTERNAL_SERVER_ERROR, "a query worker had died; try again")
        watched: list[Any] = [worker.conn, worker.process.sentinel]
        if client is not None:
            watched.append(client)
        while True:
            left = deadline - time.monotonic()
            ready = multiprocessing.connection.wait(watched, timeout=max(left, 0)) if left > 0 else []
            if worker.conn in ready:
                try:
                    reply: Answer = worker.conn.recv()
                except (EOFError, OSError):
                    self._replace(worker)
                    return Answer.error(HTTPStatus.INTERNAL_SERVER_ERROR, _died(self.memory))
                worker.applied += len(pending) + (1 if job.update and reply.status == 204 else 0)
                self._idle.put(worker)
                return reply
            if worker.process.sentinel in ready:
                self._replace(worker)
                return Answer.error(HTTPStatus.INTERNAL_SERVER_ERROR, _died(self.memory))
            if client is not None and client in ready:
                if _closed(client):
                    self._replace(worker)
                    log.debug("client gone after %.2f s: its query was stopped", time.monotonic() - started)
                    return Answer.error(499, "the client went away")
                watched.remove(client)  # it sent more: look no further
                continue
            if not ready:
                self._replace(worker)
                return Answer.error(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    f"the query ran past the timeout of {self.timeout:g} s and was stopped (--timeout)",
                )

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        return [w.process.pid for w in list(self._all)]

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for worker in list(self._all):
            self._kill(worker)


def _died(memory: int | None) -> str:
    limit = f" (the limit is {memory >> 20} MB, --max-memory)" if memory else ""
    return f"the query worker died while answering, most likely out of memory{limit}"


def _closed(client: socket.socket) -> bool:
    """Whether ``client`` (readable) has been closed by its peer."""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
