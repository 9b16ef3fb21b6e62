"""Rankings of methods, datasets, metrics, tasks and papers: PageRank and degree.

Entities are ranked on the whole graph with edges pointing from papers to what they name, so an
entity ranks high when many (well-linked) papers name it; papers are ranked on the paper → paper
graph (citations and inferred links), so a paper ranks high when others build on it.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from([(p, {"type": "Paper", "label": p}) for p in ("p1", "p2", "p3")])
>>> g.add_nodes_from([("m", {"type": "Method", "label": "M"}), ("n", {"type": "Method", "label": "N"})])
>>> for p in ("p1", "p2", "p3"):
...     _ = g.add_edge(p, "m", key="uses", relation="uses")
>>> _ = g.add_edge("p1", "n", key="uses", relation="uses")
>>> [(r["label"], r["papers"]) for r in degree(g, "Method")]
[('M', 3), ('N', 1)]
>>> [r["label"] for r in pagerank(g, "Method")]
['M', 'N']
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from papergraph.analytics.projections import PAPER_RELATIONS, paper_graph, simple_graph, takes_networkx


def _row(g: nx.MultiDiGraph, key: str, **values: Any) -> dict[str, Any]:
    return {"key": key, "label": g.nodes[key].get("label", key), "type": g.nodes[key].get("type"), **values}


def _citation_graph(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Papers → what they name (the four paper relations) and papers → papers, weighted."""
    papers = {n for n, t in g.nodes(data="type") if t == "Paper"}
    out = nx.DiGraph()
    out.add_nodes_from(g.nodes)
    for source, target, relation in g.edges(data="relation"):
        if source in papers and (relation in PAPER_RELATIONS or target in papers) and source != target:
            w = out.edges[source, target]["weight"] + 1 if out.has_edge(source, target) else 1
            out.add_edge(source, target, weight=w)
    return out


@takes_networkx
def pagerank(g: nx.MultiDiGraph, node_type: str | None = None, top: int = 10) -> list[dict[str, Any]]:
    """The ``top`` nodes of ``node_type`` (``"Method"``, ``"Dataset"``, ``"Metric"``, ``"Task"``,
    ``"Paper"``, or ``None`` for every entity) by PageRank, as ``{key, label, type, pagerank,
    papers}`` (``papers``: as in :func:`degree`). Entities are ranked on the graph of papers
    pointing to what they name and to the papers they cite or build on; papers on the paper →
    paper graph."""
    graph = paper_graph(g) if node_type == "Paper" else _citation_graph(g)
    if graph.number_of_nodes() == 0:
        return []
    scores = nx.pagerank(graph, weight="weight")
    wanted = [
        n
        for n in graph
        if (
            g.nodes[n].get("type") == node_type
            if node_type
            else g.nodes[n].get("type") not in ("Paper", None)
        )
    ]
    wanted.sort(key=lambda n: (-scores[n], str(g.nodes[n].get("label", n)), n))
    linked = paper_graph(g).to_undirected() if node_type == "Paper" else simple_graph(g)
    return [_row(g, n, pagerank=round(scores[n], 6), papers=_papers(g, linked, n)) for n in wanted[:top]]


def _papers(g: nx.MultiDiGraph, graph: nx.Graph, n: str) -> int:
    return sum(1 for m in graph[n] if g.nodes[m].get("type") == "Paper")


@takes_networkx
def degree(g: nx.MultiDiGraph, node_type: str | None = None, top: int = 10) -> list[dict[str, Any]]:
    """The ``top`` nodes of ``node_type`` by degree: for an entity, the number of distinct papers
    naming it (``papers``); for a paper, the number of papers it is linked to (``papers``)."""
    graph = paper_graph(g).to_undirected() if node_type == "Paper" else simple_graph(g)
    types = {n: t for n, t in g.nodes(data="type")}
    rows = []
    for n in graph:
        if types.get(n) != node_type if node_type else types.get(n) in ("Paper", None):
            continue
        rows.append((n, _papers(g, graph, n)))
    rows.sort(key=lambda r: (-r[1], str(g.nodes[r[0]].get("label", r[0])), r[0]))
    return [_row(g, n, papers=k) for n, k in rows[:top]]
