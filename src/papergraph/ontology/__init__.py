"""The papergraph ontology and the library of named SPARQL queries, as installed data.

``papergraph.ttl`` (OWL, the vocabulary every export follows), ``shapes.ttl`` (its SHACL shapes,
which ``papergraph validate`` runs) and ``queries/*.rq`` (the named
queries of ``papergraph query --name``) live in this package so that an installed papergraph has
them wherever it is. The repository's top-level ``ontologies/`` folder holds the same files for
people browsing the source; a test keeps the two byte-identical, and this package's copy is the
one to edit.

>>> ontology_file().name
'papergraph.ttl'
>>> "most-used-methods.rq" in {p.name for p in queries_folder().iterdir()}
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["ontology_file", "queries_folder", "shapes_file"]


def _here() -> Path:
    return Path(str(resources.files(__name__)))


def ontology_file() -> Path:
    """The installed ``papergraph.ttl``."""
    return _here() / "papergraph.ttl"


def shapes_file() -> Path:
    """The installed ``shapes.ttl``: the SHACL shapes of the contract (``papergraph validate``)."""
    return _here() / "shapes.ttl"


def queries_folder() -> Path:
    """The installed folder of named queries (``*.rq``)."""
    return _here() / "queries"
