"""References become cites: parsing references written as text, matching them to papers of the
graph (true and false matches), one node per external work, and the Scopus sample end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, INPUTS, need_shared

from papergraph import build
from papergraph.model import Paper, Reference
from papergraph.resolve.citations import PaperIndex, citation_edges, parse, work_key
from papergraph.resolve.references import parse_reference
from papergraph.sources.reference_lists import split_references


def _paper(
    key: str, title: str, year: str | None = None, authors: tuple[str, ...] = (), ids: tuple[str, ...] = ()
):
    return Paper(key, title, title, "", identifiers=ids, date=year, authors=authors)


PAPERS = [
    _paper("paper/murata", "Petri Nets: Properties, Analysis and Applications", "1989", ("Murata T.",)),
    _paper(
        "paper/namd",
        "Scalable molecular dynamics with NAMD",
        "2005",
        ("Phillips J.C.",),
        ("doi:10.1002/jcc.20289",),
    ),
    _paper("paper/petri-bio", "Petri net modelling of biological networks", "2007", ("Chaouiya C.",)),
    _paper("paper/hpn", "Hybrid Petri nets for modelling biological networks", "2010", ("Herajy M.",)),
    _paper(
        "paper/attention", "Attention Is All You Need", "2017", ("Ashish Vaswani",), ("arXiv:1706.03762",)
    ),
]


@pytest.fixture(scope="module")
def index() -> PaperIndex:
    return PaperIndex(PAPERS)


# ---- parsing -----------------------------------------------------------------------------------


def test_parse_scopus_reference_with_title() -> None:
    r = parse_reference(
        "Grunwald, S., Speer, A., Ackermann, J., Koch, I., Petri net modelling of gene regulation of the "
        "Duchenne muscular dystrophy (2008) BioSystems, 92 (2), pp. 189-205"
    )
    assert r.style == "scopus" and r.surnames == ("Grunwald", "Speer", "Ackermann", "Koch")
    assert (
        r.year == 2008
        and r.title == "Petri net modelling of gene regulation of the Duchenne muscular dystrophy"
    )


def test_parse_old_scopus_reference_without_title_and_a_book() -> None:
    old = parse_reference("Kalé, L., Skeel, R., (1999) J Comp Phys, 151, p. 283")
    assert (old.surnames, old.year, old.title, old.source) == (
        ("Kalé", "Skeel"),
        1999,
        None,
        "J Comp Phys, 151, p. 283",
    )
    book = parse_reference(
        "Hockney, R.W., Eastwood, J.W., (1981) Computer Simulation Using Particles, , McGraw-Hill"
    )
    assert (book.year, book.title) == (1981, "Computer Simulation Using Particles")


def test_parse_scopus_reference_with_doi_and_pmid() -> None:
    r = parse_reference(
        "Giese, H, Ackermann, J, NOVA: a software to analyze complexome profiling data (2015) "
        "Bioinformatics, "
        "31, pp. 440-441. , https://doi.org/10.1093/bioinformatics/btu623, PMID: 25301849"
    )
    assert r.ids == ("doi:10.1093/bioinformatics/btu623", "pmid:25301849") and r.surnames == (
        "Giese",
        "Ackermann",
    )


def test_parse_wos_and_free_text_references() -> None:
    wos = parse_reference("Phillips JC, 2005, J COMPUT CHEM, V26, P1781, DOI 10.1002/jcc.20289")
    assert (wos.style, wos.surnames, wos.year, wos.source) == (
        "wos",
        ("Phillips",),
        2005,
        "J COMPUT CHEM, 26, 1781",
    )
    text = parse_reference("A. Vaswani, N. Shazeer. Attention is all you need. In NIPS, 2017.")
    assert (text.style, text.year, text.title) == ("text", 2017, "Attention is all you need")


def test_split_keeps_editors_and_publishers_with_their_reference() -> None:
    refs = split_references(
        "Hairer, E., (2002) Geometric Numerical Integration, 31. , Springer Series; Springer-Verlag: Berlin; "
        "Aksimentiev, A., Schulten, K., (2005) Biophys J, 88, p. 3745"
    )
    assert refs == (
        "Hairer, E., (2002) Geometric Numerical Integration, 31. , Springer Series; Springer-Verlag: Berlin",
        "Aksimentiev, A., Schulten, K., (2005) Biophys J, 88, p. 3745",
    )


# ---- matching: true matches --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "paper", "reason"),
    [
        (
            "Murata, T., Petri nets: properties, analysis and applications (1989) Proc. IEEE, 77 (4)",
            "paper/murata",
            "title",
        ),
        (
            "Murata, T, Petri nets: Properties, analysis and applications (1989) Proc IEEE 1989, 77 (4)",
            "paper/murata",
            "title",
        ),
        (
            "Murata, T., Petri nets: Properties, analyses and applications (1989) Proc. IEEE",
            "paper/murata",
            "title",
        ),
        ("Phillips JC, 2005, J COMPUT CHEM, V26, P1781, DOI 10.1002/JCC.20289", "paper/namd", "id"),
        (
            "Phillips, J.C., Braun, R., Scalable Molecular Dynamics with NAMD (2005) J Comput Chem, 26",
            "paper/namd",
            "title",
        ),
        ("A. Vaswani et al. Attention is all you need. arXiv:1706.03762v5, 2017.", "paper/attention", "id"),
        (
            "Ashish Vaswani, Noam Shazeer. Attention Is All You Need. NeurIPS 2017.",
            "paper/attention",
            "title-in-text",
        ),
        (
            "Chaouiya, C., Petri Net Modelling of Biological Networks (2007) Briefings in Bioinformatics, 8",
            "paper/petri-bio",
            "title",
        ),
    ],
)
def test_true_matches(index: PaperIndex, reference: str, paper: str, reason: str) -> None:
    found = index.match(parse(reference))
    assert (found.paper, found.reason) == (paper, reason)


# ---- matching: false matches stay external -----------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    [
        # same title words, another year
        "Murata, T., Petri nets: Properties, analysis and applications (1977) Proc. IEEE, 65, pp. 1-10",
        # same title, another first author
        "Peterson, J., Petri nets: Properties, analysis and applications (1989) ACM Comput Surv",
        # a related but different title
        "Chaouiya, C., Petri net modelling of gene regulatory networks (2007) J Theor Biol",
        "Heiner, M., Petri nets for modelling metabolic networks (2010) BioSystems",
        # a DOI that no paper has, and a title close to a paper that has another DOI
        "Phillips, J.C., Scalable molecular dynamics with NAMD (2005) J Comput Chem, 26. doi:10.1000/other",
        # no title, only a journal
        "Kalé, L., Skeel, R., (1999) J Comp Phys, 151, p. 283",
        # a short title is never enough
        "Smith, J., Attention (2017) Cognition",
    ],
)
def test_false_matches_stay_external(index: PaperIndex, reference: str) -> None:
    assert index.match(parse(reference)).paper is None


def test_ambiguous_titles_stay_external() -> None:
    twins = [
        _paper("paper/a", "Modelling of biological networks with Petri nets"),
        _paper("paper/b", "Modeling of biological networks with Petri nets"),
    ]
    found = PaperIndex(twins).match(
        parse("Lee, A., Modelling of biological network with Petri nets (2001) X")
    )
    assert found.paper is None


# ---- external works --------------------------------------------------------------------------


def test_the_same_external_work_cited_by_several_papers_is_one_node() -> None:
    refs_a = [
        "Gillespie, D.T., Exact stochastic simulation of coupled chemical reactions (1977) J. Phys. Chem., 81"
    ]
    refs_b = [
        "Gillespie, D., Exact Stochastic Simulation of Coupled Chemical Reactions (1977) "
        "The Journal of Physical Chemistry"
    ]
    refs_c = [
        Reference("", ("doi:10.1021/j100540a008",)),
        Reference("Exact stochastic simulation", ("doi:10.1021/J100540A008",)),
    ]
    citing = [("paper/murata", refs_a, []), ("paper/namd", refs_b, []), ("paper/hpn", refs_c, [])]
    edges, works, reasons = citation_edges(citing, PAPERS)
    assert len(works) == 2 and reasons["external"] == 4
    targets = {e.source: e.target for e in edges}
    assert targets["paper/murata"] == targets["paper/namd"] == work_key(parse(refs_a[0]))
    doi_work = next(w for w in works if w.key == "work/doi-10-1021-j100540a008")
    assert doi_work.label == "Exact stochastic simulation" and doi_work.identifiers == (
        "doi:10.1021/j100540a008",
    )


def test_citations_listed_by_the_cited_paper_point_to_it() -> None:
    citing = [("paper/attention", [], [Reference("BERT", ("arXiv:1810.04805",))])]
    edges, works, _ = citation_edges(citing, PAPERS)
    assert [(e.source, e.target) for e in edges] == [("work/arxiv-1810-04805", "paper/attention")]
    assert works[0].arxiv_id == "1810.04805"


def test_blocking_compares_a_reference_with_few_papers() -> None:
    many = [_paper(f"paper/{i}", f"Study number {i} of topic {i * 7} in field {i % 13}") for i in range(3000)]
    index = PaperIndex([*many, *PAPERS])
    ref = parse("Murata, T., Petri nets: properties, analysis and applications (1989) Proc. IEEE")
    assert len(index.candidates("petri nets properties analysis and applications")) <= 3
    assert index.match(ref).paper == "paper/murata"


# ---- end to end -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs_graph():
    need_shared(INPUTS)
    return build([INPUTS])


def test_scopus_references_become_citation_edges(inputs_graph) -> None:
    kg = inputs_graph
    cites = [e for e in kg.edges if e.relation == "cites"]
    papers = {p.key: p for p in kg.papers}
    assert len(kg.papers) == 111 and not kg.problems
    assert len(cites) > 2000 and {papers[e.source].sources[0].path.endswith("scopus.csv") for e in cites} == {
        True
    }
    internal = [(papers[e.source].title, papers[e.target].title) for e in cites if e.target in papers]
    murata = [s for s, t in internal if t == "Petri Nets: Properties, Analysis and Applications"]
    assert len(murata) == 12
    assert all(e.target in papers or e.target.startswith("work/") for e in cites)
    assert len({w.key for w in kg.works}) == len(kg.works) and all(w.label for w in kg.works)


def test_openalex_referenced_works_link_papers(tmp_path: Path) -> None:
    exports = Path(__file__).parent / "data" / "exports"
    for name in ("openalex_page.json", "openalex_snapshot.jsonl", "crossref_work.json"):
        (tmp_path / name).write_bytes((exports / name).read_bytes())
    kg = build([tmp_path])
    by_title = {p.title: p.key for p in kg.papers}
    cites = {(e.source, e.target) for e in kg.edges if e.relation == "cites"}
    oa = by_title[
        "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles"
    ]
    assert (
        oa,
        by_title["Scalable molecular dynamics with NAMD"],
    ) in cites  # OpenAlex id of a Crossref + OpenAlex paper
    assert (oa, by_title["A preprint on open access"]) in cites
    assert len(kg.papers) == 3
    namd_refs = {t for s, t in cites if s == by_title["Scalable molecular dynamics with NAMD"]}
    assert "work/doi-10-1006-jcph-1999-6201" in namd_refs and len(namd_refs) == 3


def test_build_reads_every_export_and_the_corpus(tmp_path: Path, capsys) -> None:
    need_shared(INPUTS)
    from papergraph.cli import main

    assert main(["build", str(INPUTS), str(CORPUS), "--out", str(tmp_path), "--format", "ttl"]) == 0
    out = capsys.readouterr()
    assert "read      9 files: 335 records, 325 distinct papers\n" in out.out  # 111 + 214, nothing skipped
    assert "skipped" not in out.err
    ttl = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    assert "prism:doi" in ttl and "cito:cites" in ttl


def test_newer_scopus_references_match_by_title_in_text() -> None:
    ref = parse_reference(
        "Chaouiya C., Petri net modelling of biological networks, Briefings in Bioinformatics, 8, 4, "
        "pp. 210-219, (2007)"
    )
    assert (ref.style, ref.surnames, ref.year, ref.title) == ("scopus", ("Chaouiya",), 2007, None)
    index = PaperIndex(PAPERS)
    assert index.match(ref) == index.match(parse(ref.text))
    assert index.match(ref).paper == "paper/petri-bio" and index.match(ref).reason == "title-in-text"
    other = "Herajy M., Petri net modelling of biological networks, Briefings in Bioinformatics, 8, (2007)"
    assert index.match(parse(other)).paper is None  # another first author


def test_scopus_ris_references_and_gzip(tmp_path: Path) -> None:
    import gzip

    ris = (
        "TY  - JOUR\nTI  - Citing paper\nAB  - We cite.\nN1  - Export Date: 1 May 2020\n"
        "N1  - References: Murata, T., Petri nets: Properties, analysis and applications (1989) Proc. IEEE; "
        "Lee, A., Another (2001) J\nER  - \n"
    )
    (tmp_path / "scopus.ris.gz").write_bytes(gzip.compress(ris.encode("utf-8")))
    (tmp_path / "murata.ris").write_text(
        "TY  - JOUR\nTI  - Petri Nets: Properties, Analysis and Applications\nAU  - Murata, T.\nPY  - 1989\n"
        "AB  - A tutorial.\nER  - \n",
        encoding="utf-8",
    )
    kg = build([tmp_path])
    by_title = {p.title: p.key for p in kg.papers}
    cites = {(e.source, e.target) for e in kg.edges if e.relation == "cites"}
    assert (by_title["Citing paper"], by_title["Petri Nets: Properties, Analysis and Applications"]) in cites
    assert len(cites) == 2 and len(kg.works) == 1 and not kg.problems


def test_semantic_scholar_citations_and_references_survive_a_round_trip(tmp_path: Path) -> None:
    import papergraph

    exports = Path(__file__).parent / "data" / "exports"
    kg = build([exports / "s2_batch.json", exports / "s2_dataset.jsonl"])
    assert len(kg.papers) == 2  # the dataset line is the batch's paper (same CorpusId)
    cites = sorted((e.source, e.target) for e in kg.edges if e.relation == "cites")
    key = {p.arxiv_id: p.key for p in kg.papers}
    assert (key["1810.04805"], key["1706.03762"]) in cites  # from Attention's "citations"
    assert (key["1706.03762"], "work/s2-43428880d75b3a14257c3ee9bda054e61eb869c0") in cites
    kg.write_turtle(tmp_path / "g.ttl")
    loaded = papergraph.load(tmp_path / "g.ttl")
    assert sorted((e.source, e.target) for e in loaded.edges if e.relation == "cites") == cites
    assert {w.key for w in loaded.works} == {w.key for w in kg.works}


def test_sici_dois_are_read_whole(tmp_path: Path) -> None:
    """SICI DOIs hold ``<``, ``>``, ``;`` and ``:``: two that differ only after the ``<`` are two
    cited works (cut at ``<``, they were one, under a wrong label, and a citation vanished)."""
    dois = [
        "10.1002/(SICI)1097-4571(199009)41:6<391::AID-ASI1>3.0.CO;2-9",
        "10.1002/(SICI)1097-4571(199009)41:6<400::AID-ASI2>3.0.CO;2-1",
    ]
    record = {"id": "p1", "title": "Citing Two", "abstract": "We cite two papers.", "references": dois}
    (tmp_path / "papers.json").write_text(json.dumps([record]), encoding="utf-8")
    kg = build([tmp_path / "papers.json"])
    assert sorted(i for w in kg.works for i in w.identifiers) == sorted(f"doi:{d.lower()}" for d in dois)
    assert sum(e.relation == "cites" for e in kg.edges) == 2


# references of ../shared/inputs/scopus.csv (litstudy's Scopus export), as Scopus wrote them
_ALIA = (
    "Alia, H., Ladet, P., Martinez, J., Silva-Suarez, M., Modelling and validation of complex systems by "
    "coloured Petri nets; application to a flexible manufacturing system (1985) Lecture Notes in Computer "
    "Science, 188, pp. 15-31. , New York: Springer-Verlag"
)
_IHNATOVA = (
    "Ihnatova, I., Popovici, V., Budinska, E., A critical comparison of topology-based pathway analysis "
    "methods. Li X, ed. PLoS One. 2018;13(1):e0191154. doi:10.1371/journal.pone.0191154"
)
_ROWLEY = (
    "Rowley, G., Spector, M., Kormanec, J., Roberts, M., Pushing the envelope: extracytoplasmic stress "
    "responses in bacterial pathogens (2006) Nat Rev Microbiol, 4 (5), pp. 383-394. , "
    "http://www.nature.com/nrmicro/journal/v4/n5/abs/nrmicro1394.html;"
    "jsessionid=EB38DF662D919AFA165074D399215E22, "
    "10.1038/nrmicro1394, 16715050"
)
_EDITED = (
    "Isralewitz, B., Baudry, J., Gullingsrud, J., Kosztin, D., Schulten, K., (2001) J Mol Graph Model, 19, "
    "p. 13. , Also in Protein Flexibility and Folding, Kuhn, L. A.; Thorpe, M. F., Eds.; Elsevier: New York"
)
_WILEY = (
    "Wiley, H.S., Shvartsman, S.Y., Lauffenburger, D.A., Computational modeling of the EGF-receptor system: "
    "A paradigm for systems biology (2003) Trends Cell Biol, 13, pp. 43-50"
)
_HUANG = (
    "Huang C. Ferrell J. Ultrasensitivity in the mitogen-activated protein kinase cascade. "
    "Proc Natl Acad Sci USA 996;93: 10078-83"
)
_KRSTIC = (
    "Krstic, J., Santibanez, J.F., Transforming growth factor-beta and matrix metalloproteinases "
    "functional interplay in cancer; implications in epithelial to mesenchymal transition (2016) "
    "Cell Biol. Res. Ther., s1"
)


def test_split_keeps_a_reference_whole_whatever_its_own_semicolons() -> None:
    """A ``;`` inside a title, between a journal's year and volume, inside a URL or between a
    book's editors ends no reference; two references are never glued into one."""
    real = [_ALIA, _IHNATOVA, _ROWLEY, _EDITED, _WILEY, _HUANG, _KRSTIC]
    assert split_references("; ".join(real)) == tuple(real)


def test_split_of_the_real_scopus_csv_export() -> None:
    """The 48 reference lists of litstudy's Scopus CSV: 2,452 pieces between '; ' become 2,400
    references (2,424 before the title, journal, URL and editor rules)."""
    from papergraph.sources import read_paths

    records = read_paths([str(need_shared(INPUTS / "scopus.csv"))]).records
    refs = [r for rec in records for r in rec.references]
    assert len([rec for rec in records if rec.references]) == 48
    assert len(refs) == 2400
    assert {_ALIA, _IHNATOVA, _ROWLEY, _EDITED, _WILEY, _HUANG, _KRSTIC} <= set(refs)


def test_a_paper_citing_itself_makes_no_loop_and_the_build_says_so(tmp_path, capsys) -> None:
    """A work listing its own DOI among its references, or a reference whose title is the citing
    paper's own: no cito:cites loop, counted as ``self``; a reference given twice: one edge,
    counted as ``repeated``; the build summary names both."""
    from papergraph.cli import main

    record = {
        "title": "Petri nets for systems biology",
        "abstract": "We use Petri nets.",
        "doi": "10.1000/own",
        "references": [
            "doi:10.1000/own",
            "Heiner, M., Petri nets for systems biology (2008) Bioinformatics",
            "Murata, T., Petri nets: properties, analysis and applications (1989) Proc. IEEE",
            "Murata, T., Petri nets: properties, analysis and applications (1989) Proc. IEEE",
        ],
    }
    (tmp_path / "x.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    kg = build([tmp_path / "x.jsonl"])
    cites = [e for e in kg.edges if e.relation == "cites"]
    assert len(cites) == 1 and cites[0].source != cites[0].target
    assert kg.citations == {"read": 4, "cites": 1, "self": 2, "repeated": 1, "empty": 0}
    assert main(["build", str(tmp_path / "x.jsonl"), "--out", str(tmp_path / "o"), "--format", "ttl"]) == 0
    out = capsys.readouterr().out
    said = "citations 4 references: 1 cito:cites; no edge for 1 repeated within a paper, 2 the citing paper"
    assert said in out
