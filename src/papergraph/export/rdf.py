"""RDF export and import of a :class:`~papergraph.graph.KnowledgeGraph`.

Every export is defined by one generator, :func:`triples`; :func:`to_rdf` loads it into an
``rdflib.Graph`` and :func:`write_jsonld` streams it into a file with a small writer of its own,
so that the same graph always gives the same bytes (papers, then entities, then
evidence/statement/source nodes, each in sorted order; predicates sorted with ``a`` first; objects
sorted). :func:`write_turtle` and :func:`write_ntriples` write the same bytes as text straight
from the graph, without a term per triple (:mod:`papergraph.export.rdf_text`, pinned to :func:`triples`
by its tests). :func:`load` / :func:`from_rdf` rebuild the graph.

Vocabulary (see ``ontologies/papergraph.ttl``): node IRIs are ``BASE + key``; papers are
``pg:Paper`` with Dublin Core fields, entities ``pg:Method``/``pg:Dataset``/``pg:Metric``/``pg:Task``
with SKOS labels, edges are plain triples (``pg:proposes``, ``cito:cites`` …). Each edge is also
reified as an ``rdf:Statement`` node: ``evidence/<hash>`` (also ``pg:Evidence``) carrying the
sentence, span and paper when the edge has evidence, ``statement/<hash>`` otherwise; that node is
what :func:`from_rdf` rebuilds edges from. Multi-valued fields whose order matters get an extra
``rdf:List`` next to the unordered values, so that the round trip is exact:
``pg:authorList`` whenever there are two or more authors, and ``pg:identifierList``,
``pg:aliasList``, ``pg:sourceList`` only when the tuple is not already sorted and duplicate-free.

Resolution's explanations travel too: each form of a merged entity is a ``pg:SurfaceForm`` node
(``form/<hash>``, linked by ``pg:hasSurfaceForm``) with its ``pg:mergeReason``, ``pg:mergedWith``,
``pg:mergedIn``, ``pg:similarity``, the papers it is ``pg:mentionedIn`` and an English
``rdfs:comment``; cited works outside the input are ``pg:Paper`` and ``pg:ExternalWork`` nodes
(``work/…``; :func:`from_rdf` reads them back as works, not papers); each
inferred paper-to-paper link is a ``pg:InferredLink`` node (``inferred/<hash>``) with
``pg:fromPaper``, ``pg:toPaper``, ``pg:viaEntity``, ``pg:inferredRelation`` and ``pg:basedOn`` (the
statements of the two paper-entity edges it rests on).

What RDF does not keep: ``Edge.extra`` other than ``("confidence", value)``; a ``Paper.url`` that
is not a valid absolute http(s) IRI (skipped); exact duplicates in ``KnowledgeGraph.edges``; and
``problems``/``records``/``files`` (loaded as empty). When an entity has a ``broader`` edge but
no ``Entity.broader``, loading sets ``broader`` to that edge's target (it is the same triple).

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Edge, Entity, Evidence, Paper
>>> kg = KnowledgeGraph(
...     papers=(Paper(key="paper/x", label="X", title="X", abstract="We propose LoRA."),),
...     entities=(Entity(key="method/lora", type="Method", label="LoRA"),),
...     edges=(Edge("paper/x", "proposes", "method/lora", Evidence("We propose LoRA.", 11, 15), "paper/x"),),
... )
>>> print(turtle_text(kg).split("\\n\\n")[1])
paper:x a pg:Paper ;
    dcterms:abstract "We propose LoRA." ;
    dcterms:title "X" ;
    pg:proposes method:lora ;
    rdfs:label "X" .
>>> from papergraph.export.rdf_load import from_rdf
>>> from_rdf(to_rdf(kg)) == kg
True
"""

from __future__ import annotations

import functools
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from papergraph.atomic import atomic_open
from papergraph.export.described import described_nodes
from papergraph.export.vocabulary import (
    BASE,
    CITO,
    CONCEPT_SCHEME,
    COUNT_PREDICATES,
    DCTERMS,
    ENTITY_FIELDS,
    FABIO,
    OWL,
    PAPER_FIELDS,
    PG,
    PREFIXES,
    PRISM,
    PROV,
    RDF,
    RDFS,
    RELATION_PREDICATES,
    SKOS,
    Field,
    Triple,
    author_list,
    date_literal,
    decimal_literal,
    extracted_by,
    form_iri,
    hash16,
    inferred_iri,
    inferred_with_basis,
    list_needed,
    node_iri,
    node_key,
    page_iri,
    relation_predicate,
    same_as,
    source_iri,
    statement_iri,
    unique,
    venue_key,
)
from papergraph.graph import (  # edge_sort_key re-exported: the edge order
    KnowledgeGraph,
    edge_sort_key,
    provide,
)
from papergraph.model import Edge, Entity, ExternalWork, InferredLink, Merge, Paper
from papergraph.resolve.people import People
from papergraph.resolve.reasons import describe_merge

__all__ = [
    "BASE",
    "CITO",
    "COUNT_PREDICATES",
    "FABIO",
    "PG",
    "PREFIXES",
    "RELATION_PREDICATES",
    "edge_sort_key",
    "node_iri",
    "node_key",
    "relation_predicate",
    "to_rdf",
    "triples",
    "turtle_text",
    "write_ntriples",
    "write_turtle",
]


def _list_triples(subject: URIRef, prop: URIRef, items: Sequence[Node]) -> Iterator[Triple]:
    """``subject prop ( items )`` with blank nodes named after subject, property and position."""
    cells = [BNode("l" + hash16(f"{subject}|{prop}|{i}")) for i in range(len(items))]
    yield subject, prop, cells[0]
    for i, (cell, item) in enumerate(zip(cells, items, strict=True)):
        yield cell, RDF.first, item
        yield cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil


def _field_triples(
    s: URIRef, field: Field, value: Any, sources: dict[URIRef, list[Triple]]
) -> Iterator[Triple]:
    """The triples of one field of the node ``s`` (see ``vocabulary.PAPER_FIELDS``)."""
    shape, pred = field.shape, field.predicate
    if shape == "text" or shape == "prose":
        if value is not None and (value or shape == "text"):
            yield s, pred, Literal(value)
    elif shape == "texts":
        for v in unique(value):
            yield s, pred, Literal(v)
    elif shape == "integer":
        if value is not None:
            yield s, pred, Literal(int(value))
    elif shape == "date":
        if value is not None:
            yield s, pred, date_literal(value)
    elif shape == "page":
        if value is not None and (page := page_iri(value)) is not None:
            yield s, pred, page
    elif shape == "dois":
        yield from _doi_triples(s, value)
    elif shape == "people":
        for key in unique(value):
            yield s, pred, node_iri(key)
    elif shape == "venue":
        if value:
            yield s, pred, node_iri(venue_key(value))
    elif shape == "same-as":
        for iri in same_as(value):
            yield s, pred, iri
    elif shape == "sources":
        for ref in unique(value):
            node = source_iri(ref)
            yield s, pred, node
            sources.setdefault(node, []).extend(
                [
                    (node, RDF.type, PG.SourceRecord),
                    (node, PG.sourceFile, Literal(ref.path)),
                    (node, PG.sourceLine, Literal(int(ref.line))),
                    (node, PG.sourceFormat, Literal(ref.format)),
                ]
            )
    elif list_needed(shape, value):  # list-unsorted, list-many, names-list, source-list
        items: list[Node] = [source_iri(r) if shape == "source-list" else Literal(r) for r in value]
        yield from _list_triples(s, pred, items)


def _paper_triples(
    paper: Paper, out: Iterable[tuple[URIRef, URIRef]], sources: dict[URIRef, list[Triple]], people: People
) -> Iterator[Triple]:
    """The triples of ``paper`` (``people``: the persons of the graph, for its authors)."""
    s = node_iri(paper.key)
    yield s, RDF.type, PG.Paper
    for field in PAPER_FIELDS:
        if field.shape == "people":
            value: Any = people.by_paper.get(paper.key, ())
        elif field.shape == "names-list":
            value = author_list(paper, people.names(paper.key))
        else:
            value = getattr(paper, field.attribute)
        yield from _field_triples(s, field, value, sources)
    for pred, obj in out:
        yield s, pred, obj


def _entity_triples(
    entity: Entity,
    out: Iterable[tuple[URIRef, URIRef]],
    forms: Sequence[URIRef] = (),
    counts: Mapping[str, int] | None = None,
) -> Iterator[Triple]:
    s = node_iri(entity.key)
    yield s, RDF.type, URIRef(str(PG) + quote(entity.type, safe="-._~"))
    yield s, RDF.type, SKOS.Concept
    yield s, SKOS.inScheme, URIRef(CONCEPT_SCHEME)
    for field in ENTITY_FIELDS:
        yield from _field_triples(s, field, getattr(entity, field.attribute), {})
    for relation, n in (counts or {}).items():
        yield s, COUNT_PREDICATES[relation], Literal(n)
    pairs = dict.fromkeys(out)
    if entity.broader is not None:
        pairs = {(SKOS.broader, node_iri(entity.broader)): None, **pairs}
    for pred, obj in pairs:
        yield s, pred, obj
    for form in forms:
        yield s, PG.hasSurfaceForm, form


def _form_triples(merge: Merge, comment: str) -> list[Triple]:
    node = form_iri(merge)
    out: list[Triple] = [
        (node, RDF.type, PG.SurfaceForm),
        (node, PG.literalForm, Literal(merge.form)),
        (node, PG.mergeReason, Literal(merge.reason)),
        (node, RDFS.comment, Literal(comment)),
    ]
    if merge.via is not None:
        out.append((node, PG.mergedWith, Literal(merge.via)))
    if merge.paper is not None:
        out.append((node, PG.mergedIn, node_iri(merge.paper)))
    if merge.score is not None:
        out.append((node, PG.similarity, decimal_literal(f"{merge.score:g}")))
    out += [(node, PG.mentionedIn, node_iri(p)) for p in merge.papers]
    return out


def _doi_triples(s: URIRef, identifiers: Iterable[str]) -> Iterator[Triple]:
    """``prism:doi`` (the bare DOI, lower-case) for every ``doi:`` identifier."""
    for ident in unique(i for i in identifiers if i.startswith("doi:")):
        yield s, PRISM.doi, Literal(ident[4:])


def _work_triples(work: ExternalWork) -> list[Triple]:
    s = node_iri(work.key)
    # a paper too (a cited one), marked as not in the input by its second class
    out: list[Triple] = [
        (s, RDF.type, PG.Paper),
        (s, RDF.type, PG.ExternalWork),
        (s, RDFS.label, Literal(work.label)),
    ]
    out += [(s, DCTERMS.identifier, Literal(i)) for i in unique(work.identifiers)]
    out += list(_doi_triples(s, work.identifiers))
    out += [(s, OWL.sameAs, iri) for iri in same_as(work.identifiers)]
    if work.arxiv_id is not None:
        out.append((s, FABIO.hasArXivId, Literal(work.arxiv_id)))
    return out


def _inferred_triples(link: InferredLink, basis: Iterable[Edge]) -> list[Triple]:
    node = inferred_iri(link)
    out: list[Triple] = [
        (node, RDF.type, PG.InferredLink),
        (node, PG.fromPaper, node_iri(link.source)),
        (node, PG.toPaper, node_iri(link.target)),
        (node, PG.viaEntity, node_iri(link.via)),
        (node, PG.inferredRelation, relation_predicate(link.relation)),
    ]
    out += [(node, PG.basedOn, statement_iri(e)) for e in basis]
    return out


def _statement_triples(edge: Edge, pred: URIRef) -> list[Triple]:
    node = statement_iri(edge)
    out: list[Triple] = [
        (node, _RDF_TYPE, _RDF_STATEMENT),
        (node, _RDF_SUBJECT, node_iri(edge.source)),
        (node, _RDF_PREDICATE, pred),
        (node, _RDF_OBJECT, node_iri(edge.target)),
    ]
    if edge.evidence is not None:
        ev = edge.evidence
        out += [
            (node, _RDF_TYPE, _PG_EVIDENCE),
            (node, _PROV_VALUE, _text_literal(ev.sentence)),
            (node, _PG_START, _int_literal(int(ev.start))),
            (node, _PG_END, _int_literal(int(ev.end))),
            (node, _PG_EXTRACTED_BY, _extracted_by_literal()),
        ]
    if edge.paper is not None:
        out.append((node, _PROV_WAS_DERIVED_FROM, node_iri(edge.paper)))
    for name, value in edge.extra:
        if name == "confidence":
            out.append((node, PG.confidence, decimal_literal(value)))
    return out


# Made once: every edge's statement node uses them, and rdflib makes a new term at every attribute
# access and converts at every Literal() (most of the time a big graph takes to write).
_RDF_TYPE = RDF.type
_RDF_STATEMENT, _RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = (
    RDF.Statement,
    RDF.subject,
    RDF.predicate,
    RDF.object,
)


_PG_EVIDENCE, _PG_START, _PG_END, _PG_EXTRACTED_BY = PG.Evidence, PG.start, PG.end, PG.extractedBy


_PROV_VALUE, _PROV_WAS_DERIVED_FROM = PROV.value, PROV.wasDerivedFrom


_int_literal = functools.lru_cache(maxsize=1 << 14)(Literal)


_text_literal = functools.lru_cache(maxsize=1 << 14)(Literal)


@functools.lru_cache(maxsize=1)
def _extracted_by_literal() -> Literal:
    return Literal(extracted_by())


def triples(kg: KnowledgeGraph) -> Iterator[Triple]:
    """Every triple of ``kg``, each once, grouped by subject in export order.

    Papers (by key), then entities (by key), then any other edge sources, then the statement,
    evidence and source nodes (by IRI); an ``rdf:List``'s cells follow the triple that points to it.
    """
    out: dict[str, set[tuple[URIRef, URIRef]]] = defaultdict(set)
    others: dict[URIRef, list[Triple]] = {}
    for edge in kg.edges:
        pred = relation_predicate(edge.relation)
        out[edge.source].add((pred, node_iri(edge.target)))
        node_triples = _statement_triples(edge, pred)
        others.setdefault(node_triples[0][0], []).extend(node_triples)

    def edges_from(key: str) -> list[tuple[URIRef, URIRef]]:
        return sorted(out.pop(key, ()), key=lambda po: (str(po[0]), str(po[1])))

    forms: dict[str, list[URIRef]] = defaultdict(list)
    labels = {p.key: p.label for p in kg.papers}
    for merge in kg.merges:
        node_triples = _form_triples(merge, describe_merge(merge, lambda k: labels.get(k, k)))
        forms[merge.entity].append(node_triples[0][0])
        others.setdefault(node_triples[0][0], []).extend(node_triples)
    for work in kg.works:
        others.setdefault(node_iri(work.key), []).extend(_work_triples(work))
    for link, basis in inferred_with_basis(kg):
        node_triples = _inferred_triples(link, basis)
        others.setdefault(node_triples[0][0], []).extend(node_triples)

    for node, description in described_nodes(kg):
        iri = URIRef(node)
        others[iri] = [
            (iri, URIRef(p), Literal(v) if isinstance(v, str) else URIRef(v[0])) for p, v in description
        ]
    for paper in sorted(kg.papers, key=lambda p: p.key):
        yield from unique(_paper_triples(paper, edges_from(paper.key), others, kg.people))
    counts = kg.paper_counts()
    for entity in sorted(kg.entities, key=lambda e: e.key):
        entity_forms = sorted(forms.get(entity.key, ()))
        entity_out = edges_from(entity.key)
        yield from unique(_entity_triples(entity, entity_out, entity_forms, counts.get(entity.key)))
    for key in sorted(out):
        s = node_iri(key)
        for pred, obj in edges_from(key):
            yield s, pred, obj
    for node in sorted(others, key=str):
        yield from unique(others[node])


def _graph() -> rdflib.Graph:
    g = rdflib.Graph(bind_namespaces="core")
    for prefix, ns in PREFIXES:
        g.bind(prefix, ns, override=True, replace=True)
    return g


def to_rdf(kg: KnowledgeGraph) -> rdflib.Graph:
    """``kg`` as an ``rdflib.Graph`` with the papergraph prefixes bound."""
    g = _graph()
    g.addN((s, p, o, g) for s, p, o in triples(kg))
    return g


def turtle_text(kg: KnowledgeGraph) -> str:
    """The Turtle document :func:`write_turtle` writes, as a string."""
    from papergraph.export.rdf_text import write_turtle_text

    buf = io.StringIO()
    write_turtle_text(kg, buf)
    return buf.getvalue()


def write_turtle(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as deterministic Turtle (atomically) and return ``path``."""
    from papergraph.export.rdf_text import write_turtle_text

    with atomic_open(path, "w") as fh:
        write_turtle_text(kg, fh)
    return Path(path)


def write_ntriples(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as deterministic N-Triples (atomically) and return ``path``."""
    from papergraph.export.rdf_text import write_ntriples_text

    with atomic_open(path, "w") as fh:
        write_ntriples_text(kg, fh)
    return Path(path)


for _name, _function in (
    ("to_rdf", to_rdf),
    ("write_turtle", write_turtle),
    ("write_ntriples", write_ntriples),
):
    provide(_name, _function)
