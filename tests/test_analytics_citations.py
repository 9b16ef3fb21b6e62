"""Citation analytics: most-cited works, co-citation and bibliographic-coupling networks,
citation PageRank, and the citation section of ``papergraph stats``."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from conftest import INPUTS, need_shared

from papergraph import analytics, build
from papergraph.analytics import (
    citation_graph,
    citation_pagerank,
    cocitation_network,
    coupling_network,
    most_cited,
)
from papergraph.cli import main
from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, ExternalWork, Paper


@pytest.fixture()
def kg() -> KnowledgeGraph:
    """Papers a, b, c, d; a and b cite x, y; c cites x, a; d cites nothing."""
    papers = tuple(Paper(f"paper/{k}", k.upper(), k.upper(), "") for k in "abcd")
    works = (ExternalWork("work/x", "X"), ExternalWork("work/y", "Y"))
    cites = [
        ("a", "work/x"),
        ("a", "work/y"),
        ("b", "work/x"),
        ("b", "work/y"),
        ("c", "work/x"),
        ("c", "paper/a"),
    ]
    edges = [Edge(f"paper/{s}", "cites", t) for s, t in cites]
    edges.append(Edge("paper/a", "uses", "method/m"))  # not a citation
    return KnowledgeGraph(papers=papers, works=works, edges=tuple(edges))


@pytest.fixture()
def g(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """The networkx graph every analytics function takes."""
    return kg.to_networkx()


def test_most_cited_in_and_out_of_the_corpus(g: nx.MultiDiGraph) -> None:
    assert [(w["key"], w["citations"]) for w in most_cited(g)] == [
        ("work/x", 3),
        ("work/y", 2),
        ("paper/a", 1),
    ]
    assert most_cited(g, in_corpus=True) == [
        {"key": "paper/a", "label": "A", "citations": 1, "in_corpus": True}
    ]
    assert [w["label"] for w in most_cited(g, 1, in_corpus=False)] == ["X"]


def test_cocitation_weights_count_papers_citing_both(g: nx.MultiDiGraph) -> None:
    whole, g = g, cocitation_network(g)
    assert isinstance(g, nx.Graph) and not g.is_directed()
    assert sorted(g.edges(data="weight")) == [("paper/a", "work/x", 1), ("work/x", "work/y", 2)]
    assert g.nodes["work/x"]["citations"] == 3 and g.nodes["paper/a"]["in_corpus"] is True
    assert list(cocitation_network(whole, min_weight=2).edges) == [("work/x", "work/y")]


def test_coupling_weights_count_shared_references(g: nx.MultiDiGraph) -> None:
    g = coupling_network(g)
    assert sorted(g.edges(data="weight")) == [
        ("paper/a", "paper/b", 2),
        ("paper/a", "paper/c", 1),
        ("paper/b", "paper/c", 1),
    ]
    assert g.nodes["paper/c"]["references"] == 2 and "paper/d" not in g


def test_pagerank_ranks_the_most_cited_first(g: nx.MultiDiGraph) -> None:
    rows = citation_pagerank(g)
    assert rows[0]["key"] == "work/x" and rows[0]["label"] == "X" and rows[0]["in_corpus"] is False
    assert [r["pagerank"] for r in rows] == sorted((r["pagerank"] for r in rows), reverse=True)
    rank = {r["key"]: r["pagerank"] for r in rows}
    assert abs(sum(rank.values()) - 1) < 1e-9 and "paper/d" in rank  # every paper is a node
    assert len(citation_pagerank(g, top=2)) == 2
    assert citation_graph(g).has_edge("paper/c", "paper/a")
    assert citation_pagerank(KnowledgeGraph().to_networkx()) == []


@pytest.mark.parametrize("name", sorted(set(analytics.__all__) - {"render_report", "write_charts"}))
def test_every_analytics_function_takes_the_networkx_graph_and_says_so(kg: KnowledgeGraph, name: str) -> None:
    """Given the KnowledgeGraph itself, a function says what to pass instead of failing inside."""
    with pytest.raises(TypeError, match=r"pass kg\.to_networkx\(\)"):
        getattr(analytics, name)(kg)


def test_stats_reports_citations_of_the_real_exports(tmp_path, capsys) -> None:
    need_shared(INPUTS)
    assert main(["build", str(INPUTS), "--out", str(tmp_path), "--format", "ttl", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["stats", str(tmp_path / "graph.ttl"), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "most cited papers of the graph\n     12  Petri Nets: Properties, Analysis and Applications" in out
    assert "co-citation network" in out and "bibliographic coupling" in out
    assert main(["stats", str(tmp_path / "graph.ttl"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["citations"]
    built = build([INPUTS])
    assert data["cites"] == sum(1 for e in built.edges if e.relation == "cites")
    assert data["cites_in_corpus"] == 28 and data["most_cited_external"][0]["citations"] == 8
    assert data["cocitation"]["edges"] == cocitation_network(built.to_networkx()).number_of_edges()
