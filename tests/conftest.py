"""Shared fixtures: the reference corpus in ../shared (next to the project root)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def corpus_file(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not there")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_graph(corpus):
    """The knowledge graph of the reference corpus, built once per test session."""
    from papergraph import build

    return build([corpus])
