"""The doctests of every papergraph module, run on the package as installed.

They are collected here instead of with ``--doctest-modules`` over ``src/``: a papergraph installed
from a wheel (as CI and users install it) would otherwise be imported twice, once from
site-packages and once from ``src/``, and pytest refuses that. Each docstring with examples is one
test case, run from an empty folder.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import pytest

import papergraph


def _doctests() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    found: list[doctest.DocTest] = []
    for info in sorted(pkgutil.walk_packages(papergraph.__path__, "papergraph."), key=lambda m: m.name):
        module = importlib.import_module(info.name)
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
