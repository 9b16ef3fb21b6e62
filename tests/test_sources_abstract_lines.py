"""Files of ``Abstract:`` lines."""

from __future__ import annotations

from conftest import corpus_file

from papergraph.sources import abstract_lines, detect, read_file


def test_real_files(corpus):
    for prefix, n in (("000", 10), ("001", 6)):
        path = corpus_file(prefix)
        records, problems, fmt = read_file(path)
        assert (fmt, len(records), problems) == ("abstract-lines", n, [])
        assert all(r.title is None and not r.abstract.startswith("Abstract") for r in records)
        assert [r.source.line for r in records] == list(range(1, n + 1))
    first = read_file(corpus_file("000"))[0][0]
    assert first.abstract.startswith("Modern large language models (LLMs) driven by scaling laws")


def test_bad_and_empty_lines_are_problems_and_the_rest_is_read():
    text = "Abstract: First paper.\nsomething else\nAbstract:\n\nabstract : Second paper.\n"
    items = list(abstract_lines.read(text, "f.txt"))
    records = [i for i in items if hasattr(i, "abstract")]
    problems = [i for i in items if not hasattr(i, "abstract")]
    assert [r.abstract for r in records] == ["First paper.", "Second paper."]
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (2, "line does not start with 'Abstract:'"),
        (3, "empty abstract"),
    ]


def test_sniff_needs_most_lines_to_be_abstracts():
    assert detect("Abstract: x\nAbstract: y\n") == "abstract-lines"
    assert not abstract_lines.sniff("Title\n\nAbstract: y\n\nmore prose\n\nand more\n", "x")
