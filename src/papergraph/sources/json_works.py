"""The JSON shapes that scholarly APIs return, walked for the readers of :mod:`.openalex`,
:mod:`.semantic_scholar` and :mod:`.crossref`: a JSON Lines file (a snapshot or bulk dump), an
array, a single object, or a response wrapping its list (``{"results": [...]}``,
``{"data": [...]}``, ``{"message": {"items": [...]}}``). Each object is yielded with the line it
starts on; a broken line or document is a :class:`~papergraph.model.Problem`.

>>> [(line, value["id"]) for line, value in objects('{"results": [\\n{"id": 1},\\n{"id": 2}]}', "a", ())]
[(2, 1), (3, 2)]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from papergraph.model import Problem, Record
from papergraph.sources.json_arrays import elements, members

_DECODER = json.JSONDecoder()
#: Paths (keys from the top) to the list of works in an API response, tried in order.
WRAPPERS: tuple[tuple[str, ...], ...] = (("results",), ("data",), ("message", "items"), ("items",))


def head_of(text: str, size: int = 20_000) -> str:
    """The start of the text, where sniffers look for a format's field names."""
    return text.lstrip("\ufeff \t\n")[:size]


def is_json(text: str) -> bool:
    """The text starts like a JSON object or array."""
    return head_of(text, 1)[:1] in ("{", "[")


def objects(
    text: str, path: str, unwrap: tuple[str, ...] = ("message",)
) -> Iterator[tuple[int, Any] | Problem]:
    """(line, object) for every work in ``text``; ``unwrap`` names single-object wrappers
    (Crossref's ``{"message": {...}}``)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 1 and lines[0].lstrip("\ufeff ").startswith("{") and _is_value(lines[0]):
        yield from _json_lines(text, path, unwrap)
        return
    start = len(text) - len(text.lstrip("\ufeff \t\n"))
    try:
        whole = json.loads(text[start:])
    except json.JSONDecodeError as exc:
        array = _broken_array(text, start)
        if array is None:
            yield Problem(
                path, exc.lineno + _line(text, start) - 1, f"invalid JSON ({exc.msg}; column {exc.colno})"
            )
            return
        for item in elements(text, array, path):  # element by element: a broken one costs itself only
            yield item if isinstance(item, Problem) else (item[0], item[2])
        return
    if isinstance(whole, list):
        yield from _array(text, start, whole)
        return
    if not isinstance(whole, dict):
        yield Problem(path, 1, "the JSON document is neither an object nor an array")
        return
    for keys in WRAPPERS:
        value: Any = whole
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, list):
            m = re.search(r'"' + re.escape(keys[-1]) + r'"\s*:\s*\[', text)
            yield from _array(text, m.end() - 1 if m else None, value)
            return
    for key in unwrap:
        if isinstance(whole.get(key), dict):
            yield _line(text, start), whole[key]
            return
    yield _line(text, start), whole


def _broken_array(text: str, start: int) -> int | None:
    """Where the list of works starts in a document that does not parse as a whole: the document
    itself when it is an array, else the array of its first wrapper (:data:`WRAPPERS`) that is
    found before the damage."""
    if text[start : start + 1] == "[":
        return start
    if text[start : start + 1] != "{":
        return None
    for keys in WRAPPERS:
        at = start
        for key in keys:  # down the wrapping objects, each read member by member
            if text[at : at + 1] != "{":
                break
            at = next((i for k, i in members(text, at) if k == key), -1)
            if at < 0:
                break
        else:
            if text[at : at + 1] == "[":
                return at
    return None


def _is_value(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _json_lines(text: str, path: str, unwrap: tuple[str, ...]) -> Iterator[tuple[int, Any] | Problem]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(path, number, f"line {number} is not valid JSON ({exc.msg}; column {exc.colno})")
            continue
        for key in unwrap:
            if isinstance(value, dict) and isinstance(value.get(key), dict):
                value = value[key]
        yield number, value


def _array(text: str, bracket: int | None, values: list[Any]) -> Iterator[tuple[int, Any]]:
    """The elements of an already parsed array, with the line each starts on when the array's
    position in the text is known (walked with ``raw_decode``), else the array's line."""
    if bracket is None:
        yield from ((1, v) for v in values)
        return
    i, line, pos = bracket + 1, _line(text, bracket), bracket
    for value in values:
        while i < len(text) and text[i] in " \t\n\r,":
            i += 1
        line += text.count("\n", pos, i)
        pos = i
        yield line, value
        try:
            _, i = _DECODER.raw_decode(text, i)
        except json.JSONDecodeError:
            return


def read_with(
    text: str, path: str, convert: Callable[[dict[str, Any], str, int], Record | Problem]
) -> Iterator[Record | Problem]:
    """Every object of ``text`` turned into a record by ``convert``; non-objects are Problems."""
    for item in objects(text, path):
        if isinstance(item, Problem):
            yield item
            continue
        line, value = item
        if isinstance(value, dict):
            yield convert(value, path, line)
        else:
            yield Problem(path, line, f"expected a JSON object, found {type(value).__name__}")


def text_of(value: Any) -> str:
    """A string field, or the first string of a list (Crossref's ``title: ["…"]``), whitespace
    collapsed; ``""`` for anything else."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    return " ".join(value.split()) if isinstance(value, str) else ""


def get_ci(obj: dict[str, Any], *keys: str) -> Any:
    """The value of the first of ``keys`` present in ``obj``, ignoring case (Semantic Scholar's
    API writes ``externalIds``, its datasets ``externalids``)."""
    lowered = {k.lower(): v for k, v in obj.items()}
    for key in keys:
        if lowered.get(key.lower()) is not None:
            return lowered[key.lower()]
    return None
