"""An Oxigraph server for the tests that talk to one (``test_push``, ``test_oxigraph_server``): the
``oxigraph`` command of the ``[test]`` extra, a store loaded with ``oxigraph load``, served on a
free port of 127.0.0.1 until the test is done."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

#: The ``oxigraph`` command installed beside this Python (the [test] extra), else on the PATH.
OXIGRAPH = next(
    (str(p) for p in (Path(sys.executable).with_name("oxigraph"),) if p.is_file()), shutil.which("oxigraph")
)


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(location: Path, graph: Path, graph_iri: str | None = None) -> None:
    """``oxigraph load`` of ``graph`` into the store at ``location`` (its default graph, or
    ``graph_iri``)."""
    command = [OXIGRAPH, "load", "--location", str(location), "--file", str(graph)]
    if graph_iri:
        command += ["--graph", graph_iri]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@contextlib.contextmanager
def serving(location: Path, *, writable: bool = False, wait: float = 60) -> Iterator[str]:
    """``oxigraph serve`` (or ``serve-read-only``) of the store at ``location`` on a free port,
    up until the block ends; yields its base URL (``/query``, ``/store`` below it). Fails the test
    if the server stops, or answers no query within ``wait`` seconds."""
    port = free_port()
    command = [OXIGRAPH, "serve" if writable else "serve-read-only", "--location", str(location)]
    proc = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve stopped: {proc.stderr.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer within {wait} s")
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()
