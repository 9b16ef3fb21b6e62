"""A build killed or failing while it writes leaves the previous exports complete and readable, and a
rebuild gives byte for byte what an uninterrupted build gives.

The builds run as subprocesses (``python -m papergraph.cli``) killed with SIGKILL at a point
chosen by watching their staging folder: as soon as the first output is being written, and once
two outputs are complete (with the old write-each-file-in-place scheme, ``graph.ttl`` and
``graph.nt`` would already be the new ones there).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import networkx
import pytest
import rdflib

from papergraph.atomic import STAGING_PREFIX
from papergraph.cli import main
from papergraph.export.formats import FORMATS as OUTPUT_FORMATS

FORMATS = "ttl,nt,jsonld,graphml,html"
NAMES = sorted(f"graph.{f}" for f in FORMATS.split(","))


def _outputs(folder: Path) -> list[Path]:
    """The exports in ``folder``: not the hidden build state (``.papergraph-build.json``, the
    extraction cache) nor a staging folder."""
    return [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in _outputs(folder) if p.is_file()}


def _readable(folder: Path) -> None:
    """Every output parses."""
    rdflib.Graph().parse(folder / "graph.ttl", format="turtle")
    rdflib.Graph().parse(folder / "graph.nt", format="nt")
    rdflib.Graph().parse(folder / "graph.jsonld", format="json-ld")
    networkx.read_graphml(folder / "graph.graphml")
    assert (folder / "graph.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def _stats(folder: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, size, mtime) of each export; files that vanish while we look (the cache's SQLite
    journal, a staged file moved into place) are left out."""
    out = {}
    for p in _outputs(folder):
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        out[p.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def _progress(out: Path, before: dict[str, tuple[int, int, int]]) -> tuple[int, int]:
    """(files being written, outputs complete) of a running build, however it writes: temporary
    files and finished outputs in its staging folder, or outputs already replaced in ``out``."""
    staged = [p.name for d in out.glob(STAGING_PREFIX + "*") for p in d.iterdir()]
    now = _stats(out)
    replaced = [name for name in NAMES if name in now and now[name] != before.get(name)]
    temporary = [n for n in [*staged, *now] if n.startswith(".") and n.endswith(".tmp")]
    complete = [n for n in staged if not n.startswith(".")] + replaced
    return len(temporary), len(complete)


def _started(progress: tuple[int, int]) -> bool:
    return sum(progress) > 0


def _two_complete(progress: tuple[int, int]) -> bool:
    return progress[1] >= 2


def _build_and_kill(inputs: list[Path], out: Path, ready, timeout: float = 120) -> None:
    """Start a build of ``inputs`` into ``out`` and SIGKILL it as soon as ``ready(progress)``."""
    command = [sys.executable, "-m", "papergraph.cli", "build", *map(str, inputs), "--out", str(out)]
    proc = subprocess.Popen(
        [*command, "--format", FORMATS, "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.nice(10),  # on a busy machine the watcher still sees every step
    )
    before = _stats(out)
    deadline = time.monotonic() + timeout
    try:
        while not ready(_progress(out, before)):
            assert proc.poll() is None, f"the build ended before it could be killed: {proc.stderr.read()!r}"
            assert time.monotonic() < deadline, "the build never reached the point to kill it at"
            time.sleep(0.001)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def _build(inputs: list[Path], out: Path) -> dict[str, bytes]:
    assert main(["build", *map(str, inputs), "--out", str(out), "--format", FORMATS, "--quiet"]) == 0
    return _snapshot(out)


@pytest.fixture(scope="module")
def builds(corpus: Path, tmp_path_factory) -> dict:
    """A small previous input (one corpus file) and a bigger new one (three more), each built once
    without interruption; the new one twice, into different folders."""
    files = sorted(corpus.glob("*.txt"))
    previous, new = files[:1], files[1:4]
    folder = tmp_path_factory.mktemp("reference")
    return {
        "previous": previous,
        "new": new,
        "before": _build(previous, folder / "previous"),
        "after": _build(new, folder / "new"),
        "again": _build(new, folder / "again"),
    }


def _previous_exports(builds: dict, out: Path) -> None:
    out.mkdir()
    for name, data in builds["before"].items():
        (out / name).write_bytes(data)


@pytest.mark.parametrize("kill_when", [_started, _two_complete], ids=["first-output", "two-outputs-done"])
def test_killed_build_leaves_previous_exports_and_rebuild_equals_uninterrupted(
    kill_when, builds: dict, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    _previous_exports(builds, out)
    assert sorted(builds["before"]) == NAMES

    _build_and_kill(builds["new"], out, kill_when)

    assert _snapshot(out) == builds["before"]  # every previous file complete, none replaced
    _readable(out)
    assert list(out.glob(STAGING_PREFIX + "*")), "the killed build's staging folder is left behind"

    assert _build(builds["new"], out) == builds["after"]
    assert not list(out.glob(STAGING_PREFIX + "*")), "the rebuild removes the dead build's staging folder"
    assert [p.name for p in _outputs(out)] == NAMES


def test_failing_writer_replaces_nothing(builds: dict, tmp_path: Path, monkeypatch, capsys) -> None:

    out = tmp_path / "exports"
    _previous_exports(builds, out)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # the last output: the others are done
    monkeypatch.setitem(OUTPUT_FORMATS, "html", replace(OUTPUT_FORMATS["html"], write=fail))
    assert main(["build", *map(str, builds["new"]), "--out", str(out), "--format", FORMATS]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert _snapshot(out) == builds["before"]
    assert [p.name for p in _outputs(out)] == NAMES
    assert not list(out.glob(STAGING_PREFIX + "*"))  # no staging folder left


def test_same_input_same_bytes(builds: dict) -> None:
    assert builds["after"] == builds["again"]
    assert builds["after"] != builds["before"]
