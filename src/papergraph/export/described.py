"""The nodes that describe a graph as a whole rather than one paper or entity: the SKOS concept
scheme of its entities, the persons who wrote its papers, the venues they appeared in, and the
PROV-O description of the build that wrote it. Both RDF writers (:func:`papergraph.export.rdf.triples`
and the text writers of :mod:`papergraph.export.rdf_blocks`) write them from this one description.

>>> from papergraph.model import Paper
>>> kg = KnowledgeGraph(papers=(Paper("paper/p", "P", "P", "", authors=("Ann Lee",), venue="Nature"),))
>>> [iri.rsplit("/id/", 1)[1] for iri, _ in described_nodes(kg)][:2]
['person/ann-lee', 'venue/nature']
"""

from __future__ import annotations

from typing import TypeAlias

from papergraph.export.vocabulary import (
    BASE,
    CONCEPT_SCHEME,
    CONCEPT_SCHEME_DESCRIPTION,
    CONCEPT_SCHEME_LABEL,
    DCTERMS,
    FOAF,
    ORCID_BASE,
    OWL,
    PG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    extracted_by,
    hash16,
    node_iri_text,
    venues,
)
from papergraph.graph import KnowledgeGraph
from papergraph.names import slug

__all__ = ["Description", "described_nodes", "provenance"]

#: A node's (predicate IRI, value) pairs: a value is a literal string, or ``(IRI,)`` for an IRI.
Description: TypeAlias = list[tuple[str, "str | tuple[str]"]]


def described_nodes(kg: KnowledgeGraph) -> list[tuple[str, Description]]:
    """``(IRI, description)`` of the concept scheme (when ``kg`` has entities), each person, each
    venue and the build's provenance (when it has papers)."""
    out: list[tuple[str, Description]] = []
    if kg.entities:
        out.append(
            (
                CONCEPT_SCHEME,
                [
                    (str(RDF.type), (str(SKOS.ConceptScheme),)),
                    (str(RDFS.label), CONCEPT_SCHEME_LABEL),
                    (str(SKOS.prefLabel), CONCEPT_SCHEME_LABEL),
                    (str(DCTERMS.description), CONCEPT_SCHEME_DESCRIPTION),
                ],
            )
        )
    for person in kg.people.persons:
        pairs: Description = [
            (str(RDF.type), (str(FOAF.Person),)),
            (str(FOAF.name), person.name),
            (str(RDFS.label), person.name),
        ]
        if person.orcid:
            pairs.append((str(OWL.sameAs), (ORCID_BASE + person.orcid,)))
        out.append((node_iri_text(person.key), pairs))
    for key, label in venues(kg.papers).items():
        out.append((node_iri_text(key), [(str(RDF.type), (str(PG.Venue),)), (str(RDFS.label), label)]))
    if kg.papers:
        out += [(iri, pairs) for iri, _, pairs in provenance(kg)]
    return out


def provenance(kg: KnowledgeGraph) -> list[tuple[str, str, Description]]:
    """The PROV-O description of the build that wrote ``kg``: its activity, the software agent and
    the input files the activity used, as ``(IRI, kind, [(predicate IRI, value)])`` where a value is
    a literal string, or ``(IRI,)`` for an IRI. No time is written: the same inputs give the same
    bytes, whenever they are built (the build's own summary says when it ran).

    >>> from papergraph.model import Paper, SourceRef
    >>> paper = Paper("paper/p", "P", "P", "", sources=(SourceRef("a.bib", 1, "bibtex"),))
    >>> nodes = provenance(KnowledgeGraph(papers=(paper,)))
    >>> [kind for _, kind, _ in nodes]
    ['activity', 'agent', 'file']
    """
    agent = BASE + "agent/" + slug(extracted_by(), 40)
    files = sorted({ref.path for paper in kg.papers for ref in paper.sources})
    file_iris = {path: BASE + "file/" + hash16(path) for path in files}
    activity = BASE + "build/" + hash16("|".join([extracted_by(), *files]))
    out: list[tuple[str, str, Description]] = [
        (
            activity,
            "activity",
            [
                (str(RDF.type), (str(PROV.Activity),)),
                (str(RDFS.label), f"{extracted_by()} build of {len(files):,} files"),
                (str(PROV.wasAssociatedWith), (agent,)),
                *((str(PROV.used), (file_iris[path],)) for path in files),
            ],
        ),
        (
            agent,
            "agent",
            [
                (str(RDF.type), (str(PROV.SoftwareAgent),)),
                (str(RDFS.label), extracted_by()),
                (str(FOAF.homepage), ("https://w3id.org/papergraph",)),
            ],
        ),
    ]
    for path in files:
        out.append((file_iris[path], "file", [(str(RDF.type), (str(PROV.Entity),)), (str(RDFS.label), path)]))
    return out
