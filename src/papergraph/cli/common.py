"""What the commands share: the usage error, terminal-safe text, reading a graph file, sizes."""

from __future__ import annotations

from pathlib import Path

from papergraph.export.formats import rdf_format_of
from papergraph.terminal import terminal_safe

__all__ = ["UsageError", "load_rdf", "short", "size", "terminal_safe"]


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit code 2."""


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
    """``text`` on one line of at most ``width`` characters, to print (:func:`terminal_safe`)."""
    text = " ".join(text.split())
    return terminal_safe(text if len(text) <= width else text[: width - 1] + "…")
