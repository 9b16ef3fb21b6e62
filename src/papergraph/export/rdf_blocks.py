"""The pieces the text writers of :mod:`papergraph.export.rdf_text` are made of: terms written
once per node (Turtle names, N-Triples IRIs, escaped literals) and the subject blocks of papers,
entities and the nodes that explain them (statements, evidence, surface forms, sources, works,
inferred links), each turned into text when its turn comes.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import quote

from rdflib import Literal

from papergraph.export.described import Description, described_nodes
from papergraph.export.vocabulary import (
    CONCEPT_SCHEME,
    COUNT_PREDICATES,
    DCTERMS,
    ENTITY_FIELDS,
    ESCAPES,
    FABIO,
    INTEGER,
    OWL,
    PAPER_FIELDS,
    PG,
    PRISM,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    Field,
    author_list,
    date_literal,
    decimal_literal,
    extracted_by,
    form_iri,
    hash16,
    inferred_iri,
    inferred_with_basis,
    list_needed,
    node_iri_text,
    page_iri,
    qname,
    relation_iri_text,
    same_as,
    source_iri_text,
    statement_iri_text,
    unique,
    venue_key,
)
from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, Entity, ExternalWork, InferredLink, Merge, Paper, SourceRef
from papergraph.resolve.reasons import describe_merge

__all__ = ["RDF_NS", "RDF_TYPE", "Blocks", "NTriplesTerms", "Pairs", "Terms", "TextList", "TurtleTerms"]

# the namespaces as plain strings (the text writers join them with local names)
_PG, RDF_NS, _RDFS, _XSD, _DCTERMS, _SKOS, _PROV, _FABIO, _PRISM, _OWL = map(
    str, (PG, RDF, RDFS, XSD, DCTERMS, SKOS, PROV, FABIO, PRISM, OWL)
)
RDF_TYPE = RDF_NS + "type"

_COUNT_IRIS = {relation: str(pred) for relation, pred in COUNT_PREDICATES.items()}
#: The paper fields with their attribute, shape and predicate as text, looked up once.
_PAPER_FIELDS = [(f, f.attribute, f.shape, str(f.predicate)) for f in PAPER_FIELDS]

_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, ESCAPES))) + "]")


def _escaped(text: str) -> str:
    return text.translate(ESCAPES) if _NEEDS_ESCAPE.search(text) else text


@dataclass(frozen=True)
class TextList:
    """An ``rdf:List`` object: its cells' blank node labels and its items as text."""

    cells: tuple[str, ...]
    items: tuple[str, ...]


_Object: TypeAlias = "str | TextList"


Pairs: TypeAlias = list[tuple[str, _Object]]


class Terms:
    """How one syntax writes terms; the Turtle and N-Triples subclasses differ only here."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}
        self._hashed: dict[str, tuple[str, str]] = {}

    def iri(self, iri: str) -> str:
        text = self._iris.get(iri)
        if text is None:
            text = self._iris[iri] = self._iri(iri)
        return text

    def fresh_iri(self, iri: str) -> str:
        """:meth:`iri` for an IRI met once (statement nodes): not kept."""
        return self._iri(iri)

    def hashed_iri(self, iri: str) -> str:
        """:meth:`fresh_iri` of an IRI that is a prefix and 16 hex digits (a statement node's): the
        prefix is written once and the digits put in, as every 16 hex digits are written the same
        way (a Turtle local name may be all digits and letters); a tenth of writing the Turtle was
        finding the prefix of each statement node's IRI again.

        >>> t = TurtleTerms()
        >>> iri = "https://w3id.org/papergraph/id/evidence/0123456789abcdef"
        >>> t.hashed_iri(iri) == t.fresh_iri(iri), NTriplesTerms().hashed_iri(iri) == f"<{iri}>"
        (True, True)
        """
        prefix, digits = iri[:-16], iri[-16:]
        around = self._hashed.get(prefix)
        if around is None:
            head, _, tail = self._iri(prefix + "0" * 16).rpartition("0" * 16)
            around = self._hashed[prefix] = (head, tail)
        return around[0] + digits + around[1]

    def _iri(self, iri: str) -> str:
        raise NotImplementedError

    def string(self, text: str) -> str:
        return '"' + _escaped(text) + '"'

    def integer(self, value: int) -> str:
        raise NotImplementedError

    def literal(self, term: Literal) -> str:
        raise NotImplementedError


class TurtleTerms(Terms):
    def _iri(self, iri: str) -> str:
        return qname.__wrapped__(iri) or f"<{iri}>"  # type: ignore[attr-defined]

    def integer(self, value: int) -> str:
        return str(value)

    def literal(self, term: Literal) -> str:
        lex, datatype = str(term), term.datatype
        if datatype is not None and str(datatype) == _XSD + "integer" and INTEGER.fullmatch(lex):
            return lex
        out = self.string(lex)
        if term.language:
            return f"{out}@{term.language}"
        if datatype is not None and str(datatype) != _XSD + "string":
            return f"{out}^^{self.iri(str(datatype))}"
        return out


class NTriplesTerms(Terms):
    def _iri(self, iri: str) -> str:
        return f"<{iri}>"

    def integer(self, value: int) -> str:
        return f'"{value}"^^<{_XSD}integer>'

    def literal(self, term: Literal) -> str:
        out = self.string(str(term))
        if term.language:
            return f"{out}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD + "string":
            return f"{out}^^<{term.datatype}>"
        return out


class Blocks:
    """Every subject of ``kg`` with its (predicate IRI, object text) pairs, in ``rdf.triples`` order.

    A statement node made by one edge may come as its finished block instead (``statement_text``).
    """

    def __init__(
        self,
        kg: KnowledgeGraph,
        terms: Terms,
        statement_text: Callable[[Blocks, str, Edge], str | None] | None = None,
        part: tuple[int, float] | None = None,
    ) -> None:
        self.kg, self.t = kg, terms
        # (1 or 2, share): the first part is every block up to the statement node at ``share`` of
        # the statement nodes in IRI order, the second the rest (see write_turtle_part); None: all
        self.part = part
        # the whole block of a statement node made by one edge, as text (None: use the pairs)
        self.statement_text = statement_text
        self.extracted_by = terms.string(extracted_by())
        self.node_text: dict[str, str] = {}
        # edge source key -> where its edges are in kg.edges (runs of positions: one run when the
        # edges are sorted, as a build sorts them; not a pair per edge); the other nodes: IRI -> what
        # makes them
        self.out: dict[str, list[range]] = defaultdict(list)
        # (an edge alone stands for [("statement", edge)]: most nodes are one edge's statement)
        self.others: dict[str, Edge | list[tuple[str, Any]]] = {}

    def node(self, key: str) -> str:
        text = self.node_text.get(key)
        if text is None:
            text = self.node_text[key] = self.t.fresh_iri(node_iri_text(key))
        return text

    def __iter__(self) -> Iterator[tuple[str, Pairs | str]]:
        kg, t = self.kg, self.t
        run_source, run_start = None, 0
        for i, edge in enumerate(kg.edges):
            if edge.source != run_source:
                if run_source is not None:
                    self.out[run_source].append(range(run_start, i))
                run_source, run_start = edge.source, i
        if run_source is not None:
            self.out[run_source].append(range(run_start, len(kg.edges)))
        statements = _Statements(kg.edges)
        forms: dict[str, list[str]] = defaultdict(list)
        labels = {p.key: p.label for p in kg.papers}
        for merge in kg.merges:
            iri = str(form_iri(merge))
            forms[merge.entity].append(iri)
            self._add(iri, "form", (merge, describe_merge(merge, lambda k: labels.get(k, k))))
        for work in kg.works:
            self._add(node_iri_text(work.key), "work", work)
        for iri, description in described_nodes(kg):
            self._add(iri, "described", description)
        for link, basis in inferred_with_basis(kg):
            iri = str(inferred_iri(link))
            self._add(iri, "inferred", (link, basis))

        # a part: the blocks of the other nodes and statement nodes before ``cut`` are the first
        # part's (after the papers' and entities'), the others the second's
        first = self.part is None or self.part[0] == 1
        cut = None if self.part is None else statements.iri_at(self.part[1])

        def mine(iri: str) -> bool:
            return first if cut is None else (iri < cut) is first

        if first:
            for paper in sorted(kg.papers, key=lambda p: p.key):
                yield self.node(paper.key), self._paper(paper)
            counts = kg.paper_counts()
            for entity in sorted(kg.entities, key=lambda e: e.key):
                entity_forms = sorted(forms.get(entity.key, ()))
                yield self.node(entity.key), self._entity(entity, entity_forms, counts.get(entity.key))
            for key in sorted(self.out):
                yield self.node(key), self._edges_from(key)
        else:  # only what the papers add to the other nodes: their source records
            for paper in sorted(kg.papers, key=lambda p: p.key):
                for ref in unique(paper.sources):
                    self._add(source_iri_text(ref), "source", ref)
        maker: dict[str, Callable[[str, Any], Pairs]] = {
            "statement": self._statement,
            "form": self._form,
            "work": self._work,
            "inferred": self._inferred,
            "source": self._source,
            "described": self._described,
        }
        others, fast = self.others, self.statement_text

        def node(
            iri: str, made: Edge | list[tuple[str, Any]], hashed: bool = False
        ) -> tuple[str, Pairs | str]:
            subject = t.hashed_iri(iri) if hashed else t.fresh_iri(iri)
            if isinstance(made, Edge):
                text = fast(self, subject, made) if fast is not None else None
                if text is not None:
                    return subject, text
                made = [("statement", made)]
            pairs: Pairs = []
            for kind, what in made:
                pairs += maker[kind](iri, what)
            return subject, pairs

        # the other nodes and the edges' statement nodes, merged in IRI order
        edges = kg.edges
        waiting = iter(statements)
        statement = next(waiting, None)
        for iri in sorted(others):
            while statement is not None and statement[0] < iri:
                if mine(statement[0]):
                    yield node(statement[0], statement[1], True)
                statement = next(waiting, None)
            made = others.pop(iri)
            if statement is not None and statement[0] == iri:
                made = [("statement", edges[i]) for i in statement[2]] + (
                    [("statement", made)] if isinstance(made, Edge) else made
                )
                statement = next(waiting, None)
            if mine(iri):
                yield node(iri, made)
        while statement is not None:
            if mine(statement[0]):
                yield node(statement[0], statement[1], True)
            statement = next(waiting, None)

    def _add(self, iri: str, kind: str, what: Any) -> None:
        """Note that ``what`` (of ``kind``) makes triples of the node ``iri``."""
        known = self.others.get(iri)
        if known is None:
            self.others[iri] = what if kind == "statement" else [(kind, what)]
        elif isinstance(known, Edge):
            self.others[iri] = [("statement", known), (kind, what)]
        else:
            known.append((kind, what))

    def _edges_from(self, key: str) -> Pairs:
        edges = self.kg.edges
        pairs = {(edges[i].relation, edges[i].target) for run in self.out.pop(key, ()) for i in run}
        return [(relation_iri_text(relation), self.node(target)) for relation, target in pairs]

    def _list(self, subject: str, prop: str, items: list[str]) -> TextList:
        return TextList(tuple("l" + hash16(f"{subject}|{prop}|{i}") for i in range(len(items))), tuple(items))

    def _field(self, s: str, field: Field, value: Any) -> Pairs:
        """The pairs of one field of the node ``s`` (see ``vocabulary.PAPER_FIELDS``)."""
        t, shape, pred = self.t, field.shape, str(field.predicate)
        if shape == "text":
            return [] if value is None else [(pred, t.string(value))]
        if shape == "prose":  # an empty abstract: no triple
            return [(pred, t.string(value))] if value else []
        if shape == "texts":
            return [(pred, t.string(v)) for v in unique(value)]
        if shape == "integer":
            return [] if value is None else [(pred, t.integer(int(value)))]
        if shape == "date":
            return [] if value is None else [(pred, t.literal(date_literal(value)))]
        if shape == "page":
            page = None if value is None else page_iri(value)
            return [] if page is None else [(pred, t.fresh_iri(str(page)))]
        if shape == "dois":
            return self._dois(value)
        if shape == "people":
            return [(pred, self.node(key)) for key in unique(value)]
        if shape == "venue":
            return [] if not value else [(pred, self.node(venue_key(value)))]
        if shape == "same-as":
            return [(pred, t.fresh_iri(str(iri))) for iri in same_as(value)]
        if shape == "sources":
            pairs: Pairs = []
            for ref in unique(value):
                iri = source_iri_text(ref)
                pairs.append((pred, t.fresh_iri(iri)))
                self._add(iri, "source", ref)
            return pairs
        if not list_needed(shape, value):  # list-unsorted, list-many, source-list
            return []
        if shape == "source-list":
            items = [t.fresh_iri(source_iri_text(r)) for r in value]
        else:
            items = [t.string(v) for v in value]
        return [(pred, self._list(s, pred, items))]

    def _paper(self, paper: Paper) -> Pairs:
        s, string = node_iri_text(paper.key), self.t.string
        pairs: Pairs = [(RDF_TYPE, self.t.iri(_PG + "Paper"))]
        for field, attribute, shape, pred in _PAPER_FIELDS:
            value = getattr(paper, attribute)
            if shape == "people":
                value = self.kg.people.by_paper.get(paper.key, ())
            elif shape == "names-list":
                value = author_list(paper, self.kg.people.names(paper.key))
            if shape == "text":  # most fields: inline
                if value is not None:
                    pairs.append((pred, string(value)))
            else:
                pairs += self._field(s, field, value)
        pairs += self._edges_from(paper.key)
        return pairs

    def _dois(self, identifiers: Iterable[str]) -> Pairs:
        return [
            (_PRISM + "doi", self.t.string(i[4:]))
            for i in unique(i for i in identifiers if i.startswith("doi:"))
        ]

    def _entity(self, entity: Entity, forms: list[str], counts: Mapping[str, int] | None) -> Pairs:
        t, s = self.t, node_iri_text(entity.key)
        pairs: Pairs = [
            (RDF_TYPE, t.iri(_PG + quote(entity.type, safe="-._~"))),
            (RDF_TYPE, t.iri(_SKOS + "Concept")),
            (_SKOS + "inScheme", t.iri(CONCEPT_SCHEME)),
        ]
        for field in ENTITY_FIELDS:
            pairs += self._field(s, field, getattr(entity, field.attribute))
        pairs += [(_COUNT_IRIS[relation], t.integer(n)) for relation, n in (counts or {}).items()]
        if entity.broader is not None:
            pairs.append((_SKOS + "broader", self.node(entity.broader)))
        pairs += self._edges_from(entity.key)
        pairs += [(_PG + "hasSurfaceForm", t.fresh_iri(form)) for form in forms]
        return pairs

    def _statement(self, iri: str, edge: Edge) -> Pairs:
        t = self.t
        pairs: Pairs = [
            (RDF_TYPE, t.iri(RDF_NS + "Statement")),
            (RDF_NS + "subject", self.node(edge.source)),
            (RDF_NS + "predicate", t.iri(relation_iri_text(edge.relation))),
            (RDF_NS + "object", self.node(edge.target)),
        ]
        if edge.evidence is not None:
            ev = edge.evidence
            pairs += [
                (RDF_TYPE, t.iri(_PG + "Evidence")),
                (_PROV + "value", t.string(ev.sentence)),
                (_PG + "start", t.integer(int(ev.start))),
                (_PG + "end", t.integer(int(ev.end))),
                (_PG + "extractedBy", self.extracted_by),
            ]
        if edge.paper is not None:
            pairs.append((_PROV + "wasDerivedFrom", self.node(edge.paper)))
        for name, value in edge.extra:
            if name == "confidence":
                pairs.append((_PG + "confidence", t.literal(decimal_literal(value))))
        return pairs

    def _form(self, iri: str, what: tuple[Merge, str]) -> Pairs:
        (merge, comment), t = what, self.t
        pairs: Pairs = [
            (RDF_TYPE, t.iri(_PG + "SurfaceForm")),
            (_PG + "literalForm", t.string(merge.form)),
            (_PG + "mergeReason", t.string(merge.reason)),
            (_RDFS + "comment", t.string(comment)),
        ]
        if merge.via is not None:
            pairs.append((_PG + "mergedWith", t.string(merge.via)))
        if merge.paper is not None:
            pairs.append((_PG + "mergedIn", self.node(merge.paper)))
        if merge.score is not None:
            pairs.append((_PG + "similarity", t.literal(decimal_literal(f"{merge.score:g}"))))
        pairs += [(_PG + "mentionedIn", self.node(p)) for p in merge.papers]
        return pairs

    def _work(self, iri: str, work: ExternalWork) -> Pairs:
        t = self.t
        pairs: Pairs = [
            (RDF_TYPE, t.iri(_PG + "Paper")),
            (RDF_TYPE, t.iri(_PG + "ExternalWork")),
            (_RDFS + "label", t.string(work.label)),
        ]
        pairs += [(_DCTERMS + "identifier", t.string(i)) for i in unique(work.identifiers)]
        pairs += self._dois(work.identifiers)
        pairs += [(_OWL + "sameAs", t.fresh_iri(str(iri))) for iri in same_as(work.identifiers)]
        if work.arxiv_id is not None:
            pairs.append((_FABIO + "hasArXivId", t.string(work.arxiv_id)))
        return pairs

    def _inferred(self, iri: str, what: tuple[InferredLink, list[Edge]]) -> Pairs:
        (link, basis), t = what, self.t
        pairs: Pairs = [
            (RDF_TYPE, t.iri(_PG + "InferredLink")),
            (_PG + "fromPaper", self.node(link.source)),
            (_PG + "toPaper", self.node(link.target)),
            (_PG + "viaEntity", self.node(link.via)),
            (_PG + "inferredRelation", t.iri(relation_iri_text(link.relation))),
        ]
        pairs += [(_PG + "basedOn", t.fresh_iri(statement_iri_text(e))) for e in basis]
        return pairs

    def _described(self, iri: str, description: Description) -> Pairs:
        t = self.t
        return [
            (p, t.string(v) if isinstance(v, str) else t.iri(v[0]) if p == RDF_TYPE else t.fresh_iri(v[0]))
            for p, v in description
        ]

    def _source(self, iri: str, ref: SourceRef) -> Pairs:
        t = self.t
        return [
            (RDF_TYPE, t.iri(_PG + "SourceRecord")),
            (_PG + "sourceFile", t.string(ref.path)),
            (_PG + "sourceLine", t.integer(int(ref.line))),
            (_PG + "sourceFormat", t.string(ref.format)),
        ]


class _Statements:
    """The statement node of every edge (:func:`statement_iri_text`), in IRI order, held as numbers:
    the IRIs end in 16 hex digits after one of a few prefixes, so each is a prefix number and a
    64-bit integer (which sort as the text does) rather than a string and a dict entry (17 bytes an
    edge, not about 230: 1.9 GB less at a million papers).

    Iterating gives (IRI, what makes the node, edge positions): what makes it is the edge, or a
    list of ("statement", edge) when several edges make one node.

    >>> from papergraph.model import Evidence
    >>> edges = (Edge("p", "uses", "m"), Edge("p", "uses", "n", Evidence("s", 0, 1), "p"))
    >>> [iri for iri, _, _ in _Statements(edges)] == sorted(map(statement_iri_text, edges))
    True
    >>> twice = (edges[0], Edge("p", "uses", "m", extra=(("confidence", "0.9"),)))  # one IRI
    >>> [(made, at) for _, made, at in _Statements(twice)] == [([("statement", e) for e in twice], [0, 1])]
    True
    """

    def __init__(self, edges: Sequence[Edge]) -> None:
        import numpy as np

        self.edges = edges
        prefixes: dict[str, int] = {}
        kinds, digests = array("H"), array("Q")
        for edge in edges:
            iri = statement_iri_text(edge)
            kinds.append(prefixes.setdefault(iri[:-16], len(prefixes)))
            digests.append(int(iri[-16:], 16))
        self.prefixes = sorted(prefixes)
        rank = np.array([self.prefixes.index(p) for p in prefixes], dtype=np.uint16)
        self.kinds = rank[np.frombuffer(kinds, dtype=np.uint16)] if edges else np.zeros(0, np.uint16)
        self.digests = np.frombuffer(digests, dtype=np.uint64)
        self.order = np.lexsort((self.digests, self.kinds))

    def iri_at(self, share: float) -> str | None:
        """The IRI of the statement node at ``share`` (0 to 1) of them in IRI order, never the first
        one's; None when there is no such node (fewer than two)."""
        n = len(self.order)
        at = min(max(1, int(share * n)), n)
        if at >= n:
            return None
        i = int(self.order[at])
        return f"{self.prefixes[self.kinds[i]]}{int(self.digests[i]):016x}"

    def __iter__(self) -> Iterator[tuple[str, Edge | list[tuple[str, Any]], list[int]]]:
        kinds, digests, order, n = self.kinds, self.digests, self.order, len(self.order)
        at = 0
        while at < n:
            i = int(order[at])
            kind, digest = kinds[i], digests[i]
            same = [i]
            at += 1
            while at < n and kinds[order[at]] == kind and digests[order[at]] == digest:
                same.append(int(order[at]))
                at += 1
            iri = f"{self.prefixes[kind]}{int(digest):016x}"
            if len(same) == 1:
                yield iri, self.edges[i], same
            else:
                yield iri, [("statement", self.edges[j]) for j in sorted(same)], same
