"""Readers of bibliographic exports: the real Scopus / IEEE / SpringerLink CSV and RIS samples in
../shared/inputs, and Web of Science, OpenAlex, Semantic Scholar and Crossref fixtures written
from each format's documentation (tests/data/exports)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import INPUTS, need_shared

from papergraph.sources import detect, read_file
from papergraph.sources.decoding import decode

EXPORTS = Path(__file__).parent / "data" / "exports"


@pytest.fixture(scope="module")
def inputs() -> Path:
    return need_shared(INPUTS)


def _read(path: Path):
    records, problems, fmt = read_file(path)
    return records, [str(p) for p in problems], fmt


# ---- real exports ------------------------------------------------------------------------------


def test_ris_sample_reads_every_record(inputs: Path) -> None:
    records, problems, fmt = _read(inputs / "example.ris")
    assert (fmt, len(records), problems) == ("ris", 25, [])
    first = records[0]
    assert first.title == "The European Approach to the Exascale Challenge"
    assert first.identifiers == ("doi:10.1109/mcse.2018.2884139",)
    assert first.date == "2019" and first.authors == ("G. Kalbe",)  # the repeated AU line is one author
    assert first.abstract.startswith("An integrated European exascale computing")
    assert ("keywords", "Exascale computing") in first.extra
    second = records[1]
    assert len(second.authors) == 14 and second.authors[0] == "M. Bobák"
    # the fullest date of the record: "Y1  - 24-27 Sept. 2019" beside "PY  - 2019"
    assert second.date == "2019-09"
    assert sum(1 for r in records if r.identifiers) == 24 and all(r.abstract for r in records)


def test_scopus_rows_carry_eid_doi_pubmed_and_references(inputs: Path) -> None:
    records, problems, fmt = _read(inputs / "scopus.csv")
    assert (fmt, len(records), problems) == ("csv", 58, [])
    namd = next(r for r in records if r.title == "Scalable molecular dynamics with NAMD")
    assert namd.id == "2-s2.0-27344436659"
    assert ("doi", "10.1002/jcc.20289") in namd.extra
    assert len(namd.references) == 127  # 158 pieces between "; ", 31 of them editors or publishers
    assert all(";" not in ref or "(" in ref for ref in namd.references)


def test_springer_rows_without_abstracts_are_papers(inputs: Path) -> None:
    records, problems, fmt = _read(inputs / "springer.csv")
    assert (fmt, len(records), problems) == ("csv", 18, [])
    assert all(r.abstract == "" and r.title for r in records)
    assert ("doi", "10.1007/978-3-030-92127-9_33") in records[0].extra


def test_ieee_rows(inputs: Path) -> None:
    records, problems, fmt = _read(inputs / "ieee.csv")
    assert (fmt, len(records), problems) == ("csv", 10, [])
    assert records[0].title.startswith("Exascale Computing Trends")
    assert records[0].authors == ("P. Kogge", "J. Shalf") and records[0].date == "2013"


# ---- Web of Science ----------------------------------------------------------------------------


def test_wos_plain_text() -> None:
    records, problems, fmt = _read(EXPORTS / "wos_plain.txt")
    assert fmt == "wos" and len(records) == 1
    assert problems == [
        f"{EXPORTS / 'wos_plain.txt'}:26: Web of Science record has neither a title (TI) nor an abstract (AB)"
    ]
    r = records[0]
    assert r.title == 'Exascale Computing Trends: Adjusting to the "New Normal" for Computer Architecture'
    assert r.authors == ("Kogge, Peter", "Shalf, John") and r.date == "2013"
    assert r.identifiers == ("doi:10.1109/mcse.2013.95", "wos:000326880200004")
    assert r.references[1] == "Phillips JC, 2005, J COMPUT CHEM, V26, P1781, DOI 10.1002/jcc.20289"
    assert ("keywords", "supercomputers") in r.extra


def test_wos_tab_delimited_with_bom() -> None:
    records, problems, fmt = _read(EXPORTS / "wos_tabbed.txt")
    assert (fmt, len(records), problems) == ("wos", 2, [])
    assert records[0].references[1].startswith("Kogge P, 2013")
    assert records[1].identifiers == ("wos:000500000000001", "pmid:31452104")


# ---- OpenAlex, Semantic Scholar, Crossref ----------------------------------------------------


def test_openalex_page_rebuilds_abstracts_and_keeps_ids() -> None:
    records, problems, fmt = _read(EXPORTS / "openalex_page.json")
    assert (fmt, len(records), problems) == ("openalex", 2, [])
    oa, preprint = records
    assert oa.abstract.startswith("Despite growing interest in Open Access (OA) to scholarly literature,")
    assert oa.identifiers == ("openalex:W2741809807", "doi:10.7717/peerj.4375", "pmid:29456894")
    assert [ref.ids for ref in oa.cited] == [("openalex:W1560783210",), ("openalex:W2000000001",)]
    assert oa.authors == ("Heather Piwowar", "Jason Priem") and oa.date == "2018-02-13"
    assert (oa.source.line, preprint.source.line) == (4, 26)
    assert preprint.abstract == "" and "arXiv:1705.00001" in preprint.identifiers


def test_openalex_snapshot_lines_report_a_broken_line() -> None:
    records, problems, fmt = _read(EXPORTS / "openalex_snapshot.jsonl")
    assert fmt == "openalex" and [r.title for r in records] == ["Scalable molecular dynamics with NAMD"]
    assert len(problems) == 1 and ":2: line 2 is not valid JSON" in problems[0]


def test_semantic_scholar_batch_with_references_and_citations() -> None:
    records, problems, fmt = _read(EXPORTS / "s2_batch.json")
    assert fmt == "semantic-scholar" and len(records) == 2
    assert problems == [f"{EXPORTS / 's2_batch.json'}:26: expected a JSON object, found NoneType"]
    attention = records[0]
    assert attention.identifiers[:2] == ("s2:204e3073870fae3d05bcbc2f6a8e263d9b72e776", "arXiv:1706.03762")
    assert [r.text for r in attention.cited] == [
        "Convolutional Sequence to Sequence Learning",
        "Layer Normalization",
    ]
    assert attention.cited_by[0].ids == ("s2:df2b0e26d0599ce3e70df8a9da02e51594e0e992", "arXiv:1810.04805")


def test_semantic_scholar_dataset_lines_use_lower_case_keys() -> None:
    records, problems, fmt = _read(EXPORTS / "s2_dataset.jsonl")
    assert fmt == "semantic-scholar" and len(records) == 1 and len(problems) == 1
    assert records[0].identifiers == ("arXiv:1706.03762", "s2corpus:13756489")
    assert records[0].date == "2017-06-12"


def test_crossref_work_strips_jats_and_keeps_references() -> None:
    records, problems, fmt = _read(EXPORTS / "crossref_work.json")
    assert (fmt, len(records), problems) == ("crossref", 1, [])
    r = records[0]
    assert r.abstract.startswith("NAMD is a parallel molecular dynamics code designed for high")
    assert "<" not in r.abstract and "hundreds of processors." in r.abstract
    assert r.identifiers == ("doi:10.1002/jcc.20289",) and r.date == "2005-12"
    assert r.cited[0].ids == ("doi:10.1006/jcph.1999.6201",)
    assert r.cited[1].text.startswith("Humphrey W. Dalke A.")
    assert r.cited[2].text == "Petri, (1962), Kommunikation mit Automaten, Schriften des IIM"


def test_crossref_work_list() -> None:
    records, problems, fmt = _read(EXPORTS / "crossref_list.json")
    assert fmt == "crossref" and [r.date for r in records] == ["2019-01"]
    assert problems == [
        f"{EXPORTS / 'crossref_list.json'}:3: Crossref work has neither a title nor an abstract"
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wos_plain.txt", "wos"),
        ("wos_tabbed.txt", "wos"),
        ("openalex_page.json", "openalex"),
        ("openalex_snapshot.jsonl", "openalex"),
        ("s2_batch.json", "semantic-scholar"),
        ("s2_dataset.jsonl", "semantic-scholar"),
        ("crossref_work.json", "crossref"),
        ("crossref_list.json", "crossref"),
    ],
)
def test_detected_from_content_not_name(name: str, expected: str) -> None:
    text, _ = decode((EXPORTS / name).read_bytes(), name)
    assert detect(text, "renamed.dat") == expected


def test_generic_json_records_are_still_generic() -> None:
    assert detect('[{"id": "p1", "title": "T", "abstract": "We do X."}]') == "json"
    assert detect('{"title": "T", "abstract": "x", "doi": "10.1000/x"}') == "json"


def test_ris_problems_name_lines() -> None:
    from papergraph.sources import ris

    text = "TY  - JOUR\nTI  - A\nER  - \nstray text\nTY  - JOUR\nPY  - 2001\nER  - \nTY  - JOUR\nTI  - B\n"
    out = [str(x) if not hasattr(x, "title") else x.title for x in ris.read(text, "a.ris")]
    assert out == [
        "A",
        "a.ris:4: text outside a TY … ER record",
        "a.ris:5: RIS record has neither a title (TI/T1) nor an abstract (AB/N2)",
        "a.ris:8: record has no ER line at the end of the file",
        "B",
    ]


def test_the_fullest_date_wins() -> None:
    """RIS ``DA  - 2021/02/01/`` beside ``PY  - 2021``, and Web of Science ``PD DEC 16`` with
    ``PY 2020``: the day is kept, not only the year."""
    from papergraph.sources import ris, wos

    text = "TY  - JOUR\nTI  - A title\nAB  - We do X.\nPY  - 2021\nDA  - 2021/02/01/\nER  - \n"
    assert [r.date for r in ris.read(text, "a.ris")] == ["2021-02-01"]
    text = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nTI A title\nSO J X\n"
    text += "PD DEC 16\nPY 2020\nAB We do X.\nER\nEF\n"
    assert [r.date for r in wos.read(text, "a.txt")] == ["2020-12-16"]


def test_markup_of_real_exports_is_read_as_text(inputs: Path) -> None:
    """IEEE's RIS keeps HTML in its abstracts (``10<sup>18</sup>``, ``&amp;``): read as text."""
    from papergraph.sources import read_paths

    records = read_paths([inputs / "example.ris"]).records
    abstracts = " ".join(r.abstract for r in records)
    assert "<sup>" not in abstracts and "&amp;" not in abstracts
    assert "surpassing 10^18 operations per second" in abstracts
    assert "Memory & communication bandwidth" in abstracts


def test_markup_is_read_as_text_in_every_format() -> None:
    """JATS, HTML and Scopus tags in titles and abstracts (a leading "Summary" heading left out),
    whatever the format; a text without markup keeps even its line breaks."""
    from papergraph.model import Record, SourceRef
    from papergraph.sources.record_checks import check_record

    record = Record(
        SourceRef("a.json", 1, "json"),
        "<jats:title>Summary</jats:title><jats:p>We fit CO<inf>2</inf> uptake &gt; 1.</jats:p>",
        title="<scp>T</scp>reebase: <i>b</i><sup>2</sup> trees",
    )
    checked = check_record(record)
    assert (checked.title, checked.abstract) == ("Treebase: b^2 trees", "We fit CO_2 uptake > 1.")
    plain = Record(SourceRef("a.json", 2, "json"), "p < 0.05 and q > 1,\nline two", title="A & B")
    assert check_record(plain) is plain


def test_ris_accession_numbers_and_scopus_urls_are_identifiers() -> None:
    """Web of Science RIS names its record ``AN  - WOS:…``, Scopus RIS in its URL's ``eid=``: both
    are identifiers of the paper (so a WoS or Scopus record merges with the same record of another
    export)."""
    from papergraph.sources import ris

    text = (
        "TY  - JOUR\nAU  - Smith, John\nTI  - A title\nAB  - We do X.\nPY  - 2020\n"
        "DO  - 10.1000/xyz\nAN  - WOS:000567890123456\nER  - \n"
        "TY  - JOUR\nAU  - Pan, Y.\nTI  - B title\nAB  - We do Y.\nPY  - 2019\n"
        "UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-85069485230&partnerID=40&md5=b8140\n"
        "DB  - Scopus\nER  - \n"
    )
    assert [r.identifiers for r in ris.read(text, "a.ris")] == [
        ("doi:10.1000/xyz", "wos:000567890123456"),
        ("scopus:2-s2.0-85069485230",),
    ]
