"""The library of named SPARQL queries (``*.rq`` files installed with :mod:`papergraph.ontology`).

Each file is one query; its leading ``#`` comment is its documentation: a first line
``Title: summary``, free text, then ``param NAME: what it is. Example: VALUE`` for each parameter
(the example, optional, answers on the bundled example corpus; ``papergraph query --name`` uses it
for a parameter left out, and says so) and ``columns: ...``. A parameter is a variable of the
query's projection that the caller binds to an RDF term (see :func:`papergraph.query.store.run`): a
label, title or identifier is a literal, an IRI an IRI; it is never spliced into the query text.
A query with parameters ends with a ``VALUES`` block holding the examples, so that the file runs
unchanged on any SPARQL 1.1 endpoint (edit the values there); papergraph leaves that block out
(:attr:`NamedQuery.text`) and binds the parameters inside the query, where the engine starts from them.

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

# a trailing VALUES block (and the comment lines just before it) at the end of a query's text
_TRAILING_VALUES = re.compile(r"\n(?:#[^\n]*\n)*VALUES\s*(?:\?\w+|\([^)]*\))\s*\{[^{}]*\}\s*$")
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
    #: file without its trailing ``VALUES`` block.
    text: str
    #: The file as it is: it runs unchanged on any SPARQL 1.1 endpoint, its trailing ``VALUES``
    #: block holding the examples, for a user to edit.
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
    trailing = _TRAILING_VALUES.search(text) if params else None
    return NamedQuery(
        name=Path(path).stem,
        title=title,
        description=" ".join(body).strip(),
        params=tuple(params),
        columns=columns,
        text=text[: trailing.start()] + "\n" if trailing else text,
        portable=text,
    )


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
