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
>>> from_rdf(to_rdf(kg)) == kg
True
"""

from __future__ import annotations

import functools
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeAlias
from urllib.parse import quote, unquote

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from papergraph.atomic import atomic_open
from papergraph.export.vocabulary import (
    BASE,
    CITO,
    COUNT_PREDICATES,
    DCTERMS,
    ESCAPES,
    FABIO,
    FOAF,
    INTEGER,
    JSON_ESCAPES,
    NON_ENTITY_TYPES,
    PG,
    PREDICATE_RELATIONS,
    PREFIXES,
    PRISM,
    PROV,
    RDF,
    RDFS,
    RELATION_PREDICATES,
    SKOS,
    WRAP,
    XSD,
    date_literal,
    decimal_literal,
    extracted_by,
    form_iri,
    hash16,
    inferred_iri,
    inferred_with_basis,
    needs_list,
    node_iri,
    node_key,
    page_iri,
    predicate_relation,
    qname,
    relation_predicate,
    source_iri,
    statement_iri,
    unique,
)
from papergraph.graph import (  # edge_sort_key re-exported: the edge order
    KnowledgeGraph,
    edge_sort_key,
    provide,
)
from papergraph.model import Edge, Entity, Evidence, ExternalWork, InferredLink, Merge, Paper, SourceRef
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
    "from_rdf",
    "load",
    "node_iri",
    "node_key",
    "relation_predicate",
    "to_rdf",
    "triples",
    "turtle_text",
    "write_jsonld",
    "write_ntriples",
    "write_turtle",
]

Triple: TypeAlias = tuple[Node, Node, Node]


# ---- the triples ---------------------------------------------------------------------------


def _list_triples(subject: URIRef, prop: URIRef, items: Sequence[Node]) -> Iterator[Triple]:
    """``subject prop ( items )`` with blank nodes named after subject, property and position."""
    cells = [BNode("l" + hash16(f"{subject}|{prop}|{i}")) for i in range(len(items))]
    yield subject, prop, cells[0]
    for i, (cell, item) in enumerate(zip(cells, items, strict=True)):
        yield cell, RDF.first, item
        yield cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil


def _paper_triples(
    paper: Paper, out: Iterable[tuple[URIRef, URIRef]], sources: dict[URIRef, list[Triple]]
) -> Iterator[Triple]:
    s = node_iri(paper.key)
    yield s, RDF.type, PG.Paper
    yield s, RDFS.label, Literal(paper.label)
    if paper.title is not None:
        yield s, DCTERMS.title, Literal(paper.title)
    yield s, DCTERMS.abstract, Literal(paper.abstract)
    for ident in unique(paper.identifiers):
        yield s, DCTERMS.identifier, Literal(ident)
    yield from _doi_triples(s, paper.identifiers)
    if needs_list(paper.identifiers, sorted(set(paper.identifiers))):
        yield from _list_triples(s, PG.identifierList, [Literal(i) for i in paper.identifiers])
    if paper.date is not None:
        yield s, DCTERMS.date, date_literal(paper.date)
    for author in unique(paper.authors):
        yield s, DCTERMS.creator, Literal(author)
    if len(paper.authors) >= 2:
        yield from _list_triples(s, PG.authorList, [Literal(a) for a in paper.authors])
    if paper.author_count is not None:
        yield s, PG.authorCount, Literal(int(paper.author_count))
    if paper.byline is not None:
        yield s, PG.byline, Literal(paper.byline)
    if paper.upvotes is not None:
        yield s, PG.upvotes, Literal(int(paper.upvotes))
    if paper.url is not None and (page := page_iri(paper.url)) is not None:
        yield s, FOAF.page, page
    if paper.arxiv_id is not None:
        yield s, FABIO.hasArXivId, Literal(paper.arxiv_id)
    for ref in unique(paper.sources):
        node = source_iri(ref)
        yield s, PG.hasSource, node
        sources.setdefault(node, []).extend(
            [
                (node, RDF.type, PG.SourceRecord),
                (node, PG.sourceFile, Literal(ref.path)),
                (node, PG.sourceLine, Literal(int(ref.line))),
                (node, PG.sourceFormat, Literal(ref.format)),
            ]
        )
    canonical = sorted(set(paper.sources), key=lambda r: (r.path, r.line, r.format))
    if needs_list(paper.sources, canonical):
        yield from _list_triples(s, PG.sourceList, [source_iri(r) for r in paper.sources])
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
    yield s, RDFS.label, Literal(entity.label)
    yield s, SKOS.prefLabel, Literal(entity.label)
    for alias in unique(entity.aliases):
        yield s, SKOS.altLabel, Literal(alias)
    if needs_list(entity.aliases, sorted(set(entity.aliases))):
        yield from _list_triples(s, PG.aliasList, [Literal(a) for a in entity.aliases])
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

    for paper in sorted(kg.papers, key=lambda p: p.key):
        yield from unique(_paper_triples(paper, edges_from(paper.key), others))
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


# ---- grouping triples into subject blocks --------------------------------------------------
@dataclass(frozen=True)
class _List:
    """A well-formed ``rdf:List`` found among the triples: its head, cells and items."""

    head: BNode
    cells: tuple[BNode, ...]
    items: tuple[Node, ...]


_Object: TypeAlias = Node | _List


@dataclass
class _Block:
    subject: Node
    pairs: list[tuple[Node, _Object]]


def _resolve_list(head: BNode, cells: dict[BNode, list[tuple[Node, Node]]]) -> _List | None:
    chain: list[BNode] = []
    items: list[Node] = []
    node: Node = head
    while node != RDF.nil:
        if not isinstance(node, BNode) or node in chain or node not in cells:
            return None
        pairs = cells[node]
        first = [o for p, o in pairs if p == RDF.first]
        rest = [o for p, o in pairs if p == RDF.rest]
        if len(pairs) != 2 or len(first) != 1 or len(rest) != 1:
            return None
        chain.append(node)
        items.append(first[0])
        node = rest[0]
    return _List(head, tuple(chain), tuple(items))


def _blocks(stream: Iterable[Triple]) -> Iterator[_Block]:
    """Group consecutive triples by subject; blank-node list cells are folded into their owner.

    Blank-node subjects are held back until the owning block is complete; cells that do not form
    a list referenced by some block come out at the end as blocks of their own.
    """
    cells: dict[BNode, list[tuple[Node, Node]]] = {}
    current: _Block | None = None
    seen: set[tuple[Node, Node]] = set()

    def finish(block: _Block) -> _Block:
        pairs: list[tuple[Node, _Object]] = []
        for pred, obj in block.pairs:
            if isinstance(obj, BNode) and (lst := _resolve_list(obj, cells)) is not None:
                for cell in lst.cells:
                    del cells[cell]
                pairs.append((pred, lst))
            else:
                pairs.append((pred, obj))
        return _Block(block.subject, pairs)

    for s, p, o in stream:
        if isinstance(s, BNode):
            cells.setdefault(s, [])
            if (p, o) not in cells[s]:
                cells[s].append((p, o))
            continue
        if current is None or s != current.subject:
            if current is not None:
                yield finish(current)
            current, seen = _Block(s, []), set()
        if (p, o) not in seen:
            seen.add((p, o))
            current.pairs.append((p, o))
    if current is not None:
        yield finish(current)
    for bnode in sorted(cells, key=str):
        yield _Block(bnode, list(cells[bnode]))


# ---- Turtle ----------------------------------------------------------------------------------
def _escape(text: str) -> str:
    return text.translate(ESCAPES)


# namespace attributes make a new URIRef at every access: looked up once
_XSD_INTEGER, _XSD_STRING, _RDF_TYPE = XSD.integer, XSD.string, RDF.type


def _ttl_term(term: _Object) -> str:
    if isinstance(term, URIRef):
        return qname(str(term)) or f"<{term}>"
    if isinstance(term, Literal):
        lex = str(term)
        datatype = term.datatype
        if datatype == _XSD_INTEGER and INTEGER.fullmatch(lex):
            return lex
        out = f'"{_escape(lex)}"'
        if term.language:
            return f"{out}@{term.language}"
        if datatype is not None and datatype != _XSD_STRING:
            return f"{out}^^{_ttl_term(datatype)}"
        return out
    if isinstance(term, _List):
        return "( " + " ".join(_ttl_term(t) for t in term.items) + " )" if term.items else "()"
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"cannot write {term!r} as Turtle")


def _ttl_block(block: _Block) -> str:
    """One subject: ``a`` first, then predicates and objects sorted; long object lists one per line."""
    by_pred: dict[Node, set[str]] = defaultdict(set)
    for pred, obj in block.pairs:
        by_pred[pred].add(_ttl_term(obj))
    preds = sorted(by_pred, key=lambda p: (p != _RDF_TYPE, _ttl_term(p)))
    lines = []
    for pred in preds:
        verb = "a" if pred == _RDF_TYPE else _ttl_term(pred)
        objects = sorted(by_pred[pred])
        line = f"{verb} {', '.join(objects)}"
        if len(objects) > 1 and len(line) > WRAP:
            line = f"{verb} " + ",\n        ".join(objects)
        lines.append(line)
    return _ttl_term(block.subject) + " " + " ;\n    ".join(lines) + " .\n"


def _write_turtle(stream: Iterable[Triple], fh: IO[str]) -> None:
    for prefix, ns in PREFIXES:
        fh.write(f"@prefix {prefix}: <{ns}> .\n")
    for block in _blocks(stream):
        fh.write("\n")
        fh.write(_ttl_block(block))


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


# ---- N-Triples -------------------------------------------------------------------------------
def _nt_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        out = f'"{_escape(str(term))}"'
        if term.language:
            return f"{out}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{out}^^<{term.datatype}>"
        return out
    raise TypeError(f"cannot write {term!r} as N-Triples")


def _write_ntriples(stream: Iterable[Triple], fh: IO[str]) -> None:
    for block in _blocks(stream):
        s = _nt_term(block.subject)
        lines: list[str] = []
        tails: list[str] = []
        for pred, obj in block.pairs:
            if isinstance(obj, _List):
                lines.append(f"{s} {_nt_term(pred)} {_nt_term(obj.head)} .\n")
                for i, (cell, item) in enumerate(zip(obj.cells, obj.items, strict=True)):
                    rest = obj.cells[i + 1] if i + 1 < len(obj.cells) else RDF.nil
                    tails.append(f"_:{cell} <{RDF.first}> {_nt_term(item)} .\n")
                    tails.append(f"_:{cell} <{RDF.rest}> {_nt_term(rest)} .\n")
            else:
                lines.append(f"{s} {_nt_term(pred)} {_nt_term(obj)} .\n")
        fh.writelines(sorted(lines))
        fh.writelines(tails)


def write_ntriples(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as deterministic N-Triples (atomically) and return ``path``."""
    from papergraph.export.rdf_text import write_ntriples_text

    with atomic_open(path, "w") as fh:
        write_ntriples_text(kg, fh)
    return Path(path)


# ---- JSON-LD ---------------------------------------------------------------------------------
def _json_iri(iri: str) -> str:
    return qname(iri) or iri


def _json_value(term: _Object) -> Any:
    if isinstance(term, _List):
        return {"@list": [_json_value(t) for t in term.items]}
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    if isinstance(term, Literal):
        out: dict[str, str] = {"@value": str(term)}
        if term.language:
            out["@language"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["@type"] = _json_iri(str(term.datatype))
        return out
    raise TypeError(f"cannot write {term!r} as JSON-LD")


def _json_node(block: _Block) -> dict[str, Any]:
    subject = block.subject
    node: dict[str, Any] = {"@id": f"_:{subject}" if isinstance(subject, BNode) else str(subject)}
    types = sorted(_json_iri(str(o)) for p, o in block.pairs if p == RDF.type and isinstance(o, URIRef))
    if types:
        node["@type"] = types
    props: dict[str, list[Any]] = defaultdict(list)
    for pred, obj in block.pairs:
        if pred == RDF.type and isinstance(obj, URIRef):
            continue
        props[_json_iri(str(pred))].append(_json_value(obj))
    for name in sorted(props):
        node[name] = sorted(props[name], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def _json(value: Any, indent: int | None = None) -> str:
    # Readable UTF-8, but the characters that break JavaScript or line-based tools stay escaped.
    return json.dumps(value, indent=indent, ensure_ascii=False).translate(JSON_ESCAPES)


def _write_jsonld(stream: Iterable[Triple], fh: IO[str]) -> None:
    context = _json(dict(PREFIXES), indent=2).replace("\n", "\n  ")
    fh.write('{\n  "@context": ' + context + ',\n  "@graph": [')
    sep = "\n"
    for block in _blocks(stream):
        fh.write(sep + "    " + _json(_json_node(block)))
        sep = ",\n"
    fh.write("\n  ]\n}\n")


def write_jsonld(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as deterministic JSON-LD (one node object per line, atomically); return ``path``."""
    with atomic_open(path, "w") as fh:
        _write_jsonld(triples(kg), fh)
    return Path(path)


# ---- loading -------------------------------------------------------------------------------
_FORMATS = {".nt": "nt", ".ntriples": "nt", ".jsonld": "json-ld", ".json": "json-ld"}


def load(path: str | Path) -> KnowledgeGraph:
    """Read a graph written by this module: Turtle, or N-Triples (``.nt``) / JSON-LD (``.jsonld``)."""
    path = Path(path)
    g = rdflib.Graph(bind_namespaces="none")
    g.parse(source=str(path), format=_FORMATS.get(path.suffix.lower(), "turtle"))
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


def _paper(g: rdflib.Graph, s: URIRef) -> Paper:
    if _one(g, s, PG.sourceList) is not None:
        sources = [
            ref for node in _ordered(g, s, PG.sourceList, PG.hasSource) for ref in _source_refs(g, node)[:1]
        ]
    else:
        found = {ref for node in _values(g, s, PG.hasSource) for ref in _source_refs(g, node)}
        sources = sorted(found, key=lambda r: (r.path, r.line, r.format))
    return Paper(
        key=node_key(s),
        label=_text(g, s, RDFS.label) or "",
        title=_text(g, s, DCTERMS.title),
        abstract=_text(g, s, DCTERMS.abstract) or "",
        identifiers=tuple(str(i) for i in _ordered(g, s, PG.identifierList, DCTERMS.identifier)),
        sources=tuple(sources),
        authors=tuple(str(a) for a in _ordered(g, s, PG.authorList, DCTERMS.creator)),
        author_count=_int(g, s, PG.authorCount),
        byline=_text(g, s, PG.byline),
        date=_text(g, s, DCTERMS.date),
        url=_text(g, s, FOAF.page),
        upvotes=_int(g, s, PG.upvotes),
        arxiv_id=_text(g, s, FABIO.hasArXivId),
    )


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
                aliases=tuple(str(a) for a in _ordered(g, s, PG.aliasList, SKOS.altLabel)),
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


for _name, _function in (
    ("to_rdf", to_rdf),
    ("write_turtle", write_turtle),
    ("write_ntriples", write_ntriples),
    ("write_jsonld", write_jsonld),
):
    provide(_name, _function)
