"""The Oxigraph store, parameter binding and the named query library (ontologies/queries)."""

from __future__ import annotations

import json
import os
import time

import pytest
import rdflib
from small_graph import small_kg

from papergraph.cli import main
from papergraph.query.named import named_queries, named_query
from papergraph.query.store import bind, open_store, run, store_of, store_path, table

PG = "https://w3id.org/papergraph/id/"
HOSTILE = '"} ; DROP ALL ; {"'


@pytest.fixture(scope="module")
def small_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "graph.ttl"
    small_kg().write_turtle(path)
    return path


@pytest.fixture(scope="module")
def small_store(small_file):
    return open_store(small_file)


@pytest.fixture(scope="module")
def corpus_file(corpus_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "graph.ttl"
    corpus_graph.write_turtle(path)
    return path


def answer(store, name, **params):
    q = named_query(name)
    return table(run(store, q.text, q.bindings(params))).records()


def test_every_named_query_is_documented():
    library = named_queries()
    assert set(library) >= {
        "most-used-datasets",
        "most-used-metrics",
        "most-improved-methods",
        "paper-contributions",
        "builds-on-method",
        "methods-on-dataset-metric",
        "papers-linking-methods",
    }
    for q in library.values():
        assert q.title and q.description and q.columns, q.name
        for p in q.params:
            assert f"?{p.name}" in q.text, (q.name, p.name)


def test_most_used_and_most_improved(small_store):
    assert [(r["label"], r["papers"]) for r in answer(small_store, "most-used-datasets")] == [
        ("DataSet-A", "3"),
        ("DataSet-B", "1"),
    ]
    assert [(r["label"], r["papers"]) for r in answer(small_store, "most-used-metrics")] == [
        ("accuracy", "3"),
        ("F1", "1"),
    ]
    assert [(r["label"], r["papers"]) for r in answer(small_store, "most-used-methods")] == [
        ("OtherNet", "3"),
        ("BestNet", "1"),
    ]
    assert [(r["label"], r["papers"]) for r in answer(small_store, "most-improved-methods")] == [
        ("BaseNet", "1"),
        ("BetterNet", "1"),
    ]


def test_paper_contributions_by_title_or_iri(small_store):
    rows = answer(small_store, "paper-contributions", paper="Second Improvement")
    assert [(r["relation"], r["label"]) for r in rows] == [
        ("proposes", "BestNet"),
        ("improves on", "BetterNet"),
        ("compares to", "OtherNet"),
        ("uses", "DataSet-A"),
        ("uses", "accuracy"),
    ]
    by_iri = answer(small_store, "paper-contributions", paper=f"<{PG}paper/p2>")
    assert [r["label"] for r in by_iri] == [r["label"] for r in rows]


def _relations(row):
    return set(row["relations"].split(", "))


def test_builds_on_follows_chains_of_improvements(small_store):
    """One row per paper (its relations aggregated), papers naming the method itself first."""
    rows = answer(small_store, "builds-on-method", method="BaseNet")
    assert [(r["title"], r["direct"], _relations(r)) for r in rows] == [
        ("First Improvement", "true", {"improves on BaseNet", "proposes BetterNet"}),
        ("Second Improvement", "false", {"improves on BetterNet", "proposes BestNet"}),
        ("User Paper", "false", {"uses BestNet"}),
    ]
    assert "Base Paper" not in {r["title"] for r in rows}  # it proposes the method itself


def test_methods_on_dataset_with_metric(small_store):
    rows = answer(small_store, "methods-on-dataset-metric", dataset="DataSet-A", metric="accuracy")
    assert [(r["label"], r["papers"], r["roles"]) for r in rows] == [
        ("BaseNet", "2", "proposed, baseline"),
        ("BetterNet", "2", "proposed, baseline"),
        ("BestNet", "1", "proposed"),
        ("OtherNet", "1", "baseline"),
    ]
    assert {r["label"]: r["papers"] for r in rows} == {
        "BaseNet": "2",
        "BetterNet": "2",
        "BestNet": "1",
        "OtherNet": "1",
    }
    assert answer(small_store, "methods-on-dataset-metric", dataset="DataSet-B", metric="accuracy") == []


def test_papers_linking_two_methods_by_alias(small_store):
    rows = answer(small_store, "papers-linking-methods", method_a="BN", method_b="OtherNet")
    assert {(r["title"], r["relation_a"], r["relation_b"]) for r in rows} == {
        ("Second Improvement", "proposes", "compares to"),
        ("User Paper", "uses", "uses"),
    }


def test_hostile_value_is_one_literal_that_matches_nothing(small_store):
    before = len(small_store)
    for name, q in named_queries().items():
        params = {p.name: HOSTILE for p in q.params}
        if params:
            assert table(run(small_store, q.text, params)).rows == (), name
    assert len(small_store) == before
    text = bind("SELECT ?m WHERE { ?m ?p ?name }", {"name": HOSTILE})
    assert 'VALUES (?name) { ("\\"} ; DROP ALL ; {\\"") }' in text
    with pytest.raises(ValueError):
        bind("SELECT ?m WHERE { ?m ?p ?name }", {"name } DROP": "x"})


def test_binding_skips_braces_in_strings_comments_and_iris():
    text = bind(
        '# WHERE { in a comment\nPREFIX x: <http://e.org/{a}#>\nSELECT ("WHERE {" AS ?s) ?m WHERE {?m ?p ?n}',
        {"n": "v"},
    )
    assert text.endswith('WHERE { VALUES (?n) { ("v") }\n?m ?p ?n}')


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { { SELECT ?m ?n WHERE {?m ?p ?n} } ?m ?q ?o }",
        "SELECT * WHERE {\n  # counts first\n  {\n    SELECT ?m ?n WHERE {?m ?p ?n} } ?m ?q ?o }",
        "SELECT * WHERE { SELECT ?m ?n WHERE {?m ?p ?n} }",
        "SELECT * WHERE { { SELECT ?n WHERE { { SELECT ?m ?n WHERE {?m ?p ?n} } } } }",
    ],
)
def test_binding_goes_into_the_first_where_clause_that_does_not_open_with_a_subquery(query):
    text = bind(query, {"n": "v"})
    assert 'WHERE { VALUES (?n) { ("v") }\n?m ?p ?n}' in text
    assert text.count("VALUES") == 1


def test_parameters_bound_inside_a_subquery_restrict_it(small_store):
    """Bound inside the subquery that projects it, a parameter restricts the answer as it would
    outside it (the placement is for speed: the engine starts from the value)."""
    query = """SELECT DISTINCT ?m ?label WHERE {
      { SELECT ?m ?label WHERE { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?label } }
      ?m a ?type }"""
    assert table(run(small_store, query, {"label": "BaseNet"})).rows == ((f"{PG}method/basenet", "BaseNet"),)


def _cells(rows):
    """Rows with GROUP_CONCAT lists sorted (their order is up to the engine)."""
    return [tuple(", ".join(sorted(c.split(", "))) for c in row) for row in rows]


def test_store_agrees_with_rdflib(small_file, small_store):
    """Every named query gives the same rows on Oxigraph and on rdflib's engine."""
    graph = rdflib.Graph()
    graph.parse(small_file, format="turtle")
    params = {
        "paper-contributions": {"paper": "Second Improvement"},
        "builds-on-method": {"method": "BaseNet"},
        "methods-on-dataset-metric": {"dataset": "DataSet-A", "metric": "accuracy"},
        "papers-linking-methods": {"method_a": "BestNet", "method_b": "OtherNet"},
    }
    for name, q in named_queries().items():
        text = bind(q.text, params.get(name, {}))
        ours = sorted(_cells(table(small_store.query(text)).rows))
        theirs = sorted(_cells(tuple("" if v is None else str(v) for v in row) for row in graph.query(text)))
        assert ours == theirs, name
        assert ours, name


def test_named_queries_on_the_reference_corpus(corpus_file):
    """Known answers on real data (rdflib's engine takes minutes on some of these, so Oxigraph only)."""
    store = open_store(corpus_file)
    assert [r["label"] for r in answer(store, "most-used-datasets")[:3]] == [
        "ImageNet",
        "CIFAR-10",
        "CIFAR-100",
    ]
    assert answer(store, "most-used-metrics")[0]["label"] == "accuracy"
    assert answer(store, "most-used-methods")[0]["label"] == "Low-Rank Adaptation"
    assert answer(store, "most-improved-methods")[0]["label"] == "Low-Rank Adaptation"
    electra = "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators"
    contributions = {(r["relation"], r["label"]) for r in answer(store, "paper-contributions", paper=electra)}
    assert {("proposes", "ELECTRA"), ("improves on", "BERT"), ("uses", "GLUE")} <= contributions
    builders = {r["title"]: r for r in answer(store, "builds-on-method", method="BERT")}
    assert builders[electra]["direct"] == "true"
    assert {"proposes ELECTRA", "improves on BERT"} <= _relations(builders[electra])
    evaluated = answer(store, "methods-on-dataset-metric", dataset="ImageNet", metric="top-1 accuracy")
    assert ("MixtureGrowth", "proposed") in {(r["label"], r["roles"]) for r in evaluated}
    linking = answer(store, "papers-linking-methods", method_a="ELECTRA", method_b="BERT")
    assert {(r["title"], r["relation_a"], r["relation_b"]) for r in linking} == {
        (electra, "proposes", "improves on"),
        (electra, "proposes", "uses"),
    }


def test_every_parameter_has_an_example_that_answers_on_the_reference_corpus(corpus_file, capsys):
    """``papergraph query GRAPH --name NAME`` answers every named query of the library on the
    example corpus, with the examples standing in for the parameters left out."""
    for q in named_queries().values():
        assert all(p.example for p in q.params), q.name
        assert main(["query", str(corpus_file), "--name", q.name, "--output", "csv"]) == 0
        rows, err = capsys.readouterr()
        assert len(rows.splitlines()) >= 2, q.name
        assert err.count("using the query's example") == len(q.params), q.name


RANKED_BY = {  # named ranking -> (its node column, the class, the predicate whose distinct papers it counts)
    "most-used-methods": ("method", "Method", "uses"),
    "most-used-datasets": ("dataset", "Dataset", "uses"),
    "most-used-metrics": ("metric", "Metric", "uses"),
    "most-improved-methods": ("method", "Method", "improvesOn"),
}


@pytest.mark.parametrize("name", sorted(RANKED_BY))
def test_rankings_read_from_the_counts_agree_with_counting_the_statements(corpus_file, name):
    """The rankings read the pg:papersUsing / pg:papersImproving counts written with the graph; on the
    reference corpus they give the counts, and the order, that counting the statements gives (up to
    which of the nodes tied at the 20th place are kept)."""
    column, cls, prop = RANKED_BY[name]
    counted = table(
        run(
            open_store(corpus_file),
            f"""PREFIX pg: <https://w3id.org/papergraph/ontology#>
            SELECT ?x (COUNT(DISTINCT ?paper) AS ?n)
            WHERE {{ ?paper pg:{prop} ?x . ?paper a pg:Paper . ?x a pg:{cls} }} GROUP BY ?x""",
        )
    ).rows
    count_of = {x: int(n) for x, n in counted}
    rows = answer(open_store(corpus_file), name)
    assert len(rows) == 20
    papers = [int(r["papers"]) for r in rows]
    assert papers == sorted(papers, reverse=True)
    assert papers == sorted(count_of.values(), reverse=True)[:20]
    assert all(count_of[r[column]] == int(r["papers"]) for r in rows)


def test_store_is_persisted_next_to_the_graph_and_rebuilt_when_it_changes(tmp_path):
    path = tmp_path / "graph.ttl"
    small_kg().write_turtle(path)
    first = open_store(path)
    folder = store_path(path)
    assert (folder / "source.json").is_file() and len(first) > 0
    stamp = (folder / "source.json").stat().st_mtime_ns
    del first
    t = time.perf_counter()
    again = open_store(path)
    assert time.perf_counter() - t < 1.0
    assert (folder / "source.json").stat().st_mtime_ns == stamp  # reused, not rebuilt
    n = len(again)
    del again
    with path.open("a", encoding="utf-8") as fh:
        fh.write('<https://e.org/x> <https://e.org/p> "new" .\n')
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert len(open_store(path)) == n + 1
    assert json.loads((folder / "source.json").read_text())["size"] == path.stat().st_size


def test_knowledge_graph_query_runs_on_the_store_and_returns_rdflib_rows():
    kg = small_kg()
    rows = list(
        kg.query(
            "PREFIX pg: <https://w3id.org/papergraph/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?label WHERE { ?p pg:improvesOn ?m . ?m rdfs:label ?label . ?p rdfs:label ?title } "
            "ORDER BY ?label",
            bindings={"title": "Second Improvement"},
        )
    )
    assert [str(r.label) for r in rows] == ["BetterNet"]
    assert isinstance(rows[0].label, rdflib.Literal)
    assert len(store_of(kg.to_rdf())) == len(kg.store)


def test_cli_named_query_params_and_outputs(small_file, capsys):
    args = ["query", str(small_file), "--name", "paper-contributions", "--param", "paper=First Improvement"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "BetterNet" in out and "(4 rows)" in out
    assert main([*args, "--output", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["head"]["vars"][:3] == ["paper", "match", "relation"]
    assert data["results"]["bindings"][0]["entity"] == {"type": "uri", "value": f"{PG}method/betternet"}
    assert main([*args, "--output", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "paper,match,relation,type,label,entity"
    assert main([*args, "--engine", "rdflib", "--output", "csv"]) == 0
    assert "BetterNet" in capsys.readouterr().out


def test_cli_query_errors_and_list(small_file, capsys):
    assert main(["query", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "builds-on-method  --param method=..." in listing
    assert main(["query", str(small_file), "--name", "builds-on-method"]) == 0  # the example: BERT
    err = capsys.readouterr().err
    assert err == "papergraph: no --param method: using the query's example, method=BERT\n"
    with pytest.raises(ValueError, match="needs --param NAME=VALUE for: method"):
        named_query("builds-on-method").bindings({})
    assert main(["query", str(small_file), "--name", "nope"]) == 2
    assert "known queries" in capsys.readouterr().err
    assert main(["query", str(small_file), "--name", "most-used-datasets", "-p", "x=1"]) == 2
    assert "no parameter x" in capsys.readouterr().err
    assert main(["query", str(small_file), "--name", "builds-on-method", "-p", f"method={HOSTILE}"]) == 0
    assert "(0 rows)" in capsys.readouterr().out
