"""Which of papergraph's modules run compiled, and the switch that runs them all as Python.

A wheel built with mypyc (``setup.py``, docs/compiled.md) holds, beside the source of each of
extraction's hot modules, that source compiled to a C extension, which Python imports first. The
source is the reference: with ``PAPERGRAPH_PURE_PYTHON=1`` in the environment when papergraph is
first imported, every papergraph module is imported from its ``.py`` file instead (the variable
is inherited by a build's worker processes). Set at build time, the same variable builds a wheel
with nothing compiled.

>>> sorted(set(compiled_modules()) - set(COMPILABLE))
[]
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["COMPILABLE", "ENV", "compiled_modules", "force_pure_python", "pure_python_requested"]

#: The environment variable that asks for pure Python (at build time and at run time).
ENV = "PAPERGRAPH_PURE_PYTHON"

#: The modules a wheel may hold compiled (``setup.py`` compiles these).
COMPILABLE = tuple(
    f"papergraph.extract.{name}"
    for name in (
        "abbreviations",
        "caseless",
        "decision",
        "document",
        "grouping",
        "lists",
        "mentions",
        "node_test",
        "relations",
        "sentences",
        "steps",
        "terms",
    )
)

_EXTENSIONS = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def pure_python_requested() -> bool:
    """Whether :data:`ENV` asks for pure Python (set, and neither empty nor ``0``)."""
    return os.environ.get(ENV, "").strip() not in ("", "0")


def compiled_modules() -> list[str]:
    """The papergraph modules imported so far from a compiled extension, by name."""
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.startswith("papergraph.") and _is_extension(getattr(module, "__file__", None) or "")
    )


def _is_extension(path: str) -> bool:
    return path.endswith(_EXTENSIONS)


class _SourceFirst:
    """A finder that imports each papergraph module from its source where a compiled extension
    of it stands beside the source (a module without source is left to the other finders)."""

    @staticmethod
    def find_spec(
        name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not name.startswith("papergraph."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or spec.origin is None or not _is_extension(spec.origin):
            return None
        source = spec.origin[: -len(next(s for s in _EXTENSIONS if spec.origin.endswith(s)))] + ".py"
        if not os.path.isfile(source):
            return None
        return importlib.util.spec_from_file_location(name, source)


def force_pure_python() -> None:
    """Import every papergraph module imported from now on from its source (see :data:`ENV`)."""
    if not any(isinstance(finder, _SourceFirst) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst())  # type: ignore[arg-type]


if pure_python_requested():  # papergraph/__init__.py imports this module before any other of its own
    force_pure_python()
