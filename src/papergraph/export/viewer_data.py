"""What the viewer page embeds: node and edge styles, the nodes in rank order as small dicts, and
the edges as compact integer rows that point into the papers' text for their evidence (see
:mod:`papergraph.export.html` for the layout of the data block).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from papergraph.export.viewer_ranking import (
    WORK_TYPE,
    edge_ends,
    graph_nodes,
    initial_count,
    node_degrees,
    node_type,
    rank_nodes,
)
from papergraph.graph import edge_sort_key
from papergraph.model import ENTITY_TYPES, RELATIONS, Edge, Entity, Paper

if TYPE_CHECKING:
    from papergraph.graph import KnowledgeGraph

__all__ = [
    "EDGE_STYLES",
    "EMBED_NODES",
    "INITIAL_EDGES",
    "INITIAL_NODES",
    "LABEL_LIMIT",
    "MORE_NODES",
    "NODE_STYLES",
    "OTHER_EDGE_COLOR",
    "OTHER_NODE_STYLE",
    "WORK_STYLE",
    "edge_rows",
    "node_payload",
    "node_size",
    "node_style",
    "page_data",
    "page_edges",
    "script_json",
    "short_label",
    "stabilization_iterations",
    "vis_options",
]

#: Node types in legend order, with their vis-network shape and colour.
NODE_STYLES: dict[str, dict[str, str]] = {
    "Paper": {"shape": "square", "color": "#4e79a7"},
    "Method": {"shape": "dot", "color": "#f28e2b"},
    "Dataset": {"shape": "diamond", "color": "#59a14f"},
    "Metric": {"shape": "triangle", "color": "#e15759"},
    "Task": {"shape": "star", "color": "#b07aa1"},
}


#: Style of cited works outside the input (``KnowledgeGraph.works``), when there are any.
WORK_STYLE: dict[str, str] = {"shape": "triangleDown", "color": "#8c8c8c"}


#: Style for an entity type outside :data:`NODE_STYLES`.
OTHER_NODE_STYLE: dict[str, str] = {"shape": "hexagon", "color": "#9c9c9c"}


#: Relations in legend order: colour, and how the side panel names the edge seen from its source
#: (``out``) and from its target (``in``).
EDGE_STYLES: dict[str, dict[str, str]] = {
    "proposes": {"color": "#d62728", "out": "Proposes", "in": "Proposed by"},
    "uses": {"color": "#1f77b4", "out": "Uses", "in": "Used by"},
    "compares-to": {"color": "#ff7f0e", "out": "Compares to", "in": "Compared to by"},
    "improves-on": {"color": "#2ca02c", "out": "Improves on", "in": "Improved on by"},
    "cites": {"color": "#7f7f7f", "out": "Cites", "in": "Cited by"},
    "builds-on": {"color": "#9467bd", "out": "Builds on", "in": "Built on by"},
    "uses-method-in": {"color": "#8c564b", "out": "Uses a method from", "in": "Method used by"},
    "uses-data-from": {"color": "#17becf", "out": "Uses data from", "in": "Data used by"},
    "broader": {"color": "#bcbd22", "out": "Broader (family)", "in": "Narrower (members)"},
}

#: Colour for a relation outside :data:`EDGE_STYLES`.
OTHER_EDGE_COLOR = "#aaaaaa"

#: Longest paper label drawn on the canvas, before the ellipsis.
LABEL_LIMIT = 40

#: Nodes drawn when the page opens, at most (the most connected ones).
INITIAL_NODES = 2000

#: Edges drawn when the page opens, at most: nodes are taken in rank order until either limit.
INITIAL_EDGES = 8000

#: Nodes drawn by one click on "show more", at most (and at most ``INITIAL_EDGES`` new edges).
MORE_NODES = 500

#: Nodes embedded in the page, at most (the most connected ones); search and the panel see them.
EMBED_NODES = 50_000

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}

_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")

_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


# ---- small, separately testable pieces -----------------------------------------------------
def script_json(obj: Any) -> str:
    """Serialise ``obj`` as compact, key-sorted JSON that is safe inside a ``<script>`` element.

    ``<``, ``>``, ``&``, U+2028 and U+2029 (and any lone surrogate) are written as ``\\uXXXX``
    escapes, so no string can close the element (``</script>``), open a comment, or break a
    JavaScript parser; ``JSON.parse`` restores them unchanged.

    >>> script_json({"t": "</script>"})
    '{"t":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def short_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` on one line, cut to at most ``limit`` characters plus "…" when longer.

    >>> short_label("Attention Is All You Need")
    'Attention Is All You Need'
    >>> short_label("x" * 50)[-3:], len(short_label("x" * 50))
    ('xx…', 41)
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rstrip() + "…"


def node_style(node_type: str) -> dict[str, str]:
    """The viewer's shape and colour of a node type (``WORK_TYPE`` for cited works)."""
    if node_type == WORK_TYPE:
        return WORK_STYLE
    return NODE_STYLES.get(node_type, OTHER_NODE_STYLE)


def _edge_color(relation: str) -> str:
    return EDGE_STYLES.get(relation, {}).get("color", OTHER_EDGE_COLOR)


def _display_label(node: Any) -> str:
    """The label drawn on the canvas: a shortened title for papers and works, the entity's label."""
    if isinstance(node, Entity):
        return " ".join((node.label or node.key).split()) or node.key
    return short_label(getattr(node, "title", None) or node.label or node.key) or node.key


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != ""}


def node_size(degree: int) -> float:
    """The drawn size of a node with ``degree`` edges (the page's script uses the same formula).

    >>> node_size(0), node_size(4), node_size(1000)
    (10.0, 18.0, 48.0)
    """
    return round(min(10 + 4 * math.sqrt(degree), 48.0), 2)


def node_payload(kg: KnowledgeGraph, keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Details of each node (all of them in rank order, or ``keys`` in that order) for the page.

    Every node has ``key``, ``type``, ``label`` (the full label) and ``degree``, and ``short``
    (what the canvas shows) when that differs from its name (a paper's title, else its label).
    Papers carry ``title``, ``date``, ``identifiers``, ``abstract``, authors and ``url``, and no
    ``label`` when it is the title; entities their ``aliases`` and ``broader`` key; cited works
    their ``identifiers``.  Empty fields are left out.
    """
    nodes = graph_nodes(kg)
    degree = node_degrees(kg)
    out: list[dict[str, Any]] = []
    for key in rank_nodes(kg) if keys is None else keys:
        node = nodes[key]
        short = _display_label(node)
        title = getattr(node, "title", None)
        common = {
            "key": key,
            "type": node_type(node),
            "label": None if isinstance(node, Paper) and node.label == title else node.label,
            "short": None if short == (title or node.label) else short,
            "degree": degree[key],
        }
        if isinstance(node, Paper):
            out.append(
                _drop_empty(
                    {
                        **common,
                        "title": node.title,
                        "abstract": node.abstract,
                        "date": node.date,
                        "identifiers": list(node.identifiers),
                        "arxivId": node.arxiv_id,
                        "authors": list(node.authors),
                        "authorCount": node.author_count,
                        "byline": node.byline,
                        "url": node.url,
                        "upvotes": node.upvotes,
                    }
                )
            )
        elif isinstance(node, Entity):
            out.append(_drop_empty({**common, "aliases": list(node.aliases), "broader": node.broader}))
        else:
            ids = list(getattr(node, "identifiers", ()))
            out.append(
                _drop_empty({**common, "identifiers": ids, "arxivId": getattr(node, "arxiv_id", None)})
            )
    return out


def _page_doc(paper: Paper) -> str:
    """The text the page slices evidence sentences from: title, newline, abstract."""
    return f"{paper.title or ''}\n{paper.abstract}"


def _utf16(doc: str, *offsets: int) -> list[int]:
    """Code-point offsets into ``doc`` as UTF-16 offsets (what JavaScript's ``slice`` counts).

    >>> _utf16("a\U0001f600b", 1, 2, 3)
    [1, 3, 4]
    """
    if doc.isascii() or not _ASTRAL_RE.search(doc):
        return list(offsets)
    return [i + len(_ASTRAL_RE.findall(doc, 0, i)) for i in offsets]


def _slice16(text: str, start: int, end: int) -> str:
    """``text[start:end]`` counted in UTF-16 code units, as JavaScript slices it."""
    if not _ASTRAL_RE.search(text):
        return text[start:end]
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * start : 2 * end].decode("utf-16-le", "surrogatepass")


def _occurrence(doc: str, sentence: str, start: int, end: int) -> int:
    """Where ``sentence`` is in ``doc``: the occurrence holding ``start:end``, else the first; -1."""
    first = i = doc.find(sentence)
    while i >= 0:
        if i <= start and end <= i + len(sentence):
            return i
        i = doc.find(sentence, i + 1)
    return first


def _evidence_fields(
    kg: KnowledgeGraph,
    edge: Edge,
    texts: dict[str, int],
    embedded: dict[str, int],
    docs: dict[str, str] | None = None,
) -> list[int]:
    """``[sentence_start, sentence_end, mention_start, mention_end]`` of an edge (see module doc).

    The offsets are into the text of the stating paper when it is in the page, else of the source.
    ``docs`` keeps each paper's page text between calls (a paper states many edges).
    """
    ev = edge.evidence
    if ev is None or not ev.sentence:
        return [-1, -1, -1, -1]
    owner = edge.paper if edge.paper in embedded else edge.source
    paper = kg.nodes.get(owner)
    if isinstance(paper, Paper):
        doc = docs.get(owner) if docs is not None else None
        if doc is None:
            doc = _page_doc(paper)
            if docs is not None:
                docs[owner] = doc
        first = doc.find(ev.sentence)
        if first >= 0:
            # the extractor's text was title + "\n" + abstract, or the abstract alone without a title
            for shift in (0,) if paper.title else (1, 0):
                start, end = ev.start + shift, ev.end + shift
                at = _occurrence(doc, ev.sentence, start, end)
                stop = at + len(ev.sentence)
                if at <= start < end <= stop and doc[start:end].strip():
                    at16, stop16, start16, end16 = _utf16(doc, at, stop, start, end)
                    return [at16, stop16, start16 - at16, end16 - at16]
            return [*_utf16(doc, first, first + len(ev.sentence)), -1, -1]
    index = texts.setdefault(ev.sentence, len(texts))
    return [-2, index, -1, -1]


def edge_rows(
    kg: KnowledgeGraph, keys: Sequence[str], relations: Sequence[str]
) -> tuple[list[list[int]], list[str]]:
    """The compact edge rows between ``keys`` (node indices are positions in ``keys``) and the
    table of sentences that could not be located in their paper (see the module docstring).

    Edges come in :func:`~papergraph.graph.edge_sort_key` order; an edge's index in the list is
    its id on the page.
    """
    position = {key: i for i, key in enumerate(keys)}
    rel_index = {r: i for i, r in enumerate(relations)}
    texts: dict[str, int] = {}
    docs: dict[str, str] = {}
    rows: list[list[int]] = []
    kept = sorted((e for e in kg.edges if e.source in position and e.target in position), key=edge_sort_key)
    for edge in kept:
        source = position[edge.source]
        evidence = _evidence_fields(kg, edge, texts, position, docs)
        row = [source, rel_index[edge.relation], position[edge.target], *evidence]
        default_paper = source if row[3] != -1 else -1
        paper = position.get(edge.paper, -1) if edge.paper is not None else -1
        row.append(paper)
        if paper == default_paper:
            row.pop()
            while len(row) > 3 and row[-1] == -1:
                row.pop()
        rows.append(row)
    return rows, list(texts)


def page_edges(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Decode the compact edge rows of :func:`page_data` into dicts, as the page's script does.

    Each has ``id``, ``source``, ``relation``, ``target`` (keys and names) and, when known,
    ``sentence``, ``mention`` (the words inside the sentence) and ``paper``.
    """
    nodes = data["nodes"]
    out = []
    for i, raw in enumerate(data["edges"]):
        s, r, t, ss, se, ms, me = [*raw[:7], *[-1] * (7 - len(raw[:7]))]
        p = raw[7] if len(raw) > 7 else (s if ss != -1 else -1)
        owner = p if p >= 0 else s  # whose title + abstract the sentence offsets point into
        edge: dict[str, Any] = {
            "id": i,
            "source": nodes[s]["key"],
            "relation": data["relations"][r]["name"],
            "target": nodes[t]["key"],
        }
        sentence = None
        if ss == -2:
            sentence = data["texts"][se]
        elif ss >= 0:
            doc = f"{nodes[owner].get('title', '')}\n{nodes[owner].get('abstract', '')}"
            sentence = _slice16(doc, ss, se)
        if sentence is not None:
            edge["sentence"] = sentence
            if ms >= 0:
                edge["mention"] = _slice16(sentence, ms, me)
        if p >= 0:
            edge["paper"] = nodes[p]["key"]
        out.append(edge)
    return out


def stabilization_iterations(n_nodes: int) -> int:
    """Layout iterations run before physics stops: fewer for bigger graphs, each costing more.

    About 150,000 node-steps, between 60 and 200 iterations (the page starts the physics from a
    structured layout, not random positions, so that few are enough): 200 up to 750 nodes, 75 at
    2,000, 60 from 2,500.

    >>> stabilization_iterations(200), stabilization_iterations(2000), stabilization_iterations(9000)
    (200, 75, 60)
    """
    return max(60, min(200, round(150_000 / max(n_nodes, 1))))


def vis_options(n_nodes: int) -> dict[str, Any]:
    """vis-network options for a page that opens with ``n_nodes`` nodes drawn."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 300},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        # ``multi: False``: labels are drawn as plain text, never parsed for <b>/<i> markup.
        "nodes": {
            "font": {"size": 13, "face": "sans-serif", "color": "#222", "multi": False},
            "borderWidth": 1,
        },
        # edges carry a label (their relation) only while their end is selected
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "align": "middle", "color": "#444", "strokeWidth": 3, "multi": False},
            "smooth": {"enabled": True, "type": "continuous"} if n_nodes <= 1000 else False,
            "width": 1.2,
            "selectionWidth": 2,
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "theta": 0.9,
                "gravitationalConstant": -60,
                "centralGravity": 0.01,
                "springLength": 110,
                "springConstant": 0.08,
                "damping": 0.5,
                "avoidOverlap": 0.2,
            },
            "minVelocity": 0.75,
            "stabilization": {
                "enabled": True,
                "iterations": stabilization_iterations(n_nodes),
                "updateInterval": 25,
                "fit": True,
            },
        },
    }


def page_data(
    kg: KnowledgeGraph,
    *,
    title: str = "papergraph",
    max_nodes: int = INITIAL_NODES,
    max_edges: int = INITIAL_EDGES,
    embed_nodes: int = EMBED_NODES,
    focus: str | None = None,
) -> dict[str, Any]:
    """Everything the page's script needs, as one JSON-ready dict (embedded as ``pg-data``).

    ``nodes`` are in rank order (:func:`rank_nodes`, from ``focus`` when given) and the page
    draws the first ``initial`` of them; ``more`` is how many one "show more" click draws.
    """
    ranked = rank_nodes(kg, focus)
    keys = ranked[: max(embed_nodes, 0)]
    position = {k: i for i, k in enumerate(keys)}
    initial = initial_count(edge_ends(kg.edges, position), max_nodes, max_edges)
    nodes = graph_nodes(kg)
    type_counts = Counter(node_type(nodes[k]) for k in keys)
    type_order = ["Paper", *ENTITY_TYPES]
    types = type_order + sorted(set(type_counts) - set(type_order))
    rel_counts = Counter(e.relation for e in kg.edges if e.source in position and e.target in position)
    drawable = sum(1 for e in kg.edges if e.source in nodes and e.target in nodes)
    rel_order = [*RELATIONS, *(r for r in EDGE_STYLES if r not in RELATIONS)]
    relations = [r for r in rel_order if rel_counts.get(r) or r in EDGE_STYLES]
    relations += sorted(set(rel_counts) - set(relations))
    rows, texts = edge_rows(kg, keys, relations)
    drawn_edges = sum(1 for row in rows if row[0] < initial and row[2] < initial)
    return {
        "title": title,
        "focus": focus,
        "initial": initial,
        "more": MORE_NODES,
        "moreEdges": max_edges,
        "meta": {
            "totalNodes": len(nodes),
            "totalEdges": drawable,
            "embeddedNodes": len(keys),
            "embeddedEdges": len(rows),
            "initialNodes": initial,
            "initialEdges": drawn_edges,
        },
        "types": [
            {"name": t, **node_style(t), "count": type_counts.get(t, 0)}
            for t in types
            if type_counts.get(t) or t in NODE_STYLES
        ],
        "relations": [
            {
                "name": r,
                "color": _edge_color(r),
                "count": rel_counts.get(r, 0),
                "out": EDGE_STYLES.get(r, {}).get("out", r),
                "in": EDGE_STYLES.get(r, {}).get("in", f"{r} (from)"),
            }
            for r in relations
        ],
        "nodes": node_payload(kg, keys),
        "edges": rows,
        "texts": texts,
        "options": vis_options(initial),
    }
