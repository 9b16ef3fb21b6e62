"""The Turtle papergraph writes, read by Raptor's ``rapper`` (Debian's ``raptor2-utils``, which
``.ci/run`` installs): the graph of the example corpus and, when ``../shared/inputs`` is there,
of the real exports plus the reference corpus parse without an error or a warning, into as many
triples as pyoxigraph and rdflib read (issue 22). Without ``rapper`` the module is skipped, except
under ``CI=true`` where that is a failure.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import rdflib
from conftest import unavailable

from papergraph.query.store import open_store

RAPPER = shutil.which("rapper")

if RAPPER is None:  # pragma: no cover - depends on the environment
    unavailable("Raptor's rapper is not installed (apt-get install raptor2-utils)", "the rapper tests")


@pytest.mark.parametrize("which", ["example", "shared"])
def test_rapper_reads_the_turtle_as_pyoxigraph_and_rdflib_do(built_graph, which) -> None:
    graph = built_graph(which)
    done = subprocess.run(
        [RAPPER, "-i", "turtle", "-c", str(graph)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if not line.startswith("rapper: Parsing ")]
    assert said == [], said  # no "rapper: Error - ..." nor "rapper: Warning - ..."
    counted = re.search(r"^rapper: Parsing returned (\d+) triples$", done.stderr, re.MULTILINE)
    assert counted is not None, done.stderr
    triples = int(counted.group(1))
    assert triples == len(open_store(graph, persist=False)) == len(rdflib.Graph().parse(graph))
    assert triples > 20_000
