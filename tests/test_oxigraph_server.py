"""Every named query, its file as it is, through SPARQLWrapper against a real Oxigraph server
(``oxigraph serve`` from the ``oxigraph`` package of the ``[test]`` extra), loaded with the graph
of the example corpus and, when ``../shared/inputs`` is there, of the real exports plus the
reference corpus: the rows are those ``papergraph query`` gives on the graph file (issue 22).

Each test starts its server on a free port of 127.0.0.1 in a temporary folder and stops it; under
``CI=true`` a missing ``oxigraph`` or SPARQLWrapper fails the module instead of skipping it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import unavailable
from oxigraph_server import OXIGRAPH, load, serving

from papergraph.cli import main
from papergraph.query.named import named_queries

#: The graph ``papergraph push`` writes by default (``urn:papergraph:`` and the file's stem).
PUSHED_GRAPH = "urn:papergraph:graph"
NAMES = sorted(named_queries())
#: Which tests a missing tool stops (a failure under CI).
TESTS = "the Oxigraph server tests"


try:
    from SPARQLWrapper import JSON, SELECT, SPARQLWrapper
except ImportError:  # pragma: no cover - depends on the environment
    unavailable("SPARQLWrapper is not installed (pip install -e '.[test]')", TESTS)
if OXIGRAPH is None:  # pragma: no cover - depends on the environment
    unavailable("the oxigraph command is not installed (pip install oxigraph, in the [test] extra)", TESTS)


# ---- rows ----------------------------------------------------------------------------------------
def wrapper_rows(base: str, text: str, graph_iri: str | None = None) -> tuple[list[str], list[list[str]]]:
    """The variables and rows of ``text`` sent by SPARQLWrapper as a user sends it (GET, JSON
    results) to ``base``'s query service; unbound cells are ``""``."""
    sparql = SPARQLWrapper(base + "/query")
    sparql.setQuery(text)
    sparql.setReturnFormat(JSON)
    if graph_iri:
        sparql.addDefaultGraph(graph_iri)
    assert sparql.queryType == SELECT  # SPARQLWrapper reads the text as a query, not as an update
    answer = sparql.queryAndConvert()
    names = answer["head"]["vars"]
    rows = [[b.get(v, {}).get("value", "") for v in names] for b in answer["results"]["bindings"]]
    return names, rows


def papergraph_rows(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows ``papergraph query ... --output csv`` prints."""
    assert main(["query", *args, "--output", "csv"]) == 0
    header, *rows = csv.reader(capsys.readouterr().out.splitlines())
    return header, rows


def same(rows: list[list[str]]) -> list[list[list[str]]]:
    """Rows in a fixed order, each cell's ``GROUP_CONCAT`` parts sorted (their order is the engine's)."""
    return sorted([sorted(cell.split(", ")) for cell in row] for row in rows)


# ---- graphs --------------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["example", "shared"])
def loaded(request, built_graph, tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """A graph file and the base URL of an Oxigraph server holding it in its default graph: the
    example corpus, then ../shared/inputs plus the reference corpus (skipped when missing)."""
    tmp = tmp_path_factory.mktemp(f"oxigraph-{request.param}")
    graph = built_graph(request.param)
    load(tmp / "store", graph)
    with serving(tmp / "store") as base:
        yield graph, base


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_runs_unchanged_on_an_oxigraph_server(loaded, name, capsys) -> None:
    graph, base = loaded
    query = named_queries()[name]
    names, remote = wrapper_rows(base, query.portable)
    header, local = papergraph_rows(capsys, str(graph), "--name", name)
    assert names == header
    assert local, f"{name} answers nothing on {graph}: its examples should"
    assert same(remote) == same(local)


def test_after_push_into_a_named_graph_queries_need_the_graph(built_graph, tmp_path, capsys) -> None:
    """``papergraph push`` writes a named graph: a named query sent without naming it finds
    nothing there (Oxigraph's default graph is its own), and with it (``default-graph-uri``, or
    ``papergraph query --endpoint URL --graph-iri IRI``) the rows of the graph file."""
    graph = built_graph("example")
    with serving(tmp_path / "store", writable=True) as base:
        assert main(["push", str(graph), "--endpoint", base + "/store"]) == 0
        assert PUSHED_GRAPH.replace(":", "%3A") in capsys.readouterr().out  # it says where it wrote
        for name in NAMES:
            query = named_queries()[name]
            header, local = papergraph_rows(capsys, str(graph), "--name", name)
            assert local
            assert wrapper_rows(base, query.portable)[1] == []
            names, remote = wrapper_rows(base, query.portable, PUSHED_GRAPH)
            assert names == header and same(remote) == same(local)
            endpoint = ["--endpoint", base + "/query", "--graph-iri", PUSHED_GRAPH, "--name", name]
            assert same(papergraph_rows(capsys, *endpoint)[1]) == same(local)
