"""JSON records: JSON Lines, a JSON array, one JSON object, or ``{"records": [...]}``.

Each record is an object with ``id``, ``title``, ``abstract`` (required) and optionally
``authors``, ``date`` (or ``year``, ``published``), ``url`` and ``references``; any other field
is kept in :attr:`Record.extra`.

>>> [r.title for r in read('{"title": "A", "abstract": "x"}\\n{"title": "B", "abstract": "y"}\\n', "a.jsonl")]
['A', 'B']

The field parsers it uses (dates, authors, arXiv ids, field names) live in
:mod:`papergraph.sources.fields`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import arxiv_id, compact, field_of, normalise_date, split_authors
from papergraph.sources.json_arrays import TOO_DEEP, elements, line_of, members, skip_ws

NAME = "json"

#: Keys of a wrapper object whose value is the list of records.
_WRAPPER_KEYS = ("records", "papers", "data", "results")

_SNIFF = re.compile(r"\s*(?:\[\s*(?:[\[{\]\"]|$)|\{\s*(?:[\"}]|$))")
_JSON_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")


# ---------------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------------


def sniff(text: str, path: str) -> bool:
    """The text starts like a JSON array of values or a JSON object with a string key."""
    return bool(_SNIFF.match(text[:200]))


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """Records of a JSON Lines file, a JSON array, a wrapper object or a single object."""
    start = skip_ws(text, 0)
    if start >= len(text):
        return
    if text[start] == "[":
        yield from _read_array(text, start, path)
    elif _is_json_lines(text, path):
        yield from _read_lines(text, path)
    else:
        yield from _read_object_document(text, start, path)


def _is_json_lines(text: str, path: str) -> bool:
    """One JSON value per line (rather than one pretty-printed or single-line document)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return path.lower().endswith(_JSON_SUFFIXES)
    first = lines[0].strip()
    if first == "{":
        return False
    try:
        return isinstance(json.loads(first), dict)
    except (json.JSONDecodeError, RecursionError):
        # a broken first line: still JSON Lines when several lines start an object at column 0
        return sum(1 for line in lines if line.startswith("{")) >= 2


def _read_lines(text: str, path: str) -> Iterator[Record | Problem]:
    """JSON Lines: every non-blank line is one record; bad lines are reported and skipped."""
    index = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        index += 1
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(
                path,
                number,
                f"record {index}: line {number} is not valid JSON "
                f"({exc.msg}; column {exc.colno}; truncated?)",
            )
            continue
        except RecursionError:
            yield Problem(path, number, f"record {index}: line {number} {TOO_DEEP}")
            continue
        yield to_record(value, path, number, index, "jsonl")


def _read_array(text: str, pos: int, path: str) -> Iterator[Record | Problem]:
    """The elements of the JSON array opening at ``pos``, each parsed on its own
    (:func:`~papergraph.sources.json_arrays.elements`)."""
    for item in elements(text, pos, path):
        yield item if isinstance(item, Problem) else to_record(item[2], path, item[0], item[1], "json")


def _read_object_document(text: str, start: int, path: str) -> Iterator[Record | Problem]:
    """One JSON object: either a wrapper holding the list of records, or a single record."""
    error: json.JSONDecodeError | None = None
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        whole, error = None, exc
    except RecursionError:
        whole, error = None, None
    key = _wrapper_key(whole) if isinstance(whole, dict) else None
    if isinstance(whole, dict) and key is None:
        yield to_record(whole, path, line_of(text, start), 1, "json")
        return
    array = _find_wrapper_array(text, start, key)
    if array is not None:
        yield from _read_array(text, array, path)
    elif error is not None:
        yield Problem(
            path,
            line_of(text, start),
            f"invalid JSON ({error.msg}; line {error.lineno}, column {error.colno})",
        )
    elif whole is None:
        yield Problem(path, line_of(text, start), f"the JSON document {TOO_DEEP}")


def _wrapper_key(document: dict) -> str | None:
    """The key holding the records in ``{"records": [...]}`` and similar, else ``None``."""
    if "abstract" in document or "summary" in document:
        return None
    for key in _WRAPPER_KEYS:
        if isinstance(document.get(key), list):
            return key
    return None


def _find_wrapper_array(text: str, start: int, wanted: str | None) -> int | None:
    """Position of the ``[`` of the top-level key ``wanted`` (any wrapper key when ``None``),
    found member by member so that it also works when a later part of the document is broken."""
    for key, i in members(text, start):
        if text[i : i + 1] == "[" and (key == wanted or (wanted is None and key in _WRAPPER_KEYS)):
            return i
    return None


# ---------------------------------------------------------------------------------------------
# One JSON object -> Record
# ---------------------------------------------------------------------------------------------


def to_record(value: Any, path: str, line: int, index: int, fmt: str) -> Record | Problem:
    """Turn one decoded JSON value into a :class:`Record`, or a :class:`Problem` saying why not."""
    if not isinstance(value, dict):
        return Problem(path, line, f"record {index} is not a JSON object (found {type(value).__name__})")
    fields = dict(value)
    inner = fields.get("paper")
    if isinstance(inner, dict):  # Hugging Face API: {"paper": {...}, "title": ...}
        del fields["paper"]
        for key, item in inner.items():
            fields.setdefault(key, item)
    by_field: dict[str, list[str]] = {}
    for key in fields:
        target = field_of(key)
        if target:
            by_field.setdefault(target, []).append(key)
    used: set[str] = set()

    def take(field: str) -> Any:
        """The value of the first key standing for ``field`` that has a usable value."""
        for key in by_field.get(field, []):
            if fields[key] not in (None, "", [], {}):
                used.add(key)
                return fields[key]
        return None

    abstract = _text(take("abstract"))
    ident = _text(take("id"))
    raw_arxiv = _text(take("arxiv_id"))
    if ident is None and raw_arxiv:
        ident = arxiv_id(raw_arxiv) or raw_arxiv
    doi = _text(take("doi"))
    if ident is None and doi:
        ident = doi
    if not abstract or not abstract.strip():
        which = f" (id {ident!r})" if ident else ""
        return Problem(path, line, f"record {index}{which} has no abstract")
    title = _text(take("title"))
    authors = split_authors(take("authors"))
    date = _date(fields, by_field.get("date", []), used)
    url = _text(take("url"))
    upvotes = _int(take("upvotes"))
    references = _references(take("references"))
    extra = {k: compact(v) for k, v in fields.items() if k not in used and v is not None}
    if doi:
        extra["doi"] = doi
    if raw_arxiv and ident != (arxiv_id(raw_arxiv) or raw_arxiv):
        extra["arxiv_id"] = raw_arxiv  # kept: the id field names the record otherwise
    return Record(
        source=SourceRef(path, line, fmt),
        abstract=abstract.strip(),
        title=" ".join(title.split()) if title else None,
        id=ident,
        authors=authors,
        date=date,
        url=url,
        upvotes=upvotes,
        references=references,
        extra=tuple(sorted(extra.items())),
    )


def _text(value: Any) -> str | None:
    """A string field: strings as they are, numbers as text, lists of strings joined."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n".join(v.strip() for v in value)
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _date(fields: dict[str, Any], keys: list[str], used: set[str]) -> str | None:
    """The first date-like field that parses; unparseable ones stay in ``extra``."""
    for key in keys:
        date = normalise_date(fields[key])
        if date:
            used.add(key)
            return date
    return None


def _references(value: Any) -> tuple[str, ...]:
    """Reference ids from a list (of ids, strings or objects) or a ``;``-separated string."""
    if isinstance(value, str):
        items: list[Any] = value.split(";")
    elif isinstance(value, list):
        items = value
    else:
        return ()
    refs: list[str] = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("id") or item.get("doi") or item.get("title") or compact(item)
        text = _text(item)
        if text:
            refs.append(text)
    return tuple(refs)
