"""``--jobs``: extraction in worker processes gives the same graph, byte for byte, as in one process."""

from __future__ import annotations

import pickle

import pytest

from papergraph.cli import main
from papergraph.export.html import render_html
from papergraph.export.rdf import turtle_text
from papergraph.extract import extract
from papergraph.model import Evidence, Mention, Record, Relation, SourceRef
from papergraph.run import parallel
from papergraph.run.pipeline import build
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
    assert sum(len(f.relations(r)) for r, f in zip(records, pooled, strict=True)) > 1000


def test_packed_relations_are_the_extracted_ones(corpus):
    """What a worker sends back and the cache stores (the relations packed, sentences as places in
    the text) unpacks to exactly what extraction found, for every record of the reference corpus."""
    records = read_paths([corpus]).records
    for rec in records:
        relations = extract(rec).relations
        unpacked = parallel.unpack(rec, parallel.pack(rec, relations))
        assert unpacked == relations, rec.source
    packed = sum(len(parallel.pack(r, extract(r).relations)) for r in records)
    assert packed < sum(len(pickle.dumps(extract(r).relations)) for r in records) / 2


def test_a_sentence_not_in_the_text_is_packed_as_written():
    """Another extractor (an LLM) may quote a sentence that is not in the text as written."""
    rec = Record(SourceRef("x", 1, "t"), "We propose FooNet.", title="FooNet")
    rel = Relation("proposes", Mention("FooNet", "Method", 0, 6), Evidence("FooNet is proposed.", 0, 6))
    assert parallel.unpack(rec, parallel.pack(rec, [rel])) == (rel,)


def test_forked_workers_read_the_records_they_inherit(corpus, small_chunks, monkeypatch):
    """With fork, a chunk goes to a worker as its bounds, never pickled; the records are not kept."""
    if parallel._pool_context().get_start_method() != "fork":
        pytest.skip("workers are not forked on this platform")
    shipped = []

    class Pool(parallel.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            shipped.append(args)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Pool)
    records = read_paths([corpus]).records
    assert list(parallel.extract_found(records, jobs=2)) == list(parallel.extract_found(records, jobs=1))
    assert [args[:2] for args in shipped] == [(i, i + 16) for i in range(0, len(records), 16)]
    assert parallel._inherited == ()


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
