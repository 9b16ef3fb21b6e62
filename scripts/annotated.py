"""The annotated papers papergraph is measured and trained on, split the one way every script uses.

The gold lives beside the repository, in the developers' ``../shared`` (never shipped):

* ``train/seeds_train.json``: 135 machine-learning papers of the reference corpus;
* ``train/crossdomain_train.json``: 90 papers of other fields (the abstracts of ``../shared/inputs``);
* ``eval/seeds_dev.json``: 26 papers of the reference corpus, the quick check the rules grew on.

Each training set is split by paper, once, by a hash of the paper's key and :data:`SEED`: a fifth
is **set aside** (scored only as totals, never read for errors, until the end) and the rest is
dealt into :data:`FOLDS` folds for cross-validation. :func:`score` builds a graph of some papers
with papergraph (or any function that makes a graph from a JSON Lines file) and scores it with
``../shared/eval/score.py``, the scorer the held-out sets are judged with.

    >>> folds, aside = split([{"key": f"p{i}"} for i in range(10)])
    >>> len(aside), [len(f) for f in folds]
    (2, [2, 2, 2, 1, 1])
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import json
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {
    "seeds": SHARED / "train" / "seeds_train.json",
    "crossdomain": SHARED / "train" / "crossdomain_train.json",
    "dev": SHARED / "eval" / "seeds_dev.json",
}
SEED = 19
FOLDS = 5
ASIDE = 0.2
#: The seeds scorer's headline figures, in the order the tables print them.
KEYS = ("entity_p", "entity_r", "entity_f1", "relation_p", "relation_r", "relation_f1")


def load(name: str) -> list[dict[str, Any]]:
    """The annotated papers of set ``name`` (a key of :data:`SETS`)."""
    return json.loads(SETS[name].read_text(encoding="utf-8"))


def split(
    papers: list[dict[str, Any]], *, seed: int = SEED, folds: int = FOLDS, aside: float = ASIDE
) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """``(folds, set_aside)``: the papers in hash order, the first ``aside`` of them set aside and
    the others dealt round-robin into ``folds`` folds. Depends on the keys only."""
    order = sorted(papers, key=lambda p: hashlib.sha256(f"{seed}:{p['key']}".encode()).hexdigest())
    n_aside = round(len(order) * aside)
    rest = order[n_aside:]
    return [rest[k::folds] for k in range(folds)], order[:n_aside]


def write_jsonl(papers: list[dict[str, Any]], path: Path) -> Path:
    """The papers as a JSON Lines input of papergraph (``id``, ``title``, ``abstract``)."""
    with path.open("w", encoding="utf-8") as fh:
        for p in papers:
            fh.write(json.dumps({"id": p["key"], "title": p["title"], "abstract": p["abstract"]}) + "\n")
    return path


@functools.cache
def scorer() -> ModuleType:
    """``../shared/eval/score.py`` as a module (loaded once: training asks for it per paper)."""
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def papergraph_turtle(jsonl: Path, out: Path) -> Path:
    """The Turtle papergraph's default extractor builds from ``jsonl``."""
    import papergraph

    return papergraph.build([jsonl], jobs=1).write_turtle(out)


def score(
    papers: list[dict[str, Any]],
    make_turtle: Callable[[Path, Path], Path] = papergraph_turtle,
    *,
    verbose: bool = False,
) -> dict[str, Any]:
    """Build ``papers`` with ``make_turtle(jsonl, ttl)`` and score the graph against their gold.

    Returns the scorer's headline figures and its printed table (``"table"``; with ``verbose``
    it lists every miss: never ask that of the set-aside papers).
    """
    with tempfile.TemporaryDirectory() as tmp:
        ttl = make_turtle(write_jsonl(papers, Path(tmp) / "papers.jsonl"), Path(tmp) / "graph.ttl")
        return score_turtle(ttl, papers, verbose=verbose)


def score_turtle(
    ttl: Path, gold: list[dict[str, Any]], kind: str = "seeds", *, verbose: bool = False
) -> dict[str, Any]:
    """The graph ``ttl`` scored against ``gold`` (``kind``: ``"seeds"`` or ``"scirex"`` gold): the
    scorer's headline figures, ``"papers"`` and its printed table (``"table"``)."""
    score_py = scorer()
    info, preds = score_py.read_graph(str(ttl))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        figures = getattr(score_py, f"score_{kind}")(info, preds, gold, verbose)
    return {**figures, "papers": len(gold), "table": printed.getvalue()}


def table_header(width: int, first: str = "") -> str:
    """The header of a table of :data:`KEYS`, its first column (headed ``first``) ``width`` wide."""
    return f"{first:<{width}}{'papers':>7}" + "".join(f"{k:>13}" for k in KEYS)


def table_row(label: str, figures: dict[str, Any], width: int) -> str:
    """One row of that table: ``label``, the papers scored and the :data:`KEYS` of ``figures``."""
    return f"{label:<{width}}{figures['papers']:>7}" + "".join(f"{figures[k]:>13.3f}" for k in KEYS)


def head_commit() -> str:
    """The short hash of the checkout's HEAD, for the results files."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip()
