"""Build hook: extraction's hot modules compiled to C extensions with mypyc, pure Python otherwise.

The modules of :data:`COMPILED` are compiled from their own source (``src/papergraph/extract/*.py``,
unchanged), so the interpreted source stays the reference: a wheel holds both, and Python imports
the compiled module where there is one. The wheel stays pure Python (the same package, slower) when

* ``PAPERGRAPH_PURE_PYTHON=1`` is set at build time,
* mypyc cannot be imported (a build without the build dependencies of ``pyproject.toml``), or
* compiling fails (no C compiler, no Python headers): then a warning is printed, nothing compiled
  is kept, and the build goes on.

See docs/compiled.md. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

#: The modules of papergraph.extract compiled (benchmarks/README.md, "Compiled extraction").
COMPILED = (
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


def _pure_python() -> bool:
    return os.environ.get("PAPERGRAPH_PURE_PYTHON", "").strip() not in ("", "0")


class OptionalBuildExt(build_ext):
    """``build_ext`` that falls back to pure Python, keeping no compiled module, where compiling
    fails: a wheel with only some of the modules compiled would not import."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # CompileError, LinkError, a missing compiler: all mean the same
            for path in self.get_outputs():
                if os.path.exists(path):
                    os.remove(path)
            self.extensions = []
            print(
                f"papergraph: compiling the extraction modules failed ({error}); building pure Python",
                file=sys.stderr,
            )


#: The setup.py commands that build the extensions (setuptools' PEP 517 backend runs ``bdist_wheel``
#: for a wheel); the others (``egg_info``, ``dist_info``, ``sdist``) need no C generated, and an
#: editable install (``editable_wheel``, ``develop``) stays pure Python: compiled modules built into
#: the source tree would be imported instead of the source being edited.
_BUILDING = {"build", "build_ext", "bdist_wheel", "install", "bdist"}


def _ext_modules() -> list:
    if _pure_python() or not _BUILDING.intersection(sys.argv[1:]):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("papergraph: mypyc is not installed; building pure Python", file=sys.stderr)
        return []
    return mypycify(
        # the modules they import are type-checked as far as the compiled ones use them
        ["--follow-imports=silent", *(f"src/papergraph/extract/{name}.py" for name in COMPILED)],
        opt_level="3",
        group_name="papergraph_extract",
    )


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
