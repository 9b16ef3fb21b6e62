"""Projections of the paper–entity graph onto one kind of node.

Input is ``KnowledgeGraph.to_networkx()`` (a ``MultiDiGraph`` whose nodes carry ``type`` and
``label`` and whose edges carry ``relation``).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from([("p1", {"type": "Paper"}), ("p2", {"type": "Paper"})])
>>> g.add_nodes_from([("m", {"type": "Method"}), ("n", {"type": "Method"}), ("d", {"type": "Dataset"})])
>>> for p in ("p1", "p2"):
...     for e in ("m", "d"):
...         _ = g.add_edge(p, e, key="uses", relation="uses")
>>> _ = g.add_edge("p2", "n", key="proposes", relation="proposes")
>>> _ = g.add_edge("p2", "p1", key="cites", relation="cites")
>>> sorted(method_co_usage(g).edges(data="weight"))
[('m', 'n', 1)]
>>> sorted(dataset_method_graph(g).edges(data="weight"))
[('d', 'm', 2), ('d', 'n', 1)]
>>> list(paper_graph(g).edges(data="relations"))
[('p2', 'p1', ['cites'])]
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations
from typing import Any, TypeVar

import networkx as nx

#: The relations a paper states about an entity.
PAPER_RELATIONS = ("proposes", "uses", "compares-to", "improves-on")


_Function = TypeVar("_Function", bound=Callable[..., Any])


def networkx_graph(g: Any, function: str) -> nx.MultiDiGraph:
    """``g`` when it is a networkx graph; a ``TypeError`` that says what to pass otherwise.

    >>> from papergraph.graph import KnowledgeGraph
    >>> networkx_graph(KnowledgeGraph(), "pagerank")
    Traceback (most recent call last):
    TypeError: pagerank() takes the networkx graph of a KnowledgeGraph: pass kg.to_networkx()
    """
    if isinstance(g, nx.Graph):
        return g
    if hasattr(g, "to_networkx"):
        raise TypeError(f"{function}() takes the networkx graph of a KnowledgeGraph: pass kg.to_networkx()")
    raise TypeError(
        f"{function}() takes a networkx graph (KnowledgeGraph.to_networkx()), not {type(g).__name__}"
    )


def takes_networkx(function: _Function) -> _Function:
    """Make ``function`` (whose first argument is the graph) refuse anything but a networkx graph
    with an error that says what to pass: every public function of :mod:`papergraph.analytics`."""

    @functools.wraps(function)
    def checked(g: Any, *args: Any, **kwargs: Any) -> Any:
        return function(networkx_graph(g, function.__name__), *args, **kwargs)

    return checked  # type: ignore[return-value]


def _typed(g: nx.MultiDiGraph, kind: str) -> set[str]:
    return {n for n, t in g.nodes(data="type") if t == kind}


@takes_networkx
def entities_by_paper(g: nx.MultiDiGraph, kind: str | None = None) -> dict[str, set[str]]:
    """For each paper, the entities (of type ``kind``, or any) it proposes, uses, compares to or
    improves on."""
    papers = _typed(g, "Paper")
    out: dict[str, set[str]] = defaultdict(set)
    for source, target, relation in g.edges(data="relation"):
        if (
            source in papers
            and relation in PAPER_RELATIONS
            and (kind is None or g.nodes[target]["type"] == kind)
        ):
            out[source].add(target)
    return out


@takes_networkx
def paper_graph(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Paper → paper: citations (``cites``) and inferred links (``builds-on``, ``uses-method-in``,
    ``uses-data-from``), one edge per pair with its ``relations`` and ``weight`` (their number).
    Every paper is a node, linked or not."""
    papers = _typed(g, "Paper")
    out = nx.DiGraph()
    out.add_nodes_from((p, g.nodes[p]) for p in sorted(papers))
    for source, target, relation in g.edges(data="relation"):
        if source in papers and target in papers and source != target:
            if out.has_edge(source, target):
                out.edges[source, target]["relations"].append(relation)
            else:
                out.add_edge(source, target, relations=[relation])
    for _, _, data in out.edges(data=True):
        data["relations"] = sorted(set(data["relations"]))
        data["weight"] = len(data["relations"])
    return out


@takes_networkx
def method_co_usage(g: nx.MultiDiGraph) -> nx.Graph:
    """Method — method, weighted by the number of papers naming both (any relation)."""
    weights: Counter[tuple[str, str]] = Counter()
    for methods in entities_by_paper(g, "Method").values():
        weights.update(combinations(sorted(methods), 2))
    out = nx.Graph()
    out.add_nodes_from((m, g.nodes[m]) for m in sorted(_typed(g, "Method")))
    out.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    return out


@takes_networkx
def dataset_method_graph(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Dataset → method, weighted by the number of papers that use the dataset and name the method:
    which methods each dataset evaluates."""
    datasets = _typed(g, "Dataset")
    weights: Counter[tuple[str, str]] = Counter()
    for entities in entities_by_paper(g).values():
        methods = [e for e in entities if g.nodes[e]["type"] == "Method"]
        weights.update((d, m) for d in entities & datasets for m in methods)
    out = nx.DiGraph()
    out.add_nodes_from((n, g.nodes[n]) for n in sorted(datasets | _typed(g, "Method")))
    out.add_weighted_edges_from((d, m, w) for (d, m), w in sorted(weights.items()))
    return out


@takes_networkx
def simple_graph(g: nx.MultiDiGraph, directed: bool = False) -> nx.Graph:
    """``g`` with parallel edges merged into one edge whose ``weight`` is their number."""
    out: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    out.add_nodes_from(g.nodes(data=True))
    for source, target in g.edges():
        if source == target:
            continue
        if out.has_edge(source, target):
            out.edges[source, target]["weight"] += 1
        else:
            out.add_edge(source, target, weight=1)
    return out
