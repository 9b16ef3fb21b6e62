"""Reading a graph back: Turtle, N-Triples or JSON-LD written by papergraph, rebuilt as the
:class:`~papergraph.graph.KnowledgeGraph` it was written from (see :mod:`papergraph.export.rdf`
for what RDF does not keep).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import rdflib
from rdflib import URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from papergraph.export.formats import rdf_format_of
from papergraph.export.vocabulary import (
    DCTERMS,
    ENTITY_FIELDS,
    FABIO,
    FOAF,
    NON_ENTITY_TYPES,
    ORCID_BASE,
    OWL,
    PAPER_FIELDS,
    PG,
    PREDICATE_RELATIONS,
    PROV,
    RDF,
    RDFS,
    SKOS,
    Field,
    Triple,
    node_iri,
    node_key,
    predicate_relation,
    source_order,
)
from papergraph.graph import (  # edge_sort_key re-exported: the edge order
    KnowledgeGraph,
    edge_sort_key,
)
from papergraph.model import Edge, Entity, Evidence, ExternalWork, InferredLink, Merge, Paper, SourceRef

# ---- loading -------------------------------------------------------------------------------


def load(path: str | Path) -> KnowledgeGraph:
    """Read a graph written by this module: Turtle, or N-Triples (``.nt``) / JSON-LD (``.jsonld``)."""
    path = Path(path)
    g = rdflib.Graph(bind_namespaces="none")
    g.parse(source=str(path), format=rdf_format_of(path).rdflib_format)
    return from_rdf(g)


def _values(g: rdflib.Graph, s: Node, p: URIRef) -> list[Node]:
    return sorted(set(g.objects(s, p)), key=lambda o: (str(o), o.n3()))


def _one(g: rdflib.Graph, s: Node, p: URIRef) -> Node | None:
    values = _values(g, s, p)
    return values[0] if values else None


def _text(g: rdflib.Graph, s: Node, p: URIRef) -> str | None:
    value = _one(g, s, p)
    return None if value is None else str(value)


def _int(g: rdflib.Graph, s: Node, p: URIRef) -> int | None:
    value = _one(g, s, p)
    try:
        return None if value is None else int(str(value))
    except ValueError:
        return None


def _ordered(g: rdflib.Graph, s: Node, list_prop: URIRef, prop: URIRef) -> list[Node]:
    """The items of ``s list_prop ( … )`` if present, else the sorted values of ``s prop``."""
    head = _one(g, s, list_prop)
    if head is not None:
        try:
            return list(Collection(g, head))
        except Exception:  # a malformed list: fall back to the unordered values
            pass
    return _values(g, s, prop)


def _source_refs(g: rdflib.Graph, node: Node) -> list[SourceRef]:
    path, line = _text(g, node, PG.sourceFile), _int(g, node, PG.sourceLine)
    if path is None or line is None:
        return []
    formats = [str(f) for f in _values(g, node, PG.sourceFormat)] or [""]
    return [SourceRef(path, line, fmt) for fmt in formats]


def _fields(g: rdflib.Graph, s: Node, fields: Sequence[Field]) -> dict[str, Any]:
    """The attributes of the node ``s`` that the field table says how to read back: a ``texts``
    field in the order of its ``rdf:List`` when there is one; derived fields (``dois``) and the
    sources (:func:`_paper`) are left out. A field written twice (a label) is read from the first."""
    lists = {
        f.attribute: f.predicate for f in fields if f.shape in ("list-unsorted", "list-many", "names-list")
    }
    out: dict[str, Any] = {}
    for f in fields:
        if f.attribute in out:
            continue
        if f.shape in ("text", "prose", "date", "page"):
            out[f.attribute] = _text(g, s, f.predicate)
        elif f.shape == "integer":
            out[f.attribute] = _int(g, s, f.predicate)
        elif f.shape in ("texts", "people"):
            if f.attribute in lists:
                values = _ordered(g, s, lists[f.attribute], f.predicate)
            else:
                values = _values(g, s, f.predicate)
            if f.shape == "people":  # no pg:authorList: the names of the persons (literals before 0.2)
                values = [_text(g, v, FOAF.name) or str(v) if isinstance(v, URIRef) else v for v in values]
            out[f.attribute] = tuple(str(v) for v in values)
    return out


def _paper(g: rdflib.Graph, s: URIRef) -> Paper:
    if _one(g, s, PG.sourceList) is not None:
        sources = [
            ref for node in _ordered(g, s, PG.sourceList, PG.hasSource) for ref in _source_refs(g, node)[:1]
        ]
    else:
        found = {ref for node in _values(g, s, PG.hasSource) for ref in _source_refs(g, node)}
        sources = sorted(found, key=source_order)
    fields = _fields(g, s, PAPER_FIELDS)
    fields["orcids"] = tuple(
        (name, str(same)[len(ORCID_BASE) :])
        for person in _values(g, s, DCTERMS.creator)
        if (name := _text(g, person, FOAF.name))
        for same in _values(g, person, OWL.sameAs)
        if str(same).startswith(ORCID_BASE)
    )
    fields["label"] = fields["label"] or ""
    fields["abstract"] = fields["abstract"] or ""
    return Paper(key=node_key(s), sources=tuple(sources), **fields)


def _statement_edge(g: rdflib.Graph, node: Node) -> tuple[Edge, Triple] | None:
    s, p, o = _one(g, node, RDF.subject), _one(g, node, RDF.predicate), _one(g, node, RDF.object)
    if s is None or p is None or o is None or (relation := predicate_relation(p)) is None:
        return None
    sentence = _text(g, node, PROV.value)
    start, end = _int(g, node, PG.start), _int(g, node, PG.end)
    evidence = None if sentence is None or start is None or end is None else Evidence(sentence, start, end)
    paper = _one(g, node, PROV.wasDerivedFrom)
    extra = tuple(("confidence", str(c)) for c in _values(g, node, PG.confidence))
    edge = Edge(
        node_key(s), relation, node_key(o), evidence, None if paper is None else node_key(paper), extra
    )
    return edge, (s, p, o)


def from_rdf(graph: rdflib.Graph) -> KnowledgeGraph:
    """Rebuild a :class:`KnowledgeGraph` from triples in this module's vocabulary.

    Edges come from the ``rdf:Statement`` nodes (with their evidence, paper and confidence); a
    relation triple that no statement node describes becomes an edge without evidence, except an
    entity's ``skos:broader``, which sets :attr:`Entity.broader`. ``problems`` and ``records`` are
    not in RDF and come back empty.
    """
    g = graph
    edges: set[Edge] = set()
    stated: set[Triple] = set()
    for node in set(g.subjects(RDF.type, RDF.Statement)) | set(g.subjects(RDF.type, PG.Evidence)):
        found = _statement_edge(g, node)
        if found is not None:
            edges.add(found[0])
            stated.add(found[1])

    cited_only = set(g.subjects(RDF.type, PG.ExternalWork))
    papers = [
        _paper(g, s)
        for s in set(g.subjects(RDF.type, PG.Paper))
        if isinstance(s, URIRef) and s not in cited_only
    ]
    paper_iris = {node_iri(p.key) for p in papers}

    entities: list[Entity] = []
    entity_broader: set[Triple] = set()
    done: set[Node] = set(paper_iris)
    for s, t in g.subject_objects(RDF.type):
        if s in done or not isinstance(s, URIRef) or t in NON_ENTITY_TYPES or not str(t).startswith(str(PG)):
            continue
        done.add(s)
        types = sorted(
            str(x) for x in g.objects(s, RDF.type) if str(x).startswith(str(PG)) and x not in NON_ENTITY_TYPES
        )
        # the ontology's superclass pg:Entity (e.g. after inference) only counts when it is all there is
        types = [t for t in types if t != str(PG.Entity)] or types
        broader_all = _values(g, s, SKOS.broader)
        unstated = [b for b in broader_all if (s, SKOS.broader, b) not in stated]
        broader = (unstated or broader_all or [None])[0]
        if broader is not None:
            entity_broader.add((s, SKOS.broader, broader))
        entities.append(
            Entity(
                key=node_key(s),
                type=unquote(types[0][len(str(PG)) :]),
                label=_text(g, s, RDFS.label) or _text(g, s, SKOS.prefLabel) or "",
                aliases=_fields(g, s, ENTITY_FIELDS)["aliases"],
                broader=None if broader is None else node_key(broader),
            )
        )

    merges = [merge for s in set(g.subjects(RDF.type, PG.SurfaceForm)) if (merge := _merge(g, s)) is not None]
    works = [_work(g, s) for s in set(g.subjects(RDF.type, PG.ExternalWork)) if isinstance(s, URIRef)]
    inferred = [
        link for s in set(g.subjects(RDF.type, PG.InferredLink)) if (link := _inferred(g, s)) is not None
    ]

    explained = stated | entity_broader
    for pred, relation in PREDICATE_RELATIONS.items():
        for s, o in g.subject_objects(pred):
            if isinstance(s, URIRef) and isinstance(o, URIRef) and (s, pred, o) not in explained:
                edges.add(Edge(node_key(s), relation, node_key(o)))

    return KnowledgeGraph(
        papers=tuple(sorted(papers, key=lambda p: p.key)),
        entities=tuple(sorted(entities, key=lambda e: e.key)),
        edges=tuple(sorted(edges, key=edge_sort_key)),
        merges=tuple(sorted(set(merges), key=lambda m: (m.entity, m.form))),
        works=tuple(sorted(works, key=lambda w: w.key)),
        inferred=tuple(sorted(set(inferred), key=lambda i: (i.source, i.target, i.relation, i.via))),
    )


def _merge(g: rdflib.Graph, node: Node) -> Merge | None:
    entity = next(iter(sorted(g.subjects(PG.hasSurfaceForm, node), key=str)), None)
    form, reason = _text(g, node, PG.literalForm), _text(g, node, PG.mergeReason)
    if entity is None or form is None or reason is None:
        return None
    paper = _one(g, node, PG.mergedIn)
    score = _one(g, node, PG.similarity)
    try:
        value = None if score is None else float(str(score))
    except ValueError:
        value = None
    return Merge(
        entity=node_key(entity),
        form=form,
        reason=reason,
        via=_text(g, node, PG.mergedWith),
        paper=None if paper is None else node_key(paper),
        score=value,
        papers=tuple(sorted(node_key(p) for p in _values(g, node, PG.mentionedIn))),
    )


def _work(g: rdflib.Graph, s: URIRef) -> ExternalWork:
    return ExternalWork(
        key=node_key(s),
        label=_text(g, s, RDFS.label) or "",
        identifiers=tuple(str(i) for i in _values(g, s, DCTERMS.identifier)),
        arxiv_id=_text(g, s, FABIO.hasArXivId),
    )


def _inferred(g: rdflib.Graph, node: Node) -> InferredLink | None:
    source, target = _one(g, node, PG.fromPaper), _one(g, node, PG.toPaper)
    via, pred = _one(g, node, PG.viaEntity), _one(g, node, PG.inferredRelation)
    if source is None or target is None or via is None or pred is None:
        return None
    relation = predicate_relation(pred)
    if relation is None:
        return None
    return InferredLink(node_key(source), relation, node_key(target), node_key(via))
