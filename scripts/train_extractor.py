#!/usr/bin/env python3
"""Train the learned decision of extraction (``papergraph.extract.decision``) and measure it honestly.

    python scripts/train_extractor.py [--out src/papergraph/extract/data/decision_model.json]

Data: ``../shared/train/seeds_train.json`` (machine-learning papers) and ``crossdomain_train.json``
(papers of other fields), each split by ``scripts/annotated.py`` into five folds and a fifth set
aside. Every candidate group the rules find in a paper is labelled with the type of the gold entity
its names match (``score.py``'s name matching) or ``none``; a multinomial logistic regression over
:func:`papergraph.extract.decision.features` (L2, L-BFGS, deterministic) learns the classes.

1. Cross-validation: for each fold, a model trained on the other four folds of both sets builds
   that fold's papers; the folds' graphs are scored together, per set, for each threshold of
   :data:`THRESHOLDS`; the threshold with the best mean entity F1 over both sets is kept.
2. The shipped model is trained on all five folds of both sets with that threshold.
3. The set-aside papers are built with it and scored as totals only (never read for errors).

Prints the figures and writes them to ``benchmarks/results/extraction_learned.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import annotated  # scripts/annotated.py
import numpy as np
from scipy import optimize, sparse

import papergraph
from papergraph.extract import candidates, decision, extract
from papergraph.model import Record
from papergraph.sources import read_paths

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = tuple((a, b) for a in (0.6, 0.7, 0.8) for b in (0.5, 0.6, 0.7))
L2 = 1.0
MIN_COUNT = 1
#: The weight of a SciERC candidate in training, against 1 for a paper annotated to papergraph's guidelines.
EXTRA_WEIGHT = 0.3
KEYS = ("entity_p", "entity_r", "entity_f1", "relation_p", "relation_r", "relation_f1")


def records(papers: list[dict[str, Any]]) -> list[Record]:
    """The papers as papergraph reads them from the JSON Lines a build reads (same cleaning)."""
    with tempfile.TemporaryDirectory() as tmp:
        return list(read_paths([annotated.write_jsonl(papers, Path(tmp) / "p.jsonl")]).records)


def labelled(papers: list[dict[str, Any]]) -> list[tuple[list[str], int]]:
    """(features, class index) of every candidate of ``papers``."""
    names_match = annotated.scorer().names_match
    out = []
    for paper, rec in zip(papers, records(papers), strict=True):
        gold = [([g["name"], *g.get("aliases", [])], g["type"]) for g in paper["entities"]]
        for c in candidates(rec):
            label = next((t for names, t in gold if names_match(names, c.forms, False)), None)
            label = label or next((t for names, t in gold if names_match(names, c.forms, True)), "none")
            out.append((decision.features(c), decision.CLASSES.index(label)))
    return out


#: SciERC's types as papergraph's (``none``: terms papergraph draws no node for).
SCIERC_TYPES = {"Method": "Method", "Task": "Task", "Metric": "Metric", "Material": "Dataset"}


def scierc_papers(path: Path) -> list[dict[str, Any]]:
    """SciERC abstracts (``ner_*.conll``) as annotated papers: text rebuilt from the tokens, the
    typed spans as entities (``Material`` as Dataset; ``Generic`` and ``OtherScientificTerm`` left
    out, so they count as ``none``)."""
    brackets = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
    papers: list[dict[str, Any]] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        if not tokens:
            return
        entities, run, kind = [], [], None
        for tok, tag in [*tokens, ("", "O")]:
            t = tag[2:] if tag.startswith("I-") else None
            if t != kind and run:
                if kind in SCIERC_TYPES:
                    entity = {"name": " ".join(run), "type": SCIERC_TYPES[kind], "relations": ["uses"]}
                    entities.append(entity)
                run = []
            kind = t
            if t:
                run.append(tok)
        text = " ".join(tok for tok, _ in tokens)
        key = f"scierc{len(papers):03d}"
        papers.append({"key": key, "title": "", "abstract": text, "entities": entities})
        tokens.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            flush()
        elif line.strip():
            parts = line.split()
            tokens.append((brackets.get(parts[0], parts[0]), parts[-1]))
    flush()
    return papers


def fit(
    rows: list[tuple[list[str], int]], threshold: tuple[float, float], extra: list[tuple[list[str], int]] = ()
) -> decision.Model:
    """A multinomial logistic regression on ``rows`` (features seen fewer than MIN_COUNT times dropped)."""
    weight = np.array([1.0] * len(rows) + [EXTRA_WEIGHT] * len(extra))
    rows = [*rows, *extra]
    counts: dict[str, int] = {}
    for feats, _ in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocab)}
    data, cols, ptr = [], [], [0]
    for feats, _ in rows:
        idx = sorted({index[f] for f in feats if f in index})
        cols.extend(idx)
        data.extend([1.0] * len(idx))
        ptr.append(len(cols))
    x = sparse.csr_matrix((data, cols, ptr), shape=(len(rows), len(vocab)))
    y = np.array([c for _, c in rows])
    k = len(decision.CLASSES)
    onehot = np.eye(k)[y]

    def loss(w_flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = w_flat.reshape(len(vocab), k)
        z = x @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        nll = -np.sum(weight[:, None] * onehot * np.log(p + 1e-12))
        grad = x.T @ (weight[:, None] * (p - onehot)) + L2 * w
        return nll + 0.5 * L2 * np.sum(w * w), grad.ravel()

    result = optimize.minimize(
        loss, np.zeros(len(vocab) * k), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    w = result.x.reshape(len(vocab), k)
    weights = {f: tuple(float(v) for v in w[i]) for f, i in index.items() if np.abs(w[i]).max() >= 1e-3}
    return decision.Model(decision.CLASSES, weights, *threshold)


def with_model(model: decision.Model) -> Callable[[Path, Path], Path]:
    """A ``make_turtle`` for :func:`annotated.score` that extracts with ``model``."""

    def make(jsonl: Path, out: Path) -> Path:
        extractor = partial(extract, decide=model.decide_candidate)
        return papergraph.build([jsonl], jobs=1, extractor=extractor).write_turtle(out)

    return make


def pooled(figures: list[dict[str, Any]]) -> dict[str, float]:
    """Figures of several scored parts, weighted by papers (the scorer's F1 is per part)."""
    n = sum(f["papers"] for f in figures)
    return {k: sum(f[k] * f["papers"] for f in figures) / n for k in KEYS} | {"papers": n}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--out", type=Path, default=ROOT / "src" / "papergraph" / "extract" / "data" / "decision_model.json"
    )
    ap.add_argument(
        "--results", type=Path, default=ROOT / "benchmarks" / "results" / "extraction_learned.json"
    )
    ap.add_argument(
        "--set-aside",
        action="store_true",
        help="also score the set-aside papers (totals only): once the method is settled, never while "
        "developing it",
    )
    ap.add_argument("--scierc", action="store_true", help="also train on SciERC's 350 training abstracts")
    args = ap.parse_args()
    sets = {name: annotated.split(annotated.load(name)) for name in ("seeds", "crossdomain")}
    fold_rows = [
        [labelled(sets[name][0][k]) for name in sets] for k in range(annotated.FOLDS)
    ]  # fold -> set -> rows
    scierc_train = annotated.SHARED / "train" / "scierc" / "ner_train.conll"
    scierc = labelled(scierc_papers(scierc_train)) if args.scierc else []
    cv: dict[tuple[float, float], dict[str, list[dict[str, Any]]]] = {
        t: {name: [] for name in sets} for t in THRESHOLDS
    }
    for k in range(annotated.FOLDS):
        train = [row for j in range(annotated.FOLDS) if j != k for part in fold_rows[j] for row in part]
        base = fit(train, THRESHOLDS[0], scierc)
        for t in THRESHOLDS:
            model = decision.Model(base.classes, base.weights, *t)
            for name in sets:
                cv[t][name].append(annotated.score(sets[name][0][k], with_model(model)))
        print(f"fold {k + 1}/{annotated.FOLDS} done", file=sys.stderr)
    summary = {t: {name: pooled(parts) for name, parts in by_set.items()} for t, by_set in cv.items()}
    best = max(THRESHOLDS, key=lambda t: sum(s["entity_f1"] for s in summary[t].values()))
    final = fit([row for fold in fold_rows for part in fold for row in part], best, scierc)
    args.out.write_text(final.to_json(), encoding="utf-8")
    aside: dict[str, Any] = {}
    rules: dict[str, Any] = {}
    if args.set_aside:  # totals only, and only once the method is settled
        aside = {name: annotated.score(sets[name][1], with_model(final)) for name in sets}
        rules = {name: annotated.score(sets[name][1]) for name in sets}
        for figures in (*aside.values(), *rules.values()):
            figures.pop("table")
    print(f"{'':<34}{'papers':>7}" + "".join(f"{k:>13}" for k in KEYS))
    for t in THRESHOLDS:
        for name, s in summary[t].items():
            mark = " <" if t == best else ""
            print(
                f"{name + f' cv t={t[0]}/{t[1]}':<34}{s['papers']:>7}"
                + "".join(f"{s[k]:>13.3f}" for k in KEYS)
                + mark
            )
    for name in aside:
        print(
            f"{name + ' set aside (learned)':<34}{aside[name]['papers']:>7}"
            + "".join(f"{aside[name][k]:>13.3f}" for k in KEYS)
        )
        print(
            f"{name + ' set aside (rules)':<34}{rules[name]['papers']:>7}"
            + "".join(f"{rules[name][k]:>13.3f}" for k in KEYS)
        )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    record_ = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "commit": commit.stdout.strip(),
        "command": "python scripts/train_extractor.py",
        "split": {"seed": annotated.SEED, "folds": annotated.FOLDS, "aside": annotated.ASIDE},
        "threshold": best,
        "features": len(final.weights),
        "cross_validated": {f"{t[0]}/{t[1]}": s for t, s in summary.items()},
        "set_aside_learned": aside,
        "set_aside_rules": rules,
    }
    args.results.write_text(json.dumps(record_, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
