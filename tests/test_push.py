"""papergraph push: the graph sent to a real Oxigraph server (PyPI's ``oxigraph``) started here on
127.0.0.1, then queried there and compared with the local answers."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from small_graph import small_kg

from papergraph.cli import main
from papergraph.query.named import named_queries
from papergraph.query.push import default_graph_iri
from papergraph.query.store import bind, open_store, table

PARAMS = {
    "paper-contributions": {"paper": "Second Improvement"},
    "builds-on-method": {"method": "BaseNet"},
    "methods-on-dataset-metric": {"dataset": "DataSet-A", "metric": "accuracy"},
    "papers-linking-methods": {"method_a": "BestNet", "method_b": "OtherNet"},
}


def _oxigraph() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    binary = _oxigraph()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph server (pip install oxigraph) is needed under CI")
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?{urlencode({'query': 'ASK {}'})}", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode()[:500]}")
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def remote_rows(base: str, text: str, graph: str) -> list[tuple[str, ...]]:
    url = f"{base}/query?{urlencode({'query': text, 'default-graph-uri': graph})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        data = json.load(r)
    names = data["head"]["vars"]
    return [tuple(b.get(n, {}).get("value", "") for n in names) for b in data["results"]["bindings"]]


def _sorted(rows):
    return sorted(tuple(", ".join(sorted(c.split(", "))) for c in row) for row in rows)


def test_push_then_the_server_answers_every_named_query_like_the_local_store(server, tmp_path, capsys):
    path = tmp_path / "graph.ttl"
    small_kg().write_turtle(path)
    iri = default_graph_iri(path)
    assert main(["push", str(path), "--endpoint", f"{server}/store"]) == 0
    assert f"PUT {server}/store?graph=urn%3Apapergraph%3Agraph" in capsys.readouterr().out
    local = open_store(path)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert remote_rows(server, count, iri) == [(str(len(local)),)]
    for name, q in named_queries().items():
        text = bind(q.text, PARAMS.get(name, {}))
        mine = _sorted(table(local.query(text)).rows)
        assert _sorted(remote_rows(server, text, iri)) == mine, name
        assert mine, name
    # pushing again replaces the named graph: nothing doubles
    assert main(["push", str(path), "--endpoint", f"{server}/store"]) == 0
    assert remote_rows(server, count, iri) == [(str(len(local)),)]


def test_push_ntriples_into_a_chosen_graph_and_append(server, tmp_path, capsys):
    path = tmp_path / "g.nt"
    small_kg().write_ntriples(path)
    iri = "https://example.org/graphs/team"
    assert main(["push", str(path), "--endpoint", f"{server}/store", "--graph-iri", iri]) == 0
    assert "application/n-triples" in capsys.readouterr().out
    extra = tmp_path / "extra.nt"
    extra.write_text('<https://e.org/x> <https://e.org/p> "added" .\n', encoding="utf-8")
    assert main(["push", str(extra), "--endpoint", f"{server}/store", "--graph-iri", iri, "--append"]) == 0
    assert "POST" in capsys.readouterr().out
    rows = remote_rows(server, "SELECT ?o WHERE { <https://e.org/x> ?p ?o }", iri)
    assert rows == [("added",)]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert remote_rows(server, count, iri) == [(str(len(open_store(path, persist=False)) + 1),)]


def test_push_errors(server, tmp_path, capsys):
    path = tmp_path / "graph.ttl"
    small_kg().write_turtle(path)
    assert main(["push", str(path), "--endpoint", f"{server}/nowhere"]) == 1
    assert "push failed" in capsys.readouterr().err
    port = _free_port()
    assert main(["push", str(path), "--endpoint", f"http://127.0.0.1:{port}/store"]) == 1
    assert "push failed" in capsys.readouterr().err
    assert main(["push", str(tmp_path / "missing.ttl"), "--endpoint", f"{server}/store"]) == 2
    assert main(["push", str(path), "--endpoint", "ftp://x"]) == 2
