"""The library of named SPARQL queries (``*.rq`` files installed with :mod:`papergraph.ontology`).

Each file is one query; its leading ``#`` comment is its documentation: a first line
``Title: summary``, free text, then ``param NAME: what it is. Example: VALUE`` for each parameter
(the example, optional, answers on the bundled example corpus; ``papergraph query --name`` uses it
for a parameter left out, and says so) and ``columns: ...``. A parameter is a variable of the
query's projection that the caller binds to an RDF term (see :func:`papergraph.query.store.run`): a
label, title or identifier is a literal, an IRI an IRI; it is never spliced into the query text.
A query with parameters holds its examples in a ``VALUES`` block, introduced by a comment line
starting ``# Parameters``, exactly where papergraph binds parameters (opening the first ``WHERE``
clause that does not open with a subquery: :func:`papergraph.query.store.bind`), so that the file
runs unchanged on any SPARQL 1.1 endpoint, as fast as papergraph runs it (edit the values there).
papergraph leaves that block out (:attr:`NamedQuery.text`) and binds ``--param`` in its place. (At
the end of the query, a ``VALUES`` block is joined after aggregation, as SPARQL 1.1 says: an
engine that does not push it down first answers for every value, 307 s instead of milliseconds for
``methods-on-dataset-metric`` on the example corpus.)

>>> q = parse_query("x.rq", '''# Demo: a demo.
... # param method: a method's label
... SELECT ?method ?m WHERE { ?m ?p ?method }
... ''')
>>> q.name, q.title, q.params
('x', 'Demo: a demo.', (Param(name='method', help="a method's label", example=None),))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from papergraph.ontology import queries_folder

#: Where the named queries live: installed with the package (the repository's ``ontologies/queries``
#: is a copy for reading).
QUERY_DIR = queries_folder()

# the block of examples: comment lines, the first starting "# Parameters", then one VALUES block
_EXAMPLES = re.compile(
    r"^[ \t]*# Parameters\b[^\n]*\n(?:[ \t]*#[^\n]*\n)*[ \t]*VALUES\s*(?P<vars>\?\w+|\([^)]*\))"
    r"\s*\{[^{}]*\}[ \t]*\n",
    re.MULTILINE,
)
_PARAM = re.compile(r"^param\s+(\w+)\s*:\s*(.*?)(?:\s+Example:\s*(.+))?$")


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: its name, what it is, and an example value (used when the
    caller leaves it out and asks for examples)."""

    name: str
    help: str
    example: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file: its name (the file stem), documentation, parameters and text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: str
    #: The query papergraph binds its parameters into (:func:`papergraph.query.store.bind`): the
    #: file without its block of examples.
    text: str
    #: The file as it is: it runs unchanged on any SPARQL 1.1 endpoint, its ``VALUES`` block
    #: holding the examples where papergraph binds parameters, for a user to edit.
    portable: str = ""

    def bindings(self, values: Mapping[str, Any], *, examples: bool = False) -> dict[str, Any]:
        """``values`` checked against the declared parameters (every one given, no other); with
        ``examples``, a parameter left out takes the example value its documentation gives.

        >>> q = parse_query("x.rq", "# X.\\n# param method: a method. Example: LoRA\\nSELECT ?method {}")
        >>> q.bindings({}, examples=True), q.bindings({"method": "BERT"}, examples=True)
        ({'method': 'LoRA'}, {'method': 'BERT'})
        """
        if examples:
            values = {p.name: p.example for p in self.params if p.example is not None} | dict(values)
        declared = [p.name for p in self.params]
        unknown = sorted(set(values) - set(declared))
        if unknown:
            expected = ", ".join(declared) or "none"
            raise ValueError(
                f"query {self.name} has no parameter {', '.join(unknown)} (it takes: {expected})"
            )
        missing = [p for p in self.params if p.name not in values]
        if missing:
            need = "; ".join(f"{p.name} ({p.help})" for p in missing)
            raise ValueError(f"query {self.name} needs --param NAME=VALUE for: {need}")
        return {k: values[k] for k in declared}


def parse_query(path: str | Path, text: str) -> NamedQuery:
    """A :class:`NamedQuery` from the text of a ``.rq`` file."""
    comments: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line[1:].strip())
    title = comments[0] if comments else Path(path).stem
    params: list[Param] = []
    columns = ""
    body: list[str] = []
    for line in comments[1:]:
        if m := _PARAM.match(line):
            params.append(Param(m.group(1), m.group(2), m.group(3)))
        elif line.startswith("columns:"):
            columns = line.removeprefix("columns:").strip()
        elif line or body:
            body.append(line)
    return NamedQuery(
        name=Path(path).stem,
        title=title,
        description=" ".join(body).strip(),
        params=tuple(params),
        columns=columns,
        text=_without_examples(path, text, [p.name for p in params]),
        portable=text,
    )


def _without_examples(path: str | Path, text: str, params: list[str]) -> str:
    """``text`` without its block of examples; a ``ValueError`` when the block is not where
    papergraph binds the parameters, or does not name them in order (the file would then not
    answer as papergraph answers it)."""
    from papergraph.query.store import where_brace

    block = _EXAMPLES.search(text) if params else None
    if block is None:
        return text
    names = re.findall(r"\?(\w+)", block["vars"])
    stripped = text[: block.start()] + text[block.end() :]
    if names != params or stripped[where_brace(stripped) : block.start()].strip():
        raise ValueError(
            f"{Path(path).name}: its VALUES block of examples must bind {', '.join(params)} in that "
            "order and open the WHERE clause papergraph binds parameters in"
        )
    return stripped


def named_queries(folder: str | Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every query of the library by name, sorted by name."""
    return {p.stem: parse_query(p, p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.rq"))}


def named_query(name: str, folder: str | Path = QUERY_DIR) -> NamedQuery:
    """The query called ``name``; ``KeyError`` (listing the known names) when there is none."""
    library = named_queries(folder)
    if name not in library:
        raise KeyError(f"no query named {name!r}; known queries: {', '.join(library) or 'none'}")
    return library[name]


def parse_params(items: list[str] | None) -> dict[str, str]:
    """``["method=LoRA", "metric=top-1 accuracy"]`` → a dict (the value may contain ``=``); a name
    given twice is a ``ValueError`` (which value was meant cannot be guessed).

    >>> parse_params(["method=LoRA", "x=a=b"])
    {'method': 'LoRA', 'x': 'a=b'}
    >>> parse_params(["method=LoRA", "method=BERT"])
    Traceback (most recent call last):
    ValueError: --param method given twice: give each parameter once
    """
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--param takes NAME=VALUE, not {item!r}")
        if name.strip() in out:
            raise ValueError(f"--param {name.strip()} given twice: give each parameter once")
        out[name.strip()] = value
    return out
