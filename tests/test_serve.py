"""The local SPARQL 1.1 Protocol endpoint, driven with a real HTTP client (urllib) over TCP."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from small_graph import small_kg

from papergraph.query.serve import Endpoint, make_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = (
    "PREFIX pg: <https://w3id.org/papergraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?label WHERE { ?m a pg:Dataset ; rdfs:label ?label } ORDER BY ?label"
)


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    small_kg().write_turtle(path)
    return path


def _start(endpoint):
    server = make_server(endpoint, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def base(graph_file):
    server, url = _start(Endpoint.for_graph(graph_file))
    assert server.server_address[0] == "127.0.0.1"
    yield url
    server.shutdown()
    server.server_close()


def http(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type"), exc.read().decode("utf-8")


def test_get_with_each_result_format(base):
    url = f"{base}/sparql?{urlencode({'query': LABELS})}"
    status, media, body = http(url)
    assert status == 200 and media.startswith("application/sparql-results+json")
    assert [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]] == [
        "DataSet-A",
        "DataSet-B",
    ]
    status, media, body = http(url, headers={"Accept": "text/csv"})
    assert media.startswith("text/csv")
    assert list(csv.reader(io.StringIO(body))) == [["label"], ["DataSet-A"], ["DataSet-B"]]
    status, media, body = http(url, headers={"Accept": "application/sparql-results+xml"})
    assert media.startswith("application/sparql-results+xml") and "<literal>DataSet-B</literal>" in body
    status, media, body = http(url, headers={"Accept": "text/tab-separated-values;q=0.9, text/csv;q=0.1"})
    assert media.startswith("text/tab-separated-values") and '"DataSet-A"' in body
    assert http(url, headers={"Accept": "image/png"})[0] == 406


def test_post_form_and_direct_query(base):
    status, _, body = http(
        f"{base}/sparql",
        data=urlencode({"query": COUNT}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200
    n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert n == len(small_kg().to_rdf())
    status, _, body = http(
        f"{base}/sparql", data=LABELS.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 200 and "DataSet-A" in body
    assert http(f"{base}/sparql", data=b"x", headers={"Content-Type": "text/plain"})[0] == 415


def test_construct_as_turtle_or_ntriples(base):
    q = "CONSTRUCT WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> 'DataSet-A' }"
    status, media, body = http(f"{base}/sparql?{urlencode({'query': q})}")
    assert status == 200 and media.startswith("text/turtle") and "DataSet-A" in body
    status, media, body = http(
        f"{base}/sparql?{urlencode({'query': q})}", headers={"Accept": "application/n-triples"}
    )
    assert media.startswith("application/n-triples")
    assert body.strip().startswith("<https://w3id.org/papergraph/id/dataset/a>")


def test_read_only_refuses_updates(base):
    update = "DELETE WHERE { ?s ?p ?o }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert http(f"{base}/sparql", data=urlencode({"update": update}).encode(), headers=form)[0] == 403
    direct = {"Content-Type": "application/sparql-update"}
    assert http(f"{base}/sparql", data=update.encode(), headers=direct)[0] == 403
    assert http(f"{base}/sparql?{urlencode({'update': update})}")[0] == 403  # refused, whatever the method
    body = http(f"{base}/sparql?{urlencode({'query': COUNT})}")[2]
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0


def test_errors_are_plain_http_errors(base):
    status, _, body = http(f"{base}/sparql?{urlencode({'query': 'SELECT WHERE {'})}")
    assert status == 400 and "bad query" in body
    assert http(f"{base}/sparql?{urlencode({'query': 'a', 'default-graph-uri': 'x'})}")[0] == 400
    assert http(f"{base}/nothing")[0] == 404


def test_get_without_a_query_is_the_service_description(base):
    import rdflib

    status, media, body = http(f"{base}/sparql")
    assert status == 200 and media.startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    (service,) = g.subjects(rdflib.RDF.type, sd.Service)
    assert str(g.value(service, sd.endpoint)).endswith("/sparql")
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in g  # read-only
    status, media, body = http(f"{base}/sparql", headers={"Accept": "application/ld+json"})
    assert status == 200 and media.startswith("application/ld+json") and json.loads(body)


def test_construct_as_json_ld(base):
    q = "CONSTRUCT WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> 'DataSet-A' }"
    status, media, body = http(
        f"{base}/sparql?{urlencode({'query': q})}", headers={"Accept": "application/ld+json"}
    )
    assert status == 200 and media.startswith("application/ld+json")
    assert "DataSet-A" in json.dumps(json.loads(body))


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_get_405_with_allow(base, method):
    request = urllib.request.Request(f"{base}/sparql", data=b"x", method=method)
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 405 and info.value.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert info.value.headers["Content-Type"].startswith("text/plain")


def test_options_says_what_is_allowed(base):
    request = urllib.request.Request(f"{base}/sparql", method="OPTIONS")
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.status == 204 and r.headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_viewer_beside_the_endpoint(base):
    status, media, body = http(f"{base}/")
    assert status == 200 and media.startswith("text/html")
    assert "Content-Security-Policy" in body and "BestNet" in body


def test_allow_update_changes_memory_only(graph_file):
    before = graph_file.read_bytes()
    server, url = _start(Endpoint.for_graph(graph_file, allow_update=True, viewer=False))
    try:
        insert = 'INSERT DATA { <https://e.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "new" }'
        status, _, _ = http(
            f"{url}/sparql", data=insert.encode(), headers={"Content-Type": "application/sparql-update"}
        )
        assert status == 204
        q = "ASK { <https://e.org/x> ?p 'new' }"
        assert json.loads(http(f"{url}/sparql?{urlencode({'query': q})}")[2])["boolean"] is True
        assert http(f"{url}/")[0] == 404
    finally:
        server.shutdown()
        server.server_close()
    assert graph_file.read_bytes() == before


def test_papergraph_serve_command(graph_file):
    proc = subprocess.Popen(
        [sys.executable, "-m", "papergraph.cli", "serve", str(graph_file), "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        assert "serving" in lines[0]
        endpoint = lines[1].split()[2]
        assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/sparql")
        status, _, body = http(f"{endpoint}?{urlencode({'query': LABELS})}", headers={"Accept": "text/csv"})
        assert status == 200 and body.splitlines() == ["label", "DataSet-A", "DataSet-B"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
