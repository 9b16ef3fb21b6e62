"""The text writers (rdf_text) give the bytes of the term-based writers fed by rdf.triples."""

from __future__ import annotations

import io

import rdf_oracle
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic
from test_rdf import HOSTILE, hostile_kg, make_kg, sample_kg

from papergraph.export import rdf
from papergraph.export.rdf_text import write_ntriples_text, write_turtle_text
from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, Entity, Evidence, ExternalWork, InferredLink, Merge, Paper, SourceRef


def by_terms(kg: KnowledgeGraph) -> tuple[str, str]:
    """Turtle and N-Triples as the term-based writers make them from ``rdf.triples``."""
    ttl, nt = io.StringIO(), io.StringIO()
    rdf_oracle.write_turtle(rdf.triples(kg), ttl)
    rdf_oracle.write_ntriples(rdf.triples(kg), nt)
    return ttl.getvalue(), nt.getvalue()


def as_text(kg: KnowledgeGraph) -> tuple[str, str]:
    ttl, nt = io.StringIO(), io.StringIO()
    write_turtle_text(kg, ttl)
    write_ntriples_text(kg, nt)
    return ttl.getvalue(), nt.getvalue()


def assert_same(kg: KnowledgeGraph) -> None:
    expected, got = by_terms(kg), as_text(kg)
    assert got[0] == expected[0]
    assert got[1] == expected[1]


def odd_kg() -> KnowledgeGraph:
    """Every kind of node and the cases a writer can get wrong: lists, duplicates, long object
    lists, a confidence, a date of each shape, keys and URLs that are not safe names."""
    papers = [
        Paper(
            key="paper/a b+c",
            label="A",
            title="T",
            abstract="x" * 300,
            identifiers=("doi:10.1/Z", "arXiv:1", "doi:10.1/Z"),
            sources=(
                SourceRef("b.csv", 2, "csv"),
                SourceRef("a.csv", 1, "csv"),
                SourceRef("b.csv", 2, "csv"),
            ),
            authors=tuple(f"Author {i}" for i in range(12)),
            date="2024-05",
            url="https://example.org/ü?q=1",
            upvotes=0,
        ),
        Paper(key="paper/b", label="B", title=None, abstract="", date="--02-29", url="www.x.org"),
        Paper(key="paper/c", label="C", title="C", abstract="c", date="2024-02-30", author_count=7),
    ]
    entities = [
        Entity("method/m", "Method", "M", aliases=("zeta", "alpha", "alpha"), broader="method/n"),
        Entity("method/n", "Method", "N"),
        Entity("task/t", "Task", "T" * 120, aliases=tuple("a" * 40 + str(i) for i in range(4))),
    ]
    ev = Evidence('He said "hi"\n', 0, 2)
    edges = [
        Edge("paper/a b+c", "proposes", "method/m", ev, "paper/a b+c", (("confidence", "0.5"),)),
        Edge("paper/a b+c", "proposes", "method/m", ev, "paper/a b+c", (("confidence", "1e3"),)),
        Edge("paper/a b+c", "proposes", "method/m", ev, "paper/a b+c"),
        Edge("paper/a b+c", "uses", "task/t", None, None),
        Edge("paper/b", "uses", "method/m", Evidence("s", 0, 1), "paper/b"),
        Edge("paper/b", "odd relation", "method/n"),
        Edge("paper/b", "cites", "work/w"),
        Edge("paper/c", "uses", "method/m", Evidence("s", 0, 1), "paper/c"),
        Edge("paper/c", "proposes", "method/n", Evidence("t", 0, 1), "paper/c"),
        Edge("method/m", "broader", "method/n"),
        Edge("elsewhere/x", "uses", "method/n"),
    ]
    merges = [
        Merge("method/m", "alpha", "fuzzy", "M", "paper/b", 96.0, ("paper/b", "paper/c")),
        Merge("method/m", "M", "label"),
        Merge("method/n", "n", "normal-form", "N", score=0.1234567),
    ]
    works = [ExternalWork("work/w", "W", ("doi:10.2/w", "arXiv:2"), "2")]
    inferred = [InferredLink("paper/b", "uses-method-in", "paper/c", "method/m")]
    return KnowledgeGraph(
        papers=tuple(papers),
        entities=tuple(entities),
        edges=tuple(sorted(edges, key=rdf.edge_sort_key)),
        merges=tuple(merges),
        works=tuple(works),
        inferred=tuple(inferred),
    )


def test_same_bytes_on_hand_made_graphs() -> None:
    for kg in (sample_kg(), odd_kg(), make_kg(), *(hostile_kg(text) for text in HOSTILE)):
        assert_same(kg)
    ttl, nt = as_text(odd_kg())
    assert "( " in ttl and "rdf-syntax-ns#first" in nt  # the lists are there
    assert "pg:confidence 0.5, 1e3" not in ttl and '"1e3"' in ttl  # not a decimal: a string


def test_same_graph_as_to_rdf() -> None:
    kg = odd_kg()
    ttl, nt = as_text(kg)
    expected = rdf.to_rdf(kg)
    assert isomorphic(rdflib.Graph().parse(data=ttl, format="turtle"), expected)
    assert isomorphic(rdflib.Graph().parse(data=nt, format="nt"), expected)


def test_same_bytes_on_the_corpus(corpus_graph: KnowledgeGraph) -> None:
    assert_same(corpus_graph)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.text(), min_size=4, max_size=4),
    key=st.text(min_size=1),
    score=st.none() | st.floats(allow_nan=False),
    start=st.integers(-5, 10**12),
)
def test_same_bytes_on_arbitrary_graphs(texts: list[str], key: str, score: float | None, start: int) -> None:
    a, b, c, d = texts
    kg = make_kg(
        papers=[
            Paper(key=key, label=a, title=b, abstract=c, identifiers=(d, a), authors=(b, a), date=d, url=c),
            Paper(key="paper/" + d, label=d, title=None, abstract=a, sources=(SourceRef(a, start, b),)),
        ],
        entities=[Entity("method/" + a, "Method", b, aliases=(c, d), broader=key)],
        edges=[
            Edge(key, "uses", "method/" + a, Evidence(c, start, start + 1), key, (("confidence", d),)),
            Edge(key, b or "uses", "paper/" + d, None, "paper/" + d),
        ],
    )
    merges = (Merge("method/" + a, b, "fuzzy", c or None, key, score, (key,)),)
    assert_same(KnowledgeGraph(papers=kg.papers, entities=kg.entities, edges=kg.edges, merges=merges))
