"""``--dask``: extraction as a Dask bag over partitions on a dask.distributed cluster, resolution
here; the graph is the same as a local build."""

from __future__ import annotations

import pytest

from papergraph import parallel
from papergraph.html import render_html
from papergraph.pipeline import build
from papergraph.rdf import turtle_text

pytest.importorskip("distributed")


def test_local_cluster_of_two_workers_builds_the_same_graph(corpus, corpus_graph, monkeypatch):
    from papergraph.dask_extract import dask_client

    monkeypatch.setattr(parallel, "CHUNK_SIZE", 32)  # 7 partitions for 224 records
    with dask_client("local", workers=2, processes=False) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        kg = build([corpus], dask=client)
    assert turtle_text(kg) == turtle_text(corpus_graph)
    assert render_html(kg) == render_html(corpus_graph)
