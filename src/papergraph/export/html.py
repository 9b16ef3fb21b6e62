"""The offline, self-contained HTML viewer for a :class:`~papergraph.graph.KnowledgeGraph`.

The page is one file: vis-network's JavaScript and CSS (9.1.2, shipped in
``templates/vis-network-9.1.2``) are inlined, the graph is embedded as JSON in a
``<script type="application/json">`` block, and a plain-JS front end (``templates/viewer.html``)
draws it with vis-network and adds a search box, type and relation filters with a legend, hover
tooltips, neighbourhood highlighting, a side panel with the evidence sentences and a "show more"
control for big graphs.

Big graphs: the embedded data holds the whole graph (up to ``embed_nodes`` nodes, the most
connected), ranked most connected first; the page draws the leading part of that ranking (at most
``max_nodes`` nodes and ``max_edges`` edges between them) and a button draws the next ones. Search
and the side panel work on everything embedded; picking a node that is not drawn draws it.

The data block (see :func:`page_data`) is compact, because a 20,000-node graph has hundreds of
thousands of edges: nodes are a list of small dicts in rank order, and each edge is an array
``[source, relation, target, sentence_start, sentence_end, mention_start, mention_end, paper]``
of integers (node indices, an index into ``relations``, character offsets), cut after the last
field that is not its default. The evidence sentence is ``doc[sentence_start:sentence_end]``
where ``doc`` is ``title + "\\n" + abstract`` of the stating paper (of the source when ``paper``
is ``-1``), so sentences are not stored twice; ``sentence_start == -2`` means the sentence is
``texts[sentence_end]`` instead, ``-1`` that there is none. The mention offsets are relative to the
sentence (``-1``: unknown). ``paper`` is the stating paper's index (``-1``: none or not in the
page); left out, it is the source when the edge has a sentence, else none.
:func:`page_edges` decodes the rows back into dicts.

Nothing from the input is ever interpreted as markup: the data block is JSON with ``<``, ``>``,
``&``, U+2028 and U+2029 escaped, and the page's script writes every text with ``textContent``.
vis-network's own ``title`` tooltips (which may render HTML) are not used, and labels are drawn
as plain text (``font.multi: false``).

The output is deterministic: the same graph gives byte-identical HTML.

>>> from papergraph.graph import KnowledgeGraph
>>> "new vis.Network(" in render_html(KnowledgeGraph())
True
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import html
import json
import math
import os
import re
import tempfile
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papergraph.gcpause import paused_gc
from papergraph.graph import edge_sort_key, provide
from papergraph.model import ENTITY_TYPES, RELATIONS, Edge, Entity, Paper

if TYPE_CHECKING:
    from papergraph.graph import KnowledgeGraph

__all__ = [
    "EDGE_STYLES",
    "EMBED_NODES",
    "INITIAL_EDGES",
    "INITIAL_NODES",
    "NODE_STYLES",
    "content_security_policy",
    "edge_rows",
    "initial_count",
    "node_degrees",
    "node_payload",
    "node_size",
    "page_data",
    "page_edges",
    "rank_nodes",
    "render_html",
    "script_json",
    "select_nodes",
    "short_label",
    "stabilization_iterations",
    "vis_options",
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
#: Type name and style of cited works outside the input (``KnowledgeGraph.works``), when there are any.
WORK_TYPE = "Cited work"
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

_VIS_DIR = "templates/vis-network-9.1.2"
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


def graph_nodes(kg: KnowledgeGraph) -> dict[str, Any]:
    """Every node the viewer shows, by key: papers, entities and the cited works outside the input."""
    nodes: dict[str, Any] = dict(kg.nodes)
    for work in getattr(kg, "works", ()):
        nodes.setdefault(work.key, work)
    return nodes


def _type_name(node: Any) -> str:
    if isinstance(node, Paper):
        return "Paper"
    return node.type if isinstance(node, Entity) else WORK_TYPE


def node_degrees(kg: KnowledgeGraph) -> Counter[str]:
    """How many edges touch each node (edges with an end outside the graph are ignored)."""
    nodes = graph_nodes(kg)
    degree: Counter[str] = Counter({key: 0 for key in nodes})
    for edge in kg.edges:
        if edge.source in nodes and edge.target in nodes:
            degree[edge.source] += 1
            degree[edge.target] += 1
    return degree


class _Links:
    """Every node of the viewer (:func:`graph_nodes` order), its number of links and its distinct
    neighbours (links followed both ways, ends outside the graph ignored), as arrays of node
    positions: a few bytes a link, where a set of keys per node took over 100 bytes a link (more
    than a gigabyte at a million papers).

    >>> from papergraph.graph import KnowledgeGraph
    >>> kg = KnowledgeGraph(entities=tuple(Entity(key=k, type="Method", label=k) for k in "abc"),
    ...                     edges=(Edge("a", "uses", "b"), Edge("a", "proposes", "b")))
    >>> links = _Links(kg)
    >>> links.degree, [[links.keys[j] for j in links.neighbours(i)] for i in range(3)]
    ([2, 2, 0], [['b'], ['a'], []])
    """

    def __init__(self, kg: KnowledgeGraph) -> None:
        import numpy as np

        self.keys = list(graph_nodes(kg))
        n = len(self.keys)
        position = {key: i for i, key in enumerate(self.keys)}
        ends = array("q")
        for edge in kg.edges:
            a, b = position.get(edge.source), position.get(edge.target)
            if a is not None and b is not None:
                ends.append(a)
                ends.append(b)
        pairs = np.frombuffer(ends, dtype=np.int64).reshape(-1, 2)
        sources, targets = pairs[:, 0], pairs[:, 1]
        self.degree: list[int] = (
            np.bincount(sources, minlength=n) + np.bincount(targets, minlength=n)
        ).tolist()
        # both directions as one number each, sorted and without repeats: row, then column
        both = np.unique(np.concatenate([sources * n + targets, targets * n + sources]))
        self._columns = (both % n).astype(np.int64) if n else both
        self._starts = (
            np.concatenate([[0], np.cumsum(np.bincount(both // n, minlength=n))]).tolist() if n else [0]
        )

    def neighbours(self, i: int) -> list[int]:
        return self._columns[self._starts[i] : self._starts[i + 1]].tolist()

    def distances(self, start: int) -> list[int]:
        """Hops from node ``start`` to every node (-1: not reached)."""
        dist = [-1] * len(self.keys)
        dist[start] = 0
        queue = deque([start])
        while queue:
            i = queue.popleft()
            for j in self.neighbours(i):
                if dist[j] < 0:
                    dist[j] = dist[i] + 1
                    queue.append(j)
        return dist


#: A node not linked to the nodes ranked before it comes next only when it has at least this many
#: times the links of the best linked candidate (see :func:`rank_nodes`).
SEED_FACTOR = 2


def rank_nodes(kg: KnowledgeGraph, focus: str | None = None) -> list[str]:
    """Every node key, in the order the page draws them: the most connected part first.

    The order grows from the node with the most links: next comes the node with the most links
    among those linked to the nodes already ranked, unless some unlinked node has at least
    :data:`SEED_FACTOR` times as many (the hub of another cluster), which then starts a new part.
    So any leading part of the ranking is well connected, not a scatter of hubs whose neighbours
    are left out. Ties are broken by key: the order is deterministic.

    With ``focus`` (a node key), nodes are ranked by their distance in hops from it: the focus,
    then its neighbours, and so on, each ring most connected first; unreachable nodes last.

    >>> from papergraph.graph import KnowledgeGraph
    >>> from papergraph.model import Edge, Entity
    >>> links = ["ab", "ac", "ad", "ae", "bf", "xy", "xz", "xw"]
    >>> kg = KnowledgeGraph(
    ...     entities=tuple(Entity(key=k, type="Method", label=k) for k in "abcdefwxyz"),
    ...     edges=tuple(Edge(s, "uses", t) for s, t in links),
    ... )
    >>> "".join(rank_nodes(kg))  # by links alone: a x b ...; b is linked to a, x is not
    'abxcdefwyz'
    >>> "".join(rank_nodes(kg, focus="f"))
    'fbacdexwyz'
    """
    links = _Links(kg)
    keys, degree = links.keys, links.degree
    if focus is not None:
        try:
            start = keys.index(focus)
        except ValueError:
            raise KeyError(focus) from None
        dist = links.distances(start)
        far = len(keys) + 1
        ranked = sorted(
            range(len(keys)), key=lambda i: (dist[i] if dist[i] >= 0 else far, -degree[i], keys[i])
        )
        return [keys[i] for i in ranked]
    by_degree = sorted(range(len(keys)), key=lambda i: (-degree[i], keys[i]))
    order: list[str] = []
    placed = bytearray(len(keys))
    queued = bytearray(len(keys))
    frontier: list[tuple[int, str, int]] = []  # heap of (-degree, key, position) linked to what is placed
    best = 0  # index in by_degree of the most connected node not placed
    while len(order) < len(by_degree):
        while placed[by_degree[best]]:
            best += 1
        while frontier and placed[frontier[0][2]]:
            heapq.heappop(frontier)
        seed = by_degree[best]
        i = heapq.heappop(frontier)[2] if frontier and degree[seed] < SEED_FACTOR * -frontier[0][0] else seed
        placed[i] = 1
        order.append(keys[i])
        for j in links.neighbours(i):
            if not queued[j] and not placed[j]:
                queued[j] = 1
                heapq.heappush(frontier, (-degree[j], keys[j], j))
    return order


def select_nodes(kg: KnowledgeGraph, max_nodes: int) -> list[str]:
    """Keys of the first ``max_nodes`` nodes of :func:`rank_nodes` (all when they fit), sorted."""
    return sorted(rank_nodes(kg)[: max(max_nodes, 0)])


def _edge_ends(edges: Iterable[Edge], position: dict[str, int]) -> list[int]:
    """For each node position, how many of ``edges`` join it to a node ranked before it (or itself)."""
    later = [0] * len(position)
    for edge in edges:
        if edge.source in position and edge.target in position:
            later[max(position[edge.source], position[edge.target])] += 1
    return later


def initial_count(edges_to_earlier: Sequence[int], max_nodes: int, max_edges: int) -> int:
    """How many leading nodes of a ranking to draw: at most ``max_nodes`` nodes and ``max_edges``
    edges among them, and always the first node when there is one.

    ``edges_to_earlier[i]`` is the number of edges joining node ``i`` to nodes ``0..i``.

    >>> initial_count([0, 1, 2, 5, 1], max_nodes=10, max_edges=4)
    3
    >>> initial_count([0, 1, 2], 2, 100), initial_count([9], 5, 1), initial_count([], 5, 5)
    (2, 1, 0)
    """
    total = 0
    count = 0
    for i, n in enumerate(edges_to_earlier):
        if i >= max_nodes or (i > 0 and total + n > max_edges):
            break
        total += n
        count = i + 1
    return count


def _node_style(node_type: str) -> dict[str, str]:
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
            "type": _type_name(node),
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
    initial = initial_count(_edge_ends(kg.edges, position), max_nodes, max_edges)
    nodes = graph_nodes(kg)
    type_counts = Counter(_type_name(nodes[k]) for k in keys)
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
        ],
        "nodes": node_payload(kg, keys),
        "edges": rows,
        "texts": texts,
        "options": vis_options(initial),
    }


# ---- the page ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's minified JS and CSS (shipped with papergraph), made safe to inline."""
    lib = resources.files("papergraph").joinpath(_VIS_DIR)
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


def _script_hash(script: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"
    )


def content_security_policy(vis_js: str) -> str:
    """The page's Content-Security-Policy: only its own two scripts run (by hash, so an injected
    ``onerror=`` or ``<script>`` could not run even if markup got in), and nothing is fetched.

    >>> policy = content_security_policy("x")
    >>> policy.startswith("default-src 'none'; script-src 'sha256-"), "connect-src" in policy
    (True, False)
    """
    app = re.findall(r"<script>(.*?)</script>", _template(), re.S)[-1]
    scripts = " ".join(_script_hash(s) for s in (vis_js, app))
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _text(value: str) -> str:
    """``value`` escaped for HTML text and attributes, without control characters or surrogates."""
    value = _SURROGATE_RE.sub("\ufffd", _CONTROL_RE.sub("", value))
    return html.escape(value, quote=True)


def _note(meta: dict[str, Any]) -> str:
    if meta["initialNodes"] >= meta["totalNodes"]:
        return ""
    return (
        f"showing {meta['initialNodes']:,} of {meta['totalNodes']:,} nodes "
        f"(the most connected; {meta['initialEdges']:,} of {meta['totalEdges']:,} edges)"
    )


def render_html(
    kg: KnowledgeGraph,
    *,
    title: str = "papergraph",
    max_nodes: int = INITIAL_NODES,
    max_edges: int = INITIAL_EDGES,
    embed_nodes: int = EMBED_NODES,
    focus: str | None = None,
) -> str:
    """The whole viewer page as a string (see the module docstring).

    The page opens on the ``max_nodes`` most connected nodes (fewer when more than ``max_edges``
    edges would join them; ties broken by key) and says so; "show more" draws the next ones, up
    to the ``embed_nodes`` embedded.  With ``focus`` (a node key) nodes are ranked by their
    distance from it and the page opens with it selected.
    """
    data = page_data(
        kg, title=title, max_nodes=max_nodes, max_edges=max_edges, embed_nodes=embed_nodes, focus=focus
    )
    js, css = _vis_assets()
    note = _note(data["meta"])
    parts = {
        "TITLE": _text(title),
        "NOTE": _text(note),
        "NOTE_HIDDEN": "" if note else " hidden",
        "COUNTS": _text(f"{data['meta']['initialNodes']:,} nodes, {data['meta']['initialEdges']:,} edges"),
        "CSP": content_security_policy(js),
        "VIS_CSS": css,
        "VIS_JS": js,
        "DATA": script_json(data),
    }
    return _PLACEHOLDER_RE.sub(lambda m: parts[m.group(1)], _template())


def write_html(
    kg: KnowledgeGraph,
    path: str | Path,
    *,
    title: str = "papergraph",
    max_nodes: int = INITIAL_NODES,
    max_edges: int = INITIAL_EDGES,
    embed_nodes: int = EMBED_NODES,
    focus: str | None = None,
) -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8, atomically replaced) and return the path."""
    path = Path(path)
    with paused_gc():
        page = render_html(
            kg, title=title, max_nodes=max_nodes, max_edges=max_edges, embed_nodes=embed_nodes, focus=focus
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # encoded a megabyte at a time: no second copy of a page of tens of MB (the same bytes)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            for at in range(0, len(page), 1 << 20):
                fh.write(page[at : at + (1 << 20)])
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


provide("write_html", write_html)
