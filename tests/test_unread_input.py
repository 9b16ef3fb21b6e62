"""Every input that is not read is named (issue 23): pipes, sockets and devices refused unopened;
unreadable folders, dangling links, link loops and linked folders of a walked folder reported;
a truncated gzip file read up to the damage; a broken element of a JSON array costing itself only.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import threading
from pathlib import Path

import pytest

from papergraph.cli import main
from papergraph.sources import read_file, read_paths

GOOD = "Abstract: We propose FooNet, which outperforms ResNet-50 on ImageNet in accuracy.\n"


def _read_within(paths: list, seconds: float = 20):  # type: ignore[no-untyped-def]
    """``read_paths(paths)``, failing (not hanging) when it takes longer than ``seconds``."""
    done: list = []
    thread = threading.Thread(target=lambda: done.append(read_paths(paths)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert done, f"reading {paths} blocked"
    return done[0]


def _messages(result, path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.message for p in result.problems if p.path == str(path)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_unopened_given_or_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    given = tmp_path / "given.fifo"
    os.mkfifo(given)
    result = _read_within([folder, given])
    assert _messages(result, folder / "pipe.txt") == ["a named pipe (FIFO), not a regular file: not read"]
    assert _messages(result, given) == ["a named pipe (FIFO), not a regular file: not read"]
    assert len(result.records) == 1


def test_a_socket_and_a_device_are_refused(tmp_path: Path) -> None:
    if not hasattr(socket, "AF_UNIX") or not Path("/dev/zero").exists():
        pytest.skip("no Unix sockets or /dev/zero")
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.bind(str(tmp_path / "s.sock"))
        except OSError:
            pytest.skip("the socket's path is too long")
        result = _read_within([tmp_path, "/dev/zero"])
    assert _messages(result, tmp_path / "s.sock") == ["a socket, not a regular file: not read"]
    assert _messages(result, Path("/dev/zero")) == ["a character device, not a regular file: not read"]


def test_links_of_a_walked_folder_are_named_and_never_loop(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    (folder / "sub" / "up").symlink_to(folder)  # a folder containing itself
    (folder / "linked.txt").symlink_to(folder / "sub" / "good.txt")  # a linked file is read
    result = _read_within([folder])
    assert _messages(result, folder / "dangling.txt") == [
        f"dangling symbolic link (-> {tmp_path / 'nowhere.txt'}: no such file); not read"
    ]
    for loop in ("loop-a", "loop-b"):
        assert _messages(result, folder / loop)[0].startswith("symbolic link loop (-> ")
    assert _messages(result, folder / "sub" / "up") == [
        f"symbolic link to a folder (-> {folder}); not followed: give the folder as an input to read it"
    ]
    assert sorted(Path(r.source.path).name for r in result.records) == ["good.txt", "linked.txt"]
    assert len(result.files) == 6  # each named once


def test_an_unreadable_folder_is_named(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "locked" / "hidden.txt").write_text(GOOD, encoding="utf-8")
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == folder / "locked":  # as chmod 000 does, for anyone but root
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = _read_within([folder])
    assert _messages(result, folder / "locked") == [
        "cannot read folder: Permission denied; nothing under it is read"
    ]
    assert len(result.records) == 1


def _jsonl(n: int) -> bytes:
    return b"".join(
        json.dumps({"title": f"T{i}", "abstract": f"We propose Net{i}, which beats ResNet-50."}).encode()
        + b"\n"
        for i in range(n)
    )


def test_a_truncated_gzip_file_keeps_its_complete_lines(tmp_path: Path) -> None:
    packed = gzip.compress(_jsonl(2000))
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    records, problems, fmt = read_file(path)
    assert fmt == "json" and len(records) > 500
    [problem] = problems
    lines = len(records)
    assert problem.line == lines + 1 and problem.skipped
    assert problem.message.startswith("gzip data truncated after ")
    assert (
        f" bytes ({lines:,} lines) of text; the lines up to there are read, the rest is lost"
        in problem.message
    )


def test_a_gzip_file_cut_before_its_first_line_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(gzip.compress(GOOD.encode())[:15])
    assert [p.message for p in read_file(path)[1]] == [
        "cannot decompress gzip file: data truncated before its first line"
    ]


BAD_THEN_GOOD = '[{"title": "x", "abstract": }, {"title": "Good", "abstract": "We propose X."}]'


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("compact.json", BAD_THEN_GOOD, "line 1, column 29"),
        ("wrapped.json", '{"records": ' + BAD_THEN_GOOD + "}", "line 1, column 41"),
        (
            "two-lines.json",
            '[{"title": "x",\n "abstract": }, {"title": "Good", "abstract": "We propose X."}]',
            "line 2, column 14",
        ),
    ],
)
def test_a_broken_element_of_a_compact_json_array_costs_itself_only(
    name: str, text: str, where: str, tmp_path: Path
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    records, problems, _ = read_file(tmp_path / name)
    assert [(r.title, r.abstract) for r in records] == [("Good", "We propose X.")]
    assert [(p.line, p.message) for p in problems] == [
        (1, f"record 1 is not valid JSON (Expecting value; {where})")
    ]


def test_an_openalex_page_with_a_broken_work_keeps_the_others(tmp_path: Path) -> None:
    work = '{"id": "https://openalex.org/W%d", "title": "T%d", "publication_year": 2020, '
    work += '"abstract_inverted_index": %s}'
    page = (
        '{"meta": {"count": 3}, "results": ['
        + ", ".join(
            [
                work % (1, 1, '{"We": [0], "do": [1], "X.": [2]}'),
                work % (2, 2, ""),
                work % (3, 3, '{"Y.": [0]}'),
            ]
        )
        + "]}"
    )
    (tmp_path / "page.json").write_text(page, encoding="utf-8")
    records, problems, fmt = read_file(tmp_path / "page.json")
    assert fmt == "openalex"
    assert [r.title for r in records] == ["T1", "T3"]
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [(1, "record 2 is not valid JSON")]


def test_the_cli_names_what_it_did_not_read(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "--format", "ttl"]) == 1
    err = capsys.readouterr().err
    assert f"papergraph: skipped {folder / 'dangling.txt'}: dangling symbolic link" in err
    assert "papergraph: summary: 1 of 2 files had problems" in err
