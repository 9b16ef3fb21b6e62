"""A child process's tie to its parent: it ends when the parent ends, however the parent ended.

A build forks worker processes (extraction, :mod:`papergraph.run.parallel`) and output writers
(:mod:`papergraph.export.outputs`). A parent that is killed (``kill -9``, the out-of-memory
killer) cannot stop them, and a pool worker inherits the write end of the pipe it reads its work
from, so it would wait on it for good. :func:`die_with_parent`, called first thing in the child,
prevents that:

* on Linux the kernel kills the child with SIGKILL when its parent ends
  (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); strictly, when the parent's *thread* that forked it
  ends, so a child must be forked by a thread that outlives it (the pools and writers of a build
  are started and ended by the same call);
* elsewhere (no ``prctl``), a daemon thread of the child looks at its parent's pid every
  ``poll`` seconds and ends the child (``os._exit``) once the parent is another process (the
  child was reparented, the parent is gone).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent", "watch_parent"]

#: ``PR_SET_PDEATHSIG`` of ``<linux/prctl.h>``.
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, *, poll: float = 0.5) -> None:
    """End this process when the process ``parent`` (its parent's pid) ends.

    Parameters
    ----------
    parent:
        The pid of the parent, taken by the parent before it forked (``os.getpid()``): if it
        already ended before this call, this process ends at once.
    poll:
        Seconds between two looks at the parent, where the kernel cannot be asked to do it.

    Returns
    -------
    None; it does not return when the parent has already ended.
    """
    if not _kernel_kills_orphan():
        watch_parent(parent, poll=poll)
    if os.getppid() != parent:  # the parent ended before that took effect
        os._exit(1)


def _kernel_kills_orphan() -> bool:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux); whether it will."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    return False


def watch_parent(parent: int, *, poll: float = 0.5) -> threading.Thread:
    """Start a daemon thread that ends this process (``os._exit(1)``) once its parent is no longer
    ``parent``: the portable way of :func:`die_with_parent`.

    Parameters
    ----------
    parent:
        The pid of the parent to outlive no more.
    poll:
        Seconds between two looks.

    Returns
    -------
    The watching thread (already started).
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll)
        os._exit(1)

    thread = threading.Thread(target=watch, name="papergraph-watch-parent", daemon=True)
    thread.start()
    return thread
