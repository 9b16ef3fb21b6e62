"""A build killed or failing while it writes leaves the previous exports complete and readable, and a
rebuild gives byte for byte what an uninterrupted build gives.

The builds run as subprocesses (``python -m papergraph.cli``) killed with SIGKILL at a point
chosen by watching their staging folder: as soon as the first output is being written, and once
two outputs are complete (with the old write-each-file-in-place scheme, ``graph.ttl`` and
``graph.nt`` would already be the new ones there).
"""

from __future__ import annotations

import contextlib
import json
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


# ---------------------------------------------------------------------------------------------
# No process left behind: a build interrupted during extraction (--jobs 2)
# ---------------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    """The pids of the processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """``pid`` is a process that has not ended (a zombie waiting for its reaper has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _big_corpus(path: Path, papers: int = 12_000) -> Path:
    """Enough distinct records for extraction with two workers to take several seconds."""
    words = ["Adapter", "Prompt", "Sparse", "Graph", "Vision", "Speech", "Token", "Memory"]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(papers):
            name = f"{words[i % len(words)]}Net{i}"
            abstract = (
                f"We propose {name}, which outperforms ResNet-50 and BERT-{i % 97} on ImageNet and "
                f"GLUE in accuracy. {name} uses LoRA with a rank of {i % 13} and is trained on "
                f"CIFAR-{10 + i % 90}; it improves F1 on SQuAD over RoBERTa-{i % 7}."
            )
            fh.write(json.dumps({"id": f"p{i}", "title": f"{name} for things", "abstract": abstract}) + "\n")
    return path


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize(
    "sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["kill-9", "term", "int"]
)
def test_a_build_interrupted_during_extraction_leaves_no_process(sig: int, tmp_path: Path) -> None:
    corpus = _big_corpus(tmp_path / "big.jsonl")
    command = [sys.executable, "-m", "papergraph.cli", "build", str(corpus), "--out", str(tmp_path / "out")]
    log = tmp_path / "stderr"  # a file, not a pipe: workers left behind would hold a pipe open
    with log.open("wb") as stderr:
        proc = subprocess.Popen(
            [*command, "--jobs", "2", "--no-cache", "--format", "ttl", "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # a process group of its own, as a command typed in a terminal
        )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    try:
        while len(workers := _children(proc.pid)) < 2:  # the extraction pool has started
            assert proc.poll() is None, f"the build ended before it could be killed: {log.read_text()!r}"
            assert time.monotonic() < deadline, "the build never started its workers"
            time.sleep(0.01)
        time.sleep(0.3)  # the workers are extracting
        workers = _children(proc.pid)
        if sig == signal.SIGINT:  # Ctrl-C: the terminal sends it to the whole process group
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = log.read_text()
    gone_by = time.monotonic() + 5
    while (left := [pid for pid in workers if _running(pid)]) and time.monotonic() < gone_by:
        time.sleep(0.05)
    for pid in left:  # do not leave them to the other tests
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"worker processes {left} of the build outlived it"
    assert "Traceback" not in err
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "papergraph: interrupted" in err


@pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc/self/stat").exists(), reason="forks, reads /proc"
)
def test_without_prctl_a_child_still_ends_with_its_parent(tmp_path: Path) -> None:
    """The portable fallback alone (:func:`papergraph.lifeline.watch_parent`): a grandchild watching
    its parent ends once that parent has ended."""
    from papergraph.lifeline import watch_parent

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the parent to be: forks the watcher, tells its pid, ends
        try:
            parent = os.getpid()
            grandchild = os.fork()
            if grandchild == 0:
                watch_parent(parent, poll=0.05)
                time.sleep(60)
                os._exit(0)
            os.write(write, str(grandchild).encode())
        finally:
            os._exit(0)
    os.close(write)
    grandchild = int(os.read(read, 64))
    os.close(read)
    os.waitpid(child, 0)
    gone_by = time.monotonic() + 5
    while _running(grandchild) and time.monotonic() < gone_by:
        time.sleep(0.05)
    alive = _running(grandchild)
    if alive:
        os.kill(grandchild, signal.SIGKILL)
    assert not alive
