"""``--dask``: extraction as a Dask bag over partitions on a dask.distributed cluster, resolution
here; the graph is the same as a local build."""

from __future__ import annotations

import pytest

from papergraph.export.html import render_html
from papergraph.export.rdf import turtle_text
from papergraph.run import parallel
from papergraph.run.pipeline import build

pytest.importorskip("distributed")


def test_local_cluster_of_two_workers_builds_the_same_graph(corpus, corpus_graph, monkeypatch):
    from papergraph.run.dask_extract import dask_client

    monkeypatch.setattr(parallel, "CHUNK_SIZE", 32)  # 7 partitions for 224 records
    with dask_client("local", workers=2, processes=False) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        kg = build([corpus], dask=client)
    assert turtle_text(kg) == turtle_text(corpus_graph)
    assert render_html(kg) == render_html(corpus_graph)


def test_cli_dask_to_a_scheduler_address_writes_the_same_files(corpus, tmp_path, monkeypatch, capsys):
    from distributed import LocalCluster

    from papergraph.cli import main

    monkeypatch.setattr(parallel, "CHUNK_SIZE", 64)
    plain, on_dask = tmp_path / "plain", tmp_path / "dask"
    assert main(["build", str(corpus), "--out", str(plain), "--no-cache", "-q", "--format", "ttl,html"]) == 0
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://", dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        args = ["build", str(corpus), "--out", str(on_dask), "--no-cache", "-q", "--format", "ttl,html"]
        assert main([*args, "--dask", cluster.scheduler_address]) == 0
    for name in ("graph.ttl", "graph.html"):
        assert (plain / name).read_bytes() == (on_dask / name).read_bytes(), name
