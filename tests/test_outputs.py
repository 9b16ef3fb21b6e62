"""Outputs written side by side by forked processes are the files written one after the other, and a
writer failing in a child fails the build with its error and replaces nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import papergraph.html
import papergraph.rdf
from papergraph.cli import main
from papergraph.graph import KnowledgeGraph
from papergraph.outputs import FILE_NAMES, OutputError, lanes, write_outputs
from papergraph.pipeline import build

FORMATS = ["ttl", "nt", "jsonld", "graphml", "html"]


@pytest.fixture(scope="module")
def kg(corpus: Path) -> KnowledgeGraph:
    return build([corpus], jobs=1)


def _files(folder: Path) -> dict[str, bytes]:
    """The files in ``folder`` but the extraction cache (which a failed build still fills)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.endswith(".sqlite")}


@pytest.mark.parametrize("jobs", [2, 3, 8])
def test_side_by_side_gives_the_same_bytes(kg: KnowledgeGraph, tmp_path: Path, jobs: int) -> None:
    one = write_outputs(kg, tmp_path / "one", FORMATS, jobs=1)
    many = write_outputs(kg, tmp_path / "many", FORMATS, jobs=jobs)
    assert one.lanes == [FORMATS]
    assert len(many.lanes) == min(jobs, len(FORMATS))
    assert sorted(f for lane in many.lanes for f in lane) == sorted(FORMATS)
    assert [p.name for p in many] == [FILE_NAMES[f] for f in FORMATS]
    assert sorted(many.seconds) == sorted(FORMATS)
    assert _files(tmp_path / "one") == _files(tmp_path / "many")
    assert sorted(_files(tmp_path / "many")) == sorted(FILE_NAMES.values())


def test_one_job_forks_nothing(kg: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked with jobs=1")

    monkeypatch.setattr(os, "fork", no_fork)
    written = write_outputs(kg, tmp_path, ["ttl", "html"], jobs=1)
    assert written.lanes == [["ttl", "html"]]


def test_lanes_balance_the_costly_formats() -> None:
    assert lanes(["ttl", "html"], 2) == [["ttl"], ["html"]]
    assert lanes(["html", "ttl"], 2) == [["ttl"], ["html"]]
    assert lanes(["ttl", "nt", "html", "jsonld"], 2) == [["jsonld"], ["ttl", "nt", "html"]]
    assert lanes(["ttl"], 4) == [["ttl"]]
    assert lanes([], 2) == [[]]


def test_a_child_writer_failing_raises_its_error(kg: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(papergraph.html, "write_html", fail)  # html is written by the child
    with pytest.raises(OutputError, match=r"writing graph\.html failed: OSError: .*No space left") as info:
        write_outputs(kg, tmp_path, ["ttl", "html"], jobs=2)
    assert any("Traceback" in note and "fail" in note for note in info.value.__notes__)


def test_a_parent_writer_failing_ends_the_children(kg: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise ValueError("broken Turtle")

    monkeypatch.setattr(papergraph.rdf, "write_turtle", fail)  # ttl is written by this process
    with pytest.raises(ValueError, match="broken Turtle"):
        write_outputs(kg, tmp_path, ["ttl", "html"], jobs=2)
    with pytest.raises(ChildProcessError):  # every child was waited for
        os.waitpid(-1, os.WNOHANG)


def test_build_with_a_failing_child_replaces_nothing(
    corpus: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    out = tmp_path / "exports"
    files = sorted(corpus.glob("*.txt"))
    assert main(["build", str(files[0]), "--out", str(out), "--format", "ttl,html", "-q", "--jobs", "2"]) == 0
    before = _files(out)

    def fail(*args, **kwargs):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(papergraph.html, "write_html", fail)
    code = main(["build", *map(str, files), "--out", str(out), "--format", "ttl,html", "--jobs", "2"])
    assert code == 2
    err = capsys.readouterr().err
    assert "writing graph.html failed: RuntimeError: renderer broke" in err
    assert _files(out) == before  # old outputs and build state untouched
    assert [p.name for p in out.iterdir() if p.is_dir()] == []  # no staging folder left


def test_build_summary_says_what_overlapped(corpus: Path, tmp_path: Path, capsys) -> None:
    args = ["build", str(corpus), "--out", str(tmp_path / "o"), "--format", "ttl,html", "--no-cache"]
    assert main([*args, "--jobs", "2"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("seconds"))
    assert "; at the same time: write ttl + write html " in line
    assert main([*args, "--jobs", "1"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("seconds"))
    assert "at the same time" not in line
