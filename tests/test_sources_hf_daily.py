"""Hugging Face Daily Papers pages saved as text: real pages from ../shared/corpus and small cases."""

from __future__ import annotations

from conftest import corpus_file

from papergraph.model import Problem, Record
from papergraph.sources import detect, hf_daily, read_file

PAGE = """new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

Dec 31

FooNet: A Title

{abstract}

  • 5 authors
·
Jun 30

Second Paper Title

{abstract}

Gensyn Gensyn
·
Jun 12 2

Third Paper

{abstract}

  • 3 authors
·
Mar 13, 2024 11
"""
ABSTRACT = "We propose FooNet, a network that does things. " * 6


def test_reads_titles_abstracts_and_bylines(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE.format(abstract=ABSTRACT.strip()), encoding="utf-8")
    records, problems, fmt = read_file(path)
    assert fmt == "hf-daily" and problems == []
    assert [r.title for r in records] == ["FooNet: A Title", "Second Paper Title", "Third Paper"]
    first, second, third = records
    assert (first.author_count, first.date, first.upvotes) == (5, "--06-30", None)
    assert (second.byline, second.date, second.upvotes, second.author_count) == ("Gensyn", "--06-12", 2, None)
    assert (third.author_count, third.date, third.upvotes) == (3, "2024-03-13", 11)
    assert first.abstract == ABSTRACT.strip()
    assert first.source.line == 13  # the title's line


def test_page_chrome_is_not_a_paper(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE.format(abstract=ABSTRACT.strip()), encoding="utf-8")
    records, _, _ = read_file(path)
    titles = {r.title for r in records}
    assert not titles & {
        "new",
        "Subscribe",
        "Daily Papers",
        "Dec 31",
        "Get trending papers in your email inbox!",
    }


def test_abstract_without_title_is_reported_with_its_line(tmp_path):
    text = PAGE.format(abstract=ABSTRACT.strip()).replace("Second Paper Title\n\n", "")
    items = list(hf_daily.read(text, "p.txt"))
    problems = [i for i in items if isinstance(i, Problem)]
    assert [r.title for r in items if isinstance(r, Record)] == ["FooNet: A Title", "Third Paper"]
    assert len(problems) == 1 and problems[0].line == 21 and "without a title" in problems[0].message


def test_parse_date_forms():
    assert hf_daily.parse_date("Jun 29, 2023") == ("2023-06-29", None)
    assert hf_daily.parse_date("Nov 3, 2023 12") == ("2023-11-03", 12)
    assert hf_daily.parse_date("Jun 30") == ("--06-30", None)
    assert hf_daily.parse_date("Foo 30") is None
    assert hf_daily.parse_date("Jun 45") is None


def test_real_pages(corpus):
    counts = {}
    for prefix in ("002", "003", "004"):
        path = corpus_file(prefix)
        assert detect(path.read_text(encoding="utf-8"), str(path)) == "hf-daily"
        records, problems, fmt = read_file(path)
        assert problems == [] and fmt == "hf-daily"
        counts[prefix] = len(records)
        assert all(r.title and len(r.abstract) > 200 for r in records)
    assert counts == {"002": 58, "003": 73, "004": 77}


def test_real_page_metadata(corpus):
    records, _, _ = read_file(corpus_file("002"))
    first = records[0]
    assert first.title.startswith("Less Data, More Security: Advancing Cybersecurity LLMs")
    assert (first.author_count, first.date) == (5, "--06-30")
    by_title = {r.title: r for r in records}
    nolo = by_title["NoLoCo: No-all-reduce Low Communication Training Method for Large Models"]
    assert (nolo.byline, nolo.date, nolo.upvotes) == ("Gensyn", "--06-12", 2)
    general = by_title[
        "An Efficient General-Purpose Modular Vision Model via Multi-Task Heterogeneous Training"
    ]
    assert (general.author_count, general.date) == (7, "2023-06-29")
