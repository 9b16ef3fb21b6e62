"""Extraction on a Dask cluster: a ``dask.bag`` of the records, one task per partition.

Records are read where ``papergraph build`` runs, shipped to the workers in partitions, extracted
there (:func:`papergraph.run.parallel.find_all`) and come back in input order; resolution then runs
centrally. Every worker needs papergraph installed (the same version); no input file needs to be
visible to the workers. ``address`` is a scheduler address (``tcp://10.0.0.5:8786``) or ``"local"``
for a ``dask.distributed.LocalCluster`` on this machine.

Needs the ``dask`` extra (:mod:`papergraph.extras`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from papergraph.extras import require
from papergraph.model import Record
from papergraph.run.parallel import Found, find_all
from papergraph.run.plan import cpus

__all__ = ["dask_client", "extract_found_on_dask"]


@contextmanager
def dask_client(address: str, *, workers: int | None = None, processes: bool = True) -> Iterator[Any]:
    """A ``dask.distributed.Client`` for ``address``; ``"local"`` starts (and then stops) a
    ``LocalCluster`` of ``workers`` single-threaded workers (default: one per CPU)."""
    distributed = require("distributed", "dask", "--dask")
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    if address == "local":
        with (
            LocalCluster(
                n_workers=workers or cpus(),
                threads_per_worker=1,
                processes=processes,
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        with Client(address) as client:
            yield client


def extract_found_on_dask(
    records: Sequence[Record], client: Any, *, partition_size: int | None = None, extractor: Any = None
) -> list[Found]:
    """:func:`papergraph.run.parallel.find` for every record, computed on ``client``'s cluster, in
    input order (partitions of ``partition_size`` records, default
    :data:`papergraph.run.parallel.CHUNK_SIZE`)."""
    from papergraph.run import parallel

    db = require("dask.bag", "dask", "--dask")

    if not records:
        return []
    partition_size = partition_size or parallel.CHUNK_SIZE
    npartitions = max(1, -(-len(records) // partition_size))
    bag = db.from_sequence(list(records), npartitions=npartitions)
    return list(bag.map_partitions(find_all, extractor).compute(scheduler=client))
