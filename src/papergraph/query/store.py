"""SPARQL on an embedded Oxigraph store: fast queries over a graph file, with safely bound parameters.

rdflib stays the API for building graphs; queries run on `pyoxigraph <https://pyoxigraph.readthedocs.io>`_,
which answers in milliseconds what rdflib's own engine takes minutes or hours over. A graph file
(Turtle, N-Triples or JSON-LD) is loaded once into a store persisted next to it
(``graph.ttl`` → ``graph.ttl.oxigraph/``) and reopened read-only afterwards; the store is rebuilt
when the file changes (its size or modification time).

Parameters are bound as RDF terms: each value becomes a pyoxigraph ``Literal`` or ``NamedNode``
(which escapes the text, and rejects an IRI that is not one) written by pyoxigraph into a
``VALUES`` data block at the start of the query's ``WHERE`` clause, so a value is always one
literal or one IRI, never query text. (pyoxigraph's own ``substitutions`` argument is as safe but
joins after evaluating the whole pattern: half a second per query on 200,000 labels instead of
microseconds; a trailing ``VALUES`` clause is joined after aggregation, as SPARQL says.) The named
queries hold their examples in such a block, where :func:`bind` puts one (:mod:`papergraph.query.named`).

>>> store = memory_store('<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "LoRA" .')
>>> q = "SELECT ?x WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
>>> [row[0] for row in table(run(store, q, {"name": "LoRA"})).rows]
['https://example.org/a']
>>> table(run(store, q, {"name": '"} ; DROP ALL ; {"'})).rows
()
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import pyoxigraph as ox

from papergraph.atomic import atomic_write
from papergraph.export.formats import rdf_format_of
from papergraph.graph import provide
from papergraph.terminal import terminal_safe

__all__ = [
    "OUTPUTS",
    "Table",
    "bind",
    "memory_store",
    "open_store",
    "parameter_term",
    "query_graph",
    "render",
    "run",
    "store_of",
    "store_path",
    "table",
    "to_rdflib_result",
    "where_brace",
]

Term: TypeAlias = ox.NamedNode | ox.Literal | ox.BlankNode
Result: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: Result formats of :func:`render`.
OUTPUTS = ("table", "csv", "json", "tsv", "xml")
#: Bump when the layout of a persisted store changes, so that old ones are rebuilt.
STORE_LAYOUT = 1

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKENS = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\s]*>)|(?P<long>\"\"\"(?:.|\n)*?\"\"\"|'''(?:.|\n)*?''')"""
    r"""|(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?P<comment>\#[^\n]*)"""
    r"""|(?P<where>\bWHERE\s*\{)|(?P<brace>\{)""",
    re.IGNORECASE,
)
# a group that opens with a subquery: "SELECT" (or "{" then "SELECT") after spaces and comments
_OPENS_SUBQUERY = re.compile(r"(?:\s|#[^\n]*)*(?:\{(?:\s|#[^\n]*)*)?SELECT\b", re.IGNORECASE)
_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


# ---- stores ------------------------------------------------------------------------------------
def rdf_format(path: str | Path) -> ox.RdfFormat:
    """The RDF syntax of a graph file, from its extension (Turtle unless ``.nt`` or ``.jsonld``)."""
    return ox.RdfFormat.from_media_type(rdf_format_of(path).media_type)


def store_path(graph: str | Path) -> Path:
    """Where the store of a graph file is persisted: ``graph.ttl`` → ``graph.ttl.oxigraph``.

    >>> store_path("exports/graph.ttl").as_posix()
    'exports/graph.ttl.oxigraph'
    """
    graph = Path(graph)
    return graph.with_name(graph.name + ".oxigraph")


def _stamp(graph: Path) -> dict[str, Any]:
    st = graph.stat()
    return {
        "graph": graph.name,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "layout": STORE_LAYOUT,
        "pyoxigraph": getattr(ox, "__version__", "?"),
    }


def _read_stamp(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / "source.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _load_file(store: ox.Store, graph: Path) -> None:
    try:
        store.bulk_load(path=str(graph), format=rdf_format(graph))
    except SyntaxError as exc:
        raise ValueError(f"{graph}: not a readable graph: {exc}") from exc


def open_store(graph: str | Path, *, persist: bool = True) -> ox.Store:
    """A store holding the graph file ``graph``, read-only.

    With ``persist`` (the default) the store is kept in :func:`store_path` and reused while the file
    is unchanged, so the second load of a graph costs milliseconds; when that folder cannot be
    written, or without ``persist``, the graph is loaded into memory. Raises ``FileNotFoundError``
    for a missing file and ``ValueError`` (naming the file and the line) for an unreadable one.
    """
    graph = Path(graph)
    if not graph.is_file():
        raise FileNotFoundError(f"no such graph file: {graph}")
    if not persist:
        store = ox.Store()
        _load_file(store, graph)
        return store
    folder = store_path(graph)
    if _read_stamp(folder) != _stamp(graph):
        try:
            _rebuild(graph, folder)
        except PermissionError:
            return open_store(graph, persist=False)
    return ox.Store.read_only(str(folder / "store"))


def _rebuild(graph: Path, folder: Path) -> None:
    """Load ``graph`` into a new store beside ``folder`` and swap it in."""
    stamp = _stamp(graph)
    tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")  # two processes may build at once
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        store = ox.Store(str(tmp / "store"))
        _load_file(store, graph)
        store.flush()
        store.optimize()
        del store
        atomic_write(tmp / "source.json", json.dumps(stamp, indent=2) + "\n")
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        try:
            tmp.rename(folder)
        except OSError:  # another process put its store there first: use that one
            if not folder.exists():
                raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def memory_store(data: str | bytes, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> ox.Store:
    """An in-memory store holding ``data`` (N-Triples unless ``format`` says otherwise)."""
    store = ox.Store()
    store.load(data, format=format)
    return store


def store_of(graph: Any) -> ox.Store:
    """An in-memory store of a :class:`~papergraph.graph.KnowledgeGraph` or an ``rdflib.Graph``."""
    import rdflib

    if isinstance(graph, rdflib.Graph):
        return memory_store(graph.serialize(format="nt", encoding="utf-8"))
    from papergraph.export.rdf_text import write_ntriples_text

    buf = io.StringIO()
    write_ntriples_text(graph, buf)  # the bytes of rdf.write_ntriples, without an rdflib term per triple
    return memory_store(buf.getvalue())


# ---- queries -----------------------------------------------------------------------------------
def parameter_term(value: Any) -> Term:
    """The RDF term a parameter value stands for: ``<…>`` or an absolute ``http(s)``/``urn`` IRI is
    an IRI, rdflib and pyoxigraph terms are kept, anything else is a plain string literal.

    >>> parameter_term("LoRA")
    <Literal value=LoRA datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    >>> parameter_term("<https://w3id.org/papergraph/id/method/lora>")
    <NamedNode value=https://w3id.org/papergraph/id/method/lora>
    >>> parameter_term("} ; DROP ALL ; {").value
    '} ; DROP ALL ; {'
    """
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    import rdflib

    if isinstance(value, rdflib.URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, rdflib.Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype is not None:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    text = str(value)
    iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    if iri.startswith(("http://", "https://", "urn:")) and not any(c in iri for c in ' <>"{}|\\^`'):
        return ox.NamedNode(iri)
    return ox.Literal(text)


def bind(sparql: str, bindings: Mapping[str, Any] | None) -> str:
    """``sparql`` with ``bindings`` (variable name → value, see :func:`parameter_term`) bound by a
    ``VALUES`` block of RDF terms opening its first ``WHERE`` clause (so that the engine starts from
    them, and aggregates see them); when that clause opens with a subquery, the block opens the
    subquery's ``WHERE`` clause instead (recursively), so that a query can aggregate first and look
    up labels afterwards. Such a subquery must project the parameters the outer query shows.

    >>> print(bind("SELECT ?m WHERE { ?m ?p ?name }", {"name": 'x" } DROP ALL {'}))
    SELECT ?m WHERE { VALUES (?name) { ("x\\" } DROP ALL {") }
     ?m ?p ?name }
    >>> print(bind("SELECT * WHERE { { SELECT ?m ?name WHERE { ?m ?p ?name } } ?m ?q ?o }", {"name": "x"}))
    SELECT * WHERE { { SELECT ?m ?name WHERE { VALUES (?name) { ("x") }
     ?m ?p ?name } } ?m ?q ?o }
    """
    if not bindings:
        return sparql
    names: list[str] = []
    terms: list[str] = []
    for name, value in bindings.items():
        var = name.lstrip("?$")
        if not _VARIABLE.fullmatch(var):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        term = parameter_term(value)
        if isinstance(term, ox.BlankNode):
            raise ValueError(f"parameter {var}: a blank node cannot be bound")
        names.append(f"?{var}")
        terms.append(str(term))
    at = where_brace(sparql)
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"
    return sparql[:at] + block + sparql[at:]


def where_brace(sparql: str) -> int:
    """The offset just after the ``{`` opening the query's first ``WHERE`` clause (or its first group
    when it has no ``WHERE`` keyword), skipping IRIs, strings and comments; when the clause opens
    with a subquery, that of the subquery's ``WHERE`` clause (recursively)."""
    first_brace = None
    for token in _TOKENS.finditer(sparql):
        if token.lastgroup == "where" and not _OPENS_SUBQUERY.match(sparql, token.end()):
            return token.end()
        if token.lastgroup == "brace" and first_brace is None:
            first_brace = token.end()
    if first_brace is None:
        raise ValueError("the query has no WHERE clause to bind parameters in")
    return first_brace


def run(store: ox.Store, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
    """Run a SPARQL query on ``store`` with ``bindings`` bound as RDF terms (see :func:`bind`).
    Raises ``SyntaxError`` for a bad query."""
    return store.query(bind(sparql, bindings))


@dataclass(frozen=True)
class Table:
    """A SELECT result as plain text cells (IRIs, literal values, ``_:b`` blank nodes; ``""`` unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def records(self) -> list[dict[str, str]]:
        """The rows as dicts, unbound cells left out."""
        return [{k: v for k, v in zip(self.variables, r, strict=True) if v != ""} for r in self.rows]


def _text(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def table(result: ox.QuerySolutions) -> Table:
    """The rows of a SELECT result as text."""
    names = tuple(v.value for v in result.variables)
    rows = tuple(tuple(_text(solution[i]) for i in range(len(names))) for solution in result)
    return Table(names, rows)


def _aligned(t: Table) -> str:
    shown = [[terminal_safe(cell[:80]) for cell in row] for row in t.rows]  # data: one line, shown
    widths = [max([len(n)] + [len(r[i]) for r in shown]) for i, n in enumerate(t.variables)]
    lines = [
        "  ".join(n.ljust(w) for n, w in zip(t.variables, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in shown]
    lines.append(f"({len(t.rows)} row{'s' if len(t.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render(result: Result, output: str = "table") -> str:
    """A query result as an aligned ``table``, ``csv`` (plain, one header row), ``json`` (SPARQL 1.1
    Query Results JSON), ``tsv`` or ``xml``; CONSTRUCT/DESCRIBE results as Turtle.

    >>> store = memory_store('<https://e.org/a> <https://e.org/p> "x" .')
    >>> print(render(run(store, "SELECT ?s ?o WHERE { ?s ?p ?o }")), end="")
    s                o
    ---------------  -
    https://e.org/a  x
    (1 row)
    >>> render(run(store, "ASK { ?s ?p 'x' }"), "json")
    '{"head":{},"boolean":true}\\n'
    """
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; choose among {', '.join(OUTPUTS)}")
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE).decode("utf-8")
    if isinstance(result, ox.QueryBoolean) and output in ("table", "csv"):
        return ("true" if bool(result) else "false") + "\n"
    if output in ("json", "tsv", "xml"):
        text = result.serialize(format=_RESULT_FORMATS[output]).decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    t = table(result)
    if output == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(t.variables)
        writer.writerows(t.rows)
        return buf.getvalue()
    return _aligned(t)


def to_rdflib_result(result: Result) -> Any:
    """The same result as an ``rdflib.query.Result`` (rows of rdflib terms, ``row.name`` access)."""
    import rdflib
    from rdflib.query import Result as RdflibResult

    if isinstance(result, ox.QueryTriples):
        out = RdflibResult("CONSTRUCT")
        out.graph = rdflib.Graph()
        out.graph.parse(data=ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return out
    data = result.serialize(format=ox.QueryResultsFormat.JSON)
    return RdflibResult.parse(io.BytesIO(data), format="json")


def query_graph(graph: Any, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
    """Run ``sparql`` on the store of ``graph`` (a ``KnowledgeGraph``), as an ``rdflib`` result:
    what ``KnowledgeGraph.query`` does."""
    return to_rdflib_result(run(graph.store, sparql, bindings))


provide("store", store_of)
provide("query", query_graph)
