"""The offline, self-contained HTML viewer for a :class:`~papergraph.graph.KnowledgeGraph`.

The page is one file: vis-network's JavaScript and CSS (read from the installed ``pyvis``
package) are inlined, the graph is embedded as JSON in a ``<script type="application/json">``
block, and a small plain-JS front end (``templates/viewer.html``) adds a search box, type and
relation filters with a legend, hover tooltips and a side panel with the evidence sentences.

Nothing from the input is ever interpreted as markup: the data block is JSON with ``<``, ``>``,
``&``, U+2028 and U+2029 escaped, and the page's script writes every text with ``textContent``.
vis-network's own ``title`` tooltips (which may render HTML) are not used.

The output is deterministic: the same graph gives byte-identical HTML.

>>> from papergraph.graph import KnowledgeGraph
>>> "vis.Network" in render_html(KnowledgeGraph())
True
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import tempfile
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papergraph.graph import edge_sort_key
from papergraph.model import ENTITY_TYPES, RELATIONS, Edge, Paper

if TYPE_CHECKING:
    from papergraph.graph import KnowledgeGraph

__all__ = [
    "EDGE_STYLES",
    "NODE_STYLES",
    "edge_payload",
    "node_degrees",
    "node_payload",
    "page_data",
    "render_html",
    "script_json",
    "select_nodes",
    "short_label",
    "vis_network_data",
    "write_html",
]

#: Node types in legend order, with their vis-network shape and colour.
NODE_STYLES: dict[str, dict[str, str]] = {
    "Paper": {"shape": "square", "color": "#4e79a7"},
    "Method": {"shape": "dot", "color": "#f28e2b"},
    "Dataset": {"shape": "diamond", "color": "#59a14f"},
    "Metric": {"shape": "triangle", "color": "#e15759"},
    "Task": {"shape": "star", "color": "#b07aa1"},
}
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

_VIS_DIR = "templates/lib/vis-9.1.2"
_TEMPLATE = "templates/viewer.html"
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLACEHOLDER_RE = re.compile(r"@@([A-Z_]+)@@")


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


def node_degrees(kg: KnowledgeGraph) -> Counter[str]:
    """How many edges touch each node (edges with an end outside the graph are ignored)."""
    nodes = kg.nodes
    degree: Counter[str] = Counter({key: 0 for key in nodes})
    for edge in kg.edges:
        if edge.source in nodes and edge.target in nodes:
            degree[edge.source] += 1
            degree[edge.target] += 1
    return degree


def select_nodes(kg: KnowledgeGraph, max_nodes: int) -> list[str]:
    """Keys of the nodes to draw, sorted: all of them, or the ``max_nodes`` most connected.

    Ties in degree are broken by key, so the choice is deterministic.
    """
    degree = node_degrees(kg)
    keys = sorted(kg.nodes)
    if len(keys) <= max_nodes:
        return keys
    ranked = sorted(keys, key=lambda k: (-degree[k], k))
    return sorted(ranked[: max(max_nodes, 0)])


def _node_style(node_type: str) -> dict[str, str]:
    return NODE_STYLES.get(node_type, OTHER_NODE_STYLE)


def _edge_color(relation: str) -> str:
    return EDGE_STYLES.get(relation, {}).get("color", OTHER_EDGE_COLOR)


def _display_label(kg: KnowledgeGraph, key: str) -> str:
    """The label drawn on the canvas: a shortened title for papers, the label for entities."""
    node = kg.nodes[key]
    if isinstance(node, Paper):
        return short_label(node.title or node.label or key)
    return " ".join((node.label or key).split())


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != ""}


def node_payload(kg: KnowledgeGraph, keys: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Details of each node (all of them, or ``keys``) for the side panel, search and tooltips.

    Papers carry ``title``, ``date``, ``identifiers``, ``abstract``, authors and ``url``;
    entities their ``aliases`` and ``broader`` key.  Every node has ``type``, ``label`` (the full
    label), ``short`` (what the canvas shows) and ``degree``.  Empty fields are left out.
    """
    degree = node_degrees(kg)
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(kg.nodes) if keys is None else keys:
        node = kg.nodes[key]
        common = {
            "type": kg.node_type(key),
            "label": node.label,
            "short": _display_label(kg, key),
            "degree": degree[key],
        }
        if isinstance(node, Paper):
            out[key] = _drop_empty(
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
        else:
            out[key] = _drop_empty({**common, "aliases": list(node.aliases), "broader": node.broader})
    return out


def _mention(kg: KnowledgeGraph, edge: Edge) -> str | None:
    """The mentioned words, when the evidence span can be read back out of the stating paper."""
    ev = edge.evidence
    paper = kg.nodes.get(edge.paper or edge.source)
    if ev is None or not isinstance(paper, Paper):
        return None
    # the extractor's document is the title, a newline and the abstract
    texts = [f"{paper.title}\n{paper.abstract}"] if paper.title else [paper.abstract, f"\n{paper.abstract}"]
    for text in texts:
        if 0 <= ev.start < ev.end <= len(text):
            words = text[ev.start : ev.end]
            if words.strip() and words in ev.sentence:
                return words
    return None


def _kept_edges(kg: KnowledgeGraph, keys: list[str]) -> list[Edge]:
    kept = set(keys)
    return sorted((e for e in kg.edges if e.source in kept and e.target in kept), key=edge_sort_key)


def edge_payload(kg: KnowledgeGraph, keys: list[str] | None = None) -> list[dict[str, Any]]:
    """Details of each edge between drawn nodes, in draw order; ``id`` matches the vis edge id.

    Each has ``id``, ``source``, ``relation``, ``target`` and, when known, the evidence
    ``sentence``, the ``mention`` inside it and the stating ``paper``.
    """
    keys = sorted(kg.nodes) if keys is None else keys
    out = []
    for i, edge in enumerate(_kept_edges(kg, keys)):
        out.append(
            _drop_empty(
                {
                    "id": f"e{i}",
                    "source": edge.source,
                    "relation": edge.relation,
                    "target": edge.target,
                    "sentence": edge.evidence.sentence if edge.evidence else None,
                    "mention": _mention(kg, edge),
                    "paper": edge.paper,
                }
            )
        )
    return out


def _node_size(degree: int) -> float:
    return round(min(10 + 4 * math.sqrt(degree), 48), 2)


def _vis_options(n_nodes: int) -> dict[str, Any]:
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
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 9, "align": "middle", "color": "#555", "strokeWidth": 3, "multi": False},
            "smooth": {"enabled": True, "type": "continuous"},
            "width": 1.2,
            "selectionWidth": 2,
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.01,
                "springLength": 110,
                "springConstant": 0.08,
                "damping": 0.5,
                "avoidOverlap": 0.2,
            },
            "minVelocity": 0.75,
            "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 10, "fit": True},
        },
    }


def vis_network_data(kg: KnowledgeGraph, keys: list[str] | None = None) -> dict[str, Any]:
    """vis-network's ``nodes``, ``edges`` and ``options``, assembled with ``pyvis.network.Network``.

    Nodes carry no ``title`` (vis may render it as HTML); all text is in :func:`node_payload`.
    """
    from pyvis.edge import Edge as VisEdge
    from pyvis.network import Network
    from pyvis.node import Node as VisNode

    keys = sorted(kg.nodes) if keys is None else keys
    degree = node_degrees(kg)
    net = Network(directed=True, cdn_resources="remote")
    # Network.add_node / add_edge look every id up in a list (quadratic on big graphs); the keys are
    # unique and every edge end is drawn, so the same pyvis Node / Edge records are appended directly.
    for key in keys:
        style = _node_style(kg.node_type(key))
        label = _display_label(kg, key) or key
        node = VisNode(key, style["shape"], label=label, color=style["color"], size=_node_size(degree[key]))
        net.nodes.append(node.options)
        net.node_ids.append(key)
        net.node_map[key] = node.options
    for i, edge in enumerate(_kept_edges(kg, keys)):
        color = _edge_color(edge.relation)
        # arrows come from the global edge options (``directed=False``: pyvis adds no per-edge "to")
        vis_edge = VisEdge(
            edge.source,
            edge.target,
            directed=False,
            id=f"e{i}",
            label=edge.relation,
            color={"color": color, "highlight": color, "hover": color},
        )
        net.edges.append(vis_edge.options)
    net.options = _vis_options(len(keys))
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {"nodes": nodes, "edges": edges, "options": json.loads(options)}


def page_data(kg: KnowledgeGraph, *, title: str = "papergraph", max_nodes: int = 2000) -> dict[str, Any]:
    """Everything the page's script needs, as one JSON-ready dict (embedded as ``pg-data``)."""
    keys = select_nodes(kg, max_nodes)
    shown = set(keys)
    edges = edge_payload(kg, keys)
    type_counts = Counter(kg.node_type(k) for k in keys)
    rel_counts = Counter(e["relation"] for e in edges)
    type_order = ["Paper", *ENTITY_TYPES]
    types = type_order + sorted(set(type_counts) - set(type_order))
    rel_order = [*RELATIONS, *(r for r in EDGE_STYLES if r not in RELATIONS)]
    relations = rel_order + sorted(set(rel_counts) - set(rel_order))
    return {
        "title": title,
        "meta": {
            "shownNodes": len(keys),
            "totalNodes": len(kg.nodes),
            "shownEdges": len(edges),
            "totalEdges": len(kg.edges),
            "truncated": len(keys) < len(kg.nodes),
            "cutEdges": sum(1 for e in kg.edges if (e.source in shown) != (e.target in shown)),
        },
        "types": [
            {"name": t, **_node_style(t), "count": type_counts.get(t, 0)}
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
            if rel_counts.get(r) or r in EDGE_STYLES
        ],
        "nodes": node_payload(kg, keys),
        "edges": edges,
        "vis": vis_network_data(kg, keys),
    }


# ---- the page ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's minified JS and CSS from the installed pyvis, made safe to inline."""
    lib = resources.files("pyvis").joinpath(_VIS_DIR)
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    return _inline_js(js), _inline_css(css)


def _inline_js(js: str) -> str:
    """JS that cannot end or confuse its ``<script>`` element.

    ``</script`` becomes ``<\\/script`` and ``<!--`` / ``<script`` start with ``\\x3C``; both are
    the same characters inside the string and regex literals where the minified code has them.
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    js = re.sub(r"<(!--|script)", r"\\x3C\1", js, flags=re.IGNORECASE)
    return js


def _inline_css(css: str) -> str:
    """CSS that cannot end its ``<style>`` element nor load anything from the network."""
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    remote = re.search(r"""(@import|url\(\s*['"]?\s*(https?:)?//)""", css, flags=re.IGNORECASE)
    if remote:
        raise RuntimeError(f"vis-network.css would load a remote resource: {remote.group()!r}")
    return css


@lru_cache(maxsize=1)
def _template() -> str:
    return resources.files("papergraph").joinpath(_TEMPLATE).read_text(encoding="utf-8")


def _text(value: str) -> str:
    """``value`` escaped for HTML text and attributes, without control characters or surrogates."""
    value = _SURROGATE_RE.sub("\ufffd", _CONTROL_RE.sub("", value))
    return html.escape(value, quote=True)


def _note(meta: dict[str, Any]) -> str:
    if not meta["truncated"]:
        return ""
    return (
        f"showing {meta['shownNodes']} of {meta['totalNodes']} nodes "
        f"(the most connected; {meta['shownEdges']} of {meta['totalEdges']} edges)"
    )


def render_html(kg: KnowledgeGraph, *, title: str = "papergraph", max_nodes: int = 2000) -> str:
    """The whole viewer page as a string (see the module docstring).

    When the graph has more than ``max_nodes`` nodes, only the ``max_nodes`` most connected ones
    (ties broken by key) and the edges between them are drawn, and the page says so.
    """
    data = page_data(kg, title=title, max_nodes=max_nodes)
    js, css = _vis_assets()
    note = _note(data["meta"])
    parts = {
        "TITLE": _text(title),
        "NOTE": _text(note),
        "NOTE_HIDDEN": "" if note else " hidden",
        "COUNTS": _text(f"{data['meta']['shownNodes']} nodes, {data['meta']['shownEdges']} edges"),
        "VIS_CSS": css,
        "VIS_JS": js,
        "DATA": script_json(data),
    }
    return _PLACEHOLDER_RE.sub(lambda m: parts[m.group(1)], _template())


def write_html(
    kg: KnowledgeGraph, path: str | Path, *, title: str = "papergraph", max_nodes: int = 2000
) -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8, atomically replaced) and return the path."""
    path = Path(path)
    page = render_html(kg, title=title, max_nodes=max_nodes).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
