"""``--jobs``: extraction in worker processes gives the same graph, byte for byte, as in one process."""

from __future__ import annotations

import pytest

from papergraph import parallel
from papergraph.cli import main
from papergraph.html import render_html
from papergraph.pipeline import build
from papergraph.rdf import turtle_text
from papergraph.sources import read_paths


@pytest.fixture()
def small_chunks(monkeypatch):
    """Chunks of 16 records, so that the 224 records of the reference corpus make 14 pool tasks."""
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 16)


def test_pool_returns_each_records_result_in_input_order(corpus, small_chunks):
    records = read_paths([corpus]).records
    serial = list(parallel.extract_found(records, jobs=1))
    pooled = list(parallel.extract_found(records, jobs=2))
    assert len(pooled) == len(records) == 224
    assert pooled == serial
    assert sum(len(f.relations) for f in pooled) > 1000


def test_jobs_2_builds_the_same_graph_as_jobs_1(corpus, corpus_graph, small_chunks):
    pooled = build([corpus], jobs=2)
    assert turtle_text(pooled) == turtle_text(corpus_graph)
    assert render_html(pooled) == render_html(corpus_graph)


def test_cli_jobs_output_is_byte_identical(corpus, tmp_path, small_chunks, capsys):
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["build", str(corpus), "--out", str(one), "--jobs", "1", "--no-cache", "-q"]) == 0
    assert main(["build", str(corpus), "--out", str(two), "--jobs", "2", "--no-cache", "-q"]) == 0
    for name in ("graph.ttl", "graph.html", "graph.graphml"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert main(["build", str(corpus), "--out", str(one), "--jobs", "0"]) == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err


def test_small_inputs_stay_in_this_process(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for 3 records")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    from papergraph.model import Record, SourceRef

    records = [Record(SourceRef("x", i, "test"), f"We propose Net{i}.") for i in range(3)]
    assert len(list(parallel.extract_found(records, jobs=8))) == 3
