"""BibTeX files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS_FILES as CORPUS
from conftest import SCIREX, needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from papergraph.model import Problem, Record
from papergraph.sources import bibtex, detect, read_file
from papergraph.sources.decoding import decode

BIB = r"""% Exported from a reference manager
@string{naacl = "Proceedings of " # "NAACL-HLT"}

@comment{jabref-meta: databaseType:bibtex;}

@inproceedings{devlin2019bert,
  title     = {{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding},
  author    = {Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina},
  booktitle = naacl,
  year      = 2019,
  month     = jun,
  doi       = {10.18653/v1/N19-1423},
  url       = {https://aclanthology.org/N19-1423},
  abstract  = {We introduce a new language representation model called {BERT}, which stands for
               Bidirectional Encoder Representations from Transformers \& more.}
}

@article{vaswani2017attention,
  title         = "Attention Is All You Need",
  author        = "Ashish Vaswani and Noam Shazeer and others",
  journal       = {arXiv preprint},
  year          = {2017},
  month         = {12},
  eprint        = {1706.03762v5},
  archivePrefix = {arXiv},
  abstract      = "The dominant sequence transduction models are based on complex recurrent networks."
}

@misc{scholkopf,
  title    = {Kernel methods by Sch{\"o}lkopf and G\"{o}del, \c{C}a{\u g}lar and {\O}stergaard},
  author   = {Sch{\"o}lkopf, Bernhard and {Barnes and Noble}},
  abstract = {Kernels --- a survey of 10\% of $\alpha$-methods \emph{and} more~things.},
  date     = {2001-09-15},
}

@article{notitle_noabstract,
  title = {A paper without an abstract},
  year = 2020
}

@misc{empty,
  note = {neither a title nor an abstract}
}

@PREAMBLE{ "\newcommand{\noopsort}[1]{} " }
"""


def _name(r: Record) -> str | None:
    """What names a record in these tests: its identifier, else its citation key."""
    return r.id or dict(r.extra).get("bibtex_key")


def _read(text: str, path: str = "refs.bib") -> tuple[list[Record], list[Problem]]:
    items = list(bibtex.read(text, path))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Problem)]


def test_entries_are_read(tmp_path: Path):
    path = tmp_path / "refs.txt"  # content, not the extension, decides
    path.write_text(BIB, encoding="utf-8")
    records, problems, fmt = read_file(path)
    assert fmt == "bibtex"
    assert [(_name(r), r.source.line, r.source.format) for r in records] == [
        ("devlin2019bert", 6, "bibtex"),
        ("arXiv:1706.03762", 18, "bibtex"),
        ("scholkopf", 29, "bibtex"),
        ("notitle_noabstract", 36, "bibtex"),  # a title alone is a paper of the library
    ]
    assert records[3].abstract == "" and records[3].title == "A paper without an abstract"
    assert [(p.line, p.message) for p in problems] == [
        (41, "entry 'empty' has neither a title nor an abstract")
    ]

    bert = records[0]
    assert bert.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert bert.abstract == (
        "We introduce a new language representation model called BERT, which stands for "
        "Bidirectional Encoder Representations from Transformers & more."
    )
    assert bert.authors == ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova")
    assert bert.date == "2019-06"
    assert bert.url == "https://aclanthology.org/N19-1423"
    assert dict(bert.extra) == {
        "bibtex_key": "devlin2019bert",
        "booktitle": "Proceedings of NAACL-HLT",
        "doi": "10.18653/v1/N19-1423",
        "entry_type": "inproceedings",
    }

    attention = records[1]
    assert attention.title == "Attention Is All You Need"
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer")
    assert attention.date == "2017-12"
    assert dict(attention.extra)["bibtex_key"] == "vaswani2017attention"

    latex = records[2]
    assert latex.title == "Kernel methods by Schölkopf and Gödel, Çağlar and Østergaard"
    assert latex.authors == ("Bernhard Schölkopf", "Barnes and Noble")
    assert latex.abstract == "Kernels — a survey of 10% of \\alpha-methods and more things."
    assert latex.date == "2001-09-15"


def test_unbalanced_braces_skip_to_the_next_entry():
    text = (
        "@article{good1,\n"  # 1
        "  title = {Good one},\n"  # 2
        "  abstract = {We propose A.}\n"  # 3
        "}\n"  # 4
        "@article{broken,\n"  # 5
        "  title = {Broken {title},\n"  # 6
        "  abstract = {We propose B.}\n"  # 7
        "\n"  # 8
        "@article{good2,\n"  # 9
        "  title = {Good two}, abstract = {We propose C.}, year = 2021\n"
        "}\n"
    )
    records, problems = _read(text)
    assert [(_name(r), r.source.line, r.title) for r in records] == [
        ("good1", 1, "Good one"),
        ("good2", 9, "Good two"),
    ]
    assert len(problems) == 1
    assert problems[0].line == 5
    assert "unbalanced braces" in problems[0].message and "line 5" in problems[0].message


def test_malformed_field_is_reported_and_reading_continues():
    text = (
        "@article{a, title = {A}, abstract = {We do A.}}\n"
        "@article{b, title {B}, abstract = {We do B.}}\n"
        '@article{c, title = "C, abstract = {We do C.}}\n'
        "@article{d, title = {D}, abstract = {We do D.}}\n"
    )
    records, problems = _read(text)
    assert [_name(r) for r in records] == ["a", "d"]
    assert [(p.line, p.message) for p in problems] == [
        (2, "@article entry starting on line 2: field 'title' has no '='; skipped"),
        (3, "@article entry starting on line 3: a quoted value is not closed; skipped"),
    ]


def test_extra_closing_brace_is_reported():
    text = (
        "@article{a,\n  title = {A}},\n  abstract = {We do A.}\n}\n"
        "@article{b, title = {B}, abstract = {We do B.}}\n"
    )
    records, problems = _read(text)
    assert [_name(r) for r in records] == ["a", "b"]
    assert records[0].abstract == ""  # the brace closed the entry before its abstract
    assert [(p.line, p.message) for p in problems] == [
        (
            3,
            "field text after the end of the entry starting on line 1 (one closing brace too many?); ignored",
        ),
    ]


def test_parenthesised_entry_and_arxiv_from_url():
    text = (
        "@article(k1, title = {T (with parentheses)}, abstract = {A.},\n"
        "  url = {https://arxiv.org/abs/2401.01234v2})\n"
    )
    (r,), problems = _read(text)
    assert problems == []
    assert (r.id, r.title, r.url) == (
        "arXiv:2401.01234",
        "T (with parentheses)",
        "https://arxiv.org/abs/2401.01234v2",
    )


def test_non_arxiv_eprint_is_no_identifier_and_the_key_is_kept():
    (r,), _ = _read("@article{k, abstract = {A}, eprint = {12345}, archivePrefix = {PubMed}}")
    assert r.id is None and dict(r.extra)["bibtex_key"] == "k"
    assert dict(r.extra)["eprint"] == "12345"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("{BERT}", "BERT"),
        (r"A \& B", "A & B"),
        (r"{\"o}", "ö"),
        (r"\'{e}t\'e", "été"),
        (r"\ss{} and {\aa}", "ß and å"),
        (r"\textbf{bold}   \textit{it}", "bold it"),
        ("``quoted''", "“quoted”"),
    ],
)
def test_latex_to_text(raw: str, expected: str):
    assert bibtex.latex_to_text(raw) == expected


# --- sniff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        BIB,
        "@article{k, title = {T}}",
        "\n\n  @Article {k,\n title = {T}}\n",
    ],
)
def test_sniff_accepts_bibtex(text: str):
    assert bibtex.sniff(text, "x.txt")
    assert detect(text, "x.txt") == "bibtex"


def test_bib_extension_allows_leading_prose():
    text = "This file was created with JabRef.\n\n@article{k, abstract = {A}}\n"
    assert not bibtex.sniff(text, "refs.txt")
    assert bibtex.sniff(text, "refs.bib")


@pytest.mark.parametrize(
    "text",
    [
        "Contact us at team@example.org about {BERT}.\n@article{k, title = {T}}\n",
        "title,abstract\n@article{x},y\n",
        '{"id": "@article{k"}',
        "Abstract: We propose @model{x}.\n",
        "@username says hi\n",
        "",
    ],
)
def test_sniff_rejects_other_text(text: str):
    assert not bibtex.sniff(text, "x.txt")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_sniff_rejects_corpus_text_files(path: Path):
    text, _ = decode(path.read_bytes(), str(path))
    assert text is not None and not bibtex.sniff(text, str(path))


@needs_shared(SCIREX)
def test_sniff_rejects_scirex_jsonl():
    text, _ = decode(SCIREX.read_bytes(), str(SCIREX))
    assert text is not None and not bibtex.sniff(text, str(SCIREX))


# --- robustness --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('@{}()",=#\n abt\\')), max_size=300))
def test_read_and_sniff_never_raise(text: str):
    bibtex.sniff(text, "x")
    items = list(bibtex.read(text, "x"))
    assert all(isinstance(i, Record | Problem) for i in items)


def test_every_truncation_of_the_sample_is_read_without_raising():
    lines = BIB.count("\n") + 1
    for cut in range(len(BIB)):
        items = list(bibtex.read(BIB[:cut], "x"))
        assert all(
            isinstance(i, Record) or (isinstance(i, Problem) and 1 <= (i.line or 1) <= lines) for i in items
        )


def test_scopus_field_names_with_spaces_keep_the_entry():
    """Scopus BibTeX exports write numbered fields with a space (``funding_text 1={…}``); the entry
    is read, not skipped. The layout is Scopus's (its header lines, ``@ARTICLE``, ``name={value},``
    one a line), as in the Scopus exports kept among the test fixtures of the buhos project."""
    text = (
        "Scopus\nEXPORT DATE: 15 February 2020\n\n"
        "@ARTICLE{Weatherby-Fell2019621,\n"
        "author={Weatherby-Fell, N. and Duchesne, S.},\n"
        "title={Preparing and supporting early childhood pre-service teachers},\n"
        "year={2019},\n"
        "doi={10.1007/s13384-019-00340-4},\n"
        "abstract={This study focuses on early childhood pre-service teacher education students.},\n"
        "funding_details={University of Wollongong},\n"
        "funding_text 1={The authors thank the participants.},\n"
        "funding_text  2 ={A second funder.},\n"
        "document_type={Article},\n"
        "source={Scopus},\n"
        "}\n"
    )
    (r,), problems = _read(text)
    assert problems == []
    assert r.title == "Preparing and supporting early childhood pre-service teachers"
    extra = dict(r.extra)
    assert extra["funding_text 1"] == "The authors thank the participants."
    assert extra["funding_text 2"] == "A second funder."
    assert extra["doi"] == "10.1007/s13384-019-00340-4"


def test_cited_references_of_scopus_and_web_of_science_bibtex_become_citations() -> None:
    """Scopus BibTeX writes ``references = {…; …}``, Web of Science BibTeX ``Cited-References``,
    one a line (hand-made in their shapes: the real samples at hand carry none)."""
    text = (
        "@ARTICLE{Heiner2008,\n  title = {Petri nets for systems biology},\n"
        "  references = {Murata, T., Petri nets: properties, analysis and applications (1989) "
        "Proc. IEEE, 77, pp. 541-580; Lee, J., Petri nets; an application (1985) LNCS, 188},\n}\n"
        "@article{ WOS:000123,\n  Title = {{A WoS record}},\n"
        "  Cited-References = {Bengio Y, 2003, J MACH LEARN RES, V3, P1137.\n"
        "   Hinton GE, 2006, SCIENCE, V313, P504, DOI 10.1126/science.1127647},\n}\n"
    )
    records, problems = _read(text)
    assert problems == []
    assert records[0].references == (
        "Murata, T., Petri nets: properties, analysis and applications (1989) Proc. IEEE, 77, pp. 541-580",
        "Lee, J., Petri nets; an application (1985) LNCS, 188",
    )
    assert records[1].references == (
        "Bengio Y, 2003, J MACH LEARN RES, V3, P1137.",
        "Hinton GE, 2006, SCIENCE, V313, P504, DOI 10.1126/science.1127647",
    )
