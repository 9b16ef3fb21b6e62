"""The shortest path between two entities (or papers), with the papers along it.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from([("p1", {"type": "Paper", "label": "P1"}), ("p2", {"type": "Paper", "label": "P2"})])
>>> g.add_nodes_from([(k, {"type": "Method", "label": k.upper(), "aliases": []}) for k in "abc"])
>>> for p, m in [("p1", "a"), ("p1", "b"), ("p2", "b"), ("p2", "c")]:
...     _ = g.add_edge(p, m, key="uses", relation="uses")
>>> path = shortest_path(g, "A", "c")
>>> [n["label"] for n in path["nodes"]], [p["label"] for p in path["papers"]]
(['A', 'P1', 'B', 'P2', 'C'], ['P1', 'P2'])
>>> path["steps"][0]
{'from': 'p1', 'relation': 'uses', 'to': 'a'}
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import networkx as nx

from papergraph.analytics.projections import simple_graph, takes_networkx


def _names(data: dict[str, Any]) -> set[str]:
    names = [data.get("label"), data.get("title"), *(data.get("aliases") or [])]
    return {str(v).casefold() for v in names if v}


@takes_networkx
def find_node(g: nx.MultiDiGraph, name: str) -> str:
    """The key of the node called ``name``: a key, or a label, alias or title (ignoring case);
    ``KeyError`` naming the candidates when there is none or more than one."""
    if name in g:
        return name
    want = name.casefold()
    hits = sorted(n for n, data in g.nodes(data=True) if want in _names(data))
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise KeyError(f"no node is named {name!r}")
    raise KeyError(f"{name!r} names {len(hits)} nodes: {', '.join(hits)}")


@takes_networkx
def shortest_path(g: nx.MultiDiGraph, source: str, target: str) -> dict[str, Any] | None:
    """The shortest path between ``source`` and ``target`` (keys or names, see :func:`find_node`),
    links followed in either direction, as ``{nodes, steps, papers}``: every node with its label
    and type, each step as ``{from, relation, to}`` in the direction the graph states it, and the
    papers along the path. ``None`` when they are not connected."""
    a, b = find_node(g, source), find_node(g, target)
    try:
        keys = nx.shortest_path(simple_graph(g), a, b)
    except nx.NetworkXNoPath:
        return None
    nodes = [{"key": k, "label": g.nodes[k].get("label", k), "type": g.nodes[k].get("type")} for k in keys]
    steps = []
    for x, y in pairwise(keys):
        if g.has_edge(x, y):
            steps.append({"from": x, "relation": sorted(g[x][y])[0], "to": y})
        else:
            steps.append({"from": y, "relation": sorted(g[y][x])[0], "to": x})
    return {"nodes": nodes, "steps": steps, "papers": [n for n in nodes if n["type"] == "Paper"]}
