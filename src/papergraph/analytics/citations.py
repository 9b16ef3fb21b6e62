"""Analytics over the citation graph: the ``cites`` edges of ``KnowledgeGraph.to_networkx()``
between papers of the graph and the works they cite (in the corpus or not).

* :func:`citation_graph`: the directed citation graph (``networkx.DiGraph``), every node with
  ``label`` and ``in_corpus``;
* :func:`most_cited`: works by number of citing papers, in and out of the corpus (rows);
* :func:`cocitation_network`: works cited together, weighted by the number of papers citing both;
* :func:`coupling_network`: papers that cite the same works (bibliographic coupling), weighted by
  the number of works both cite;
* :func:`citation_pagerank`: PageRank over the citation graph (rows, highest first).

Like every function of :mod:`papergraph.analytics`, they take the networkx graph; rankings come
back as rows (dicts, most first), networks as ``networkx`` graphs.

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Edge, ExternalWork, Paper
>>> papers = tuple(Paper(k, k.upper(), k.upper(), "") for k in ("paper/a", "paper/b", "paper/c"))
>>> works = (ExternalWork("work/x", "X"), ExternalWork("work/y", "Y"))
>>> cites = [("paper/a", "work/x"), ("paper/a", "work/y"), ("paper/b", "work/x"), ("paper/b", "work/y"),
...          ("paper/c", "paper/a")]
>>> kg = KnowledgeGraph(papers=papers, works=works, edges=tuple(Edge(s, "cites", t) for s, t in cites))
>>> g = kg.to_networkx()
>>> [(w["key"], w["citations"], w["in_corpus"]) for w in most_cited(g)]
[('work/x', 2, False), ('work/y', 2, False), ('paper/a', 1, True)]
>>> cocitation_network(g).edges(data="weight")
EdgeDataView([('work/x', 'work/y', 2)])
>>> coupling_network(g).edges(data="weight")
EdgeDataView([('paper/a', 'paper/b', 2)])
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from papergraph.analytics.projections import takes_networkx

__all__ = [
    "citation_graph",
    "citation_pagerank",
    "citation_summary",
    "cocitation_network",
    "coupling_network",
    "most_cited",
]


def _references(g: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Citing node → the nodes it cites."""
    out: dict[str, set[str]] = defaultdict(set)
    for source, target, relation in g.edges(keys=True):
        if relation == "cites" and source != target:
            out[source].add(target)
    return out


def _labels(g: nx.MultiDiGraph) -> tuple[dict[str, str], set[str]]:
    """Every node's label, and the papers of the graph (the corpus)."""
    labels = {n: label for n, label in g.nodes(data="label", default=None) if label is not None}
    return labels, {n for n, kind in g.nodes(data="type") if kind == "Paper"}


@takes_networkx
def citation_graph(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Papers and cited works joined by their ``cites`` edges (every paper is a node, cited or not)."""
    labels, corpus = _labels(g)
    out = nx.DiGraph()
    for key in sorted(corpus):
        out.add_node(key, label=labels.get(key, key), in_corpus=True)
    for source, targets in sorted(_references(g).items()):
        for target in sorted(targets):
            for key in (source, target):
                if key not in out:
                    out.add_node(key, label=labels.get(key, key), in_corpus=key in corpus)
            out.add_edge(source, target)
    return out


@takes_networkx
def most_cited(
    g: nx.MultiDiGraph, top: int | None = None, *, in_corpus: bool | None = None
) -> list[dict[str, Any]]:
    """Works by number of citing papers (most first, then by key), as rows with ``key``, ``label``,
    ``citations`` and ``in_corpus``; ``in_corpus`` keeps only papers of the graph (``True``) or
    only external works (``False``)."""
    labels, corpus = _labels(g)
    counts: Counter[str] = Counter(t for targets in _references(g).values() for t in targets)
    ranked = [
        {"key": key, "label": labels.get(key, key), "citations": n, "in_corpus": key in corpus}
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if in_corpus is None or (key in corpus) == in_corpus
    ]
    return ranked[:top] if top is not None else ranked


@takes_networkx
def cocitation_network(g: nx.MultiDiGraph, min_weight: int = 1) -> nx.Graph:
    """Works cited together by at least ``min_weight`` papers; edge ``weight`` = how many papers
    cite both. Nodes carry ``label``, ``in_corpus`` and ``citations``."""
    labels, corpus = _labels(g)
    weights: Counter[tuple[str, str]] = Counter()
    cited: Counter[str] = Counter()
    for targets in _references(g).values():
        cited.update(targets)
        weights.update(combinations(sorted(targets), 2))
    return _weighted(weights, min_weight, labels, corpus, cited)


@takes_networkx
def coupling_network(g: nx.MultiDiGraph, min_weight: int = 1) -> nx.Graph:
    """Papers that share at least ``min_weight`` cited works; edge ``weight`` = how many works
    both cite. Nodes carry ``label``, ``in_corpus`` and ``references`` (how many works it cites)."""
    labels, corpus = _labels(g)
    refs = _references(g)
    citing_of: dict[str, list[str]] = defaultdict(list)
    for source in sorted(refs):
        for target in refs[source]:
            citing_of[target].append(source)
    weights: Counter[tuple[str, str]] = Counter()
    for citing in citing_of.values():
        weights.update(combinations(citing, 2))
    out = _weighted(weights, min_weight, labels, corpus, Counter())
    for node in out:
        out.nodes[node]["references"] = len(refs.get(node, ()))
        del out.nodes[node]["citations"]
    return out


def _weighted(
    weights: Counter[tuple[str, str]],
    min_weight: int,
    labels: dict[str, str],
    corpus: set[str],
    cited: Counter[str],
) -> nx.Graph:
    g = nx.Graph()
    for (a, b), w in sorted(weights.items()):
        if w >= min_weight:
            for key in (a, b):
                if key not in g:
                    g.add_node(key, label=labels.get(key, key), in_corpus=key in corpus, citations=cited[key])
            g.add_edge(a, b, weight=w)
    return g


@takes_networkx
def citation_pagerank(
    g: nx.MultiDiGraph, alpha: float = 0.85, top: int | None = None
) -> list[dict[str, Any]]:
    """PageRank of every node of :func:`citation_graph` (a citation passes rank to what it cites),
    as rows with ``key``, ``label``, ``pagerank`` and ``in_corpus``, highest first (then by key)."""
    cited = citation_graph(g)
    if cited.number_of_nodes() == 0:
        return []
    rank = nx.pagerank(cited, alpha=alpha)
    rows = [
        {"key": k, "label": cited.nodes[k]["label"], "pagerank": v, "in_corpus": cited.nodes[k]["in_corpus"]}
        for k, v in sorted(rank.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return rows[:top] if top is not None else rows


@takes_networkx
def citation_summary(g: nx.MultiDiGraph, top: int = 10) -> dict[str, Any]:
    """What ``papergraph stats`` reports about citations (JSON-ready)."""
    refs = _references(g)
    _, corpus = _labels(g)
    edges = sum(len(t) for t in refs.values())
    internal = sum(1 for targets in refs.values() for t in targets if t in corpus)
    cocited, coupled = cocitation_network(g), coupling_network(g)

    def cited_json(works: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"key": w["key"], "label": w["label"], "citations": w["citations"]} for w in works]

    return {
        "citing_papers": sum(1 for s in refs if s in corpus),
        "cites": edges,
        "cites_in_corpus": internal,
        "cited_works": len({t for targets in refs.values() for t in targets}),
        "most_cited_in_corpus": cited_json(most_cited(g, top, in_corpus=True)),
        "most_cited_external": cited_json(most_cited(g, top, in_corpus=False)),
        "pagerank": [{**row, "pagerank": round(row["pagerank"], 6)} for row in citation_pagerank(g, top=top)],
        "cocitation": {"nodes": cocited.number_of_nodes(), "edges": cocited.number_of_edges()},
        "coupling": {"nodes": coupled.number_of_nodes(), "edges": coupled.number_of_edges()},
    }
