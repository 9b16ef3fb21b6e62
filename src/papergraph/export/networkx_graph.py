"""The knowledge graph as a ``networkx.MultiDiGraph``, and as GraphML for Gephi.

Nodes are keyed by node key with ``type`` (``"Paper"`` or the entity type), ``group`` (the same:
the attribute pyvis colours by) and ``label``; papers
also carry ``title``, ``abstract``, ``date``, ``identifiers``, ``authors``, ``people`` (the keys of
their authors' persons, :mod:`papergraph.resolve.people`) … and entities
``aliases``/``broader``; cited works outside the input are nodes of type ``ExternalWork``. Each
(source, target, relation) becomes one edge whose networkx key is the relation name, with attributes
``relation``, ``evidence`` (a list of ``{sentence, start, end, paper}`` dicts, one per evidenced
statement) and ``papers`` (the keys of the papers stating it); inferred paper-to-paper edges
(``builds-on``, ``uses-method-in``, ``uses-data-from``) also carry ``via``, the entities they came
through.

``to_networkx(kg, flat=True)`` is the same graph ready for networkx's own writers
(``write_graphml``, ``write_gexf``, ``write_edgelist`` …): lists joined with ``" | "``, no ``None``,
an edge's evidence as its first sentence and ``evidence_count``, plus ``color`` (the viewer's
colour of the node's type) and an edge ``weight``.

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Edge, Entity, Evidence, Paper
>>> kg = KnowledgeGraph(
...     papers=(Paper(key="paper/x", label="X", title="X", abstract="We use LoRA."),),
...     entities=(Entity(key="method/lora", type="Method", label="LoRA"),),
...     edges=(Edge("paper/x", "uses", "method/lora", Evidence("We use LoRA.", 7, 11), "paper/x"),),
... )
>>> import networkx
>>> g = to_networkx(kg)
>>> g.edges["paper/x", "method/lora", "uses"]["evidence"]
[{'sentence': 'We use LoRA.', 'start': 7, 'end': 11, 'paper': 'paper/x'}]
>>> sorted(networkx.degree_centrality(g).items())
[('method/lora', 1.0), ('paper/x', 1.0)]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from papergraph.export import graphml_text
from papergraph.export.flat_graph import (
    LIST_SEPARATOR,
    UNKNOWN_TYPE,
    edge_weight,
    flat_view,
    node_color,
    rich_nodes,
)
from papergraph.graph import KnowledgeGraph, edge_sort_key, provide

if TYPE_CHECKING:
    import networkx  # imported where used: `import papergraph` does not load networkx

__all__ = [
    "LIST_SEPARATOR",
    "UNKNOWN_TYPE",
    "edge_weight",
    "graphml_graph",
    "node_color",
    "to_networkx",
    "write_graphml",
]


def to_networkx(kg: KnowledgeGraph, flat: bool = False) -> networkx.MultiDiGraph:
    """A ``MultiDiGraph`` of ``kg`` (see the module docstring for the attributes).

    Parameters
    ----------
    kg : KnowledgeGraph
    flat : bool
        Give :func:`graphml_graph`: only ``str``/``int``/``float`` attributes, which every networkx
        writer takes, with ``color`` and ``weight``.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges added in key order, so iteration order is deterministic.
    """
    if flat:
        return graphml_graph(kg)
    import networkx

    g = networkx.MultiDiGraph(people={person.key: person.name for person in kg.people.persons})
    g.add_nodes_from(rich_nodes(kg).items())
    for edge in sorted(kg.edges, key=edge_sort_key):
        for end in (edge.source, edge.target):
            if end not in g:
                g.add_node(end, type=UNKNOWN_TYPE, group=UNKNOWN_TYPE, label=end)
        if not g.has_edge(edge.source, edge.target, key=edge.relation):
            g.add_edge(
                edge.source, edge.target, key=edge.relation, relation=edge.relation, evidence=[], papers=[]
            )
        data = g.edges[edge.source, edge.target, edge.relation]
        if edge.evidence is not None:
            ev = edge.evidence
            data["evidence"].append(
                {"sentence": ev.sentence, "start": ev.start, "end": ev.end, "paper": edge.paper}
            )
        if edge.paper is not None and edge.paper not in data["papers"]:
            data["papers"].append(edge.paper)
    for link in kg.inferred:  # the entities each inferred paper-to-paper link came through
        for relation in ("builds-on", link.relation):
            if g.has_edge(link.source, link.target, key=relation):
                via = g.edges[link.source, link.target, relation].setdefault("via", [])
                if link.via not in via:
                    via.append(link.via)
    for _, _, data in g.edges(data=True):
        data["papers"].sort()
        if "via" in data:
            data["via"].sort()
    return g


def graphml_graph(kg: KnowledgeGraph) -> networkx.MultiDiGraph:
    """:func:`to_networkx` flattened for GraphML and networkx's other writers: only
    ``str``/``int``/``float`` attributes.

    Lists are joined with ``" | "``, ``None`` is omitted, an edge's ``evidence`` becomes its first
    sentence plus ``evidence_count``; nodes gain ``color`` (:func:`node_color`), edges ``weight``
    (:func:`edge_weight`). Made from :func:`~papergraph.export.flat_graph.flat_view` (the attributes
    are copies: changing them leaves the view as it is).
    """
    import networkx

    view = flat_view(kg)
    g = networkx.MultiDiGraph()
    g.add_nodes_from(view.nodes)
    g.add_edges_from(view.edges)
    return g


def write_graphml(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as GraphML (readable by Gephi and ``networkx.read_graphml``), atomically: the
    bytes ``networkx.write_graphml(graphml_graph(kg), fh, prettyprint=True)`` gives, written as
    text by :func:`papergraph.export.graphml_text.write_graphml`."""
    return graphml_text.write_graphml(kg, path)


provide("to_networkx", to_networkx)
provide("write_graphml", write_graphml)
