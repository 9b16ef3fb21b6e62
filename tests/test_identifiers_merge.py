"""One paper, one node across every source: identifiers in every spelling merge records of any
format; a shared title does not merge records whose identifiers say they are different."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import INPUTS, need_shared

from papergraph import build
from papergraph.export.rdf import PRISM, node_iri, to_rdf
from papergraph.identifiers import canonical


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://doi.org/10.1002/JCC.20289", "doi:10.1002/jcc.20289"),
        ("doi:10.1002/jcc.20289.", "doi:10.1002/jcc.20289"),
        ("10.48550/arXiv.2106.09685", "arXiv:2106.09685"),
        ("arXiv:2106.09685v3", "arXiv:2106.09685"),
        ("https://openalex.org/w2741809807", "openalex:W2741809807"),
        ("pmid:029456894", "pmid:29456894"),
        ("204E3073870FAE3D05BCBC2F6A8E263D9B72E776", "s2:204e3073870fae3d05bcbc2f6a8e263d9b72e776"),
        ("2-s2.0-27344436659", "scopus:2-s2.0-27344436659"),
        ("WOS:000326880200004", "wos:000326880200004"),
        ("p1", None),
    ],
)
def test_canonical_identifiers(value: str, expected: str | None) -> None:
    assert canonical(value) == expected


def _scopus_row(doi: str) -> str:
    """The NAMD row of the real Scopus sample, as a one-row export of its own."""
    text = (INPUTS / "scopus.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows[1:] if r[12] == doi)
    out = io.StringIO()
    csv.writer(out).writerows([rows[0], row])
    return out.getvalue()


def test_same_doi_in_scopus_ris_and_openalex_is_one_paper(tmp_path: Path) -> None:
    need_shared(INPUTS)
    (tmp_path / "scopus.csv").write_text("\ufeff" + _scopus_row("10.1002/jcc.20289"), encoding="utf-8")
    (tmp_path / "zotero.ris").write_text(
        "TY  - JOUR\nT1  - Scalable Molecular Dynamics with NAMD\nA1  - Phillips, James C.\n"
        "Y1  - 2005/12/01/\nDO  - https://doi.org/10.1002/JCC.20289\n"
        "N2  - NAMD is a parallel code.\nER  - \n",
        encoding="utf-8",
    )
    work = {
        "id": "https://openalex.org/W1560783210",
        "doi": "https://doi.org/10.1002/jcc.20289",
        "title": "Scalable molecular dynamics with NAMD",
        "publication_year": 2005,
        "ids": {"pmid": "https://pubmed.ncbi.nlm.nih.gov/16222654"},
        "abstract_inverted_index": {"NAMD": [0], "scales.": [1]},
        "referenced_works": [],
    }
    (tmp_path / "openalex.json").write_text(json.dumps({"results": [work]}), encoding="utf-8")
    kg = build([tmp_path])
    assert len(kg.papers) == 1
    paper = kg.papers[0]
    assert sorted(s.format for s in paper.sources) == ["csv", "openalex", "ris"]
    assert {"doi:10.1002/jcc.20289", "openalex:W1560783210", "pmid:16222654"} <= set(paper.identifiers)
    assert "scopus:2-s2.0-27344436659" in paper.identifiers
    rdf = to_rdf(kg)
    assert [str(o) for o in rdf.objects(node_iri(paper.key), PRISM.doi)] == ["10.1002/jcc.20289"]


def test_ids_merge_across_semantic_scholar_and_arxiv_doi(tmp_path: Path) -> None:
    paper = {"paperId": "a" * 40, "externalIds": {"ArXiv": "2106.09685"}, "title": "LoRA", "abstract": "x"}
    (tmp_path / "s2.json").write_text(json.dumps(paper), encoding="utf-8")
    (tmp_path / "papers.jsonl").write_text(
        json.dumps(
            {
                "title": "LoRA: Low-Rank Adaptation",
                "abstract": "We propose LoRA.",
                "doi": "10.48550/arXiv.2106.09685",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    kg = build([tmp_path])
    assert len(kg.papers) == 1 and kg.papers[0].arxiv_id == "2106.09685"
    assert kg.papers[0].key.startswith("paper/lora-")  # from the title: ids added later do not move it


def test_same_title_with_different_scopus_ids_stays_apart() -> None:
    need_shared(INPUTS)
    kg = build([INPUTS / "scopus.csv"])
    iccsa = [
        p for p in kg.papers if p.title and p.title.startswith("Computational Science and Its Applications")
    ]
    assert len(iccsa) == 4 and len({p.key for p in iccsa}) == 4  # volumes 6016 to 6019 of LNCS
    assert len(kg.papers) == 58


def test_same_title_without_conflicting_ids_still_merges(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"title": "A Study of X", "abstract": "We study X.", "doi": "10.1000/x"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "b.ris").write_text(
        "TY  - JOUR\nTI  - A study of X.\nAB  - We study X.\nER  - \n", encoding="utf-8"
    )
    assert len(build([tmp_path]).papers) == 1


def test_a_citation_key_is_never_an_identity(tmp_path: Path) -> None:
    """Two exports that each hold a different ``Li2020`` (keys of that shape collide across any two
    libraries) stay two papers, each with its own DOI; the same DOI still makes one paper."""
    entry = (
        "@article{{Li2020, title = {{{title}}}, doi = {{{doi}}}, year = 2020,\n"
        "  abstract = {{{abstract}}}}}\n"
    )
    (tmp_path / "a.bib").write_text(
        entry.format(title="Graph Attention for Molecules", doi="10.1000/a1", abstract="We propose MolGAT."),
        encoding="utf-8",
    )
    (tmp_path / "b.bib").write_text(
        entry.format(title="Soil Carbon in Boreal Forests", doi="10.1000/b2", abstract="We measure carbon."),
        encoding="utf-8",
    )
    kg = build([tmp_path / "a.bib", tmp_path / "b.bib"])
    assert sorted(p.identifiers for p in kg.papers) == [("doi:10.1000/a1",), ("doi:10.1000/b2",)]
    (tmp_path / "c.bib").write_text(
        entry.format(title="Graph attention for molecules", doi="10.1000/A1", abstract="We propose MolGAT."),
        encoding="utf-8",
    )
    assert len(build([tmp_path / "a.bib", tmp_path / "c.bib"]).papers) == 1


def test_record_local_ids_never_merge_records(tmp_path: Path) -> None:
    """Row ids of two CSV files (``1``, ``2`` in each) name rows, not papers: different titles stay
    different papers."""
    for name, titles in (("one.csv", ("Alpha Nets", "Beta Nets")), ("two.csv", ("Gamma Nets", "Delta Nets"))):
        rows = [["id", "title", "abstract"]] + [
            [str(i), t, f"We propose {t.split()[0]}Net for graphs."] for i, t in enumerate(titles, 1)
        ]
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        (tmp_path / name).write_text(buf.getvalue(), encoding="utf-8")
    kg = build([tmp_path / "one.csv", tmp_path / "two.csv"])
    assert sorted(p.title for p in kg.papers) == ["Alpha Nets", "Beta Nets", "Delta Nets", "Gamma Nets"]
