"""`papergraph validate`: the SHACL shapes of the contract, on graphs papergraph writes and on
hand-made graphs that break one rule each."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import rdflib
from conftest import SHARED, needs_shared
from rdflib.namespace import DCTERMS
from test_rdf import sample_kg

from papergraph.cli import main
from papergraph.ontology import shapes_file
from papergraph.query.validate import validate

ROOT = Path(__file__).resolve().parents[1]
HEAD = """
@prefix pg: <https://w3id.org/papergraph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix cito: <http://purl.org/spar/cito/> .
@prefix : <https://example.org/> .
:scheme a skos:ConceptScheme .
:p a pg:Paper ; rdfs:label "P" ; dcterms:title "P" ; dcterms:abstract "We use LoRA." .
"""
GOOD_ENTITY = (
    ':lora a pg:Method, skos:Concept ; rdfs:label "LoRA" ; skos:prefLabel "LoRA" ; skos:inScheme :scheme .\n'
)


def _report(turtle: str):
    return validate(rdflib.Graph().parse(data=HEAD + turtle, format="turtle"))


def test_the_repository_copy_of_the_shapes_is_the_installed_one() -> None:
    assert (ROOT / "ontologies" / "shapes.ttl").read_bytes() == shapes_file().read_bytes()


def test_graphs_papergraph_writes_conform(tmp_path: Path) -> None:
    kg = sample_kg()
    for write in (kg.write_turtle, kg.write_ntriples, kg.write_jsonld):
        path = write(tmp_path / f"g{write.__name__}")
        fmt = {"write_turtle": "turtle", "write_ntriples": "nt", "write_jsonld": "json-ld"}[write.__name__]
        report = validate(rdflib.Graph().parse(path, format=fmt))
        assert report.conforms, report.violations


def test_a_good_hand_made_graph_conforms() -> None:
    report = _report(GOOD_ENTITY + ":p pg:uses :lora .")
    assert report.conforms and report.violations == ()


@pytest.mark.parametrize(
    ("turtle", "path", "words"),
    [
        (':q a pg:Paper ; rdfs:label "Q" ; dcterms:abstract "" .', str(DCTERMS.abstract), "empty"),
        (':q a pg:Paper ; rdfs:label "Q" ; dcterms:title "A", "B" .', "http://purl.org/dc/terms/title", ""),
        (GOOD_ENTITY + ":p cito:cites :lora .", "http://purl.org/spar/cito/cites", "cites papers"),
        (':m a pg:Method ; rdfs:label "M" ; skos:prefLabel "M" ; skos:inScheme :scheme .', None, ""),
        (
            ':m a pg:Method, pg:Dataset, skos:Concept ; rdfs:label "M" ; skos:prefLabel "M" ; '
            "skos:inScheme :scheme .",
            None,
            "",
        ),
        (GOOD_ENTITY.replace("skos:inScheme :scheme", 'skos:altLabel ""'), None, ""),
        (":t pg:uses :p .", None, ""),
        (
            GOOD_ENTITY + ":e a pg:Evidence ; rdf:subject :p ; rdf:predicate pg:uses ; rdf:object :lora ; "
            "pg:start 7 ; pg:end 11 ; prov:wasDerivedFrom :p .",
            "http://www.w3.org/ns/prov#value",
            "",
        ),
    ],
    ids=[
        "empty-abstract",
        "two-titles",
        "cites-an-entity",
        "not-a-concept",
        "two-types",
        "no-scheme",
        "untyped-subject",
        "evidence-without-sentence",
    ],
)
def test_each_broken_rule_is_reported(turtle: str, path: str | None, words: str) -> None:
    report = _report(turtle)
    assert not report.conforms
    assert report.violations
    if path is not None:
        assert any(v.path == path for v in report.violations), report.violations
    assert any(words in v.message for v in report.violations)


def test_cli_exit_codes(tmp_path: Path, capsys) -> None:
    good = sample_kg().write_turtle(tmp_path / "good.ttl")
    assert main(["validate", str(good)]) == 0
    assert "conforms" in capsys.readouterr().out
    bad = tmp_path / "bad.ttl"
    bad.write_text(HEAD + ':q a pg:Paper ; rdfs:label "Q" ; dcterms:abstract "" .\n' * 1, encoding="utf-8")
    assert main(["validate", str(bad), "--max", "1"]) == 1
    out = capsys.readouterr().out
    assert "1 violations" in out and "https://example.org/q" in out
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2


def test_without_pyshacl_the_message_names_the_extra(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "pyshacl", None)
    good = sample_kg().write_turtle(tmp_path / "good.ttl")
    assert main(["validate", str(good)]) == 2
    assert 'pip install "pyshacl' in capsys.readouterr().err


@needs_shared(SHARED / "inputs")
def test_the_reference_corpus_and_the_real_exports_conform(tmp_path: Path) -> None:
    """The graph of ../shared/inputs plus the reference corpus passes the shipped shapes."""
    out = tmp_path / "out"
    inputs = [str(SHARED / "inputs"), str(SHARED / "corpus")]
    assert main(["build", *inputs, "--out", str(out), "--format", "ttl", "--quiet"]) == 0
    report = validate(rdflib.Graph().parse(out / "graph.ttl"))
    assert report.conforms, report.violations[:5]


def test_the_session_check_finds_each_built_graph_once_and_names_a_broken_one() -> None:
    """tests/graph_check.py, which validates every graph the tests build when the session ends:
    it takes the RDF files of a build's output folder (beside .papergraph-build.json, in the formats
    it names), each distinct content once, and names the graph that breaks a rule. (The folders are
    made outside the session's temporary folder, which the session check reads.)"""
    import json
    import tempfile

    from graph_check import built_graphs, violations

    good = sample_kg()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, formats in (("a", ["ttl", "nt"]), ("b", ["ttl"]), ("bad", ["ttl"]), ("other", [])):
            (root / name).mkdir()
            (root / name / ".papergraph-build.json").write_text(json.dumps({"formats": formats}))
            good.write_turtle(root / name / "graph.ttl")
        good.write_ntriples(root / "a" / "graph.nt")
        broken = ':q a pg:Paper ; rdfs:label "Q" ; dcterms:abstract "" .\n'
        (root / "bad" / "graph.ttl").write_text(HEAD + broken)
        (root / "b" / "notes.txt").write_text("not a graph")
        found = built_graphs(root)
        names = [p.relative_to(root).as_posix() for p in found]
        assert names == ["a/graph.nt", "a/graph.ttl", "bad/graph.ttl"]
        failures = violations(found)
    assert len(failures) == 1 and failures[0].startswith(str(root / "bad" / "graph.ttl"))
    assert "https://example.org/q" in failures[0] and "1 violation" in failures[0]
