"""Communities of the graph (Louvain, from networkx), each labelled by its most central members.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for i, m in enumerate(["a", "a", "a", "b", "b", "b"]):
...     g.add_node(f"p{i}", type="Paper", label=f"P{i}")
...     g.add_node(m, type="Method", label=m.upper())
...     _ = g.add_edge(f"p{i}", m, key="uses", relation="uses")
>>> [(c["size"], c["label"]) for c in communities(g)]
[(4, 'A'), (4, 'B')]
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from papergraph.analytics.projections import simple_graph, takes_networkx


@takes_networkx
def communities(
    g: nx.MultiDiGraph, top: int = 10, members: int = 3, seed: int = 1, resolution: float = 1.0
) -> list[dict[str, Any]]:
    """The ``top`` largest communities (Louvain on the undirected graph, edges weighted by their
    number; ``seed`` makes it repeatable), largest first, each as ``{id, size, types, label,
    members}``: ``members`` are its most connected entities inside it (papers when it has no
    entity), with their degree there, and ``label`` joins their labels."""
    graph = simple_graph(g)
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed, resolution=resolution)
    found.sort(key=lambda c: (-len(c), min(c)))
    out = []
    for i, nodes in enumerate(found[:top], 1):
        sub = graph.subgraph(nodes)
        inside = dict(sub.degree(weight="weight"))
        entities = [n for n in nodes if g.nodes[n].get("type") not in ("Paper", "ExternalWork", None)]
        pool = entities or list(nodes)
        central = sorted(pool, key=lambda n: (-inside[n], str(g.nodes[n].get("label", n)), n))[:members]
        out.append(
            {
                "id": i,
                "size": len(nodes),
                "types": dict(sorted(Counter(str(g.nodes[n].get("type")) for n in nodes).items())),
                "label": " / ".join(str(g.nodes[n].get("label", n)) for n in central),
                "members": [
                    {
                        "key": n,
                        "label": g.nodes[n].get("label", n),
                        "type": g.nodes[n].get("type"),
                        "degree": inside[n],
                    }
                    for n in central
                ],
            }
        )
    return out
