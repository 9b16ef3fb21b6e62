"""EndNote XML on real files (tests/data/exports/real, see its SOURCES.md): JabRef's test files,
written by Bookends and by EndNote 15 and 20."""

from __future__ import annotations

from pathlib import Path

import pytest

from papergraph.cli import main
from papergraph.sources import detect, endnote_xml, read_file
from papergraph.sources.decoding import decode

REAL = Path(__file__).parent / "data" / "exports" / "real"
ARTICLE = "jabref_EndnoteXmlImporterTestArticle.xml"
MULTI = "jabref_EndnoteXmlImporterTestLabelAndMultiTitle.xml"


@pytest.mark.parametrize("name", [ARTICLE, MULTI])
def test_detected_from_content(name: str) -> None:
    text, _ = decode((REAL / name).read_bytes(), name)
    assert detect(text, "renamed.dat") == "endnote-xml"


def test_bookends_record() -> None:
    records, problems, fmt = read_file(REAL / ARTICLE)
    assert (fmt, len(records), problems) == ("endnote-xml", 1, [])  # SOURCES.md: 1 record
    r = records[0]
    assert r.title == (
        "Trends in the lifetime risk of developing cancer in Great Britain: "
        "comparison of risk for those born from 1930 to 1960"
    )
    assert r.authors == ("Ahmad, AS", "Ormiston-Smith, N", "Sasieni, PD")
    assert r.date == "2015-03-03"  # year 2015 and pub-dates "Mar 3"
    assert r.abstract == "test abstract"
    assert r.identifiers == ("doi:10.1038/bjc.2014.606", "pmid:25647015")  # accession-num, a PubMed URL
    assert r.url == "http://www.ncbi.nlm.nih.gov/pubmed/25647015"
    extra = set(r.extra)
    assert {("source", "Br J Cancer"), ("type", "Journal Article"), ("endnote_record", "2954")} <= extra
    assert ("keywords", "Aged, 80 and over") in extra and sum(k == "keywords" for k, _ in r.extra) == 13


def test_endnote_records_with_split_styles_and_isi_accessions() -> None:
    records, problems, fmt = read_file(REAL / MULTI)
    assert (fmt, len(records), [str(p) for p in problems]) == ("endnote-xml", 3, [])  # SOURCES.md: 3
    assert [r.identifiers for r in records] == [("wos:000200148800007",), ("wos:000200148800014",), ()]
    assert [r.date for r in records] == ["1937-01", "1937-01", "1990"]
    assert (
        records[2].title
        == "A demographic study of the south polar skua Catharacta maccormicki at Cape Crozier"
    )
    assert records[2].authors == ("Ainley, D.G.", "Ribic, C.A.", "Wodd, R.C.")
    assert all(r.abstract == "" and r.url is None for r in records)  # "<Go to ISI>://…" is no URL
    assert ("type", "Book") in records[1].extra


def test_a_broken_record_is_a_problem_and_the_rest_is_read() -> None:
    text = (REAL / MULTI).read_text(encoding="utf-8")
    broken = text.replace(
        '<title>\n                    <style face="normal" font="default" size="100%">A survey',
        "<title>\n<x>A survey",
        1,
    )
    out = list(endnote_xml.read(broken, "lib.xml"))
    assert [getattr(x, "title", None) is not None for x in out] == [True, False, True]
    assert str(out[1]).startswith("lib.xml:89: record 2 is not well-formed XML (mismatched tag on line ")


def test_one_line_export_with_superscript_and_a_record_without_title() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8" ?><xml><records><record><rec-number>5</rec-number>'
        '<titles><title><style face="normal" font="default" size="100%">E = mc</style>'
        '<style face="superscript" font="default" size="100%">2</style></title></titles></record>'
        "<record><rec-number>6</rec-number><dates><year>2001</year></dates></record></records></xml>"
    )
    out = list(endnote_xml.read(xml, "one.xml"))
    assert out[0].title == "E = mc^2"
    assert str(out[1]) == "one.xml:1: EndNote record 6 has neither a title nor an abstract"


def test_entity_declarations_are_refused() -> None:
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE xml [<!ENTITY a "aaaa">]>\n<xml><records><record><titles>'
    bomb += "<title>&a;</title></titles></record></records></xml>"
    out = list(endnote_xml.read(bomb, "b.xml"))
    assert len(out) == 1 and out[0].line == 2 and "refused" in out[0].message


def test_build_of_a_real_endnote_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(REAL / ARTICLE), "--out", str(out), "--format", "ttl"]) == 0
    assert "1 file: 1 records, 1 distinct papers" in capsys.readouterr().out
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert 'dcterms:identifier "doi:10.1038/bjc.2014.606", "pmid:25647015"' in turtle
    assert "Trends in the lifetime risk of developing cancer in Great Britain" in turtle
