"""The reference writers the fast text writers of :mod:`papergraph.export.rdf_text` are pinned to:
Turtle and N-Triples written term by term from :func:`papergraph.export.rdf.triples` (rdflib terms,
grouped by :func:`papergraph.export.jsonld.blocks`). Slow, simple, and only used by the tests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import IO

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from papergraph.export.jsonld import Block, BlockObject, RdfList, blocks
from papergraph.export.vocabulary import (
    ESCAPES,
    INTEGER,
    PREFIXES,
    RDF,
    WRAP,
    XSD,
    Triple,
    qname,
)


# ---- Turtle ----------------------------------------------------------------------------------
def _escape(text: str) -> str:
    return text.translate(ESCAPES)


# namespace attributes make a new URIRef at every access: looked up once
_XSD_INTEGER, _XSD_STRING, _RDF_TYPE = XSD.integer, XSD.string, RDF.type


def _ttl_term(term: BlockObject) -> str:
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
    if isinstance(term, RdfList):
        return "( " + " ".join(_ttl_term(t) for t in term.items) + " )" if term.items else "()"
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"cannot write {term!r} as Turtle")


def _ttl_block(block: Block) -> str:
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


def write_turtle(stream: Iterable[Triple], fh: IO[str]) -> None:
    for prefix, ns in PREFIXES:
        fh.write(f"@prefix {prefix}: <{ns}> .\n")
    for block in blocks(stream):
        fh.write("\n")
        fh.write(_ttl_block(block))


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


def write_ntriples(stream: Iterable[Triple], fh: IO[str]) -> None:
    for block in blocks(stream):
        s = _nt_term(block.subject)
        lines: list[str] = []
        tails: list[str] = []
        for pred, obj in block.pairs:
            if isinstance(obj, RdfList):
                lines.append(f"{s} {_nt_term(pred)} {_nt_term(obj.head)} .\n")
                for i, (cell, item) in enumerate(zip(obj.cells, obj.items, strict=True)):
                    rest = obj.cells[i + 1] if i + 1 < len(obj.cells) else RDF.nil
                    tails.append(f"_:{cell} <{RDF.first}> {_nt_term(item)} .\n")
                    tails.append(f"_:{cell} <{RDF.rest}> {_nt_term(rest)} .\n")
            else:
                lines.append(f"{s} {_nt_term(pred)} {_nt_term(obj)} .\n")
        fh.writelines(sorted(lines))
        fh.writelines(tails)
