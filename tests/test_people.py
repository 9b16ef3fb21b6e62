"""Authors as persons: the conservative name rule, persons in RDF, the author analytics."""

from __future__ import annotations

import random
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, FOAF, RDF

import papergraph
from papergraph import analytics
from papergraph.export import rdf_load
from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, Entity, Paper
from papergraph.query.validate import validate
from papergraph.resolve.people import is_placeholder, resolve_people


def _paper(key: str, *authors: str, date: str | None = None) -> Paper:
    return Paper(key, key, key, "We propose it.", authors=authors, date=date)


def _person_of(people, paper: str, position: int) -> str:
    return people.by_paper[paper][position]


def test_a_full_name_is_one_person_in_any_spelling() -> None:
    people = resolve_people([_paper("paper/a", "Hu, Edward J."), _paper("paper/b", "Edward J. Hu")])
    assert _person_of(people, "paper/a", 0) == _person_of(people, "paper/b", 0) == "person/edward-j-hu"
    (person,) = people.persons
    assert person.spellings == ("Edward J. Hu", "Hu, Edward J.") and person.papers == ("paper/a", "paper/b")


def test_accents_and_case_do_not_make_two_people() -> None:
    people = resolve_people([_paper("paper/a", "José García"), _paper("paper/b", "GARCIA, Jose")])
    assert len(people.persons) == 1


def test_initials_join_only_where_the_papers_share_a_coauthor() -> None:
    papers = [
        _paper("paper/a", "Wang, L.", "Smith, Anna"),
        _paper("paper/b", "Wang L.", "Anna Smith"),  # Scopus's "Family I." form, same co-author
        _paper("paper/c", "Wang, L.", "Ng, Andrew"),  # no shared co-author: maybe another Wang
    ]
    people = resolve_people(papers)
    a, b, c = (_person_of(people, p, 0) for p in ("paper/a", "paper/b", "paper/c"))
    assert a == b != c
    assert len({k for k in people.by_paper["paper/a"] + people.by_paper["paper/c"]}) == 4


def test_initials_never_join_a_full_name() -> None:
    people = resolve_people(
        [_paper("paper/a", "Hu, E.", "Shen, Y."), _paper("paper/b", "Hu, Edward", "Shen, Y.")]
    )
    assert _person_of(people, "paper/a", 0) != _person_of(people, "paper/b", 0)


def test_placeholders_are_no_one() -> None:
    for name in ("[No author name available]", "Anonymous", "et al.", "  ", "[Anonymous]"):
        assert is_placeholder(name), name
    people = resolve_people([_paper("paper/a", "[No author name available]", "Ng, Andrew")])
    assert [p.name for p in people.persons] == ["Ng, Andrew"]


def test_keys_do_not_depend_on_the_order_of_the_papers() -> None:
    papers = [
        _paper("paper/a", "Wang, L.", "Smith, Anna"),
        _paper("paper/b", "Wang L.", "Anna Smith"),
        _paper("paper/c", "Wang, L.", "Ng, Andrew"),
        _paper("paper/d", "J. Smith", "Jo Smith", "Smith, J."),
    ]
    first = resolve_people(papers)
    for seed in range(5):
        shuffled = papers[:]
        random.Random(seed).shuffle(shuffled)
        assert resolve_people(shuffled) == first


def _kg() -> KnowledgeGraph:
    papers = (
        _paper("paper/a", "Hu, Edward J.", "Shen, Yelong", date="2021"),
        _paper("paper/b", "Edward J. Hu", "Wang, L.", "[No author name available]", date="2022"),
        _paper("paper/c", "Shen, Yelong", date="2020"),
    )
    entities = (Entity("dataset/glue", "Dataset", "GLUE"), Entity("method/lora", "Method", "LoRA"))
    edges = (Edge("paper/b", "proposes", "method/lora"), Edge("paper/b", "uses", "dataset/glue"))
    return KnowledgeGraph(papers, entities, edges)


def test_persons_in_rdf_conform_and_load_back(tmp_path: Path) -> None:
    kg = _kg()
    path = kg.write_turtle(tmp_path / "g.ttl")
    g = rdflib.Graph().parse(path)
    paper_b = rdflib.URIRef("https://w3id.org/papergraph/id/paper/b")
    creators = set(g.objects(paper_b, DCTERMS.creator))
    assert all((c, RDF.type, FOAF.Person) in g for c in creators)
    names = {str(g.value(c, FOAF.name)) for c in creators}
    assert names == {"Hu, Edward J.", "Wang, L."}  # the spelling most used, then the longest
    assert not any("No author" in str(o) for o in g.objects(None, FOAF.name))
    assert validate(g).conforms
    assert rdf_load.load(path) == kg  # the names as written come back through pg:authorList


def test_author_analytics() -> None:
    g = _kg().to_networkx()
    network = analytics.coauthor_network(g)
    assert network.edges["person/edward-j-hu", "person/yelong-shen"]["weight"] == 1
    rows = analytics.most_productive_authors(g, top=2)
    assert [(r["key"], r["papers"], r["first"], r["last"]) for r in rows] == [
        ("person/edward-j-hu", 2, "2021", "2022"),
        ("person/yelong-shen", 2, "2020", "2021"),
    ]
    mine = analytics.author_papers(g, "Hu, Edward J.")
    assert [(r["paper"], r["proposes"], r["uses"]) for r in mine] == [
        ("paper/b", ["LoRA"], ["GLUE"]),
        ("paper/a", [], []),
    ]
    assert analytics.author_papers(g, "person/edward-j-hu") == mine
    assert analytics.author_papers(g, "Nobody") == []


def test_orcids_of_a_real_pubmed_export_make_persons_linked_to_orcid(tmp_path: Path) -> None:
    """Biopython's PubMed efetch XML gives two authors an ORCID iD: they become
    person/orcid-… nodes, owl:sameAs their orcid.org IRI, and come back from the file."""
    real = Path(__file__).parent / "data" / "exports" / "real" / "biopython_pubmed7.xml"
    kg = papergraph.build([real])
    (paper,) = kg.papers
    assert paper.orcids == (
        ("Capaldi, Dante", "0000-0002-4590-7461"),
        ("Fenster, Aaron", "0000-0003-3525-2788"),
    )
    assert "person/orcid-0000-0002-4590-7461" in kg.people.by_paper[paper.key]
    path = kg.write_turtle(tmp_path / "g.ttl")
    g = rdflib.Graph().parse(path)
    fenster = rdflib.URIRef("https://w3id.org/papergraph/id/person/orcid-0000-0003-3525-2788")
    assert (fenster, rdflib.OWL.sameAs, rdflib.URIRef("https://orcid.org/0000-0003-3525-2788")) in g
    assert str(g.value(fenster, FOAF.name)) == "Fenster, Aaron"
    assert rdf_load.load(path).papers[0].orcids == paper.orcids
    assert validate(g).conforms


def test_an_orcid_joins_the_spellings_of_one_person_and_keeps_homonyms_apart() -> None:
    papers = [
        Paper(
            "paper/a",
            "A",
            "A",
            "x",
            authors=("Hu, E.", "Ng, A."),
            orcids=(("Hu, E.", "0000-0002-1825-0097"),),
        ),
        Paper(
            "paper/b", "B", "B", "x", authors=("Edward Hu",), orcids=(("Edward Hu", "0000-0002-1825-0097"),)
        ),
        Paper("paper/c", "C", "C", "x", authors=("Edward Hu",)),  # the name of one ORCID person: joined
        Paper("paper/d", "D", "D", "x", authors=("Wei Li",), orcids=(("Wei Li", "0000-0001-5109-3700"),)),
        Paper("paper/e", "E", "E", "x", authors=("Wei Li",), orcids=(("Wei Li", "0000-0002-9079-593X"),)),
        Paper("paper/f", "F", "F", "x", authors=("Wei Li",)),  # two ORCID persons of that name: neither
    ]
    people = resolve_people(papers)
    hu = "person/orcid-0000-0002-1825-0097"
    assert [people.by_paper[p][0] for p in ("paper/a", "paper/b", "paper/c")] == [hu, hu, hu]
    assert len({people.by_paper[p][0] for p in ("paper/d", "paper/e", "paper/f")}) == 3
