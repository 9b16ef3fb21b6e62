"""Outputs written side by side by forked processes are the files written one after the other, and a
writer failing in a child fails the build with its error and replaces nothing."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from papergraph.cli import main
from papergraph.export.formats import FORMATS as OUTPUT_FORMATS
from papergraph.export.outputs import OutputError, lanes, write_outputs
from papergraph.graph import KnowledgeGraph
from papergraph.run.pipeline import build

FORMATS = ["ttl", "nt", "jsonld", "graphml", "html", "gexf", "nodes-csv", "edges-csv"]


@pytest.fixture(autouse=True)
def forking_allowed(monkeypatch) -> None:
    """Fork whatever threads earlier tests left running in this process (the build refuses to, as
    a thread could hold a lock; here none that the writers take) and whatever memory is free."""
    from papergraph.export import outputs as outputs_module

    monkeypatch.setattr(outputs_module, "_can_fork", lambda children: True)


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
    assert 2 <= len(many.lanes) <= min(jobs, len(FORMATS) + 1)  # Turtle may be cut in two
    assert sorted({t.split(" ")[0] for lane in many.lanes for t in lane}) == sorted(FORMATS)
    assert [p.name for p in many] == [OUTPUT_FORMATS[f].file_name for f in FORMATS]
    assert sorted(many.seconds) == sorted(FORMATS)
    assert _files(tmp_path / "one") == _files(tmp_path / "many")
    assert sorted(_files(tmp_path / "many")) == sorted(f.file_name for f in OUTPUT_FORMATS.values())


def test_one_job_forks_nothing(kg: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked with jobs=1")

    monkeypatch.setattr(os, "fork", no_fork)
    written = write_outputs(kg, tmp_path, ["ttl", "html"], jobs=1)
    assert written.lanes == [["ttl", "html"]]


def test_no_memory_for_a_child_writes_alone(kg: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:
    from papergraph.export import outputs as outputs_module

    asked = []
    monkeypatch.setattr(outputs_module, "_can_fork", lambda children: asked.append(children) or False)
    written = write_outputs(kg, tmp_path, ["ttl", "html"], jobs=2)
    assert asked == [1] and written.lanes == [["ttl", "html"]]


def test_lanes_balance_the_costly_formats() -> None:
    assert lanes(["ttl", "html"], 2) == [["ttl 1/2 0.685"], ["html", "ttl 2/2 0.685"]]
    assert lanes(["html", "ttl"], 2) == [["ttl 1/2 0.685"], ["html", "ttl 2/2 0.685"]]
    assert lanes(["ttl"], 2) == [["ttl 1/2 0.0"], ["ttl 2/2 0.0"]]
    # the page's share of the work is bigger in a small graph: Turtle's first part takes more
    assert lanes(["ttl", "html"], 2, papers=10_000) == [["ttl 1/2 0.911"], ["html", "ttl 2/2 0.911"]]
    assert lanes(["ttl", "nt", "html", "jsonld"], 2) == [["jsonld"], ["ttl", "nt", "html"]]
    assert lanes(["ttl", "graphml", "gexf", "html"], 3) == [["ttl"], ["graphml", "html"], ["gexf"]]
    assert lanes(["ttl", "graphml", "html"], 3) == [["ttl 1/2 0.685"], ["graphml"], ["html", "ttl 2/2 0.685"]]
    assert lanes(["ttl", "html"], 1) == [["ttl", "html"]]
    assert lanes(["html"], 4) == [["html"]]
    assert lanes([], 2) == [[]]


@pytest.mark.parametrize("share", [0.0, 0.3, 0.9, 1.0])
def test_turtle_in_two_parts_is_the_turtle(
    kg: KnowledgeGraph, tmp_path: Path, share: float, monkeypatch
) -> None:
    from papergraph.export import outputs as outputs_module

    whole = kg.write_turtle(tmp_path / "whole.ttl").read_bytes()
    plan = [[f"ttl 1/2 {share}"], [f"ttl 2/2 {share}"]]
    monkeypatch.setattr(outputs_module, "lanes", lambda formats, jobs, papers: plan)
    written = write_outputs(kg, tmp_path / "parts", ["ttl"], jobs=2)
    assert written.lanes == plan
    assert (tmp_path / "parts" / "graph.ttl").read_bytes() == whole
    assert [p.name for p in (tmp_path / "parts").iterdir()] == ["graph.ttl"]  # no part left
    assert sorted(written.tasks) == sorted([*plan[0], *plan[1], "ttl join"])


def test_a_child_writer_failing_raises_its_error(kg: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(
        OUTPUT_FORMATS, "html", replace(OUTPUT_FORMATS["html"], write=fail)
    )  # html is written by the child
    with pytest.raises(OutputError, match=r"writing graph\.html failed: OSError: .*No space left") as info:
        write_outputs(kg, tmp_path, ["ttl", "html"], jobs=2)
    assert any("Traceback" in note and "fail" in note for note in info.value.__notes__)


def test_a_parent_writer_failing_ends_the_children(kg: KnowledgeGraph, tmp_path: Path, monkeypatch) -> None:

    def fail(*args, **kwargs):
        raise ValueError("broken GraphML")

    monkeypatch.setitem(OUTPUT_FORMATS, "graphml", replace(OUTPUT_FORMATS["graphml"], write=fail))
    assert lanes(["graphml", "html"], 2)[0] == ["graphml"]  # written by this process
    with pytest.raises(ValueError, match="broken GraphML"):
        write_outputs(kg, tmp_path, ["graphml", "html"], jobs=2)
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

    monkeypatch.setitem(OUTPUT_FORMATS, "html", replace(OUTPUT_FORMATS["html"], write=fail))
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


def test_writers_fork_only_within_half_the_machine() -> None:
    from papergraph.export.outputs import memory_allows

    gb = 1 << 20  # kB, as /proc reports them
    # 100k papers on this 24 GB machine: the build holds about 0.9 GB, a child fits
    assert memory_allows(1, int(0.9 * gb), 20 * gb, 24 * gb)
    # a million papers: 6.7 GB held, a child would take the build past half the machine
    assert not memory_allows(1, int(6.7 * gb), 17 * gb, 24 * gb)
    # the same build on a 32 GB machine may fork; on any machine, only with the memory available
    assert memory_allows(1, int(6.7 * gb), 24 * gb, 32 * gb)
    assert not memory_allows(1, int(6.7 * gb), 6 * gb, 32 * gb)
    # two children count twice
    assert memory_allows(1, 5 * gb, 20 * gb, 24 * gb) and not memory_allows(2, 5 * gb, 20 * gb, 24 * gb)
