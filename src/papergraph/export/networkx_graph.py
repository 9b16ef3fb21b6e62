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

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papergraph.atomic import atomic_open
from papergraph.export.viewer_data import node_style
from papergraph.export.viewer_ranking import WORK_TYPE
from papergraph.graph import KnowledgeGraph, edge_sort_key, provide

if TYPE_CHECKING:
    import networkx  # imported where used: `import papergraph` does not load networkx

__all__ = ["edge_weight", "graphml_graph", "node_color", "to_networkx", "write_graphml"]

#: Type given to edge endpoints that are neither a paper nor an entity of the graph.
UNKNOWN_TYPE = "Unknown"
#: How list attributes are joined in GraphML.
LIST_SEPARATOR = " | "

# Characters XML 1.0 cannot carry, not even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
    people = kg.people.by_paper
    for p in sorted(kg.papers, key=lambda p: p.key):
        g.add_node(
            p.key,
            type="Paper",
            group="Paper",
            label=p.label,
            title=p.title,
            abstract=p.abstract or None,  # a paper without abstract has no abstract attribute
            date=p.date,
            identifiers=list(p.identifiers),
            authors=list(p.authors),
            people=list(people.get(p.key, ())),
            author_count=p.author_count,
            byline=p.byline,
            url=p.url,
            upvotes=p.upvotes,
            arxiv_id=p.arxiv_id,
            venue=p.venue,
            sources=[str(s) for s in p.sources],
        )
    for e in sorted(kg.entities, key=lambda e: e.key):
        g.add_node(
            e.key, type=e.type, group=e.type, label=e.label, aliases=list(e.aliases), broader=e.broader
        )
    for w in sorted(kg.works, key=lambda w: w.key):
        g.add_node(
            w.key,
            type="ExternalWork",
            group="ExternalWork",
            label=w.label,
            identifiers=list(w.identifiers),
            arxiv_id=w.arxiv_id,
        )
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


def _clean(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot represent replaced by U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def _flat(attrs: dict[str, Any]) -> dict[str, str | int | float]:
    """GraphML-safe attributes: lists joined, ``None`` and empty lists dropped, text XML-clean."""
    out: dict[str, str | int | float] = {}
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
    """How many statements back an edge of :func:`to_networkx`: its evidence sentences, or for an
    inferred paper-to-paper link the entities it came through; at least 1 (a citation).

    >>> edge_weight({"evidence": [{}, {}], "papers": ["p"]})
    2
    >>> edge_weight({"evidence": [], "via": ["a", "b", "c"]})
    3
    """
    return max(1, len(data.get("evidence", ())), len(data.get("via", ())))


def node_color(node_type: str) -> str:
    """The viewer's colour of a node type, as ``#rrggbb``."""
    return node_style(WORK_TYPE if node_type == "ExternalWork" else node_type)["color"]


def graphml_graph(kg: KnowledgeGraph) -> networkx.MultiDiGraph:
    """:func:`to_networkx` flattened for GraphML and networkx's other writers: only
    ``str``/``int``/``float`` attributes.

    Lists are joined with ``" | "``, ``None`` is omitted, an edge's ``evidence`` becomes its first
    sentence plus ``evidence_count``; nodes gain ``color`` (:func:`node_color`), edges ``weight``
    (:func:`edge_weight`).
    """
    rich = to_networkx(kg)
    import networkx

    g = networkx.MultiDiGraph()
    for node, data in rich.nodes(data=True):
        g.add_node(node, **_flat(data), color=node_color(data["type"]))
    for source, target, key, data in rich.edges(keys=True, data=True):
        evidence = data["evidence"]
        flat = _flat({"relation": data["relation"], "papers": data["papers"], "via": data.get("via")})
        flat["evidence_count"] = len(evidence)
        flat["weight"] = edge_weight(data)
        if evidence:
            flat["evidence"] = _clean(evidence[0]["sentence"])
        g.add_edge(source, target, key=key, **flat)
    return g


def write_graphml(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as GraphML (readable by Gephi and ``networkx.read_graphml``), atomically."""
    buf = io.BytesIO()
    import networkx

    networkx.write_graphml(graphml_graph(kg), buf, encoding="utf-8", prettyprint=True)
    # A raw carriage return in element text is read back as a newline (XML end-of-line
    # normalisation); as a character reference it survives. Attribute values are already escaped.
    with atomic_open(path, "wb") as fh:
        fh.write(buf.getvalue().replace(b"\r", b"&#13;"))
    return Path(path)


provide("to_networkx", to_networkx)
provide("write_graphml", write_graphml)
