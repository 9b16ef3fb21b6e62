"""A JSON array read element by element, so that a broken element costs that element only; and
the members of a JSON object read one at a time, to find a wrapped array in a broken document.

The JSON readers share it: :mod:`.json_records` for its arrays and wrappers, :mod:`.json_works`
(OpenAlex, Semantic Scholar, Crossref) when a whole document does not parse. After a broken
element, reading resumes at the next element: the next line indented like the first element when
elements are one per line, else (a compact array on one line) after the broken element's closing
bracket, found by counting brackets outside strings.

>>> text = '[{"title": "x", "abstract": }, {"title": "Good"}]'
>>> [item if isinstance(item, tuple) else item.message for item in elements(text, 0, "a.json")]
['record 1 is not valid JSON (Expecting value; line 1, column 29)', (1, 2, {'title': 'Good'})]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from papergraph.model import Problem

__all__ = ["TOO_DEEP", "LineCounter", "elements", "line_of", "members", "skip_ws"]

_DECODER = json.JSONDecoder()
#: What is wrong with a value nested deeper than Python's JSON parser can follow.
TOO_DEEP = "is nested too deeply to be read (arrays or objects inside each other thousands of times)"
_CLOSING = {"{": "}", "[": "]"}


def skip_ws(text: str, i: int) -> int:
    """Index of the first non-whitespace character at or after ``i``."""
    n = len(text)
    while i < n and text[i] in " \t\n\r":
        i += 1
    return i


def line_of(text: str, pos: int) -> int:
    """The 1-based line of ``text[pos]``."""
    return text.count("\n", 0, pos) + 1


class LineCounter:
    """1-based line numbers of increasing positions, counted incrementally (no quadratic rescans)."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def __call__(self, pos: int) -> int:
        if pos < self.pos:
            return line_of(self.text, pos)
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def elements(text: str, pos: int, path: str) -> Iterator[tuple[int, int, Any] | Problem]:
    """The elements of the JSON array opening at ``text[pos]``, each parsed on its own.

    Parameters
    ----------
    text:
        The whole file.
    pos:
        Where the array's ``[`` is.
    path:
        The file, for the problems.

    Returns
    -------
    An iterator of ``(line, index, value)`` for each element that parses (``index`` counts from
    1, broken elements included) and a :class:`Problem` naming the line and column of each one
    that does not, or of what is wrong between elements.
    """
    n = len(text)
    i = skip_ws(text, pos + 1)
    if i < n and text[i] == "]":
        return
    indent = _indent_at(text, i)
    at_line = LineCounter(text)
    index = 0
    while True:
        if i >= n:
            yield Problem(path, line_of(text, pos), "the JSON array is not closed (file truncated?)")
            return
        index += 1
        line = at_line(i)
        try:
            value, end = _DECODER.raw_decode(text, i)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield Problem(
                path,
                line,
                f"record {index} {TOO_DEEP}"
                if isinstance(exc, RecursionError)
                else f"record {index} is not valid JSON ({exc.msg}; line {exc.lineno}, column {exc.colno})",
            )
            resumed = _resync(text, i, indent)
            if resumed is None:
                return
            i = resumed
            continue
        yield line, index, value
        i = skip_ws(text, end)
        if i < n and text[i] == ",":
            i = skip_ws(text, i + 1)
            if i < n and text[i] == "]":  # tolerate a trailing comma
                return
        elif i < n and text[i] == "]":
            return
        elif i < n:
            yield Problem(path, at_line(i), f"expected ',' or ']' after record {index}")
            resumed = _resync(text, i, indent)
            if resumed is None:
                return
            i = resumed


def _indent_at(text: str, i: int) -> str | None:
    """The whitespace before ``text[i]`` when it is the first thing on its line, else ``None``."""
    line_start = text.rfind("\n", 0, i) + 1
    prefix = text[line_start:i]
    return prefix if not prefix.strip() else None


def _resync(text: str, i: int, indent: str | None) -> int | None:
    """Where the next array element starts after a broken one at ``i``: a line with the same
    indentation as the first element, starting an object, when elements are one per line; else
    after the broken element (:func:`_after_value`). ``None``: nowhere (or the array ends)."""
    if indent is not None:
        m = re.compile(r"\n" + re.escape(indent) + r"\{").search(text, i + 1)
        if m:
            return m.end() - 1
    end = _after_value(text, i)
    if end is None:
        return None
    end = skip_ws(text, end)
    if end < len(text) and text[end] == ",":
        return skip_ws(text, end + 1)
    return None


def _after_value(text: str, i: int) -> int | None:
    """Where the (broken) value starting at ``text[i]`` ends: after the bracket that closes the one
    it opens with (brackets inside strings not counted), or for a bare value at the next ``,`` or
    ``]`` outside brackets. ``None`` when the text ends first or a bracket does not match.

    >>> text = '{"a": [1, ], "b": "}"}, {"c": 1}'
    >>> text[: _after_value(text, 0)]
    '{"a": [1, ], "b": "}"}'
    >>> _after_value('{"a": [1, }], "b": 2}', 0) is None
    True
    """
    stack: list[str] = []
    n = len(text)
    j = i
    while j < n:
        c = text[j]
        if c == '"':
            j += 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
        elif c in _CLOSING:
            stack.append(_CLOSING[c])
        elif c in "}]":
            if not stack:
                return j  # a bare value ends at the array's end
            if stack.pop() != c:
                return None
            if not stack:
                return j + 1
        elif c == "," and not stack:
            return j
        j += 1
    return None


def members(text: str, start: int) -> Iterator[tuple[str, int]]:
    """``(key, where its value starts)`` of each member of the JSON object opening at
    ``text[start]``, in order, up to the first that cannot be read (the rest of the document may
    be broken: a member is yielded before its value is parsed).

    >>> [(k, '{"a": 1, "b": [2, }'[i]) for k, i in members('{"a": 1, "b": [2, }', 0)]
    [('a', '1'), ('b', '[')]
    """
    n = len(text)
    i = skip_ws(text, start + 1)
    while i < n and text[i] == '"':
        try:
            key, i = _DECODER.raw_decode(text, i)
        except (json.JSONDecodeError, RecursionError):
            return
        i = skip_ws(text, i)
        if i >= n or text[i] != ":":
            return
        i = skip_ws(text, i + 1)
        yield key, i
        try:
            _, i = _DECODER.raw_decode(text, i)
        except (json.JSONDecodeError, RecursionError):
            return
        i = skip_ws(text, i)
        if i >= n or text[i] != ",":
            return
        i = skip_ws(text, i + 1)
