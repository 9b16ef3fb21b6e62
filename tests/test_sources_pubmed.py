"""PubMed readers on real files (tests/data/exports/real, see its SOURCES.md): MEDLINE text as
PubMed and E-utilities write it (Biopython's test files) and E-utilities XML (an efetch answer
with a DOCTYPE, MathML and a ReferenceList)."""

from __future__ import annotations

from pathlib import Path

import pytest

from papergraph.cli import main
from papergraph.sources import detect, pubmed, pubmed_xml, read_file
from papergraph.sources.decoding import decode

REAL = Path(__file__).parent / "data" / "exports" / "real"


def _read(name: str):
    records, problems, fmt = read_file(REAL / name)
    return records, [str(p) for p in problems], fmt


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("biopython_pubmed_result2.txt", "pubmed"),
        ("biopython_pubmed_result4.txt", "pubmed"),
        ("biopython_pubmed7.xml", "pubmed-xml"),
    ],
)
def test_detected_from_content(name: str, expected: str) -> None:
    text, _ = decode((REAL / name).read_bytes(), name)
    assert detect(text, "renamed.dat") == expected


def test_medline_records_as_written() -> None:
    records, problems, fmt = _read("biopython_pubmed_result2.txt")
    assert (fmt, len(records), problems) == ("pubmed", 4, [])  # SOURCES.md: 4 records
    assert sum(1 for r in records if r.abstract) == 4
    assert sum(1 for r in records if any(i.startswith("doi:") for i in r.identifiers)) == 3
    first = records[0]
    assert first.title == "A high level interface to SCOP and ASTRAL implemented in python."
    assert first.identifiers == ("pmid:16403221", "doi:10.1186/1471-2105-7-10")
    assert first.authors == ("Casbon, James A", "Crooks, Gavin E", "Saqi, Mansoor A S")
    assert first.date == "2006-01-10"  # DP 2006, made fuller by DEP 20060110
    assert first.abstract.startswith("BACKGROUND: Benchmarking algorithms in structural bioinformatics often")
    assert "The ASTRAL compendium provides" in first.abstract  # continuation lines joined
    assert first.abstract.endswith("easier and more principled.")
    extra = set(first.extra)
    assert {("mesh", "*Software"), ("source", "BMC bioinformatics"), ("pmcid", "PMC1373603")} <= extra
    assert ("type", "Journal Article") in extra
    assert (
        records[1].title
        == "GenomeDiagram: a python package for the visualization of large-scale genomic data."
    )
    assert [r.date for r in records] == ["2006-01-10", "2006-03-01", "2004-06-12", "2003-11-22"]
    assert records[3].identifiers == ("pmid:14630660",)


def test_medline_lid_and_no_final_newline() -> None:
    records, problems, fmt = _read("biopython_pubmed_result4.txt")
    assert (fmt, len(records), problems) == ("pubmed", 1, [])
    r = records[0]
    assert r.identifiers == ("pmid:37195739", "doi:10.1091/mbc.e22-12-0560")
    assert r.date == "2023-05-17" and r.authors[0] == "Oh, Mijung" and len(r.authors) == 4
    assert r.title.startswith(
        "High extracellular glucose promotes cell motility by modulating cell deformability"
    )


def test_medline_bad_lines_are_problems_and_the_rest_is_read() -> None:
    text = (
        "PMID- 1\nTI  - First paper.\nAB  - We do X.\nthis line is broken\nFAU - Carberry, Josiah\n"
        "AUID- ORCID: 0000-0002-1825-0097\n"
        "OT  - deep learning\n\nPMID- 2\nDP  - 2003 Nov-Dec\nLA  - eng\n\n"
        "PMID- 3\nTI  - Third paper.\nDP  - 1998 Dec-1999 Jan\n"
    )
    out = list(pubmed.read(text, "a.nbib"))
    assert [str(x) if not hasattr(x, "title") else x.title for x in out] == [
        "a.nbib:4: not a MEDLINE field line (TAG - value): 'this line is broken'; ignored",
        "First paper.",
        "a.nbib:9: MEDLINE record (PMID 2) has neither a title (TI) nor an abstract (AB)",
        "Third paper.",
    ]
    assert out[1].orcids == (("Carberry, Josiah", "0000-0002-1825-0097"),)  # the AUID of the FAU before it
    assert ("keywords", "deep learning") in out[1].extra
    assert out[3].date == "1998-12"


def test_efetch_xml_with_doctype_mathml_and_references() -> None:
    records, problems, fmt = _read("biopython_pubmed7.xml")
    assert (fmt, len(records), problems) == ("pubmed-xml", 1, [])  # SOURCES.md: 1 record
    r = records[0]
    assert r.title == (
        "Development of a pulmonary imaging biomarker pipeline for phenotyping of chronic lung disease."
    )
    assert r.identifiers == ("pmid:29963580", "doi:10.1117/1.jmi.5.2.026002")
    assert r.date == "2018-04"  # PubDate 2018 Apr; the electronic date (June) does not refine it
    assert r.authors[:2] == ("Guo, Fumin", "Capaldi, Dante") and len(r.authors) == 9
    assert r.authors[-1] == "Canadian Respiratory Research Network"
    assert "<mml" not in r.abstract and "(1) inhaled He 3 / Xe 129 MRI ventilation" in r.abstract
    assert len(r.cited) == 49  # SOURCES.md: 49 references
    assert r.cited[0].text == "Radiology. 2015 Jan;274(1):250-9" and r.cited[0].ids == ("pmid:25144646",)
    assert ("keywords", "asthma") in r.extra and ("pmcid", "PMC6022861") in r.extra
    assert ("source", "Journal of medical imaging (Bellingham, Wash.)") in r.extra


def test_efetch_labelled_abstract_and_a_broken_article() -> None:
    xml = (
        '<?xml version="1.0" ?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>11</PMID>'
        "<Article><Journal><JournalIssue><PubDate><MedlineDate>2003 Nov-Dec</MedlineDate></PubDate>"
        "</JournalIssue></Journal><ArticleTitle>A</ArticleTitle><Abstract>"
        '<AbstractText Label="BACKGROUND">We x CO<sub>2</sub>.</AbstractText>'
        '<AbstractText Label="CONCLUSIONS">It works.</AbstractText></Abstract></Article>'
        "<MeshHeadingList><MeshHeading><DescriptorName>Humans</DescriptorName></MeshHeading>"
        "</MeshHeadingList></MedlineCitation></PubmedArticle>\n"
        "<PubmedArticle><MedlineCitation><PMID>12</PMID><Article><ArticleTitle>B & C</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle>\n"
        "<PubmedArticle><MedlineCitation><PMID>13</PMID><Article><ArticleTitle>D</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n"
    )
    out = list(pubmed_xml.read(xml, "e.xml"))
    assert out[0].abstract == "BACKGROUND: We x CO_2. CONCLUSIONS: It works."
    assert out[0].date == "2003-11" and ("mesh", "Humans") in out[0].extra
    assert (
        str(out[1])
        == "e.xml:4: record 2 is not well-formed XML (not well-formed (invalid token) on line 4); skipped"
    )
    assert out[2].title == "D" and out[2].identifiers == ("pmid:13",)


def test_entity_declarations_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaa">]>\n<PubmedArticleSet>'
        "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&a;</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    assert detect(bomb) == "pubmed-xml"
    out = list(pubmed_xml.read(bomb, "b.xml"))
    assert len(out) == 1 and out[0].line == 2 and "refused" in out[0].message


def test_build_of_a_real_medline_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert (
        main(["build", str(REAL / "biopython_pubmed_result2.txt"), "--out", str(out), "--format", "ttl"]) == 0
    )
    assert "1 file: 4 records, 4 distinct papers" in capsys.readouterr().out
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert 'dcterms:identifier "doi:10.1186/1471-2105-7-10", "pmid:16403221"' in turtle
    assert 'dcterms:title "Open source clustering software."' in turtle
    assert turtle.count("dcterms:identifier") >= 4
