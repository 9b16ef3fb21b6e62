#!/usr/bin/env python3
"""Extraction quality on papers the extractor was never tuned on: cross-validated and set aside.

    python benchmarks/extraction_quality.py [--set-aside] [--out benchmarks/results/extraction_quality.json]

Scores papergraph's extractor with ``../shared/eval/score.py`` on

* ``dev``: ``seeds_dev.json`` (26 papers; the rules grew from reading its misses), on a build of
  the reference corpus;
* ``seeds`` and ``crossdomain`` (``../shared/train``), split as ``scripts/annotated.py`` splits them:
  the folds (figures pooled over every fold, each fold predicted by what was made without it) and
  with ``--set-aside``, the fifth set aside, scored as totals only (never read for errors);
* ``scirex``: the SciREX dev abstracts (precision and salient recall).

Prints a table and writes the figures, with the date, machine and commit, as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import sys
import tempfile
from pathlib import Path

from machine import cpu_model  # benchmarks/machine.py (run as scripts from the project root)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import annotated  # scripts/annotated.py

import papergraph

ROOT = Path(__file__).resolve().parents[1]


def score_build(paths: list[Path], gold: list[dict], kind: str) -> dict:
    """A build of ``paths`` scored against ``gold`` (``kind``: ``"seeds"`` or ``"scirex"``)."""
    with tempfile.TemporaryDirectory() as tmp:
        ttl = papergraph.build(paths, jobs=1).write_turtle(Path(tmp) / "g.ttl")
        return annotated.score_turtle(ttl, gold, kind)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "extraction_quality.json")
    ap.add_argument(
        "--set-aside",
        action="store_true",
        help="also score the set-aside papers (totals only): once a change is settled, never while "
        "developing it",
    )
    args = ap.parse_args()
    # seeds_dev's papers come from the reference corpus, which is the example corpus
    results: dict[str, dict] = {
        "dev": score_build([papergraph.example_corpus()], annotated.load("dev"), "seeds")
    }
    for name in ("seeds", "crossdomain"):
        folds, aside = annotated.split(annotated.load(name))
        cv = [p for fold in folds for p in fold]  # the rules learn nothing: pooled folds = all of them
        results[f"{name} cross-validated"] = annotated.score(cv)
        if args.set_aside:  # totals only, and only once a change is settled
            results[f"{name} set aside"] = annotated.score(aside)
    scirex = annotated.SHARED / "eval" / "scirex_dev.jsonl"
    gold = [json.loads(line) for line in scirex.read_text(encoding="utf-8").splitlines() if line]
    results["scirex"] = score_build([scirex], gold, "scirex")
    for figures in results.values():
        figures.pop("table", None)
    print(annotated.table_header(26, "set"))
    for name, f in results.items():
        if "entity_f1" in f:
            print(annotated.table_row(name, f, 26))
    s = results["scirex"]
    print(f"{'scirex':<26}{s['papers']:>7}  precision {s['precision']:.3f}, recall {s['salient_recall']:.3f}")
    record = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{cpu_model()}, {platform.python_version()}",
        "commit": annotated.head_commit(),
        "command": "python benchmarks/extraction_quality.py",
        "split": {"seed": annotated.SEED, "folds": annotated.FOLDS, "aside": annotated.ASIDE},
        "results": results,
    }
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
