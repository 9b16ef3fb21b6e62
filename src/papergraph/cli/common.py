"""What the commands share: the usage error, terminal-safe text, reading a graph file, sizes."""

from __future__ import annotations

import re
from pathlib import Path

from papergraph.export.formats import rdf_format_of

__all__ = ["UsageError", "load_rdf", "short", "size", "terminal_safe"]


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit code 2."""


#: Characters a terminal would act on rather than show: C0 (but tab and newline), DEL, C1, and the
#: bidirectional overrides that make text read differently from what it is.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with the characters a terminal would act on written as escapes (``\\x1b``).

    File names, ids and titles from the input appear in messages; an ANSI escape sequence or a
    right-to-left override in them must show, not act.

    >>> terminal_safe("a\\x1b[2Jb \\u202etxt.exe")
    'a\\\\x1b[2Jb \\\\u202etxt.exe'
    """
    return _TERMINAL_CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)


def size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def load_rdf(path: str):  # type: ignore[no-untyped-def]
    import rdflib

    p = Path(path)
    if not p.is_file():
        raise UsageError(f"no such graph file: {path}")
    fmt = rdf_format_of(p).rdflib_format
    g = rdflib.Graph()
    try:
        g.parse(p, format=fmt)
    except Exception as exc:
        raise UsageError(f"{path}: not a readable {fmt} graph: {exc}") from exc
    return g


def short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
