"""papergraph: turn collections of research papers (titles and abstracts) into a knowledge graph.

>>> import papergraph
>>> kg = papergraph.build([papergraph.example_corpus()])  # doctest: +SKIP
>>> kg.write_turtle("exports/graph.ttl")                 # doctest: +SKIP
>>> g = kg.to_networkx()                                 # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

# first: with PAPERGRAPH_PURE_PYTHON set, no compiled module is imported (papergraph.compiled);
# the outputs and the store lend KnowledgeGraph its methods (write_turtle, to_networkx, query...):
# each registers its functions with papergraph.graph.provide when imported; the table of formats
# imports every writer
import papergraph.compiled
import papergraph.export.formats
import papergraph.export.networkx_graph  # lends KnowledgeGraph.to_networkx
import papergraph.query.store  # noqa: F401
from papergraph.examples import example_corpus
from papergraph.graph import KnowledgeGraph
from papergraph.model import (
    Edge,
    Entity,
    Evidence,
    ExternalWork,
    Extraction,
    InferredLink,
    Mention,
    Merge,
    Paper,
    Problem,
    Record,
    Relation,
)
from papergraph.run.pipeline import build

__all__ = [
    "Edge",
    "Entity",
    "Evidence",
    "ExternalWork",
    "Extraction",
    "InferredLink",
    "KnowledgeGraph",
    "Mention",
    "Merge",
    "Paper",
    "Problem",
    "Record",
    "Relation",
    "build",
    "example_corpus",
    "load",
]


def load(path: str | Path) -> KnowledgeGraph:
    """Read a graph written by :meth:`KnowledgeGraph.write_turtle` (or ``.nt`` / ``.jsonld``)."""
    from papergraph.export.rdf_load import load as _load

    return _load(path)
