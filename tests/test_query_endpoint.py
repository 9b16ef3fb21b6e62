"""`papergraph query --endpoint URL`: the named queries run unchanged on a SPARQL endpoint (here
papergraph's own server over TCP) and give the rows they give on the graph file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from papergraph.cli import main
from papergraph.query.named import named_queries
from papergraph.query.serve import Endpoint, make_server


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example")
    assert main(["build", "--out", str(out), "--format", "ttl", "--quiet"]) == 0
    return out / "graph.ttl"


@pytest.fixture(scope="module")
def endpoint(example: Path):
    server = make_server(Endpoint.for_graph(example), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()
    server.endpoint.close()


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_gives_the_same_rows_on_an_endpoint(example, endpoint, name, capsys) -> None:
    assert main(["query", str(example), "--name", name, "--output", "csv"]) == 0  # the store the server opens
    local = capsys.readouterr().out
    assert main(["query", "--endpoint", endpoint, "--name", name, "--output", "csv"]) == 0
    remote = capsys.readouterr().out
    assert len(local.splitlines()) > 1
    assert sorted(remote.splitlines()) == sorted(local.splitlines())


def test_a_query_text_and_construct_run_on_an_endpoint(endpoint, capsys) -> None:
    assert main(["query", "--endpoint", endpoint, "ASK { ?s ?p ?o }"]) == 0
    assert capsys.readouterr().out.strip() == "true"
    construct = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/papergraph/ontology#Method> ; ?p ?o } LIMIT 5"
    )
    assert main(["query", "--endpoint", endpoint, construct]) == 0
    assert "https://w3id.org/papergraph/id/method/" in capsys.readouterr().out


def test_an_unreachable_endpoint_is_one_line_without_its_password(capsys) -> None:
    assert main(["query", "--endpoint", "http://me:secret@127.0.0.1:9/sparql", "ASK {}"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach http://127.0.0.1:9/sparql" in err and "secret" not in err


def _tokens(sparql: str) -> list[str]:
    """The query's text without comments, split on white space and around brackets."""
    import re

    text = re.sub(r"(?m)^\s*#[^\n]*$", "", sparql)
    return re.sub(r"([(){}])", r" \1 ", text).split()


@pytest.mark.parametrize("name", sorted(n for n, q in named_queries().items() if q.params))
def test_each_file_is_what_papergraph_runs_with_its_examples(name) -> None:
    """The ``.rq`` file as it is holds its examples in a VALUES block where papergraph binds
    parameters: it is the very text papergraph runs for the examples (up to comments and spaces),
    so it answers the same rows as fast on any endpoint."""
    from papergraph.query.store import bind

    query = named_queries()[name]
    examples = [f'"{p.example}"' for p in query.params]
    assert all(e in query.portable and e not in query.text for e in examples)
    bound = bind(query.text, query.bindings({}, examples=True))
    assert _tokens(query.portable) == _tokens(bound)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_each_file_runs_unchanged_with_its_examples(example, name) -> None:
    """The ``.rq`` file as it is gives the rows papergraph gives with the examples bound, and as
    fast: every one answers the example corpus in well under a second (a block at the end would be
    joined after aggregation: methods-on-dataset-metric took 307 s so)."""
    import time

    from papergraph.query.store import open_store, render, run

    query = named_queries()[name]
    store = open_store(example, persist=False)
    started = time.perf_counter()
    as_file = render(run(store, query.portable), "csv").splitlines()
    assert time.perf_counter() - started < 1.0
    bound = render(run(store, query.text, query.bindings({}, examples=True)), "csv").splitlines()
    assert len(bound) > 1 and _rows(as_file) == _rows(bound)


def test_a_block_of_examples_elsewhere_is_refused() -> None:
    """A block that papergraph would not replace by its own binding (misplaced, or naming other
    variables) would make the file answer otherwise than papergraph: the library refuses it."""
    from papergraph.query.named import parse_query

    head = "# X.\n# param m: a method. Example: BERT\n"
    block = '# Parameters: edit them.\nVALUES (?m) { ("BERT") }\n'
    good = parse_query("x.rq", head + "SELECT ?m WHERE {\n" + block + "?x ?p ?m }\n")
    assert good.text == head + "SELECT ?m WHERE {\n?x ?p ?m }\n"
    for bad in (
        head + "SELECT ?m WHERE {\n?x ?p ?m .\n" + block + "}\n",
        head + "SELECT ?m WHERE {\n" + block.replace("?m", "?n") + "?x ?p ?m }\n",
    ):
        with pytest.raises(ValueError, match="must bind m in that order"):
            parse_query("x.rq", bad)


def _rows(lines: list[str]) -> list[list[list[str]]]:
    """CSV rows, each cell's GROUP_CONCAT parts sorted (their order is up to the engine)."""
    import csv

    return sorted([sorted(cell.split(", ")) for cell in row] for row in csv.reader(lines))
