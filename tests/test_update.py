"""``papergraph build --update``: new papers added to an earlier build, old ones taken from the
extraction cache, and the same files as a full build of everything."""

from __future__ import annotations

import json

import pytest

from papergraph.cli import main
from papergraph.run import cache as cache_module
from papergraph.run import parallel
from papergraph.run.cache import ExtractionCache, record_key
from papergraph.sources import read_paths

OUTPUTS = ("graph.ttl", "graph.html", "graph.graphml")


@pytest.fixture()
def split_corpus(corpus):
    files = sorted(corpus.glob("*.txt"))
    return files[:-1], files[-1]


@pytest.fixture()
def count_extractions(monkeypatch):
    """How many records are really extracted (serial path, ``--jobs 1``)."""
    calls: list[str] = []
    real = parallel.find

    def counting(record, extractor=None):
        calls.append(record.source.path)
        return real(record, extractor)

    monkeypatch.setattr(parallel, "find", counting)
    return calls


def test_update_equals_full_build_and_extracts_only_new_records(
    split_corpus, tmp_path, count_extractions, capsys
):
    old, new = split_corpus
    graph, full = tmp_path / "graph", tmp_path / "full"
    assert main(["build", *map(str, old), "--out", str(graph), "--jobs", "1", "-q"]) == 0
    old_records = len(count_extractions)
    assert old_records == sum(len(read_paths([f]).records) for f in old)
    count_extractions.clear()

    assert main(["build", "--update", str(graph), str(new), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "5 files: 224 records, 214 distinct papers" in printed
    assert len(count_extractions) == len(read_paths([new]).records) == 224 - old_records
    assert set(count_extractions) == {new.name}  # a file given by its absolute path: recorded by its name

    assert main(["build", *map(str, old), str(new), "--out", str(full), "--no-cache", "-q"]) == 0
    for name in OUTPUTS:
        assert (graph / name).read_bytes() == (full / name).read_bytes(), name
    state = json.loads((graph / ".papergraph-build.json").read_text())
    assert state["paths"] == [*map(str, old), str(new)]
    assert state["formats"] == ["ttl", "html", "graphml"]


def test_a_second_build_is_served_from_the_cache(corpus, tmp_path, count_extractions):
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--jobs", "1", "-q", "--format", "ttl"]) == 0
    first = (out / "graph.ttl").read_bytes()
    assert len(count_extractions) == 224
    count_extractions.clear()
    assert main(["build", str(corpus), "--out", str(out), "--jobs", "1", "-q", "--format", "ttl"]) == 0
    assert count_extractions == []
    assert (out / "graph.ttl").read_bytes() == first


def test_update_keeps_formats_and_skips_paths_already_read(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--format", "ttl", "-q"]) == 0
    inside = next(corpus.glob("*.txt"))
    assert main(["build", "--update", str(out), str(inside)]) == 0
    printed = capsys.readouterr().out
    assert "5 files: 224 records, 214 distinct papers" in printed  # the file is not read twice
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["graph.ttl"]


def test_update_needs_an_earlier_build(tmp_path, corpus, capsys):
    assert main(["build", "--update", str(tmp_path / "none"), str(corpus)]) == 2
    assert "no earlier build" in capsys.readouterr().err
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / ".papergraph-build.json").write_text("{not json", encoding="utf-8")
    assert main(["build", "--update", str(tmp_path / "bad"), str(corpus)]) == 2
    assert ".papergraph-build.json: not a papergraph build state" in capsys.readouterr().err


def test_cache_is_emptied_when_the_extractor_changes(corpus, tmp_path, monkeypatch):
    records = read_paths([next(corpus.glob("*.txt"))]).records[:3]
    path = tmp_path / "c.sqlite"
    with ExtractionCache(path) as store:
        store.put({record_key(r): parallel.find(r) for r in records})
        assert len(store) == 3
    monkeypatch.setattr(cache_module, "extractor_fingerprint", lambda: "another extractor")
    with ExtractionCache(path) as store:
        assert len(store) == 0
        assert store.get([record_key(r) for r in records]) == {}
