"""A build's progress: the stages in order, extraction counted up to every record, the same graph."""

from __future__ import annotations

import io

import pytest
from conftest import CORPUS

from papergraph.cli import main
from papergraph.export.rdf_text import write_turtle_text
from papergraph.run import parallel
from papergraph.run.pipeline import build
from papergraph.run.progress import EVERY, StageReporter


def _turtle(kg) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    write_turtle_text(kg, out)
    return out.getvalue()


def _extract_counts(calls: list[tuple]) -> list[tuple[int, int]]:
    return [(done, total) for stage, done, total in calls if stage == "extract"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_reports_its_stages_and_every_record_extracted(jobs, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 40)  # several chunks: the pool path with two workers
    calls: list[tuple] = []
    kg = build([CORPUS], jobs=jobs, progress=lambda *a: calls.append(a))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["read", "extract", "resolve"]
    counts = _extract_counts(calls)
    assert counts[0] == (0, 224) and counts[-1] == (224, 224)
    done = [d for d, _ in counts]
    assert done == sorted(done) and len(set(done)) == len(done)  # counted up, never twice the same
    assert _turtle(kg) == _turtle(build([CORPUS], jobs=jobs))  # reporting changes nothing


def test_records_found_in_the_cache_count_as_done_from_the_start(tmp_path):
    cache = tmp_path / "cache.sqlite"
    build([CORPUS], jobs=1, cache=cache)
    calls: list[tuple] = []
    build([CORPUS], jobs=1, cache=cache, progress=lambda *a: calls.append(a))
    assert _extract_counts(calls) == [(224, 224)]


def test_a_log_gets_a_line_per_interval_and_the_last_report_of_a_stage():
    out = io.StringIO()
    times = iter([0.0, 1.0, 2.0, 6.0, 7.0, 8.0])
    report = StageReporter(out, live=False, every=5.0, clock=lambda: next(times))
    for done in (0, 500, 1000, 1500, 2000):
        report("extract", done, 2000)
    report("resolve", 0, None)
    report.close()
    assert out.getvalue().splitlines() == [
        "extract 0/2,000",
        "extract 1,500/2,000 (250/s, 2 s left)",  # 1 s and 2 s were within 5 s of the first line
        "extract 2,000/2,000 (286/s)",  # the last report of a stage is always shown
        "resolve",
    ]


def test_a_terminal_gets_one_line_rewritten_and_cleared_at_the_end():
    out = io.StringIO()
    times = iter([0.0, 2.0, 3.0])
    report = StageReporter(out, live=True, clock=lambda: next(times))
    report("extract", 0, 1000)
    report("extract", 1000, 1000)
    report("resolve", 0, None)
    report.close()
    text = out.getvalue()
    assert "\n" not in text
    shown = text.split("\r")
    assert shown[1:4] == ["extract 0/1,000", "extract 1,000/1,000 (500/s)", "resolve".ljust(27)]
    assert text.endswith("\r" + " " * 27 + "\r")  # cleared: what the build prints next starts clean


def test_cli_progress_goes_to_stderr_only_when_asked_or_on_a_terminal(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text("Abstract: We propose FooNet, which beats ResNet-50 on ImageNet.\n", encoding="utf-8")
    assert main(["build", str(src), "--out", str(tmp_path / "a"), "--progress"]) == 0
    shown = capsys.readouterr()
    assert any(line.startswith("extract 1/1") for line in shown.err.splitlines())
    assert "extract 1/1" not in shown.out  # (the summary on stdout names the stages and their seconds)
    assert "resolve" in shown.err and "write graph.ttl, graph.html, graph.graphml" in shown.err
    assert main(["build", str(src), "--out", str(tmp_path / "b")]) == 0  # stderr is not a terminal here
    assert "extract 1/1" not in capsys.readouterr().err
    for name in ("graph.ttl", "graph.html", "graph.graphml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_extraction_reports_at_most_once_per_every_records(monkeypatch):
    calls: list[tuple] = []
    from papergraph.run.progress import counted

    list(counted(range(2 * EVERY + 1), "extract", 2 * EVERY + 1, lambda *a: calls.append(a)))
    assert [done for _, done, _ in calls] == [0, EVERY, 2 * EVERY, 2 * EVERY + 1]
