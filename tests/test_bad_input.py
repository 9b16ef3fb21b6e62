"""Broken and hostile input files: one clear message each (file, line, what is wrong), the rest is
built, a summary at the end, exit code 1 (0 with --keep-going), never a traceback without --debug.

The corpus of broken files is ``BROKEN`` below: each is written next to a good file by the tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

import papergraph.run.parallel
from papergraph import build
from papergraph.cli import main
from papergraph.export.formats import FORMATS
from papergraph.sources import json_records, read_paths
from papergraph.sources import record_checks as checks

GOOD = "Abstract: We propose FooNet, which outperforms ResNet-50 on ImageNet in accuracy.\n"


def _jsonl(*records: dict) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _utf16_with_an_odd_byte() -> bytes:
    """A UTF-16 file cut in the middle of a character (an interrupted save)."""
    return "Abstract: We propose GooNet.\nAbstract: We propose HooNet.\n".encode("utf-16")[:-1]


#: name -> (bytes, line named by the problem (None: the whole file), words of the message,
#:          abstracts still read from the file, whether the part was skipped (False: a warning))
BROKEN: dict[str, tuple[bytes, int | None, str, list[str], bool]] = {
    "empty.txt": (b"", None, "file is empty", [], True),
    "blank.txt": (b"\n \n\t\n", None, "file is empty", [], True),
    "binary.dat": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, "binary file", [], True),
    "nul-padded.txt": (GOOD.encode() + b"\x00" * 4096, 2, "4096 NUL bytes removed", ["FooNet"], False),
    "only-nul.txt": (b"\x00" * 100, None, "only NUL bytes", [], True),
    "latin1.txt": (
        "Abstract: We propose CaféNet.\n".encode("latin-1"),
        1,
        "read as Latin-1",
        ["CaféNet"],
        False,
    ),
    "utf16-odd.txt": (_utf16_with_an_odd_byte(), 2, "odd number of bytes", ["GooNet", "HooNet"], False),
    "prose.txt": (b"Just a note to myself.\n", None, "format not recognised", [], True),
    "truncated.jsonl": (
        _jsonl({"title": "A", "abstract": "We propose ANet."}) + b'{"title": "B", "abst',
        2,
        "line 2 is not valid JSON",
        ["ANet"],
        True,
    ),
    "truncated-array.json": (
        b'[\n  {"title": "A", "abstract": "We propose ANet."},\n  {"title": "B", "abs',
        3,
        "record 2 is not valid JSON",
        ["ANet"],
        True,
    ),
    "no-abstract.jsonl": (
        _jsonl({"id": "x1", "title": "No abstract here"}, {"title": "B", "abstract": "We propose BNet."}),
        1,
        "record 1 (id 'x1') has no abstract",
        ["BNet"],
        True,
    ),
    "deep.jsonl": (
        b'{"abstract": "We x.", "k": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\n"
        b'{"title": "B", "abstract": "We propose BNet."}\n',
        1,
        "nested too deeply",
        ["BNet"],
        True,
    ),
    "missing-columns.csv": (
        b'title,abstract,year\nA,"We propose ANet.",2020\nB\nC,"We propose CNet.",2021\n',
        3,
        "row has 1 fields but the header has 3 columns",
        ["ANet", "CNet"],
        True,
    ),
    "unterminated.csv": (
        b'title,abstract\nA,"We propose ANet."\nB,"We propose BNet.\nC,"We propose CNet."\n',
        3,
        "unterminated quoted field",
        ["ANet"],
        True,
    ),
    "unbalanced.bib": (
        b"@article{a, title={Unbalanced {, abstract={We propose ZNet.}\n\n"
        b"@article{b, title={Ok}, abstract={We propose QNet.}}\n",
        1,
        "unbalanced braces",
        ["QNet"],
        True,
    ),
    "bad.xml": (
        b'<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>http://arxiv.org/abs/2401.01234</id>'
        b"<title>T</title><summary>We propose XNet.</summary></entry>\n<entry><title>broken</summary>\n",
        3,
        "invalid XML",
        ["XNet"],
        True,
    ),
    "entity-bomb.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">]>\n'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><summary>&a;</summary></entry></feed>',
        2,
        "document type declarations and entities are refused",
        [],
        True,
    ),
    "long-title.jsonl": (
        _jsonl(
            {"title": "T" * 1_000_000, "abstract": "We x."}, {"title": "B", "abstract": "We propose BNet."}
        ),
        1,
        "title is 1,000,000 characters long (limit 2,000); record skipped",
        ["BNet"],
        True,
    ),
    "long-abstract.csv": (
        b'title,abstract\nA,"' + b"We propose YNet. " * 10_000 + b'"\nB,"We propose BNet."\n',
        2,
        "abstract is 169,999 characters long (limit 100,000)",
        ["BNet"],
        True,
    ),
    "surrogate.jsonl": (
        b'{"title": "Lone \\ud800 surrogate", "abstract": "We propose SNet \\udfff on ImageNet."}\n',
        1,
        "lone UTF-16 surrogate in title, abstract replaced by U+FFFD",
        ["SNet"],
        False,
    ),
}


def _abstracts_mentioning(records, words: list[str]) -> list[str]:
    return [w for w in words if any(w in r.abstract for r in records)]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_file_gets_one_clear_message_and_the_rest_is_read(name: str, tmp_path: Path) -> None:
    data, line, words, still_read, skipped = BROKEN[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = read_paths([tmp_path])
    problems = [p for p in result.problems if p.path.endswith(name)]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert words in problem.message
    assert (problem.line, problem.skipped) == (line, skipped)
    mine = [r for r in result.records if r.source.path.endswith(name)]
    assert _abstracts_mentioning(mine, still_read) == still_read
    assert any("FooNet" in r.abstract for r in result.records if r.source.path.endswith("good.txt"))


def test_cli_reports_every_file_builds_the_rest_and_sums_up(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, *_rest) in BROKEN.items():
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    formats = "ttl,nt,jsonld,graphml,html"
    assert main(["build", str(folder), "--out", str(out), "--format", formats]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for name, (_, line, words, _, skipped) in BROKEN.items():
        where = f"{folder / name}:{line}" if line else str(folder / name)
        assert f"papergraph: {'skipped' if skipped else 'warning'} {where}: " in err, name
        assert words in err, name
    summary = err[err.index("papergraph: summary: ") :]
    assert summary.startswith(f"papergraph: summary: {len(BROKEN)} of {len(BROKEN) + 1} files had problems")
    assert f"{folder / 'binary.dat'}" in summary and "nothing read: binary file" in summary
    assert "1 record read, 1 skipped part" in summary and "1 record read, 1 warning" in summary
    assert "--keep-going exits 0" in err
    exports = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))  # not the build state
    assert exports == [f"graph.{f}" for f in sorted(formats.split(","))]
    labels = (out / "graph.ttl").read_text(encoding="utf-8")
    for word in ("FooNet", "ANet", "BNet", "CNet", "QNet", "XNet", "CaféNet", "SNet"):
        assert f'"{word}"' in labels, word


def test_keep_going_exits_0_and_quiet_still_prints_problems(tmp_path: Path, capsys) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "truncated.jsonl").write_bytes(BROKEN["truncated.jsonl"][0])
    out = str(tmp_path / "out")
    assert main(["build", str(tmp_path), "--out", out, "--format", "ttl", "--keep-going", "--quiet"]) == 0
    printed = capsys.readouterr()
    assert printed.out == ""
    assert "truncated.jsonl:2: record 2: line 2 is not valid JSON" in printed.err
    assert "papergraph: summary: 1 of 2 files had problems" in printed.err
    assert "exit code 1" not in printed.err


def test_a_warning_alone_also_exits_1(tmp_path: Path, capsys) -> None:
    (tmp_path / "latin1.txt").write_bytes(BROKEN["latin1.txt"][0])
    assert main(["build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "ttl"]) == 1
    assert "papergraph: warning " in capsys.readouterr().err


def test_nothing_usable_exits_2_and_writes_nothing(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("empty.txt", "binary.dat", "prose.txt"):
        (folder / name).write_bytes(BROKEN[name][0])
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no paper records could be read; nothing written" in err and "Traceback" not in err
    assert not out.exists()


def _failing_reader(monkeypatch) -> None:
    """The JSON reader, broken: it raises after its first record."""
    real = json_records.read

    def broken(text: str, path: str):
        records = real(text, path)
        yield next(records)
        raise ValueError("a bug in the reader")

    monkeypatch.setattr(json_records, "read", broken)


def test_a_reader_failure_is_a_problem_and_debug_shows_its_traceback(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    _failing_reader(monkeypatch)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "two.jsonl").write_bytes(
        _jsonl({"title": "A", "abstract": "We propose ANet."}, {"title": "B", "abstract": "We propose BNet."})
    )
    out = str(tmp_path / "out")
    assert main(["build", str(tmp_path), "--out", out, "--format", "ttl"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "two.jsonl:1: reading stopped after the record on line 1 (json reader failed: ValueError: " in err
    assert '"ANet"' in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    for _ in range(2):  # once per run, however often main() runs in one process
        assert main(["--debug", "build", str(tmp_path), "--out", out, "--format", "ttl"]) == 1
        err = capsys.readouterr().err
        assert err.count("Traceback (most recent call last)") == 1
        assert "papergraph: debug: reading" in err and "ValueError: a bug in the reader" in err


def test_a_failing_sniffer_says_no(tmp_path: Path, monkeypatch) -> None:
    from papergraph.sources import atom

    def sniff(text: str, path: str) -> bool:
        raise RecursionError("a bug in a sniffer")

    monkeypatch.setattr(atom, "sniff", sniff)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = read_paths([tmp_path])
    assert (len(result.records), result.problems) == (1, ())


def test_an_extraction_failure_skips_that_record_only(tmp_path: Path, monkeypatch, capsys) -> None:
    real = papergraph.run.parallel.extract

    def extract(record):
        if "BNet" in record.abstract:
            raise IndexError("a bug in extraction")
        return real(record)

    monkeypatch.setattr(papergraph.run.parallel, "extract", extract)
    (tmp_path / "two.jsonl").write_bytes(
        _jsonl({"title": "A", "abstract": "We propose ANet."}, {"title": "B", "abstract": "We propose BNet."})
    )
    kg = build([tmp_path])
    assert [p.title for p in kg.papers] == ["A"]
    assert [(p.line, p.message) for p in kg.problems] == [
        (2, "record skipped: extraction failed (IndexError: a bug in extraction); please report it")
    ]
    assert main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--debug"]) == 1
    assert "IndexError: a bug in extraction" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_unless_debug(tmp_path: Path, monkeypatch, capsys) -> None:

    def boom(kg, path):
        raise RuntimeError("disk on fire")

    original = FORMATS["ttl"]
    monkeypatch.setitem(FORMATS, "ttl", replace(original, write=boom))
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    out = str(tmp_path / "out")
    assert main(["build", str(tmp_path / "good.txt"), "--out", out, "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "papergraph: error: RuntimeError: disk on fire (run with --debug for details)"
    assert main(["--debug", "build", str(tmp_path / "good.txt"), "--out", out, "--jobs", "1"]) == 2
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    # written by a child process (html and graphml beside ttl): still one line, naming the file
    from papergraph.export import outputs as outputs_module

    monkeypatch.setitem(FORMATS, "ttl", original)
    monkeypatch.setitem(FORMATS, "html", replace(FORMATS["html"], write=boom))
    monkeypatch.setattr(outputs_module, "_can_fork", lambda children: True)  # threads of other tests
    assert outputs_module.lanes(["ttl", "html", "graphml"], 2, 1)[1] == ["html", "graphml"]
    assert main(["build", str(tmp_path / "good.txt"), "--out", out, "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "papergraph: error: writing graph.html failed: RuntimeError: disk on fire "
        "(run with --debug for details)"
    )
    assert main(["--debug", "build", str(tmp_path / "good.txt"), "--out", out, "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert "in the process writing graph.html:" in err and 'raise RuntimeError("disk on fire")' in err


def test_too_big_a_file_is_refused_with_its_size(tmp_path: Path, monkeypatch) -> None:
    import papergraph.sources as sources

    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1 << 20)
    (tmp_path / "dump.jsonl").write_bytes(
        _jsonl(*({"title": f"T{i}", "abstract": "We propose X." + " y" * 60} for i in range(10_000)))
    )
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = read_paths([tmp_path])
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'dump.jsonl'}: file is 2 MB, more than papergraph reads at once (1 MB); "
        "split it into smaller files"
    ]
    assert len(result.records) == 1


def test_an_endless_device_is_refused_unopened() -> None:
    import papergraph.sources as sources

    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    assert [str(p) for p in sources.read_file("/dev/zero")[1]] == [
        "/dev/zero: a character device, not a regular file: not read"
    ]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("title", checks.MAX_TITLE), ("abstract", checks.MAX_TEXT), ("authors", checks.MAX_TEXT)],
)
def test_field_limits_are_exact(field: str, limit: int, tmp_path: Path) -> None:
    def record(n: int) -> dict:
        values = {"title": "T", "abstract": "We propose X.", "authors": ["A"]}
        values[field] = [("a" * n)] if field == "authors" else "W" * n
        return values

    (tmp_path / "r.jsonl").write_bytes(_jsonl(record(limit), record(limit + 1)))
    result = read_paths([tmp_path])
    assert [r.source.line for r in result.records] == [1]
    assert [(p.line, p.message) for p in result.problems] == [
        (2, f"{field} is {limit + 1:,} characters long (limit {limit:,}); record skipped")
    ]


def test_utf16_latin1_and_mixed_line_endings_give_the_right_lines(tmp_path: Path) -> None:
    text = "Abstract: We propose ANet.\r\nAbstract: We propose BNet.\rAbstract: We propose CNet.\n"
    (tmp_path / "bom16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "le16.txt").write_bytes(text.encode("utf-16-le"))
    (tmp_path / "be16.txt").write_bytes(text.encode("utf-16-be"))
    (tmp_path / "mixed.txt").write_bytes(text.encode("utf-8"))
    result = read_paths([tmp_path])
    assert result.problems == ()
    by_file: dict[str, list] = {}
    for r in result.records:
        by_file.setdefault(Path(r.source.path).name, []).append((r.source.line, r.abstract))
    expected = [(1, "We propose ANet."), (2, "We propose BNet."), (3, "We propose CNet.")]
    assert by_file == dict.fromkeys(("be16.txt", "bom16.txt", "le16.txt", "mixed.txt"), expected)


def test_a_file_name_that_is_not_utf8_does_not_break_the_outputs(tmp_path: Path, capsys) -> None:
    name = b"caf\xe9.txt".decode("utf-8", "surrogateescape")
    try:
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    except (UnicodeEncodeError, OSError):
        pytest.skip("the file system refuses non-UTF-8 names")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path), "--out", str(out), "--format", "ttl,nt,jsonld,graphml,html"]) == 0
    assert "caf\ufffd.txt" in (out / "graph.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [
        ["build", "x"],
        ["query", "g.ttl", "ASK {}"],
        ["stats", "g.ttl"],
        ["view", "g.ttl"],
        ["explain-entity", "g", "n"],
    ],
)
@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_works_before_and_after_every_command(command: list[str], where: str) -> None:
    from papergraph.cli import _parser

    argv = ["--debug", *command] if where == "before" else [*command, "--debug"]
    assert _parser().parse_args(argv).debug is True
    assert _parser().parse_args(command).debug is False


def test_control_characters_in_messages_show_and_do_not_act(tmp_path: Path, capsys) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    feed = (  # an id with a C1 control (CSI) and a right-to-left override
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x\x9b2J\u202eevil</id>'
        "<title>T</title></entry></feed>"
    )
    (tmp_path / "feed.xml").write_text(feed, encoding="utf-8")
    (tmp_path / "clear\x1b[2J.txt").write_text("Just a note.\n", encoding="utf-8")
    assert main(["build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "ttl"]) == 1
    err = capsys.readouterr().err
    assert "entry 1 (x\\x9b2J\\u202eevil) has no summary" in err
    assert "clear\\x1b[2J.txt: format not recognised" in err
    assert not re.search("[\x1b\x9b\u202e]", err)
