"""papergraph push: the graph sent to a real Oxigraph server (PyPI's ``oxigraph``) started here on
127.0.0.1, then queried there and compared with the local answers."""

from __future__ import annotations

import base64
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar
from urllib.parse import urlencode

import pytest
from conftest import unavailable
from oxigraph_server import OXIGRAPH, free_port, serving
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A writable Oxigraph server, empty, for the module (tests/oxigraph_server.py)."""
    if OXIGRAPH is None:
        unavailable("the oxigraph server is not installed (pip install oxigraph)", "the push tests")
    with serving(tmp_path_factory.mktemp("oxigraph-server"), writable=True, wait=30) as base:
        yield base


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
    port = free_port()
    assert main(["push", str(path), "--endpoint", f"http://127.0.0.1:{port}/store"]) == 1
    assert "push failed" in capsys.readouterr().err
    assert main(["push", str(tmp_path / "missing.ttl"), "--endpoint", f"{server}/store"]) == 2
    assert main(["push", str(path), "--endpoint", "ftp://x"]) == 2


# -- credentials (issue 23) --------------------------------------------------------------------
class _Store(BaseHTTPRequestHandler):
    """A Graph Store that wants ``Authorization: <wanted>``: 201 with it, 401 without."""

    wanted = ""
    seen: ClassVar[list[str | None]] = []

    def do_PUT(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(self.headers.get("Authorization"))
        ok = self.headers.get("Authorization") == self.wanted
        self.send_response(201 if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def auth_store():
    handler = type("Store", (_Store,), {"seen": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def graph(tmp_path):
    path = tmp_path / "graph.ttl"
    small_kg().write_turtle(path)
    return path


def _basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_push_with_user_and_password_in_the_url_never_shows_them(auth_store, graph, capsys, monkeypatch):
    handler, host = auth_store
    monkeypatch.setenv("HOME", str(graph.parent))  # no ~/.netrc
    handler.wanted = _basic("ann", "s3cr:et")
    assert main(["push", str(graph), "--endpoint", f"http://ann:s3cr%3Aet@{host}/store"]) == 0
    out, err = capsys.readouterr()
    assert f"PUT http://{host}/store?graph=" in out and "s3cr" not in out + err and "ann" not in out + err
    handler.wanted = "something else"
    assert main(["push", str(graph), "--endpoint", f"http://ann:s3cr%3Aet@{host}/store"]) == 1
    out, err = capsys.readouterr()
    assert "HTTP 401" in err and f"http://{host}/store" in err
    assert "s3cr" not in out + err and "ann" not in out + err
    assert main(["push", str(graph), "--endpoint", "ftp://ann:s3cret@x/"]) == 2
    assert "s3cret" not in capsys.readouterr().err


def test_push_credentials_from_the_environment(auth_store, graph, monkeypatch, capsys):
    handler, host = auth_store
    monkeypatch.setenv("HOME", str(graph.parent))
    monkeypatch.setenv("PAPERGRAPH_PUSH_USER", "bob")
    monkeypatch.setenv("PAPERGRAPH_PUSH_PASSWORD", "pw")
    handler.wanted = _basic("bob", "pw")
    assert main(["push", str(graph), "--endpoint", f"http://{host}/store"]) == 0
    monkeypatch.setenv("PAPERGRAPH_PUSH_TOKEN", "tok-123")
    assert main(["push", str(graph), "--endpoint", f"http://{host}/store"]) == 2  # a token and a user
    monkeypatch.delenv("PAPERGRAPH_PUSH_USER")
    monkeypatch.delenv("PAPERGRAPH_PUSH_PASSWORD")
    handler.wanted = "Bearer tok-123"
    assert main(["push", str(graph), "--endpoint", f"http://{host}/store"]) == 0
    assert "tok-123" not in "".join(capsys.readouterr())
    assert handler.seen == [_basic("bob", "pw"), "Bearer tok-123"]


def test_push_credentials_from_a_netrc_file(auth_store, graph, monkeypatch, capsys):
    handler, host = auth_store
    monkeypatch.setenv("HOME", str(graph.parent))
    for name in ("PAPERGRAPH_PUSH_USER", "PAPERGRAPH_PUSH_PASSWORD", "PAPERGRAPH_PUSH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    netrc_file = graph.parent / "store.netrc"
    netrc_file.write_text("machine 127.0.0.1 login carol password n3trc\n", encoding="utf-8")
    netrc_file.chmod(0o600)
    handler.wanted = _basic("carol", "n3trc")
    assert main(["push", str(graph), "--endpoint", f"http://{host}/store", "--netrc", str(netrc_file)]) == 0
    assert main(["push", str(graph), "--endpoint", f"http://{host}/store"]) == 1  # no ~/.netrc: 401
    err = capsys.readouterr().err
    assert "HTTP 401" in err and "n3trc" not in err
    (graph.parent / ".netrc").write_text(netrc_file.read_text(), encoding="utf-8")
    (graph.parent / ".netrc").chmod(0o600)
    assert main(["push", str(graph), "--endpoint", f"http://{host}/store"]) == 0  # ~/.netrc
    bad = graph.parent / "bad.netrc"
    bad.write_text("login carol password n3trc\n", encoding="utf-8")  # no machine
    bad.chmod(0o600)
    assert main(["push", str(graph), "--endpoint", f"http://{host}/store", "--netrc", str(bad)]) == 2
    assert "not a readable netrc file" in (err := capsys.readouterr().err) and "n3trc" not in err
    assert main(["push", str(graph), "--endpoint", f"http://{host}/store", "--netrc", "/nonexistent"]) == 2


def test_a_repeated_param_is_a_usage_error(graph, capsys):
    args = ["query", str(graph), "--name", "builds-on-method", "--param", "method=BaseNet"]
    assert main(args) == 0
    capsys.readouterr()
    assert main([*args, "--param", "method=BestNet"]) == 2
    assert "--param method given twice" in capsys.readouterr().err
