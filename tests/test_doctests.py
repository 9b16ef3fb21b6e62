"""The doctests of every papergraph module, run on the package as installed.

They are collected here instead of with ``--doctest-modules`` over ``src/``: a papergraph installed
from a wheel (as CI and users install it) would otherwise be imported twice, once from
site-packages and once from ``src/``, and pytest refuses that. Each docstring with examples is one
test case, run from an empty folder. A module compiled by mypyc (docs/compiled.md) keeps no
docstrings: its examples are read from its source and run on the compiled module.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import io
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import papergraph
from papergraph.compiled import compiled_modules


def _source_doctests(module: ModuleType, name: str) -> list[doctest.DocTest]:
    """The doctests of a compiled module (docs/compiled.md), which keeps no docstrings: read from
    the docstrings of its source (the module's, its functions', its classes' and their methods', as
    ``DocTestFinder`` finds them) and run on the compiled module."""
    source = Path(module.__file__).with_name(name.rpartition(".")[2] + ".py")
    parser = doctest.DocTestParser()
    found: list[doctest.DocTest] = []

    def visit(node: ast.AST, qualname: str) -> None:
        doc = ast.get_docstring(node, clean=False)  # type: ignore[arg-type]
        if doc:
            lineno = getattr(node, "lineno", 1) - 1
            found.append(parser.get_doctest(doc, dict(vars(module)), qualname, str(source), lineno))
        for child in getattr(node, "body", []):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(child, f"{qualname}.{child.name}")

    tree = ast.parse(source.read_text(encoding="utf-8"))
    visit(tree, name)
    return found


def _doctests() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    found: list[doctest.DocTest] = []
    for info in sorted(pkgutil.walk_packages(papergraph.__path__, "papergraph."), key=lambda m: m.name):
        module = importlib.import_module(info.name)
        if info.name in compiled_modules():
            found.extend(t for t in _source_doctests(module, info.name) if t.examples)
            continue
        found.extend(t for t in finder.find(module, info.name) if t.examples)
    found.extend(t for t in finder.find(papergraph, "papergraph") if t.examples)
    return sorted(found, key=lambda t: t.name)


DOCTESTS = _doctests()


def test_the_package_has_doctests_to_run():
    assert len(DOCTESTS) >= 140, len(DOCTESTS)  # 152 docstrings carry examples on 2026-12-07


@pytest.mark.parametrize("test", DOCTESTS, ids=lambda t: t.name)
def test_doctest(test: doctest.DocTest, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = io.StringIO()
    runner = doctest.DocTestRunner(verbose=False)
    result = runner.run(test, out=report.write, clear_globs=True)
    assert result.failed == 0, f"{test.filename}:{test.lineno}\n{report.getvalue()}"
