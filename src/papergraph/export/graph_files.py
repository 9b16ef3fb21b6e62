"""The graph for network tools other than networkx: GEXF for Gephi, and a node table and an edge
table in CSV for spreadsheets, Gephi's and Cytoscape's table import, pandas or R.

All three are written from :func:`~papergraph.export.flat_graph.flat_view`, the graph GraphML holds
(made once for all of them when a build writes several), so every format carries the same nodes,
edges and attributes:

* GEXF 1.2 (``graph.gexf``): each node coloured as in the viewer (``viz:color``), each edge labelled
  with its relation and weighted (``weight``: how many statements back it).
* ``nodes.csv``: ``Id``, ``Label``, ``type``, ``color`` and every other node attribute, one column
  each, empty where a node has none.
* ``edges.csv``: ``Source``, ``Target``, ``Type`` (``Directed``), ``Label`` (the relation),
  ``Weight``, ``papers``, ``evidence_count``, ``evidence``, ``via``.

The capitalised columns are the names Gephi's spreadsheet import recognises.

>>> import csv, io
>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Edge, Entity, Evidence, Paper
>>> kg = KnowledgeGraph(
...     papers=(Paper(key="paper/x", label="X", title="X", abstract="We use LoRA."),),
...     entities=(Entity(key="method/lora", type="Method", label="LoRA"),),
...     edges=(Edge("paper/x", "uses", "method/lora", Evidence("We use LoRA.", 7, 11), "paper/x"),),
... )
>>> rows = list(csv.DictReader(io.StringIO(edge_table(kg))))
>>> [(r["Source"], r["Target"], r["Label"], r["Weight"]) for r in rows]
[('paper/x', 'method/lora', 'uses', '1')]
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from papergraph.atomic import atomic_open, atomic_write
from papergraph.export.flat_graph import flat_view
from papergraph.export.gexf_text import gexf_bytes, write_gexf_text
from papergraph.graph import KnowledgeGraph, provide

__all__ = ["edge_table", "gexf_bytes", "node_table", "write_edges_csv", "write_gexf", "write_nodes_csv"]

#: Columns that lead the node table, in this order; the other attributes follow, sorted.
NODE_COLUMNS = ("Id", "Label", "type", "color")
#: Columns of the edge table.
EDGE_COLUMNS = ("Source", "Target", "Type", "Label", "Weight", "papers", "evidence_count", "evidence", "via")


def write_gexf(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as GEXF 1.2 (Gephi's own format), nodes coloured by type, to ``path``,
    atomically (:func:`papergraph.export.gexf_text.gexf_bytes`); the same graph gives the same bytes
    (no date of writing).

    Parameters
    ----------
    kg : KnowledgeGraph
    path : str or Path

    Returns
    -------
    Path
        ``path``.
    """
    with atomic_open(path, "wb") as fh:
        write_gexf_text(kg, fh)
    return Path(path)


def _table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """``rows`` under the header ``columns`` as CSV text (what ``csv.DictWriter`` wrote)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue()


def node_table(kg: KnowledgeGraph) -> str:
    """The nodes of ``kg`` as CSV text, one row per node in key order (columns: the module
    docstring)."""
    nodes = flat_view(kg).nodes
    others = sorted({k for _, data in nodes for k in data} - {"label", *NODE_COLUMNS})
    named = [*NODE_COLUMNS[2:], *others]
    rows = ([n, data.get("label", n), *[data.get(k, "") for k in named]] for n, data in nodes)
    return _table([*NODE_COLUMNS, *others], rows)


def edge_table(kg: KnowledgeGraph) -> str:
    """The edges of ``kg`` as CSV text, one row per (source, target, relation) (columns: the module
    docstring)."""
    named = EDGE_COLUMNS[5:]
    rows = (
        [source, target, "Directed", data["relation"], data["weight"], *[data.get(k, "") for k in named]]
        for source, target, _, data in flat_view(kg).edges
    )
    return _table(EDGE_COLUMNS, rows)


def write_nodes_csv(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write :func:`node_table` of ``kg`` to ``path`` (UTF-8), atomically."""
    return atomic_write(path, node_table(kg))


def write_edges_csv(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write :func:`edge_table` of ``kg`` to ``path`` (UTF-8), atomically."""
    return atomic_write(path, edge_table(kg))


provide("write_gexf", write_gexf)
