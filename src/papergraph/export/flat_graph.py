"""The flat view of the graph: nodes and edges with plain ``str``/``int``/``float`` attributes, made
straight from a :class:`~papergraph.graph.KnowledgeGraph`, once, for every writer that needs it.

It is the graph :func:`papergraph.export.networkx_graph.graphml_graph` gives as a networkx graph
(the attributes are described there), as plain lists, in the same order: the nodes in the order
networkx would hold them (papers, entities and cited works, each by key, then the endpoints of
edges that are none of these), the edges in the order networkx's ``edges(keys=True)`` gives them
(by source node, then by the first edge to each target, then by relation). GraphML
(:mod:`papergraph.export.graphml_text`), GEXF and the node and edge tables
(:mod:`papergraph.export.graph_files`) are written from it.

A writer asks for it with :func:`flat_view`; inside :func:`sharing`, which
:func:`papergraph.export.outputs.write_outputs` opens around a build's writers, it is made only
once for the graph and given to every writer, and dropped at the end.

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Edge, Entity, Evidence, Paper
>>> kg = KnowledgeGraph(
...     papers=(Paper(key="paper/x", label="X", title="X", abstract="We use LoRA."),),
...     entities=(Entity(key="method/lora", type="Method", label="LoRA", aliases=("L", "R")),),
...     edges=(Edge("paper/x", "uses", "method/lora", Evidence("We use LoRA.", 7, 11), "paper/x"),),
... )
>>> view = flat_view(kg)
>>> view.nodes[1]  # doctest: +NORMALIZE_WHITESPACE
('method/lora',
 {'type': 'Method', 'group': 'Method', 'label': 'LoRA', 'aliases': 'L | R', 'color': '#f28e2b'})
>>> view.edges[0]  # doctest: +NORMALIZE_WHITESPACE
('paper/x', 'method/lora', 'uses',
 {'relation': 'uses', 'papers': 'paper/x', 'evidence_count': 1, 'weight': 1, 'evidence': 'We use LoRA.'})
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter
from typing import Any, NamedTuple

from papergraph.export.viewer_data import node_style
from papergraph.export.viewer_ranking import WORK_TYPE
from papergraph.gcpause import paused_gc
from papergraph.graph import KnowledgeGraph, edge_sort_key

__all__ = [
    "LIST_SEPARATOR",
    "UNKNOWN_TYPE",
    "FlatGraph",
    "clean",
    "edge_weight",
    "flat_attributes",
    "flat_view",
    "node_color",
    "rich_nodes",
    "sharing",
]

#: Type given to edge endpoints that are neither a paper nor an entity of the graph.
UNKNOWN_TYPE = "Unknown"
#: How list attributes are joined in GraphML.
LIST_SEPARATOR = " | "

# Characters XML 1.0 cannot carry, not even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_KEY = attrgetter("key")
_SOURCE_RELATION_TARGET = attrgetter("source", "relation", "target")

#: Attributes of a node or an edge, by name, in the order they are written.
Attributes = dict[str, Any]


class FlatGraph(NamedTuple):
    """Nodes ``(key, attributes)`` and edges ``(source, target, relation, attributes)``, in
    networkx's order (the module docstring); every value a ``str``, ``int`` or ``float``."""

    nodes: list[tuple[str, Attributes]]
    edges: list[tuple[str, str, str, Attributes]]


def clean(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot represent replaced by U+FFFD.

    >>> clean("a\\x00b\\ud800")
    'a\\ufffdb\\ufffd'
    """
    return _XML_ILLEGAL.sub("\ufffd", text)


def flat_attributes(attrs: Attributes) -> Attributes:
    """GraphML-safe attributes: lists joined with ``" | "``, ``None`` and empty lists dropped,
    ``bool`` as ``int``, text XML-clean (:func:`clean`).

    >>> flat_attributes({"a": None, "b": [], "c": ["x", "y"], "d": True, "e": 2.5})
    {'c': 'x | y', 'd': 1, 'e': 2.5}
    """
    out: Attributes = {}
    for name, value in attrs.items():
        if value is None or value == []:
            continue
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(str(v) for v in value)
        if isinstance(value, bool):
            value = int(value)
        out[name] = _clean(value) if isinstance(value, str) else value
    return out


def edge_weight(data: dict[str, Any]) -> int:
    """How many statements back an edge of :func:`~papergraph.export.networkx_graph.to_networkx`:
    its evidence sentences, or for an inferred paper-to-paper link the entities it came through; at
    least 1 (a citation).

    >>> edge_weight({"evidence": [{}, {}], "papers": ["p"]})
    2
    >>> edge_weight({"evidence": [], "via": ["a", "b", "c"]})
    3
    """
    return max(1, len(data.get("evidence", ())), len(data.get("via", ())))


def node_color(node_type: str) -> str:
    """The viewer's colour of a node type, as ``#rrggbb``.

    >>> node_color("Method")
    '#f28e2b'
    """
    return node_style(WORK_TYPE if node_type == "ExternalWork" else node_type)["color"]


def _add(nodes: dict[str, Attributes], key: str, attrs: Attributes) -> None:
    """Add node ``key`` as ``networkx.add_node`` does: a node added again keeps its place and has
    its attributes updated."""
    old = nodes.get(key)
    if old is None:
        nodes[key] = attrs
    else:
        old.update(attrs)


def rich_nodes(kg: KnowledgeGraph) -> dict[str, Attributes]:
    """The nodes of papers, entities and cited works with their attributes as
    :func:`~papergraph.export.networkx_graph.to_networkx` gives them (lists, ``None``), in its
    order; edge endpoints that are none of these are not included."""
    nodes: dict[str, Attributes] = {}
    people = kg.people.by_paper
    for p in sorted(kg.papers, key=_KEY):
        _add(
            nodes,
            p.key,
            {
                "type": "Paper",
                "group": "Paper",
                "label": p.label,
                "title": p.title,
                "abstract": p.abstract or None,  # a paper without abstract has no abstract attribute
                "date": p.date,
                "identifiers": list(p.identifiers),
                "authors": list(p.authors),
                "people": list(people.get(p.key, ())),
                "author_count": p.author_count,
                "byline": p.byline,
                "url": p.url,
                "upvotes": p.upvotes,
                "arxiv_id": p.arxiv_id,
                "venue": p.venue,
                "sources": [str(s) for s in p.sources],
            },
        )
    for e in sorted(kg.entities, key=_KEY):
        _add(
            nodes,
            e.key,
            {
                "type": e.type,
                "group": e.type,
                "label": e.label,
                "aliases": list(e.aliases),
                "broader": e.broader,
            },
        )
    for w in sorted(kg.works, key=_KEY):
        _add(
            nodes,
            w.key,
            {
                "type": "ExternalWork",
                "group": "ExternalWork",
                "label": w.label,
                "identifiers": list(w.identifiers),
                "arxiv_id": w.arxiv_id,
            },
        )
    return nodes


def _clean(text: str) -> str:
    """:func:`clean`, skipping the regular expression for text with no character it could
    replace: every character XML cannot carry is one ``str.isprintable`` refuses."""
    return text if text.isprintable() else _XML_ILLEGAL.sub("\ufffd", text)


def _inferred_via(kg: KnowledgeGraph) -> dict[tuple[str, str, str], set[str]]:
    """The entities the inferred links came through, by the (source, target, relation) of the
    edges they are given to: the link's relation and ``builds-on``."""
    via: dict[tuple[str, str, str], set[str]] = {}
    for link in kg.inferred:
        for relation in ("builds-on", link.relation):
            via.setdefault((link.source, link.target, relation), set()).add(link.via)
    return via


def _flat_view(kg: KnowledgeGraph) -> FlatGraph:
    nodes = rich_nodes(kg)
    via = _inferred_via(kg)
    relations: dict[str, str] = {}  # each relation, clean
    # source -> target -> its edges, each in the order of its first edge (networkx's adjacency);
    # the edges of one (source, relation, target) are next to each other in the sorted edges
    adjacency: dict[str, dict[str, list[tuple[str, str, str, Attributes]]]] = {}
    grouped = groupby(sorted(kg.edges, key=edge_sort_key), _SOURCE_RELATION_TARGET)
    for (source, relation, target), same in grouped:
        for end in (source, target):
            if end not in nodes:
                nodes[end] = {"type": UNKNOWN_TYPE, "group": UNKNOWN_TYPE, "label": end}
        count = 0
        sentence = None
        papers = set()
        for edge in same:
            if edge.evidence is not None:
                if not count:
                    sentence = edge.evidence.sentence
                count += 1
            if edge.paper is not None:
                papers.add(edge.paper)
        name = relations.get(relation)
        if name is None:
            name = relations[relation] = clean(relation)
        attrs: Attributes = {"relation": name}
        if papers:
            attrs["papers"] = _clean(LIST_SEPARATOR.join(sorted(papers)))
        through = via.get((source, target, relation))
        if through:
            attrs["via"] = _clean(LIST_SEPARATOR.join(sorted(through)))
        attrs["evidence_count"] = count
        attrs["weight"] = max(1, count, len(through or ()))
        if sentence is not None:
            attrs["evidence"] = _clean(sentence)
        targets = adjacency.get(source)
        if targets is None:
            targets = adjacency[source] = {}
        edges = targets.get(target)
        if edges is None:
            targets[target] = [(source, target, relation, attrs)]
        else:
            edges.append((source, target, relation, attrs))

    flat_nodes = []
    for key, data in nodes.items():
        flat = flat_attributes(data)
        flat["color"] = node_color(data["type"])
        flat_nodes.append((key, flat))
    flat_edges = []
    for source in nodes:
        targets = adjacency.get(source)
        if targets is not None:
            for edges in targets.values():
                flat_edges += edges
    return FlatGraph(flat_nodes, flat_edges)


# The graph whose view is shared, and the view once made (see `sharing`).
_shared: list[tuple[KnowledgeGraph, FlatGraph | None]] = []


@contextlib.contextmanager
def sharing(kg: KnowledgeGraph) -> Iterator[None]:
    """Inside the block, :func:`flat_view` of ``kg`` is made at most once and shared; it is
    dropped at the end of the block.

    >>> from papergraph.graph import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> with sharing(kg):
    ...     flat_view(kg) is flat_view(kg)
    True
    >>> flat_view(kg) is flat_view(kg)
    False
    """
    _shared.append((kg, None))
    try:
        yield
    finally:
        _shared.pop()


def flat_view(kg: KnowledgeGraph) -> FlatGraph:
    """The flat view of ``kg`` (the module docstring): made for the call, or, inside
    :func:`sharing` of ``kg``, the view shared by every writer.

    Parameters
    ----------
    kg : KnowledgeGraph

    Returns
    -------
    FlatGraph
        Nodes and edges with their flat attributes, in networkx's order.
    """
    for i, (graph, view) in enumerate(_shared):
        if graph is kg:
            if view is None:
                view = _make(kg)
                _shared[i] = (graph, view)
            return view
    return _make(kg)


def _make(kg: KnowledgeGraph) -> FlatGraph:
    with paused_gc():
        return _flat_view(kg)
