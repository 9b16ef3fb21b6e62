"""Venues: the journal, proceedings or preprint server of each paper, read from real exports of
every format that names one, kept in the RDF so that venues can be queried and counted."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS

import papergraph
from papergraph.export import rdf_load

EXPORTS = Path(__file__).parent / "data" / "exports"
REAL = EXPORTS / "real"
PG = rdflib.Namespace("https://w3id.org/papergraph/ontology#")
PRISM = rdflib.Namespace("http://prismstandard.org/namespaces/basic/2.0/")


@pytest.mark.parametrize(
    ("path", "venue"),
    [
        (REAL / "scopus_litstudy.csv", "IEEE Access"),  # Scopus CSV "Source title" ("Source" is "Scopus")
        (REAL / "scopus_bibx.ris", "Electronics Letters"),  # RIS T2
        (REAL / "wos_buhos.ris", "COMPUTERS & SECURITY"),
        (REAL / "wos_bibx_single.txt", "JOURNAL OF MAGNETISM AND MAGNETIC MATERIALS"),  # WoS SO
        (
            REAL / "scopus_buhos_2026.bib",
            "Computers and Education Open",
        ),  # journal; "source = {Scopus}" is not
        (REAL / "ieee_litstudy.csv", "2019 15th International Conference on eScience (eScience)"),
        (REAL / "biopython_pubmed_result4.txt", "Molecular biology of the cell"),  # PubMed JT
        (REAL / "biopython_pubmed7.xml", "Journal of medical imaging (Bellingham, Wash.)"),
        (REAL / "jabref_EndnoteXmlImporterTestArticle.xml", "Br J Cancer"),
        (REAL / "manubot_pubmed-scihub-study.csl.json", "eLife"),  # CSL container-title
        (EXPORTS / "crossref_work.json", "Journal of Computational Chemistry"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else None,
)
def test_every_paper_of_each_export_has_its_venue(path: Path, venue: str) -> None:
    kg = papergraph.build([path])
    assert venue in {p.venue for p in kg.papers}
    assert all(p.venue for p in kg.papers)


def test_a_paper_with_only_an_arxiv_id_is_in_arxiv() -> None:
    kg = papergraph.build([EXPORTS / "s2_batch.json"])
    assert {p.venue for p in kg.papers} == {"arXiv"}


def test_venues_are_nodes_papers_are_part_of(tmp_path: Path) -> None:
    kg = papergraph.build([REAL / "scopus_litstudy.csv", REAL / "wos_buhos.ris"])
    path = kg.write_turtle(tmp_path / "g.ttl")
    g = rdflib.Graph().parse(path)
    venues = set(g.subjects(RDF.type, PG.Venue))
    assert len(venues) == len({p.venue for p in kg.papers}) >= 5
    for paper in kg.papers:
        iri = rdflib.URIRef(f"https://w3id.org/papergraph/id/{paper.key}")
        (venue,) = g.objects(iri, DCTERMS.isPartOf)
        assert str(g.value(venue, RDFS.label)) == paper.venue == str(g.value(iri, PRISM.publicationName))
    counted = g.query(
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p <http://purl.org/dc/terms/isPartOf> ?v . "
        "?v <http://www.w3.org/2000/01/rdf-schema#label> 'IEEE Access' }"
    )
    assert [int(row.n) for row in counted] == [sum(p.venue == "IEEE Access" for p in kg.papers)]
    assert rdf_load.load(path).papers == kg.papers  # the venue reads back from prism:publicationName
