"""How a build uses the machine: ``--jobs`` and ``--dask`` settled once, into one :class:`Plan`.

``--jobs N`` is how many processes of this machine a build keeps busy at once: the worker
processes that extract the records (or, with ``--dask local``, the workers of the local cluster)
and, once the graph is resolved, the processes that write the output formats side by side. Left
out, it is the number of CPUs this process may run on (:func:`cpus`). Whatever it is, the output is
the same, byte for byte.

>>> Plan.of(2, None)
Plan(jobs=2, dask=None)
>>> Plan.of(None, "local").jobs == cpus()
True
>>> Plan.of(0, None)
Traceback (most recent call last):
ValueError: --jobs must be 1 or more
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

__all__ = ["Plan", "cpus"]


def cpus() -> int:
    """The CPUs this process may run on (the default of ``--jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Plan:
    """The processes a build may use: ``jobs`` on this machine (extraction workers, or the workers
    of a local Dask cluster, then output writers), and where extraction runs: ``dask`` is ``None``
    (worker processes here), ``"local"``, a scheduler address or a ``distributed.Client``."""

    jobs: int
    dask: Any = None

    @classmethod
    def of(cls, jobs: int | None = None, dask: Any = None) -> Plan:
        """The plan for ``--jobs`` (``None``: one per CPU) and ``--dask``."""
        if jobs is not None and jobs < 1:
            raise ValueError("--jobs must be 1 or more")
        return cls(cpus() if jobs is None else jobs, dask)
