"""Turtle and N-Triples written as text straight from a :class:`~papergraph.graph.KnowledgeGraph`.

The same triples as :func:`papergraph.export.rdf.triples`, in the same order and with the same bytes as
the term-based writers gave, but without an rdflib term per triple: node IRIs and their Turtle names
are made once per node, predicates are plain strings, literals are escaped only when they need it,
and each subject's block is joined into one string and written in chunks. The statement, evidence,
surface-form, source, work and inferred-link nodes are kept as small references to the edges and
merges they come from and turned into text one block at a time, so the whole document is never in
memory. ``tests/test_rdf_text.py`` pins this writer to ``rdf.triples``.

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Entity, Paper
>>> kg = KnowledgeGraph(
...     papers=(Paper(key="paper/x", label="X", title="X", abstract='Say "hi"'),),
...     entities=(Entity(key="method/lora", type="Method", label="LoRA"),),
... )
>>> import io
>>> buf = io.StringIO()
>>> write_ntriples_text(kg, buf)
>>> print(buf.getvalue().splitlines()[0])
<https://w3id.org/papergraph/id/paper/x> <http://purl.org/dc/terms/abstract> "Say \\"hi\\"" .
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO

from papergraph.export.rdf_blocks import (
    RDF_NS,
    RDF_TYPE,
    Blocks,
    NTriplesTerms,
    Pairs,
    Terms,
    TextList,
    TurtleTerms,
)
from papergraph.export.vocabulary import (
    PREFIXES,
    WRAP,
    relation_iri_text,
)
from papergraph.gcpause import paused_gc
from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge

#: Characters of text gathered before each write.
_CHUNK = 1 << 20


def _chunked(texts: Iterable[str], fh: IO[str]) -> None:
    buf: list[str] = []
    size = 0
    for text in texts:
        buf.append(text)
        size += len(text)
        if size >= _CHUNK:
            fh.write("".join(buf))
            buf, size = [], 0
    fh.write("".join(buf))


# ---- Turtle ----------------------------------------------------------------------------------
class _Predicates(dict[str, tuple[tuple[bool, str], str]]):
    """Predicate IRI -> (sort key, verb) in Turtle, made once per predicate."""

    def __init__(self, terms: Terms) -> None:
        super().__init__()
        self.terms = terms

    def __missing__(self, pred: str) -> tuple[tuple[bool, str], str]:
        text = self.terms.iri(pred)
        value = self[pred] = ((pred != RDF_TYPE, text), "a" if pred == RDF_TYPE else text)
        return value


def _turtle_blocks(kg: KnowledgeGraph, part: tuple[int, float] | None = None) -> Iterator[str]:
    if part is None or part[0] == 1:
        for prefix, ns in PREFIXES:
            yield f"@prefix {prefix}: <{ns}> .\n"
    terms = TurtleTerms()
    preds = _Predicates(terms)
    last: str | None = None
    merged: Pairs = []
    # (a part ends and starts between two nodes of hashed IRIs: never one subject's blocks)
    for subject, pairs in Blocks(kg, terms, _turtle_statement, part):
        if isinstance(pairs, str):  # a statement node's IRI is a hash: no other block has it
            if last is not None:
                yield _turtle_block(last, merged, preds)
                last = None
            yield pairs
            continue
        # consecutive blocks of one subject are one block (as jsonld.blocks groups triples)
        if subject == last:
            merged += pairs
            continue
        if last is not None:
            yield _turtle_block(last, merged, preds)
        last, merged = subject, pairs
    if last is not None:
        yield _turtle_block(last, merged, preds)


def _turtle_statement(blocks: Blocks, subject: str, edge: Edge) -> str | None:
    """The block of ``edge``'s statement node, predicates in their sorted order (a, pg:end,
    pg:extractedBy, pg:start, prov:value, prov:wasDerivedFrom, rdf:object, rdf:predicate,
    rdf:subject); None when the edge has a confidence (rare: the general path writes it)."""
    if edge.extra and any(name == "confidence" for name, _ in edge.extra):
        return None
    node, t = blocks.node, blocks.t
    parts = ["\n", subject]
    ev = edge.evidence
    if ev is not None:
        parts += [
            " a pg:Evidence, rdf:Statement ;\n    pg:end ",
            str(int(ev.end)),
            " ;\n    pg:extractedBy ",
            blocks.extracted_by,
            " ;\n    pg:start ",
            str(int(ev.start)),
            " ;\n    prov:value ",
            t.string(ev.sentence),
        ]
    else:
        parts.append(" a rdf:Statement")
    if edge.paper is not None:
        parts += [" ;\n    prov:wasDerivedFrom ", node(edge.paper)]
    parts += [
        " ;\n    rdf:object ",
        node(edge.target),
        " ;\n    rdf:predicate ",
        t.iri(relation_iri_text(edge.relation)),
        " ;\n    rdf:subject ",
        node(edge.source),
        " .\n",
    ]
    return "".join(parts)


def _turtle_block(subject: str, pairs: Pairs, preds: _Predicates) -> str:
    by_pred: dict[str, set[str]] = defaultdict(set)
    for pred, obj in pairs:
        if isinstance(obj, TextList):
            obj = "( " + " ".join(obj.items) + " )"
        by_pred[pred].add(obj)
    lines = []
    for pred in sorted(by_pred, key=lambda p: preds[p][0]):
        verb = preds[pred][1]
        objects = by_pred[pred]
        if len(objects) == 1:
            lines.append(f"{verb} {next(iter(objects))}")
            continue
        ordered = sorted(objects)
        line = f"{verb} {', '.join(ordered)}"
        if len(line) > WRAP:
            line = f"{verb} " + ",\n        ".join(ordered)
        lines.append(line)
    return "\n" + subject + " " + " ;\n    ".join(lines) + " .\n"


def write_turtle_text(kg: KnowledgeGraph, fh: IO[str]) -> None:
    """Write ``kg`` as Turtle into ``fh``: the bytes of ``rdf.write_turtle``."""
    with paused_gc():
        _chunked(_turtle_blocks(kg), fh)


def write_turtle_part(kg: KnowledgeGraph, fh: IO[str], part: int, share: float) -> None:
    """Write part ``part`` (1 or 2) of ``kg``'s Turtle into ``fh``: the first part, then the second,
    are the bytes of :func:`write_turtle_text`, so that two processes can write one document.

    The first part is the prefixes, the papers', entities' and edge sources' blocks and the other
    nodes' (statements, surface forms, sources, ...) up to the statement node at ``share`` of them
    in IRI order; the second the rest. Both parts make the index of the statement nodes and of the
    other nodes (a fifth or so of writing the whole), so the second costs about ``1 - share`` of
    the latter three quarters of the document's time.

    >>> import io
    >>> from papergraph.graph import KnowledgeGraph
    >>> from papergraph.model import Edge, Entity, Evidence, Paper
    >>> kg = KnowledgeGraph(
    ...     papers=(Paper(key="paper/x", label="X", title="X", abstract="We use A and B."),),
    ...     entities=(Entity(key="method/a", type="Method", label="A"),
    ...               Entity(key="method/b", type="Method", label="B")),
    ...     edges=(Edge("paper/x", "uses", "method/a", Evidence("We use A and B.", 7, 8), "paper/x"),
    ...            Edge("paper/x", "uses", "method/b", Evidence("We use A and B.", 13, 14), "paper/x")),
    ... )
    >>> whole, one, two = io.StringIO(), io.StringIO(), io.StringIO()
    >>> write_turtle_text(kg, whole); write_turtle_part(kg, one, 1, 0.5); write_turtle_part(kg, two, 2, 0.5)
    >>> one.getvalue() + two.getvalue() == whole.getvalue(), two.getvalue().count(" a pg:Evidence")
    (True, 1)
    """
    if part not in (1, 2):
        raise ValueError(f"part is 1 or 2, not {part!r}")
    with paused_gc():
        _chunked(_turtle_blocks(kg, (part, share)), fh)


# ---- N-Triples -------------------------------------------------------------------------------
def _ntriples_blocks(kg: KnowledgeGraph) -> Iterator[str]:
    terms = NTriplesTerms()
    first, rest, nil = f"<{RDF_NS}first>", f"<{RDF_NS}rest>", f"<{RDF_NS}nil>"
    last: str | None = None
    merged: Pairs = []

    def block(s: str, pairs: Pairs) -> str:
        lines: list[str] = []
        tails: list[str] = []
        for pred, obj in dict.fromkeys(pairs):
            if isinstance(obj, TextList):
                lines.append(f"{s} <{pred}> _:{obj.cells[0]} .\n")
                for i, (cell, item) in enumerate(zip(obj.cells, obj.items, strict=True)):
                    following = f"_:{obj.cells[i + 1]}" if i + 1 < len(obj.cells) else nil
                    tails.append(f"_:{cell} {first} {item} .\n")
                    tails.append(f"_:{cell} {rest} {following} .\n")
            else:
                lines.append(f"{s} <{pred}> {obj} .\n")
        lines.sort()
        return "".join(lines) + "".join(tails)

    for subject, pairs in Blocks(kg, terms):
        assert not isinstance(pairs, str)  # no statement_text given
        if subject == last:
            merged += pairs
            continue
        if last is not None:
            yield block(last, merged)
        last, merged = subject, pairs
    if last is not None:
        yield block(last, merged)


def write_ntriples_text(kg: KnowledgeGraph, fh: IO[str]) -> None:
    """Write ``kg`` as N-Triples into ``fh``: the bytes of ``rdf.write_ntriples``."""
    with paused_gc():
        _chunked(_ntriples_blocks(kg), fh)
