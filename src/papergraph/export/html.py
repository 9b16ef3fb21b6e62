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
import html
import os
import re
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papergraph.export.viewer_data import (
    EDGE_STYLES,
    EMBED_NODES,
    INITIAL_EDGES,
    INITIAL_NODES,
    NODE_STYLES,
    edge_rows,
    node_payload,
    node_size,
    page_data,
    page_edges,
    script_json,
    short_label,
    stabilization_iterations,
    vis_options,
)
from papergraph.export.viewer_ranking import (
    graph_nodes,
    initial_count,
    node_degrees,
    rank_nodes,
    select_nodes,
)
from papergraph.gcpause import paused_gc
from papergraph.graph import provide

if TYPE_CHECKING:
    from papergraph.graph import KnowledgeGraph

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

__all__ = [
    "EDGE_STYLES",
    "EMBED_NODES",
    "INITIAL_EDGES",
    "INITIAL_NODES",
    "NODE_STYLES",
    "content_security_policy",
    "edge_rows",
    "graph_nodes",
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

_VIS_DIR = "templates/vis-network-9.1.2"

_TEMPLATE = "templates/viewer.html"

_PLACEHOLDER_RE = re.compile(r"@@([A-Z_]+)@@")


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
