"""Stable identity: a paper's IRI does not move when later inputs add identifiers to it, nor with
the order of the inputs, and each paper links to the IRIs other datasets use for the same work."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib

import papergraph
from papergraph.cli import main

ABSTRACT = "We propose LoRA, which freezes the pre-trained weights. LoRA improves on fine-tuning on GLUE."
BIB = (
    "@article{hu2021,\n  title = {LoRA: Low-Rank Adaptation of Large Language Models},\n"
    "  author = {Hu, Edward and Shen, Yelong},\n  year = {2021},\n"
    f"  abstract = {{{ABSTRACT}}}\n}}\n"
)


def _keys(kg: papergraph.KnowledgeGraph) -> dict[str, str]:
    return {p.title or "": p.key for p in kg.papers}


def test_a_paper_keeps_its_iri_when_a_later_input_adds_its_arxiv_id_and_doi(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "library.bib").write_text(BIB, encoding="utf-8")
    before = _keys(papergraph.build([tmp_path / "a"]))
    listing = {
        "title": "LoRA: Low-Rank Adaptation of Large Language Models",
        "abstract": ABSTRACT,
        "arxiv_id": "2106.09685",
        "doi": "10.48550/arXiv.2106.09685",
    }
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "daily.jsonl").write_text(json.dumps(listing) + "\n", encoding="utf-8")
    kg = papergraph.build([tmp_path / "a", tmp_path / "b"])
    assert len(kg.papers) == 1
    assert _keys(kg) == before
    assert "arXiv:2106.09685" in kg.papers[0].identifiers


def test_the_iri_survives_update(tmp_path: Path) -> None:
    (tmp_path / "library.bib").write_text(BIB, encoding="utf-8")
    out = tmp_path / "out"
    bib = str(tmp_path / "library.bib")
    assert main(["build", bib, "--out", str(out), "--format", "ttl", "--quiet"]) == 0
    first = rdflib.Graph().parse(out / "graph.ttl")
    listing = {"title": "LoRA: Low-Rank Adaptation of Large Language Models", "abstract": ABSTRACT}
    listing["arxiv_id"] = "2106.09685"
    (tmp_path / "daily.jsonl").write_text(json.dumps(listing) + "\n", encoding="utf-8")
    assert main(["build", "--update", str(out), str(tmp_path / "daily.jsonl"), "--quiet"]) == 0
    second = rdflib.Graph().parse(out / "graph.ttl")
    pg = rdflib.Namespace("https://w3id.org/papergraph/ontology#")
    papers = set(first.subjects(rdflib.RDF.type, pg.Paper))
    assert papers == set(second.subjects(rdflib.RDF.type, pg.Paper)) and len(papers) == 1
    (paper,) = papers
    assert (paper, rdflib.OWL.sameAs, rdflib.URIRef("https://arxiv.org/abs/2106.09685")) in second


def test_same_title_papers_get_the_same_keys_in_any_input_order(tmp_path: Path) -> None:
    rows = [
        {"title": "Editorial", "abstract": f"This issue has {n} papers on graphs.", "doi": f"10.1000/ed.{n}"}
        for n in (1, 2, 3)
    ]
    keys = []
    for order in (rows, rows[::-1], [rows[1], rows[2], rows[0]]):
        folder = tmp_path / str(len(keys))
        folder.mkdir()
        (folder / "x.jsonl").write_text("".join(json.dumps(r) + "\n" for r in order), encoding="utf-8")
        kg = papergraph.build([folder])
        keys.append({p.identifiers: p.key for p in kg.papers})
    assert keys[0] == keys[1] == keys[2]
    assert len(set(keys[0].values())) == 3


def test_papers_and_cited_works_link_to_the_iris_of_their_identifiers(tmp_path: Path) -> None:
    ris = (
        "TY  - JOUR\nTI  - A study of graphs\nAB  - We use GraphSAGE on Cora.\n"
        "DO  - 10.1000/XYZ<1>\nN1  - References: Hamilton, W., Inductive representation learning, "
        "(2017) doi: 10.48550/arXiv.1706.02216\nER  - \n"
    )
    (tmp_path / "x.ris").write_text(ris, encoding="utf-8")
    g = papergraph.build([tmp_path]).to_rdf()
    same = {str(o) for o in g.objects(None, rdflib.OWL.sameAs)}
    assert "https://doi.org/10.1000/xyz%3C1%3E" in same


def test_no_absolute_path_of_the_build_machine_in_any_output(tmp_path: Path) -> None:
    """Inputs given as absolute paths (and the example corpus, read from the installed package)
    are recorded relative to the folder that holds them; only problems name the real path."""
    folder = tmp_path / "exports-of-mine"
    folder.mkdir()
    (folder / "library.bib").write_text(BIB, encoding="utf-8")
    formats = "ttl,nt,jsonld,graphml,html,gexf,nodes-csv,edges-csv"
    for inputs, shown in (([str(folder)], "exports-of-mine/library.bib"), ([], "corpus/000_")):
        out = tmp_path / f"out{len(inputs)}"
        assert main(["build", *inputs, "--out", str(out), "--format", formats, "--quiet"]) == 0
        written = [p for p in out.iterdir() if p.is_file() and not p.name.startswith(".")]
        assert len(written) == 8
        for path in written:
            text = path.read_text(encoding="utf-8")
            assert str(tmp_path) not in text and str(Path(papergraph.__file__).parent) not in text, path.name
        assert shown in (out / "graph.ttl").read_text(encoding="utf-8")


def test_the_graph_says_which_build_made_it_with_prov_o(tmp_path: Path) -> None:
    """A prov:Activity used each input file and was associated with papergraph at its version;
    no time, so two builds of the same inputs give the same bytes."""
    (tmp_path / "library.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "more.bib").write_text(
        BIB.replace("hu2021", "hu2021b").replace("LoRA:", "QLoRA:"), encoding="utf-8"
    )
    outs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        assert (
            main(
                [
                    "build",
                    str(tmp_path / "library.bib"),
                    str(tmp_path / "more.bib"),
                    "--out",
                    str(out),
                    "--format",
                    "ttl",
                    "-q",
                ]
            )
            == 0
        )
        outs.append((out / "graph.ttl").read_bytes())
    assert outs[0] == outs[1]
    g = rdflib.Graph().parse(data=outs[0].decode(), format="turtle")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    (activity,) = g.subjects(rdflib.RDF.type, prov.Activity)
    used = {str(g.value(f, rdflib.RDFS.label)) for f in g.objects(activity, prov.used)}
    assert used == {"library.bib", "more.bib"}
    agent = g.value(activity, prov.wasAssociatedWith)
    assert (agent, rdflib.RDF.type, prov.SoftwareAgent) in g
    assert str(g.value(agent, rdflib.RDFS.label)).startswith("papergraph ")
