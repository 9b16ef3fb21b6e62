"""Real exports, read whole (issue 21): files written by the databases and tools themselves, kept
in ``tests/data/exports/real/`` with their provenance, licence and counts made without papergraph
(``SOURCES.md``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papergraph import build
from papergraph.export.formats import FORMATS
from papergraph.export.outputs import write_outputs
from papergraph.sources import read_paths
from papergraph.sources.ris import read

REAL = Path(__file__).parent / "data" / "exports" / "real"


def test_a_record_without_abstract_writes_no_abstract_but_keeps_the_rest(tmp_path: Path) -> None:
    """Scopus's RIS of python-bibx has no ``AB``: no ``dcterms:abstract ""`` in any output, but the
    titles, DOIs and citations are all there."""
    kg = build([REAL / "scopus_bibx.ris"])
    assert len(kg.papers) == 2 and all(p.abstract == "" for p in kg.papers)
    write_outputs(kg, tmp_path, ["ttl", "nt", "jsonld", "graphml", "html"], jobs=1)
    ttl = (tmp_path / FORMATS["ttl"].file_name).read_text(encoding="utf-8")
    nt = (tmp_path / FORMATS["nt"].file_name).read_text(encoding="utf-8")
    jsonld = (tmp_path / FORMATS["jsonld"].file_name).read_text(encoding="utf-8")
    graphml = (tmp_path / FORMATS["graphml"].file_name).read_text(encoding="utf-8")
    assert "dcterms:abstract" not in ttl and "/abstract>" not in nt
    assert "abstract" not in json.dumps(json.loads(jsonld)) and 'attr.name="abstract"' not in graphml
    assert ttl.count("dcterms:title") == 2 and ttl.count("prism:doi") == 7  # 2 papers, 5 cited works
    assert "10.1063/5.0020407" in nt and "cito:cites" in ttl
    html = (tmp_path / FORMATS["html"].file_name).read_text(encoding="utf-8")
    assert '"abstract":""' not in html


#: file -> (detected format, records, DOIs, references): the counts of SOURCES.md, made without papergraph
#: (references: the lines or pieces the export holds, as papergraph reads them; see SOURCES.md)
COUNTS = {
    "scopus_bibx.ris": ("ris", 2, 2, 77),
    "wos_buhos.ris": ("ris", 2, 2, 0),
    "ebscohost_buhos.ris": ("ris", 1, 1, 0),
    "scopus_buhos_2026.bib": ("bibtex", 1, 1, 0),
    "wos_bibx_single.txt": ("wos", 1, 1, 28),
    "scopus_litstudy.csv": ("csv", 6, 6, 362),
    "ieee_litstudy.csv": ("csv", 3, 3, 0),
    "biopython_pubmed_result2.txt": ("pubmed", 4, 3, 0),
    "biopython_pubmed_result4.txt": ("pubmed", 1, 1, 0),
    "biopython_pubmed7.xml": ("pubmed-xml", 1, 1, 49),
    "jabref_EndnoteXmlImporterTestArticle.xml": ("endnote-xml", 1, 1, 0),
    "jabref_EndnoteXmlImporterTestLabelAndMultiTitle.xml": ("endnote-xml", 3, 0, 0),
    "bbt_Pandoc_Citation.csl.json": ("csl-json", 4, 1, 0),
    "manubot_pubmed-scihub-study.csl.json": ("csl-json", 1, 1, 0),
}


def test_every_real_export_is_listed_in_sources() -> None:
    files = {p.name for p in REAL.iterdir() if not p.name.startswith("LICENSE") and p.suffix != ".md"}
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert files == set(COUNTS)
    assert all(f"## `{name}`" in sources for name in files)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_real_export_is_read_whole(name: str) -> None:
    """Detected format, every record, every DOI, every reference, and no problem."""
    fmt, records, dois, references = COUNTS[name]
    read = read_paths([str(REAL / name)])
    assert [f.format for f in read.files] == [fmt]
    assert (len(read.records), [str(p) for p in read.problems]) == (records, [])
    assert sum(len(r.references) + len(r.cited) for r in read.records) == references  # text or structured
    kg = build([REAL / name])
    assert len({i for p in kg.papers for i in p.identifiers if i.startswith("doi:")}) == dois


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_real_export_references_are_accounted_for(name: str) -> None:
    """Every reference read is a ``cito:cites`` or a drop the build reports (``kg.citations``)."""
    references = COUNTS[name][3]
    kg = build([REAL / name])
    counts = kg.citations or {"read": 0, "cites": 0}
    cites = sum(1 for e in kg.edges if e.relation == "cites")
    assert counts["read"] == references and counts["cites"] == cites
    dropped = sum(counts.get(k, 0) for k in ("self", "repeated", "empty"))
    assert cites + dropped == references


def test_the_three_references_scopus_lists_twice_are_reported() -> None:
    """litstudy's Scopus CSV lists Kosztin 1999, Aksimentiev 2004 and Chen 2017 twice in one
    record: one cito:cites each, and the build says so."""
    kg = build([REAL / "scopus_litstudy.csv"])
    assert kg.citations == {"read": 362, "cites": 359, "self": 0, "repeated": 3, "empty": 0}


def test_tags_run_onto_a_line_are_fields_of_their_own() -> None:
    """Web of Science's RIS writes ``…, SpainC3  - Universidad…`` and ``…(SCI-EXPANDED)AN  - WOS:…``:
    the accession number is the paper's ``wos:`` id, the affiliation ends before the tag."""
    records = read_paths([str(REAL / "wos_buhos.ris")]).records
    assert [r.identifiers for r in records] == [
        ("doi:10.1016/j.cose.2023.103170", "wos:000957555400001"),
        ("doi:10.1109/tla.2022.9885164", "wos:000852215100008"),
    ]


def test_a_tag_run_onto_the_references_line_is_never_a_reference() -> None:
    """A Scopus RIS whose ``UR`` is run onto its last reference: the last reference ends before
    it, and the URL gives the paper's url and Scopus id."""
    lines = (REAL / "scopus_bibx.ris").read_text(encoding="utf-8").split("\n")
    end = lines.index("ER  -")  # the first record
    url = lines[end - 1]
    assert url.startswith("UR  - https://www.scopus.com/")
    lines[end - 2 : end] = [
        f"{lines[end - 2]} {url}"
    ]  # "… (1999) Phys. Rev. B, 60 (10), p. 7359 UR  - https://…"
    (record, *_) = read("\n".join(lines), "run-on.ris")
    last = "Skomski, R., Liu, J.P., Sellmyer, D.J., (1999) Phys. Rev. B, 60 (10), p. 7359"
    assert record.references[-1] == last
    assert len(record.references) == 64 and record.url == url[6:]
    assert "scopus:2-s2.0-85091557653" in record.identifiers


def test_all_the_exports_together_merge_only_records_sharing_a_global_identifier() -> None:
    """Every real export and every format sample at once: a paper made of several records is made
    of records that share a DOI, an arXiv id or another global identifier, never a citation key."""
    from papergraph.identifiers import scheme
    from papergraph.resolve.papers import _identifiers, arxiv_id

    files = sorted(set(COUNTS) | {p.name for p in REAL.parent.glob("*.*") if p.suffix != ".md"})
    paths = [REAL / f if (REAL / f).exists() else REAL.parent / f for f in files]
    paths = [p for p in paths if not p.name.startswith("LICENSE")]
    read = read_paths([str(p) for p in paths])
    ids = {r.source: {i for i in _identifiers(r, arxiv_id(r)) if scheme(i)} for r in read.records}
    kg = build(paths)
    assert kg.records == len(read.records) > 45
    merged = [p for p in kg.papers if len(p.sources) > 1]
    assert len(merged) >= 4
    for paper in merged:
        shared = set.intersection(*(ids[s] for s in paper.sources))
        assert shared, (paper.key, [ids[s] for s in paper.sources])
