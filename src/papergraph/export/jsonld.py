"""JSON-LD: the triples of :func:`papergraph.export.rdf.triples` grouped by subject (lists folded
into their owner) and written one node object per line, deterministic and readable.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeAlias

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from papergraph.atomic import atomic_open
from papergraph.export.rdf import triples
from papergraph.export.vocabulary import JSON_ESCAPES, PREFIXES, RDF, XSD, Triple, qname
from papergraph.graph import KnowledgeGraph, provide

__all__ = ["Block", "BlockObject", "RdfList", "blocks", "write_jsonld"]


# ---- grouping triples into subject blocks --------------------------------------------------
@dataclass(frozen=True)
class RdfList:
    """A well-formed ``rdf:List`` found among the triples: its head, cells and items."""

    head: BNode
    cells: tuple[BNode, ...]
    items: tuple[Node, ...]


BlockObject: TypeAlias = Node | RdfList


@dataclass
class Block:
    subject: Node
    pairs: list[tuple[Node, BlockObject]]


def _resolve_list(head: BNode, cells: dict[BNode, list[tuple[Node, Node]]]) -> RdfList | None:
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
    return RdfList(head, tuple(chain), tuple(items))


def blocks(stream: Iterable[Triple]) -> Iterator[Block]:
    """Group consecutive triples by subject; blank-node list cells are folded into their owner.

    Blank-node subjects are held back until the owning block is complete; cells that do not form
    a list referenced by some block come out at the end as blocks of their own.
    """
    cells: dict[BNode, list[tuple[Node, Node]]] = {}
    current: Block | None = None
    seen: set[tuple[Node, Node]] = set()

    def finish(block: Block) -> Block:
        pairs: list[tuple[Node, BlockObject]] = []
        for pred, obj in block.pairs:
            if isinstance(obj, BNode) and (lst := _resolve_list(obj, cells)) is not None:
                for cell in lst.cells:
                    del cells[cell]
                pairs.append((pred, lst))
            else:
                pairs.append((pred, obj))
        return Block(block.subject, pairs)

    for s, p, o in stream:
        if isinstance(s, BNode):
            cells.setdefault(s, [])
            if (p, o) not in cells[s]:
                cells[s].append((p, o))
            continue
        if current is None or s != current.subject:
            if current is not None:
                yield finish(current)
            current, seen = Block(s, []), set()
        if (p, o) not in seen:
            seen.add((p, o))
            current.pairs.append((p, o))
    if current is not None:
        yield finish(current)
    for bnode in sorted(cells, key=str):
        yield Block(bnode, list(cells[bnode]))


# ---- JSON-LD ---------------------------------------------------------------------------------
def _json_iri(iri: str) -> str:
    return qname(iri) or iri


def _json_value(term: BlockObject) -> Any:
    if isinstance(term, RdfList):
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


def _json_node(block: Block) -> dict[str, Any]:
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
    for block in blocks(stream):
        fh.write(sep + "    " + _json(_json_node(block)))
        sep = ",\n"
    fh.write("\n  ]\n}\n")


def write_jsonld(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as deterministic JSON-LD (one node object per line, atomically); return ``path``."""
    with atomic_open(path, "w") as fh:
        _write_jsonld(triples(kg), fh)
    return Path(path)


provide("write_jsonld", write_jsonld)
