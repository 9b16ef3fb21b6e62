"""The output formats, in one table: what ``build --format`` takes, the file each writes, the
function that writes it, and, for the RDF syntaxes, the suffixes and media type by which a graph
file is read back (by :func:`papergraph.export.rdf_load.load`, the store, ``push``).

The command line, :func:`papergraph.export.outputs.write_outputs` and the readers of graph files
all read this table; a new format is a module with a writer ``write_x(kg, path) -> Path`` and one
line here (see ``docs/architecture.md``).

>>> [f.name for f in FORMATS.values()]
['ttl', 'html', 'graphml', 'jsonld', 'nt', 'gexf', 'nodes-csv', 'edges-csv']
>>> FORMATS["nt"].file_name, rdf_format_of("exports/graph.jsonld").media_type
('graph.nt', 'application/ld+json')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from papergraph.export import graph_files, graphml_text, html, jsonld, rdf
from papergraph.graph import KnowledgeGraph

__all__ = ["DEFAULT_FORMATS", "FORMATS", "Format", "rdf_format_of"]


@dataclass(frozen=True)
class Format:
    """One output format."""

    #: What ``--format`` takes.
    name: str
    #: The file a build writes it to.
    file_name: str
    #: ``write(kg, path)`` writes the graph in this format and returns ``path``.
    write: Callable[[KnowledgeGraph, Path], Path]
    #: Its media type.
    media_type: str
    #: rdflib's name of the syntax, for a format papergraph reads back as a graph (None: not RDF).
    rdflib_format: str | None = None
    #: File suffixes read as this syntax.
    suffixes: tuple[str, ...] = ()
    #: Writing time relative to Turtle's, to share the formats out among processes (None: the
    #: page, whose share depends on the graph's size: ``papergraph.export.outputs``). The formats
    #: of the flat view count the view in full (CPU time, each written alone, 10k synthetic papers:
    #: ``benchmarks/graph_writers.py``).
    cost: float | None = 1.0
    #: Written from the graph's flat view (:mod:`papergraph.export.flat_graph`), which the formats
    #: of one build share.
    flat: bool = False


#: Every format, in the order ``--help`` lists them.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("ttl", "graph.ttl", rdf.write_turtle, "text/turtle", "turtle", (".ttl",), 1.0),
        Format("html", "graph.html", html.write_html, "text/html", cost=None),
        Format(
            "graphml",
            "graph.graphml",
            graphml_text.write_graphml,
            "application/graphml+xml",
            cost=0.6,
            flat=True,
        ),
        Format(
            "jsonld",
            "graph.jsonld",
            jsonld.write_jsonld,
            "application/ld+json",
            "json-ld",
            (".jsonld", ".json"),
            5.6,
        ),
        Format(
            "nt", "graph.nt", rdf.write_ntriples, "application/n-triples", "nt", (".nt", ".ntriples"), 0.96
        ),
        Format("gexf", "graph.gexf", graph_files.write_gexf, "application/gexf+xml", cost=0.6, flat=True),
        Format("nodes-csv", "nodes.csv", graph_files.write_nodes_csv, "text/csv", cost=0.35, flat=True),
        Format("edges-csv", "edges.csv", graph_files.write_edges_csv, "text/csv", cost=0.5, flat=True),
    )
}
#: What a build writes when ``--format`` is not given.
DEFAULT_FORMATS = ("ttl", "html", "graphml")


def rdf_format_of(path: str | Path) -> Format:
    """The RDF format a graph file is read as, from its suffix (Turtle unless it says otherwise)."""
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.suffixes), FORMATS["ttl"])
