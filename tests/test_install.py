"""What an installed papergraph carries: its data files, the example corpus, the extras.

The wheel itself is built, installed and run from outside the checkout by ``.ci/run``
(``.ci/smoke``); these tests check the pieces on any installation.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import sys
import tomllib

import pytest
from conftest import CORPUS, ROOT, SHARED, needs_shared

from papergraph import example_corpus
from papergraph.cli import main
from papergraph.extras import EXTRAS

PACKAGE_SOURCE = ROOT / "src" / "papergraph"


def _package_data_globs() -> list[str]:
    """``tool.setuptools.package-data`` as globs relative to ``src/papergraph``."""
    table = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = []
    for package, patterns in table["tool"]["setuptools"]["package-data"].items():
        folder = package.removeprefix("papergraph").lstrip(".").replace(".", "/")
        globs += [f"{folder}/{p}" if folder else p for p in patterns]
    return globs


def test_every_data_file_of_the_package_is_declared_as_package_data():
    """A file that papergraph reads at run time but that the wheel leaves out fails here, not on a
    user's machine (the lexicon was once missing from the wheel)."""
    globs = _package_data_globs()
    data = [
        p.relative_to(PACKAGE_SOURCE).as_posix()
        for p in PACKAGE_SOURCE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert len(data) >= 19  # lexicon, abbreviations, template, ontology, 8 queries, corpus + README, py.typed
    undeclared = [f for f in data if not any(fnmatch.fnmatch(f, g) for g in globs)]
    assert not undeclared, f"add to [tool.setuptools.package-data] in pyproject.toml: {undeclared}"
    unmatched = [g for g in globs if not any(fnmatch.fnmatch(f, g) for f in data)]
    assert not unmatched, f"package-data names files that do not exist: {unmatched}"


def test_the_extras_named_in_errors_are_those_of_the_package_metadata():
    requires = importlib.metadata.requires("papergraph") or []
    for extra, packages in EXTRAS.items():
        declared = {r.split(";")[0].strip() for r in requires if f'extra == "{extra}"' in r}
        assert set(packages) == declared, extra


def test_the_example_corpus_is_installed_with_its_five_files():
    assert example_corpus() == CORPUS
    assert [p.name[:3] for p in sorted(CORPUS.iterdir())] == ["000", "001", "002", "003", "004"]
    assert (CORPUS.parent / "README.md").read_text(encoding="utf-8").count("CC0") >= 1


@needs_shared(SHARED / "corpus")
def test_the_example_corpus_is_the_reference_corpus():
    shared = {p.name: p.read_bytes() for p in (SHARED / "corpus").iterdir()}
    assert {p.name: p.read_bytes() for p in CORPUS.iterdir()} == shared


def test_build_with_no_input_builds_the_example_corpus(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--no-progress"]) == 0
    out, err = capsys.readouterr()
    assert "no input given: building the example corpus that ships with papergraph" in err
    assert "read      5 files: 224 records, 214 distinct papers\n" in out
    assert "next      papergraph query exports/graph.ttl --name most-used-methods\n" in out
    assert "your own files: papergraph build FILE_OR_FOLDER... --out DIR" in out
    assert sorted(p.name for p in (tmp_path / "exports").iterdir() if not p.name.startswith(".")) == [
        "graph.graphml",
        "graph.html",
        "graph.ttl",
    ]
    assert main(["query", "exports/graph.ttl", "--name", "most-used-methods", "--output", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("method,") and len(rows) > 5


@pytest.mark.parametrize(
    ("hidden", "argv", "extra", "feature"),
    [
        ("distributed", ["build", "{corpus}", "--dask", "local", "--out", "{out}"], "dask", "--dask"),
        ("matplotlib", ["stats", "{graph}", "--charts", "{out}"], "charts", "stats --charts"),
    ],
)
def test_a_missing_extra_is_one_line_naming_the_install(
    hidden, argv, extra, feature, tmp_path, monkeypatch, capsys, corpus_graph
):
    graph = corpus_graph.write_turtle(tmp_path / "g.ttl")
    monkeypatch.setitem(sys.modules, hidden, None)  # as if it were not installed
    for name in [m for m in sys.modules if m.startswith(hidden + ".")]:
        monkeypatch.setitem(sys.modules, name, None)
    args = [a.format(corpus=CORPUS, out=tmp_path / "out", graph=graph) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    packages = " ".join(f'"{p}"' for p in EXTRAS[extra])
    assert err.splitlines() == [
        f"papergraph: error: {feature} needs the '{extra}' extra, which is not installed: "
        f"pip install {packages}"
    ]
