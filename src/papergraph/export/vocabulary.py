"""The vocabulary every output of papergraph speaks: namespaces and prefixes, the IRIs of nodes,
sources, statements, surface forms and inferred links, the predicates of relations and counts,
typed literals, and the string escapes of Turtle and N-Triples.

The RDF writers (:mod:`papergraph.export.rdf`, :mod:`papergraph.export.rdf_text`) and the
readers take every IRI from here, so that one IRI is spelt in one place.

>>> node_iri_text("method/low-rank adaptation")
'https://w3id.org/papergraph/id/method/low-rank%20adaptation'
>>> relation_iri_text("improves-on")
'https://w3id.org/papergraph/ontology#improvesOn'
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any, TypeAlias
from urllib.parse import quote, unquote, urlsplit

from rdflib import Literal, URIRef
from rdflib import namespace as _ns
from rdflib.namespace import Namespace
from rdflib.term import Node

from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, InferredLink, Merge, SourceRef
from papergraph.names import slug

__all__ = [
    "BASE",
    "CITO",
    "COUNT_PREDICATES",
    "DCTERMS",
    "ENTITY_FIELDS",
    "ESCAPES",
    "FABIO",
    "FOAF",
    "INTEGER",
    "JSON_ESCAPES",
    "NON_ENTITY_TYPES",
    "PAPER_FIELDS",
    "PG",
    "PREDICATE_RELATIONS",
    "PREFIXES",
    "PRISM",
    "PROV",
    "RDF",
    "RDFS",
    "RELATION_PREDICATES",
    "SKOS",
    "WRAP",
    "XSD",
    "Field",
    "date_literal",
    "decimal_literal",
    "extracted_by",
    "form_iri",
    "hash16",
    "inferred_iri",
    "inferred_with_basis",
    "list_needed",
    "needs_list",
    "node_iri",
    "node_iri_text",
    "node_key",
    "page_iri",
    "predicate_relation",
    "qname",
    "relation_iri_text",
    "relation_predicate",
    "source_iri",
    "source_iri_text",
    "source_order",
    "statement_iri",
    "statement_iri_text",
    "unique",
]

Triple: TypeAlias = tuple[Node, Node, Node]


class _Vocabulary(Namespace):
    """An rdflib ``Namespace`` that builds each term once (attribute access is on the hot path)."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


#: The papergraph ontology namespace.
PG = _Vocabulary("https://w3id.org/papergraph/ontology#")
CITO = _Vocabulary("http://purl.org/spar/cito/")
FABIO = _Vocabulary("http://purl.org/spar/fabio/")
PRISM = _Vocabulary("http://prismstandard.org/namespaces/basic/2.0/")
DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD = (
    _Vocabulary(str(ns))
    for ns in (_ns.DCTERMS, _ns.FOAF, _ns.OWL, _ns.PROV, _ns.RDF, _ns.RDFS, _ns.SKOS, _ns.XSD)
)
#: Instance IRIs are ``BASE + key`` (percent-encoded outside ``[A-Za-z0-9._~/-]``).
BASE = "https://w3id.org/papergraph/id/"

#: The SKOS concept scheme every entity is in (``skos:inScheme``): one IRI for every build, as
#: an entity's IRI is the same in every build.
CONCEPT_SCHEME = BASE + "concepts"
#: Its label and description.
CONCEPT_SCHEME_LABEL = "papergraph entities"
CONCEPT_SCHEME_DESCRIPTION = "The methods, datasets, metrics and tasks that papers of this graph name."

#: Prefixes bound in every export, in the order Turtle lists them.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("pg", str(PG)),
    ("rdf", str(RDF)),
    ("rdfs", str(RDFS)),
    ("xsd", str(XSD)),
    ("dcterms", str(DCTERMS)),
    ("skos", str(SKOS)),
    ("prov", str(PROV)),
    ("cito", str(CITO)),
    ("fabio", str(FABIO)),
    ("foaf", str(FOAF)),
    ("prism", str(PRISM)),
    ("owl", str(OWL)),
    ("paper", BASE + "paper/"),
    ("method", BASE + "method/"),
    ("dataset", BASE + "dataset/"),
    ("metric", BASE + "metric/"),
    ("task", BASE + "task/"),
    ("evidence", BASE + "evidence/"),
    ("statement", BASE + "statement/"),
    ("source", BASE + "source/"),
    ("form", BASE + "form/"),
    ("work", BASE + "work/"),
    ("person", BASE + "person/"),
    ("venue", BASE + "venue/"),
    ("inferred", BASE + "inferred/"),
)
# Every namespace ends with "/" or "#" and a prefixed name's local part contains neither, so the
# namespace of an IRI is everything up to its last "/" or "#".
_PREFIX_OF = {ns: prefix for prefix, ns in PREFIXES}


#: How a node's fields are written: the attribute, the predicate, and the shape of what is
#: written. Both RDF writers (:func:`papergraph.export.rdf.triples`, the text writers of
#: :mod:`papergraph.export.rdf_blocks`) read these tables, so a field is added by one line here.
#: Shapes: ``text`` a string literal unless the value is ``None``; ``prose`` the same, and nothing
#: for an empty value either (a paper without abstract has no ``dcterms:abstract ""``; read back
#: as ``""``); ``texts`` a string literal per distinct value; ``integer``; ``date`` a literal
#: typed by its shape (:func:`date_literal`);
#: ``page`` an IRI when the value is a valid http(s) IRI; ``dois`` a bare DOI per ``doi:``
#: identifier; ``same-as`` the IRI of each identifier that has one (:func:`same_as`);
#: ``list-unsorted`` an ``rdf:List`` of the values when they are not already sorted and distinct;
#: ``list-many`` an ``rdf:List`` when there are two or more; ``people`` the IRI of each author's
#: ``foaf:Person`` (:mod:`papergraph.resolve.people`); ``venue`` the IRI of the venue node
#: (:func:`venue_key`); ``names-list`` an ``rdf:List`` of the names
#: as written (:func:`author_list`); ``sources`` a source node per
#: distinct source; ``source-list`` an ``rdf:List`` of the sources when not in their sorted order.
@dataclass(frozen=True)
class Field:
    """One field of a node as RDF: its attribute, the predicate it is written with, its shape."""

    attribute: str
    predicate: URIRef
    shape: str


PAPER_FIELDS: tuple[Field, ...] = (
    Field("label", RDFS.label, "text"),
    Field("title", DCTERMS.title, "text"),
    Field("abstract", DCTERMS.abstract, "prose"),
    Field("identifiers", DCTERMS.identifier, "texts"),
    Field("identifiers", PRISM.doi, "dois"),
    Field("identifiers", OWL.sameAs, "same-as"),
    Field("identifiers", PG.identifierList, "list-unsorted"),
    Field("date", DCTERMS.date, "date"),
    Field("authors", DCTERMS.creator, "people"),
    Field("authors", PG.authorList, "names-list"),
    Field("author_count", PG.authorCount, "integer"),
    Field("byline", PG.byline, "text"),
    Field("upvotes", PG.upvotes, "integer"),
    Field("url", FOAF.page, "page"),
    Field("arxiv_id", FABIO.hasArXivId, "text"),
    Field("venue", PRISM.publicationName, "text"),
    Field("venue", DCTERMS.isPartOf, "venue"),
    Field("sources", PG.hasSource, "sources"),
    Field("sources", PG.sourceList, "source-list"),
)
ENTITY_FIELDS: tuple[Field, ...] = (
    Field("label", RDFS.label, "text"),
    Field("label", SKOS.prefLabel, "text"),
    Field("aliases", SKOS.altLabel, "texts"),
    Field("aliases", PG.aliasList, "list-unsorted"),
)


def source_order(ref: SourceRef) -> tuple[str, int, str]:
    """The order sources are listed in when nothing else says otherwise."""
    return (ref.path, ref.line, ref.format)


def list_needed(shape: str, values: Sequence[Any]) -> bool:
    """Whether a field of shape ``list-unsorted``, ``list-many`` or ``source-list`` writes its
    ``rdf:List`` (so that the order of ``values`` survives a round trip).

    >>> list_needed("list-unsorted", ["b", "a"]), list_needed("list-many", ["a"])
    (True, False)
    """
    if shape == "list-many":
        return len(values) >= 2
    if shape == "names-list":
        return len(values) >= 1
    key = source_order if shape == "source-list" else None
    return needs_list(values, sorted(set(values), key=key))


#: Edge relation -> predicate.
RELATION_PREDICATES: dict[str, URIRef] = {
    "proposes": PG.proposes,
    "uses": PG.uses,
    "compares-to": PG.comparesTo,
    "improves-on": PG.improvesOn,
    "cites": CITO.cites,
    "builds-on": PG.buildsOn,
    "uses-method-in": CITO.usesMethodIn,
    "uses-data-from": CITO.usesDataFrom,
    "broader": SKOS.broader,
}
PREDICATE_RELATIONS: dict[URIRef, str] = {p: r for r, p in RELATION_PREDICATES.items()}
#: Relation -> the entity property counting the papers that state it (``KnowledgeGraph.paper_counts``).
COUNT_PREDICATES: dict[str, URIRef] = {
    "proposes": PG.papersProposing,
    "uses": PG.papersUsing,
    "compares-to": PG.papersComparing,
    "improves-on": PG.papersImproving,
}
_RELATION_IRIS: dict[str, str] = {r: str(p) for r, p in RELATION_PREDICATES.items()}
# pg: types that are not entity types.
NON_ENTITY_TYPES = {PG.Paper, PG.Evidence, PG.SourceRecord, PG.SurfaceForm, PG.ExternalWork, PG.InferredLink}

#: Object lists longer than this many characters are written one object per line.
WRAP = 100
_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')

# String escapes shared by Turtle and N-Triples: the ECHARs, then every other control character
# (C0, DEL, C1) and the Unicode line/paragraph separators as \uXXXX; everything else stays as is.
ESCAPES: dict[int, str] = {
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    ord("\b"): "\\b",
    ord("\f"): "\\f",
}
for _c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]:
    ESCAPES.setdefault(_c, f"\\u{_c:04X}")


# Characters json.dumps(ensure_ascii=False) leaves raw but that are safer escaped (they only occur
# inside JSON strings, so replacing them is exact).
JSON_ESCAPES: dict[int, str] = {c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), 0x2028, 0x2029]}


# ---- IRIs and literals ---------------------------------------------------------------------
@functools.lru_cache(maxsize=1 << 16)
def node_iri(key: str) -> URIRef:
    """The IRI of the node with ``key``.

    >>> node_iri("dataset/cifar-10")
    rdflib.term.URIRef('https://w3id.org/papergraph/id/dataset/cifar-10')
    >>> str(node_iri("method/a b+c"))
    'https://w3id.org/papergraph/id/method/a%20b%2Bc'
    """
    return URIRef(node_iri_text(key))


def node_iri_text(key: str) -> str:
    """:func:`node_iri` as a plain string (what the text writers use)."""
    return BASE + quote(key, safe="/-._~")


def node_key(iri: Node) -> str:
    """The key of a node IRI (inverse of :func:`node_iri`); foreign IRIs come back whole.

    >>> node_key(node_iri("method/a b+c"))
    'method/a b+c'
    """
    text = str(iri)
    return unquote(text[len(BASE) :]) if text.startswith(BASE) else text


def relation_predicate(relation: str) -> URIRef:
    """The predicate of an edge relation; relations outside the vocabulary map to ``pg:<relation>``.

    >>> relation_predicate("improves-on")
    rdflib.term.URIRef('https://w3id.org/papergraph/ontology#improvesOn')
    """
    return RELATION_PREDICATES.get(relation) or URIRef(relation_iri_text(relation))


def relation_iri_text(relation: str) -> str:
    """:func:`relation_predicate` as a plain string."""
    return _RELATION_IRIS.get(relation) or str(PG) + quote(relation, safe="-._~")


def predicate_relation(pred: Node) -> str | None:
    if pred in PREDICATE_RELATIONS:
        return PREDICATE_RELATIONS[pred]  # type: ignore[index]
    text = str(pred)
    if isinstance(pred, URIRef) and text.startswith(str(PG)):
        return unquote(text[len(str(PG)) :])
    return None


def hash16(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def source_iri(ref: SourceRef) -> URIRef:
    """``BASE source/<16 hex of sha1(path:line)>``."""
    return URIRef(source_iri_text(ref))


def source_iri_text(ref: SourceRef) -> str:
    """:func:`source_iri` as a plain string."""
    return f"{BASE}source/{hash16(f'{ref.path}:{ref.line}')}"


def statement_iri(edge: Edge) -> URIRef:
    """The node reifying ``edge``: ``evidence/<hash>`` when it has evidence, ``statement/<hash>`` else."""
    return URIRef(statement_iri_text(edge))


def statement_iri_text(edge: Edge) -> str:
    """:func:`statement_iri` as a plain string."""
    parts = [edge.source, edge.relation, edge.target, edge.paper or ""]
    if edge.evidence is None:
        return f"{BASE}statement/{hash16('|'.join(parts))}"
    ev = edge.evidence
    parts += [str(ev.start), str(ev.end), ev.sentence]
    return f"{BASE}evidence/{hash16('|'.join(parts))}"


_DATE_SHAPES: tuple[tuple[re.Pattern[str], URIRef], ...] = (
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), XSD.date),
    (re.compile(r"(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])"), XSD.gYearMonth),
    (re.compile(r"(?!0000)[0-9]{4}"), XSD.gYear),
    (re.compile(r"--[0-9]{2}-[0-9]{2}"), XSD.gMonthDay),
)


def date_literal(value: str) -> Literal:
    """A date typed by its shape (xsd:date, gYearMonth, gYear, gMonthDay), else a plain string.

    >>> date_literal("2024-05").n3()
    '"2024-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    >>> date_literal("2024-02-30").n3()
    '"2024-02-30"'
    """
    for shape, datatype in _DATE_SHAPES:
        if shape.fullmatch(value):
            try:
                if datatype == XSD.date:
                    datetime.date.fromisoformat(value)
                elif datatype == XSD.gMonthDay:
                    datetime.date.fromisoformat("2000" + value[1:])
            except ValueError:
                break
            return Literal(value, datatype=datatype)
    return Literal(value)


def decimal_literal(value: str) -> Literal:
    """``xsd:decimal`` when ``value`` is a decimal rdflib keeps verbatim, else a plain string."""
    if _DECIMAL.fullmatch(value):
        lit = Literal(value, datatype=XSD.decimal)
        if str(lit) == value:
            return lit
    return Literal(value)


def _iri_char_ok(char: str) -> bool:
    """RFC 3987 ``ucschar``/``iprivate`` (and not whitespace, which rdflib's N-Triples parser rejects)."""
    code = ord(char)
    if code < 0xA0 or char.isspace():
        return False
    if code <= 0xFFFF:
        return code <= 0xD7FF or 0xE000 <= code <= 0xFDCF or 0xFDF0 <= code <= 0xFFEF
    return code & 0xFFFF <= 0xFFFD


def page_iri(url: str) -> URIRef | None:
    """``url`` as an IRI when it is an absolute http(s) IRI without illegal characters.

    >>> page_iri("https://example.org/ü?q=1"), page_iri("https://exa mple.org"), page_iri("www.x.org")
    (rdflib.term.URIRef('https://example.org/ü?q=1'), None, None)
    """
    if _IRI_FORBIDDEN.search(url) or not all(c.isascii() or _iri_char_ok(c) for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return URIRef(url)


def venue_key(name: str) -> str:
    """The key of the venue node named ``name`` (spellings that fold alike are one venue).

    >>> venue_key("Lecture Notes in Computer Science"), venue_key("arXiv")
    ('venue/lecture-notes-in-computer-science', 'venue/arxiv')
    """
    return "venue/" + slug(name, 80)


def venues(papers: Iterable[Any]) -> dict[str, str]:
    """Venue key -> its label (the spelling most papers use, then the first in sorted order), for
    the venues of ``papers``."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for paper in papers:
        if paper.venue:
            spellings[venue_key(paper.venue)][paper.venue] += 1
    return {k: min(c, key=lambda n: (-c[n], n)) for k, c in sorted(spellings.items())}


def author_list(paper: Any, names: Sequence[str]) -> tuple[str, ...]:
    """The author names of ``paper`` to write as its ``pg:authorList``: all of them, as written and in
    order, when there are two or more or when they are not the names of its persons (``names``,
    :meth:`~papergraph.resolve.people.People.names`: a spelling of this paper, a placeholder);
    none when the one person's name says it all.

    >>> from papergraph.model import Paper
    >>> author_list(Paper("p", "P", "P", "", authors=("Hu, E.",)), ["Hu, E."])
    ()
    >>> author_list(Paper("p", "P", "P", "", authors=("Hu, Edward",)), ["Edward Hu"])
    ('Hu, Edward',)
    """
    authors = tuple(paper.authors)
    return authors if len(authors) >= 2 or list(authors) != list(names) else ()


#: A person's ORCID iD as an IRI: ``ORCID_BASE + "0000-0002-1825-0097"``.
ORCID_BASE = "https://orcid.org/"

#: Identifier scheme -> the IRI of the work it names (``same-as`` fields, ``owl:sameAs``).
SAME_AS_BASES = {
    "doi": "https://doi.org/",
    "arXiv": "https://arxiv.org/abs/",
    "openalex": "https://openalex.org/",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/",
}
# what stays as it is in the path of an IRI (RFC 3987 path characters); the rest is %-encoded
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def same_as(identifiers: Iterable[str]) -> list[URIRef]:
    """The IRIs that name the same work as ``identifiers`` do (DOI, arXiv, OpenAlex, PubMed), once
    each, in the order given; a DOI's ``<``, ``>``, ``#``, ``%`` … percent-encoded.

    >>> for iri in same_as(["doi:10.1002/(SICI)1097-4571(199009)41:6<391::AID-ASI1>3.0.CO;2-9",
    ...                     "arXiv:2106.09685", "openalex:W3177828909", "pmid:123", "s2:xyz"]):
    ...     print(iri)
    https://doi.org/10.1002/(SICI)1097-4571(199009)41:6%3C391::AID-ASI1%3E3.0.CO;2-9
    https://arxiv.org/abs/2106.09685
    https://openalex.org/W3177828909
    https://pubmed.ncbi.nlm.nih.gov/123
    """
    out: list[URIRef] = []
    for identifier in unique(identifiers):
        scheme, _, value = identifier.partition(":")
        base = SAME_AS_BASES.get(scheme)
        if base and value:
            iri = URIRef(base + quote(value, safe=_PATH_SAFE))
            if iri not in out:
                out.append(iri)
    return out


@functools.cache
@functools.lru_cache(maxsize=1)
def extracted_by() -> str:
    try:
        return f"papergraph {metadata.version('papergraph')}"
    except metadata.PackageNotFoundError:
        return "papergraph 0"


def unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def needs_list(values: Sequence[Any], canonical: Sequence[Any]) -> bool:
    return tuple(values) != tuple(canonical)


def form_iri(merge: Merge) -> URIRef:
    """``BASE form/<16 hex of sha1(entity|form)>``: the node explaining one form of an entity."""
    return URIRef(f"{BASE}form/{hash16(merge.entity + '|' + merge.form)}")


def inferred_iri(link: InferredLink) -> URIRef:
    """``BASE inferred/<16 hex of sha1(source|relation|target|via)>``."""
    return URIRef(f"{BASE}inferred/{hash16('|'.join((link.source, link.relation, link.target, link.via)))}")


#: The paper-to-entity relations an inferred link can rest on, by inferred relation.
_INFERRED_FROM = {
    "uses-method-in": "uses",
    "uses-data-from": "uses",
    "builds-on": "uses",
    "compares-to": "compares-to",
    "improves-on": "improves-on",
}


def inferred_with_basis(kg: KnowledgeGraph) -> Iterator[tuple[InferredLink, list[Edge]]]:
    """Each inferred link with the edges it rests on: the one paper's edge to the method, then
    the other paper's ``proposes`` edge to it."""
    if not kg.inferred:
        return
    by_triple: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for edge in kg.edges:
        by_triple[(edge.source, edge.relation, edge.target)].append(edge)
    for link in kg.inferred:
        yield (
            link,
            [
                *by_triple.get((link.source, _INFERRED_FROM.get(link.relation, "uses"), link.via), ()),
                *by_triple.get((link.target, "proposes", link.via), ()),
            ],
        )


@functools.lru_cache(maxsize=1 << 16)
def qname(iri: str) -> str | None:
    """``prefix:local`` when ``iri`` is in a bound namespace and ``local`` is a safe PN_LOCAL."""
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _PREFIX_OF.get(iri[:cut])
    if prefix is None or not _PN_LOCAL.fullmatch(iri, cut):
        return None
    return f"{prefix}:{iri[cut:]}"
