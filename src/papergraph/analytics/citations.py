"""Analytics over the citation graph: the ``cites`` edges between papers of the graph and the
works they cite (in the corpus or not).

* :func:`citation_graph`: the directed citation graph (``networkx.DiGraph``), every node with
  ``label`` and ``in_corpus``;
* :func:`most_cited`: works by number of citing papers, in and out of the corpus;
* :func:`cocitation_network`: works cited together, weighted by the number of papers citing both;
* :func:`coupling_network`: papers that cite the same works (bibliographic coupling), weighted by
  the number of works both cite;
* :func:`citation_pagerank`: PageRank over the citation graph.

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Edge, ExternalWork, Paper
>>> papers = tuple(Paper(k, k.upper(), k.upper(), "") for k in ("paper/a", "paper/b", "paper/c"))
>>> works = (ExternalWork("work/x", "X"), ExternalWork("work/y", "Y"))
>>> cites = [("paper/a", "work/x"), ("paper/a", "work/y"), ("paper/b", "work/x"), ("paper/b", "work/y"),
...          ("paper/c", "paper/a")]
>>> kg = KnowledgeGraph(papers=papers, works=works, edges=tuple(Edge(s, "cites", t) for s, t in cites))
>>> [(w.key, w.citations, w.in_corpus) for w in most_cited(kg)]
[('work/x', 2, False), ('work/y', 2, False), ('paper/a', 1, True)]
>>> cocitation_network(kg).edges(data="weight")
EdgeDataView([('work/x', 'work/y', 2)])
>>> coupling_network(kg).edges(data="weight")
EdgeDataView([('paper/a', 'paper/b', 2)])
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import networkx as nx

from papergraph.graph import KnowledgeGraph

__all__ = [
    "CitedWork",
    "citation_graph",
    "citation_pagerank",
    "citation_summary",
    "cocitation_network",
    "coupling_network",
    "most_cited",
]


@dataclass(frozen=True)
class CitedWork:
    """A cited work (a paper of the graph or an external work) and how many papers cite it."""

    key: str
    label: str
    citations: int
    in_corpus: bool


def _references(kg: KnowledgeGraph) -> dict[str, set[str]]:
    """Citing node → the nodes it cites."""
    out: dict[str, set[str]] = defaultdict(set)
    for edge in kg.edges:
        if edge.relation == "cites" and edge.source != edge.target:
            out[edge.source].add(edge.target)
    return out


def _labels(kg: KnowledgeGraph) -> tuple[dict[str, str], set[str]]:
    papers = {p.key: p.label for p in kg.papers}
    labels = {w.key: w.label for w in kg.works}
    labels.update(papers)
    return labels, set(papers)


def citation_graph(kg: KnowledgeGraph) -> nx.DiGraph:
    """Papers and cited works joined by their ``cites`` edges (every paper is a node, cited or not)."""
    labels, corpus = _labels(kg)
    g = nx.DiGraph()
    for key in sorted(corpus):
        g.add_node(key, label=labels[key], in_corpus=True)
    for source, targets in sorted(_references(kg).items()):
        for target in sorted(targets):
            for key in (source, target):
                if key not in g:
                    g.add_node(key, label=labels.get(key, key), in_corpus=key in corpus)
            g.add_edge(source, target)
    return g


def most_cited(
    kg: KnowledgeGraph, top: int | None = None, *, in_corpus: bool | None = None
) -> list[CitedWork]:
    """Works by number of citing papers (most first, then by key); ``in_corpus`` keeps only papers
    of the graph (``True``) or only external works (``False``)."""
    labels, corpus = _labels(kg)
    counts: Counter[str] = Counter(t for targets in _references(kg).values() for t in targets)
    ranked = [
        CitedWork(key, labels.get(key, key), n, key in corpus)
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if in_corpus is None or (key in corpus) == in_corpus
    ]
    return ranked[:top] if top is not None else ranked


def cocitation_network(kg: KnowledgeGraph, min_weight: int = 1) -> nx.Graph:
    """Works cited together by at least ``min_weight`` papers; edge ``weight`` = how many papers
    cite both. Nodes carry ``label``, ``in_corpus`` and ``citations``."""
    labels, corpus = _labels(kg)
    weights: Counter[tuple[str, str]] = Counter()
    cited: Counter[str] = Counter()
    for targets in _references(kg).values():
        cited.update(targets)
        weights.update(combinations(sorted(targets), 2))
    return _weighted(weights, min_weight, labels, corpus, cited)


def coupling_network(kg: KnowledgeGraph, min_weight: int = 1) -> nx.Graph:
    """Papers that share at least ``min_weight`` cited works; edge ``weight`` = how many works
    both cite. Nodes carry ``label``, ``in_corpus`` and ``references`` (how many works it cites)."""
    labels, corpus = _labels(kg)
    refs = _references(kg)
    citing_of: dict[str, list[str]] = defaultdict(list)
    for source in sorted(refs):
        for target in refs[source]:
            citing_of[target].append(source)
    weights: Counter[tuple[str, str]] = Counter()
    for citing in citing_of.values():
        weights.update(combinations(citing, 2))
    g = _weighted(weights, min_weight, labels, corpus, Counter())
    for node in g:
        g.nodes[node]["references"] = len(refs.get(node, ()))
        del g.nodes[node]["citations"]
    return g


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


def citation_pagerank(kg: KnowledgeGraph, alpha: float = 0.85) -> dict[str, float]:
    """PageRank of every node of :func:`citation_graph` (a citation passes rank to what it cites)."""
    g = citation_graph(kg)
    if g.number_of_nodes() == 0:
        return {}
    return nx.pagerank(g, alpha=alpha)


def citation_summary(kg: KnowledgeGraph, top: int = 10) -> dict[str, Any]:
    """What ``papergraph stats`` reports about citations (JSON-ready)."""
    refs = _references(kg)
    _, corpus = _labels(kg)
    edges = sum(len(t) for t in refs.values())
    internal = sum(1 for targets in refs.values() for t in targets if t in corpus)
    cocited, coupled = cocitation_network(kg), coupling_network(kg)
    rank = citation_pagerank(kg)
    labels, _ = _labels(kg)

    def cited_json(works: list[CitedWork]) -> list[dict[str, Any]]:
        return [{"key": w.key, "label": w.label, "citations": w.citations} for w in works]

    return {
        "citing_papers": sum(1 for s in refs if s in corpus),
        "cites": edges,
        "cites_in_corpus": internal,
        "cited_works": len({t for targets in refs.values() for t in targets}),
        "most_cited_in_corpus": cited_json(most_cited(kg, top, in_corpus=True)),
        "most_cited_external": cited_json(most_cited(kg, top, in_corpus=False)),
        "pagerank": [
            {"key": k, "label": labels.get(k, k), "pagerank": round(v, 6), "in_corpus": k in corpus}
            for k, v in sorted(rank.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "cocitation": {"nodes": cocited.number_of_nodes(), "edges": cocited.number_of_edges()},
        "coupling": {"nodes": coupled.number_of_nodes(), "edges": coupled.number_of_edges()},
    }
