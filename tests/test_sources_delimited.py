"""CSV/TSV exports: delimiter and header detection, column aliases, bad rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import CORPUS_FILES as CORPUS
from conftest import INPUTS, SCIREX
from conftest import needs_shared as _needs
from hypothesis import given, settings
from hypothesis import strategies as st

from papergraph.model import Problem, Record
from papergraph.sources import delimited as reader
from papergraph.sources import detect, read_file
from papergraph.sources.decoding import decode


def _read(text: str, path: str = "x.csv") -> tuple[list[Record], list[Problem]]:
    items = list(reader.read(text, path))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Problem)]


def _text(path: Path) -> str:
    text, _ = decode(path.read_bytes(), str(path))
    assert text is not None
    return text


def _data_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Independent count: (first physical line, fields) for every non-blank data row."""
    text = _text(path)
    csv.field_size_limit(10**8)
    rows = csv.reader(io.StringIO(text))
    next(rows)  # the header
    out, end = [], rows.line_num
    for row in rows:
        start, end = end + 1, rows.line_num
        if any(cell.strip() for cell in row):
            out.append((start, row))
    return out


# --- real exports ------------------------------------------------------------------------------


@_needs(INPUTS / "ieee.csv")
def test_ieee_export():
    path = INPUTS / "ieee.csv"
    rows = _data_rows(path)
    records, problems, fmt = read_file(path)
    assert fmt == "csv"
    assert problems == []
    assert len(records) == len(rows) == 10
    assert [r.source.line for r in records] == [line for line, _ in rows]
    assert all(r.title and r.abstract for r in records)
    first = records[0]
    assert first.title == (
        'Exascale Computing Trends: Adjusting to the "New Normal"\' for Computer Architecture'
    )
    assert first.abstract.startswith("We now have 20 years of data under our belt")
    assert first.authors == ("P. Kogge", "J. Shalf")
    assert first.date == "2013"
    assert first.id == "10.1109/MCSE.2013.95"  # no id column: the DOI stands in
    extra = dict(first.extra)
    assert extra["doi"] == "10.1109/MCSE.2013.95"
    assert extra["Publication Title"] == "Computing in Science & Engineering"


@_needs(INPUTS / "scopus.csv")
def test_scopus_export():
    path = INPUTS / "scopus.csv"
    rows = _data_rows(path)
    records, problems, fmt = read_file(path)
    assert fmt == "csv"
    assert problems == []
    assert len(records) == len(rows) == 58
    assert [r.source.line for r in records] == [line for line, _ in rows]
    assert all(r.title and r.abstract for r in records)
    # every row's EID is its id, also in the rows that carry an unnamed "Funding Text 2" field
    assert [r.id for r in records] == [row[-1] for _, row in rows]  # EID is the last field
    assert sum(1 for _, row in rows if len(row) == 46) == 56
    assert all(r.id and r.id.startswith("2-s2.0-") for r in records)
    assert len({r.id for r in records}) == 58
    namd = records[0]
    assert namd.title == "Scalable molecular dynamics with NAMD"
    assert namd.date == "2005"
    assert namd.authors[:2] == ("Phillips J.C.", "Braun R.")
    assert namd.url and "eid=2-s2.0-27344436659" in namd.url
    assert namd.references[0].startswith("Kalé, L., Skeel, R.")
    assert dict(namd.extra)["doi"] == "10.1002/jcc.20289"
    wide = next(r for r in records if r.id == "2-s2.0-85123480963")  # a 46-field row
    assert wide.title.startswith("Petri nets and ODEs")
    assert dict(wide.extra)["Source"] == "Scopus"
    assert dict(wide.extra)["Language of Original Document"] == "English"


@_needs(INPUTS / "springer.csv")
def test_springer_export_without_abstract_column_gives_title_only_records():
    path = INPUTS / "springer.csv"
    rows = _data_rows(path)
    records, problems, fmt = read_file(path)
    assert fmt == "csv"
    assert problems == []
    assert len(records) == len(rows) == 18
    assert all(r.abstract == "" and r.title for r in records)
    assert records[0].title == "Graph-Based Load Balancing Model for Exascale Computing Systems"
    assert records[0].id == "10.1007/978-3-030-92127-9_33"
    assert records[0].url == "http://link.springer.com/chapter/10.1007/978-3-030-92127-9_33"
    assert records[0].date == "2022"


# --- sniff -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_sniff_rejects_corpus_text_files(path: Path):
    assert not reader.sniff(_text(path), str(path))


@_needs(SCIREX)
def test_sniff_rejects_scirex_jsonl():
    assert not reader.sniff(_text(SCIREX), str(SCIREX))


@pytest.mark.parametrize(
    "text",
    [
        "Title, abstract and keywords are listed for each paper below.\n"
        "We study things without commas here.\n",
        "A long line of prose that mentions the title, the abstract, and the authors of many papers, "
        "and goes on for a while.\nMore prose.\n",
        "Abstract: We propose X, a method.\nAbstract: We study Y, a task.\n",
        "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n",
        "name,age\nAnn,3\n",
        "title\nA paper\n",
        '{"title": "A", "abstract": "x"}\n',
        "",
    ],
    ids=[
        "prose-1",
        "prose-2",
        "abstract-lines",
        "hf-daily",
        "no-title-column",
        "one-column",
        "json",
        "empty",
    ],
)
def test_sniff_rejects(text: str):
    assert not reader.sniff(text, "x.csv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id,title,abstract\n1,T,A\n", ("1", "T", "A")),
        ("id\ttitle\tabstract\n1\tT, with comma\tA; B\n", ("1", "T, with comma", "A; B")),
        ("ID;Paper Title;Summary\n1;T, with comma;A\n", ("1", "T, with comma", "A")),
        ('"Document Title","Abstract"\n"T","A, B"\n', (None, "T", "A, B")),
        (",title,abstract\n0,T,A\n", (None, "T", "A")),
    ],
)
def test_sniff_accepts_and_picks_the_delimiter(text: str, expected: tuple, tmp_path: Path):
    path = tmp_path / "data.txt"  # the extension is not needed
    path.write_text(text, encoding="utf-8")
    assert reader.sniff(text, str(path))
    assert detect(text, str(path)) == "csv"
    records, problems, _ = read_file(path)
    assert problems == []
    assert [(r.id, r.title, r.abstract) for r in records] == [expected]


# --- hand-made files ---------------------------------------------------------------------------


def test_aliases_are_matched_ignoring_case_spaces_and_underscores():
    text = (
        "Paper_ID\tPAPER TITLE\tSummary\tAuthor\tPublication Year\tLink\tCited References"
        "\tItem DOI\tVenue\n"
        "p1\tT1\tA1\tAnn Lee and Bo Li\t2021\thttp://x/1\tr1; r2 ;\t10.1/a\tACL\n"
    )
    (r,), problems = _read(text, "x.tsv")
    assert problems == []
    assert (r.id, r.title, r.abstract, r.authors, r.date, r.url, r.references) == (
        "p1",
        "T1",
        "A1",
        ("Ann Lee", "Bo Li"),
        "2021",
        "http://x/1",
        ("r1", "r2"),
    )
    assert r.extra == (("Venue", "ACL"), ("doi", "10.1/a"))
    assert r.source.format == "csv" and r.source.line == 2


def test_arxiv_id_column():
    (r,), _ = _read("arxiv_id,title,abstract\n2401.01234v3,T,A\n")
    assert r.id == "arXiv:2401.01234"


MALFORMED = (
    "id,title,abstract,year\n"  # 1
    "1,First,We propose A.,2020\n"  # 2
    '2,Second,"A quoted\n'  # 3
    'abstract over, two lines",2021\n'  # 4
    "3,Short row\n"  # 5
    "\n"  # 6
    "4,No abstract,,2022\n"  # 7
    "5,Fifth,We propose E.,2023\n"  # 8
    ",,,\n"  # 9
    "6,Sixth,We propose F.,2024,,\n"  # 10 (trailing delimiters)
    "7,Seventh,We propose G.,2025,x,y\n"  # 11 (extra fields)
)


def test_malformed_rows_are_reported_with_their_line_and_the_rest_is_read(tmp_path: Path):
    path = tmp_path / "papers.csv"
    path.write_text(MALFORMED, encoding="utf-8")
    records, problems, fmt = read_file(path)
    assert fmt == "csv"
    assert [(r.id, r.source.line) for r in records] == [("1", 2), ("2", 3), ("5", 8), ("6", 10), ("7", 11)]
    assert records[1].abstract == "A quoted\nabstract over, two lines"
    assert records[1].date == "2021"
    assert [(p.line, p.message) for p in problems] == [
        (5, "row has 2 fields but the header has 4 columns"),
        (7, "row has no abstract (title 'No abstract')"),
        (11, "row has 6 fields but the header has 4 columns; the last 2 were ignored"),
    ]


def test_unterminated_quote_at_end_of_file():
    text = 'title,abstract\nA,We do A.\nB,"We do B,\nC,We do C.\n'
    records, problems = _read(text)
    assert [r.title for r in records] == ["A"]
    assert [(p.line, p.message) for p in problems] == [
        (3, "unterminated quoted field: the row runs to the end of the file")
    ]


def test_rows_with_neither_title_nor_abstract_in_a_title_only_file():
    records, problems = _read("Item Title,Publication Year\nOnly a title,2020\n,2021\n")
    assert [(r.title, r.abstract, r.date) for r in records] == [("Only a title", "", "2020")]
    assert [(p.line, p.message) for p in problems] == [(3, "row has neither a title nor an abstract")]


def test_numbered_column_absorbs_extra_fields():
    text = "Title,Abstract,Funding Text 1,References,EID\nT,A,f1,f2,r1; r2,e-1\n"
    (r,), problems = _read(text)
    assert problems == []
    assert r.id == "e-1" and r.references == ("r1", "r2")
    assert dict(r.extra) == {"Funding Text 1": "f1", "Funding Text 2": "f2"}


def test_huge_field_is_read():
    abstract = "word " * 60_000  # over csv's default field size limit of 131072
    (r,), problems = _read(f'title,abstract\nT,"{abstract}"\n')
    assert problems == [] and r.abstract == abstract.strip()


def test_unparseable_date_is_kept_in_extra():
    (r,), _ = _read("title,abstract,date\nT,A,sometime\n")
    assert r.date is None and dict(r.extra)["date"] == "sometime"


def test_read_without_header_is_a_problem_not_an_exception():
    records, problems = _read("just some text\n")
    assert records == [] and [p.line for p in problems] == [1]


# --- robustness --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(',;\t"\n abctitle')), max_size=300))
def test_read_and_sniff_never_raise(text: str):
    reader.sniff(text, "x")
    items = list(reader.read(text, "x"))
    assert all(isinstance(i, Record | Problem) for i in items)


def test_every_truncation_of_the_sample_is_read_without_raising():
    lines = MALFORMED.count("\n") + 1
    for cut in range(len(MALFORMED)):
        items = list(reader.read(MALFORMED[:cut], "x"))
        assert all(
            isinstance(i, Record) or (isinstance(i, Problem) and 1 <= (i.line or 1) <= lines) for i in items
        )
