"""Check a graph against the SHACL shapes of papergraph's contract (``ontologies/shapes.ttl``).

The shapes say what every graph papergraph writes holds: a paper has one label and at most one
title and one non-empty abstract and cites only papers; an entity is a ``skos:Concept`` of the
build's scheme with one preferred label and is of exactly one of the four types; only papers and
entities propose, use, compare to and improve on; each evidence node names its edge, sentence,
span and paper; each source record its file, line and format. A graph made by other tools must
hold them to be read as a papergraph graph.

:func:`validate` runs them with pyshacl (the ``validate`` extra), with the ontology as the
ontology graph, so that ``sh:class pg:Entity`` sees a ``pg:Method`` as one.

>>> import rdflib
>>> g = rdflib.Graph().parse(data='''
...     @prefix pg: <https://w3id.org/papergraph/ontology#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     @prefix dcterms: <http://purl.org/dc/terms/> .
...     <https://example.org/p> a pg:Paper ; rdfs:label "P" ; dcterms:abstract "" .
... ''', format="turtle")
>>> report = validate(g)
>>> report.conforms, [(v.focus, v.path) for v in report.violations]
(False, [('https://example.org/p', 'http://purl.org/dc/terms/abstract')])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from papergraph.extras import require
from papergraph.ontology import ontology_file, shapes_file

if TYPE_CHECKING:
    import rdflib

__all__ = ["Report", "Violation", "validate"]


@dataclass(frozen=True)
class Violation:
    """One result of the validation: the node, the property path, the value and what is wrong."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str


@dataclass(frozen=True)
class Report:
    """Whether the graph conforms, and every violation (sorted by node, path and message)."""

    conforms: bool
    violations: tuple[Violation, ...]


def validate(graph: rdflib.Graph) -> Report:
    """Validate ``graph`` against the shapes of the contract.

    Parameters
    ----------
    graph : rdflib.Graph
        The data graph (it is not changed).

    Returns
    -------
    Report
        ``conforms`` and the violations.

    Raises
    ------
    papergraph.extras.MissingExtra
        When pyshacl is not installed.
    """
    pyshacl = require("pyshacl", "validate", "validate")
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    ontology = rdflib.Graph().parse(ontology_file(), format="turtle")
    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=True
    )

    def text(node: object) -> str | None:
        return None if node is None else str(node)

    found = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        found.append(
            Violation(
                focus=str(focus),
                path=text(results.value(result, SH.resultPath)),
                value=text(results.value(result, SH.value)),
                message=str(message) if message is not None else "",
                severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                shape=str(results.value(result, SH.sourceShape)),
            )
        )
    found.sort(key=lambda v: (v.focus, v.path or "", v.message, v.value or ""))
    return Report(bool(conforms), tuple(found))
