"""What the command line prints of the input shows control characters, newlines and bidi overrides
as escapes (issue 23): file names in problem lines and the summary, titles and labels in query
tables and in the suggestions of ``view --focus``; the files written are not changed by it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from papergraph.cli import main

GOOD = "Abstract: We propose FooNet, which outperforms ResNet-50 on ImageNet in accuracy.\n"
FORGED = "papergraph: summary: 0 of 9 files had problems"
EVIL = "Evil\x1b[31mRed\u202eTitle"
#: What a terminal acts on: ESC, CSI, bidi overrides and isolates, and a line break of data.
ACTING = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\rb\tc", "a\\rb\\tc"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x9b2J\x7f", "\\x9b2J\\x7f"),
        ("\u202eexe.txt\u2066x\u2069", "\\u202eexe.txt\\u2066x\\u2069"),
        ("café ✓ \U0001f600 \\n", "café ✓ \U0001f600 \\n"),
    ],
)
def test_terminal_safe(text: str, shown: str) -> None:
    from papergraph.terminal import terminal_safe

    assert terminal_safe(text) == shown


def test_a_newline_in_a_file_name_cannot_forge_a_line(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / f"x\n{FORGED}\n.txt").write_text("Just a note.\n", encoding="utf-8")
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "--format", "ttl"]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert not [line for line in lines if line.startswith(FORGED)], err
    assert [line for line in lines if line.startswith("papergraph: summary: ")] == [
        "papergraph: summary: 1 of 2 files had problems; 1 records were read and built"
    ]
    assert f"x\\n{FORGED}\\n.txt: format not recognised" in err
    assert f"  {folder}/x\\n{FORGED}\\n.txt  nothing read: format not recognised" in err


@pytest.fixture
def evil_graph(tmp_path: Path) -> Path:
    """A graph with a paper titled with an ANSI colour and a right-to-left override."""
    (tmp_path / "evil.jsonl").write_text(
        json.dumps({"id": "e1", "title": EVIL, "abstract": "We propose FooNet, which beats ResNet-50."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "evil.jsonl"), "--out", str(out), "--format", "ttl", "-q"]) == 0
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert 'dcterms:title "Evil\\u001B[31mRed\u202eTitle"' in turtle  # the file: escaped the Turtle way only
    return out / "graph.ttl"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_tables_show_control_characters_of_titles(evil_graph: Path, engine: str, capsys) -> None:
    query = "SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }"
    assert main(["query", str(evil_graph), query, "--engine", engine, "--no-store"]) == 0
    out = capsys.readouterr().out
    assert "Evil\\x1b[31mRed\\u202eTitle" in out
    assert not ACTING.search(out.replace("\n", ""))


def test_query_csv_output_is_data_and_left_as_it_is(evil_graph: Path, capsys) -> None:
    query = "SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }"
    assert main(["query", str(evil_graph), query, "--output", "csv", "--no-store"]) == 0
    assert EVIL in capsys.readouterr().out


def test_view_focus_suggestions_show_control_characters(evil_graph: Path, capsys) -> None:
    assert main(["view", str(evil_graph), "--focus", "Evil"]) == 2
    err = capsys.readouterr().err
    assert "did you mean: Evil\\x1b[31mRed\\u202eTitle (paper/" in err
    assert not ACTING.search(err.replace("\n", ""))


def test_stats_report_and_explain_entity_show_control_characters(evil_graph: Path, capsys) -> None:
    """The analytics report and explain-entity print labels and sentences of the data."""
    capsys.readouterr()
    assert main(["stats", str(evil_graph)]) == 0
    assert main(["explain-entity", str(evil_graph), "ResNet-50"]) == 0
    printed = capsys.readouterr().out
    assert "\\x1b[31m" in printed  # the sentence and the label are shown, escaped
    assert not ACTING.search(printed.replace("\n", ""))


def test_the_files_written_are_named_safely(tmp_path: Path, capsys) -> None:
    out = tmp_path / f"out\n{FORGED}"
    assert main(["build", "--out", str(out), "--format", "ttl"]) == 0
    printed = capsys.readouterr().out
    assert f"out\\n{FORGED}/graph.ttl" in printed
    assert f"\n{FORGED}" not in printed
