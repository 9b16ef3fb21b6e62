"""The graph files as papergraph wrote them through networkx (up to commit 8bb8678): the reference
the streamed writers are held to, byte for byte (``tests/test_graphml_text.py``).

The flat graph is made the old way, from :func:`to_networkx` (the rich graph, rebuilt here as it
was) by flattening each node's and each edge's attributes, and written by networkx's own
``write_graphml`` (its ``xml.etree`` writer: lxml is not installed) and ``write_gexf``.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import networkx

from papergraph.export.viewer_data import node_style
from papergraph.export.viewer_ranking import WORK_TYPE
from papergraph.graph import KnowledgeGraph, edge_sort_key

UNKNOWN_TYPE = "Unknown"
LIST_SEPARATOR = " | "
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_GEXF_META = re.compile(rb"<meta\b[^>]*>.*?</meta>", re.S)
_META = b"<meta>\n    <creator>papergraph</creator>\n  </meta>"
NODE_COLUMNS = ("Id", "Label", "type", "color")
EDGE_COLUMNS = ("Source", "Target", "Type", "Label", "Weight", "papers", "evidence_count", "evidence", "via")


def to_networkx(kg: KnowledgeGraph) -> networkx.MultiDiGraph:
    """The rich graph, as ``papergraph.export.networkx_graph.to_networkx`` made it."""
    g = networkx.MultiDiGraph(people={person.key: person.name for person in kg.people.persons})
    people = kg.people.by_paper
    for p in sorted(kg.papers, key=lambda p: p.key):
        g.add_node(
            p.key,
            type="Paper",
            group="Paper",
            label=p.label,
            title=p.title,
            abstract=p.abstract or None,
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
    for link in kg.inferred:
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
    return _XML_ILLEGAL.sub("\ufffd", text)


def _flat(attrs: dict[str, Any]) -> dict[str, str | int | float]:
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


def _edge_weight(data: dict[str, Any]) -> int:
    return max(1, len(data.get("evidence", ())), len(data.get("via", ())))


def _node_color(node_type: str) -> str:
    return node_style(WORK_TYPE if node_type == "ExternalWork" else node_type)["color"]


def graphml_graph(kg: KnowledgeGraph) -> networkx.MultiDiGraph:
    """The flat graph, made from :func:`to_networkx` as it was."""
    rich = to_networkx(kg)
    g = networkx.MultiDiGraph()
    for node, data in rich.nodes(data=True):
        g.add_node(node, **_flat(data), color=_node_color(data["type"]))
    for source, target, key, data in rich.edges(keys=True, data=True):
        evidence = data["evidence"]
        flat = _flat({"relation": data["relation"], "papers": data["papers"], "via": data.get("via")})
        flat["evidence_count"] = len(evidence)
        flat["weight"] = _edge_weight(data)
        if evidence:
            flat["evidence"] = _clean(evidence[0]["sentence"])
        g.add_edge(source, target, key=key, **flat)
    return g


def graphml_bytes(kg: KnowledgeGraph) -> bytes:
    """The GraphML file as ``write_graphml`` wrote it."""
    buf = io.BytesIO()
    networkx.write_graphml(graphml_graph(kg), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().replace(b"\r", b"&#13;")


def gexf_bytes(kg: KnowledgeGraph) -> bytes:
    """The GEXF file as ``write_gexf`` wrote it."""
    g = graphml_graph(kg)
    for _, data in g.nodes(data=True):
        color = data["color"]
        rgb = {"r": int(color[1:3], 16), "g": int(color[3:5], 16), "b": int(color[5:7], 16)}
        data["viz"] = {"color": {**rgb, "a": 1.0}}
    for _, _, data in g.edges(data=True):
        data["label"] = data["relation"]
    buf = io.BytesIO()
    networkx.write_gexf(g, buf, encoding="utf-8", prettyprint=True)
    return _GEXF_META.sub(_META, buf.getvalue(), count=1)


def _table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def node_table(kg: KnowledgeGraph) -> str:
    """``nodes.csv`` as it was."""
    g = graphml_graph(kg)
    rows = [{"Id": n, "Label": data.get("label", n), **data} for n, data in g.nodes(data=True)]
    for row in rows:
        row.pop("label", None)
    others = sorted({k for row in rows for k in row} - set(NODE_COLUMNS))
    return _table([*NODE_COLUMNS, *others], rows)


def edge_table(kg: KnowledgeGraph) -> str:
    """``edges.csv`` as it was."""
    g = graphml_graph(kg)
    rows = [
        {
            "Source": source,
            "Target": target,
            "Type": "Directed",
            "Label": data["relation"],
            "Weight": data["weight"],
            **{k: data[k] for k in ("papers", "evidence_count", "evidence", "via") if k in data},
        }
        for source, target, data in g.edges(data=True)
    ]
    return _table(list(EDGE_COLUMNS), rows)
