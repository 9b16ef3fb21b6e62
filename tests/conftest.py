"""Shared paths and fixtures.

The reference corpus ships inside the package as its example corpus
(:func:`papergraph.example_corpus`), so every test that needs it runs on a fresh clone.
Data that lives only beside the clone, in ``../shared`` (the developers' gold annotations,
SciREX, the real exports of ``inputs/``), is reached through :func:`need_shared` or
:func:`needs_shared`, which skip with the reason (``pytest -rs`` shows it) when it is not there.
Under ``CI=true`` with ``../shared`` present nothing may skip: the session fails if a test did.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from papergraph import example_corpus

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = example_corpus()
CORPUS_FILES = sorted(CORPUS.glob("*.txt"))
SCIREX = SHARED / "eval" / "scirex_dev.jsonl"
INPUTS = SHARED / "inputs"
#: Whether this is CI (``CI=true``, as ``.ci/run`` sets it): a tool a test needs must be there.
IN_CI = os.environ.get("CI", "").strip().lower() == "true"


def _missing(path: Path) -> str:
    where = path.relative_to(SHARED.parent).as_posix()
    return f"needs ../{where}: the developers' data beside the clone, not shipped with papergraph"


def need_shared(path: Path) -> Path:
    """``path`` (inside ``../shared``), or skip the calling test with the reason."""
    if not path.exists():
        pytest.skip(_missing(path))
    return path


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """A marker that skips a test, with the reason, when ``path`` (inside ``../shared``) is missing."""
    return pytest.mark.skipif(not path.exists(), reason=_missing(path) if not path.exists() else "")


def unavailable(reason: str, tests: str) -> None:
    """Skip the calling module (or fixture) because a tool it needs is missing (``reason``), or,
    under CI, fail it: ``tests`` (such as "the rapper tests") must run there."""
    if IN_CI:
        pytest.fail(f"{reason}; under CI=true {tests} must run", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def corpus_file(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of the reference corpus (the example corpus installed with papergraph)."""
    return CORPUS


@pytest.fixture(scope="session")
def corpus_graph(corpus):
    """The knowledge graph of the reference corpus, built once per test session."""
    from papergraph import build

    return build([corpus])


@pytest.fixture(scope="session")
def built_graph(tmp_path_factory):
    """``built_graph("example")``: the Turtle file ``papergraph build`` writes for the example
    corpus; ``built_graph("shared")``: for ../shared/inputs plus the reference corpus (the calling
    test is skipped when they are missing). Each is built once per session."""
    from papergraph.cli import main

    built: dict[str, Path] = {}

    def graph(which: str) -> Path:
        if which not in built:
            inputs = []
            if which == "shared":
                inputs = [str(need_shared(INPUTS)), str(need_shared(SHARED / "corpus"))]
            out = tmp_path_factory.mktemp(f"built-{which}")
            assert main(["build", *inputs, "--out", str(out), "--format", "ttl", "--quiet"]) == 0
            built[which] = out / "graph.ttl"
        return built[which]

    return graph


@pytest.fixture(scope="session", autouse=True)
def built_graphs_conform(tmp_path_factory):
    """When the tests are done, every graph ``papergraph build`` wrote in them (under the session's
    temporary folder) passes the shipped SHACL shapes and reads back: otherwise the session fails
    with an error naming each graph and its first violations (tests/graph_check.py). Needs pyshacl
    (the ``[test]`` extra); without it the check is skipped, except under ``CI=true``."""
    yield
    from graph_check import built_graphs, violations

    try:
        import pyshacl  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("pyshacl is missing: CI validates every graph the tests build", pytrace=False)
        return
    failures = violations(built_graphs(tmp_path_factory.getbasetemp()))
    if failures:
        found = "\n".join(failures)
        pytest.fail(f"graphs built by the tests break the shipped shapes:\n{found}", pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI with ``../shared`` beside the clone, a skipped test fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not IN_CI or not SHARED.is_dir() or reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"CI=true with ../shared present: {len(skipped)} test(s) skipped, which CI does not allow "
            "(pytest -rs names them)",
            red=True,
        )
        session.exitstatus = 1
