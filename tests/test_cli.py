"""Every command of the CLI, run as a user runs it (in-process through ``main``)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from papergraph.cli import main

ABSTRACTS = (
    "Abstract: We propose FooNet, which outperforms ResNet-50 on ImageNet in accuracy.\n"
    "Abstract: We fine-tune FooNet on CIFAR-10 and report accuracy.\n"
)


@pytest.fixture()
def built(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text(ABSTRACTS, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out)]) == 0
    return out, capsys.readouterr()


def test_build_prints_what_it_read_and_writes_outputs(built):
    out, printed = built
    assert "1 file: 2 records, 2 distinct papers" in printed.out
    assert "entities" in printed.out and "edges" in printed.out and "seconds" in printed.out
    shown = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert shown == ["graph.graphml", "graph.html", "graph.ttl"]
    # what a later --update needs: the inputs of this build and the extraction cache (hidden files)
    assert (out / ".papergraph-build.json").is_file() and (out / ".papergraph-cache.sqlite").is_file()


def test_build_formats(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text(ABSTRACTS, encoding="utf-8")
    assert main(["build", str(src), "--out", str(tmp_path / "o"), "--format", "nt,jsonld,ttl"]) == 0
    written = sorted(p.name for p in (tmp_path / "o").iterdir() if not p.name.startswith("."))
    assert written == ["graph.jsonld", "graph.nt", "graph.ttl"]
    assert main(["build", str(src), "--out", str(tmp_path / "o"), "--format", "pdf"]) == 2
    assert "unknown --format" in capsys.readouterr().err


def test_bad_file_is_named_the_rest_is_built_and_exit_code_says_so(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(ABSTRACTS, encoding="utf-8")
    (tmp_path / "bad.json").write_text('[{"id": 1, "title": "x"', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path), "--out", str(out), "--format", "ttl"]) == 1
    err = capsys.readouterr().err
    assert "bad.json" in err and "Traceback" not in err
    assert (out / "graph.ttl").exists()
    assert main(["build", str(tmp_path), "--out", str(out), "--format", "ttl", "--keep-going"]) == 0


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_query_table_csv_json(built, capsys):
    out, _ = built
    q = (
        "PREFIX pg: <https://w3id.org/papergraph/ontology#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?label WHERE { ?p pg:improvesOn ?m . ?m rdfs:label ?label }"
    )
    assert main(["query", str(out / "graph.ttl"), q]) == 0
    table = capsys.readouterr().out
    assert "ResNet-50" in table and "(1 row)" in table
    assert main(["query", str(out / "graph.ttl"), q, "--output", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["label"], ["ResNet-50"]]
    assert main(["query", str(out / "graph.ttl"), q, "--output", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["results"]["bindings"][0]["label"]["value"] == "ResNet-50"


def test_query_from_file_and_bad_query(built, tmp_path, capsys):
    out, _ = built
    rq = tmp_path / "q.rq"
    rq.write_text(
        "PREFIX pg: <https://w3id.org/papergraph/ontology#>\nSELECT (COUNT(?p) AS ?n) "
        "WHERE { ?p a pg:Paper }\n",
        encoding="utf-8",
    )
    assert main(["query", str(out / "graph.ttl"), "--file", str(rq), "--output", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "2"]
    assert main(["query", str(out / "graph.ttl"), "SELECT WHERE {"]) == 1
    assert "query failed" in capsys.readouterr().err
    assert main(["query", str(tmp_path / "missing.ttl"), "ASK {}"]) == 2


def test_stats_text_and_json(built, capsys):
    out, _ = built
    assert main(["stats", str(out / "graph.ttl")]) == 0
    text = capsys.readouterr().out
    assert "papers    2" in text and "top " in text
    assert main(["stats", str(out / "graph.ttl"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["papers"] == 2
    assert data["entities_by_type"]["Dataset"] == 2
    top = data["top_entities"][0]
    assert top["label"] == "FooNet" and top["papers"] == 2


@pytest.mark.parametrize("command", ["build", "query", "stats"])
def test_help_for_each_command(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: papergraph" in capsys.readouterr().out
