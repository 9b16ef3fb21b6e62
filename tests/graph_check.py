"""Every graph the tests build, checked against the shipped SHACL shapes once the session ends.

:func:`built_graphs` finds the graph files ``papergraph build`` wrote under a folder (the session's
temporary folder): the Turtle, N-Triples and JSON-LD files beside a ``.papergraph-build.json``,
the state each build leaves in its output folder, in the formats it names. Files with the same
bytes (the example corpus is built by many tests) are validated once. :func:`violations` runs
:func:`papergraph.query.validate.validate` on each, in as many processes as there are cores
(pyshacl takes about 5 s for the 27,000 triples of the example corpus), and says which graph
breaks which rule; tests/conftest.py fails the session on any.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

#: What ``papergraph build`` leaves in each output folder (papergraph.run.build_state).
BUILD_STATE = ".papergraph-build.json"
#: The RDF formats of a build and the suffix of their files.
SUFFIXES = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld"}
#: Violations shown per graph.
SHOWN = 3


def built_graphs(root: Path) -> list[Path]:
    """The RDF files ``papergraph build`` wrote under ``root``, one per distinct content, sorted."""
    found: dict[str, Path] = {}
    for state in sorted(root.rglob(BUILD_STATE)):
        try:
            formats = json.loads(state.read_text(encoding="utf-8")).get("formats", [])
        except (OSError, ValueError):
            continue
        suffixes = {SUFFIXES[f] for f in formats if f in SUFFIXES}
        for path in sorted(state.parent.iterdir()):
            if path.is_file() and path.suffix in suffixes:
                found.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return sorted(found.values())


def _check(path: Path) -> str | None:
    """What is wrong with the graph file ``path`` (unreadable, or the first violations), or None."""
    import rdflib

    from papergraph.query.validate import validate

    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[path.suffix]
    try:
        graph = rdflib.Graph().parse(path, format=fmt)
    except Exception as exc:  # a graph papergraph wrote must read back
        return f"{path}: not readable as {fmt}: {exc}"
    report = validate(graph)
    if report.conforms:
        return None
    shown = "; ".join(
        f"{v.focus} {v.path or ''} {v.value or ''}: {v.message}" for v in report.violations[:SHOWN]
    )
    return f"{path}: {len(report.violations)} violation(s) of the shipped shapes, e.g. {shown}"


def violations(paths: list[Path]) -> list[str]:
    """One line per graph of ``paths`` that does not conform (or does not read), in their order."""
    if not paths:
        return []
    workers = min(len(paths), os.cpu_count() or 1)
    spawn = multiprocessing.get_context("spawn")  # not a fork of the test session and its threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        return [found for found in pool.map(_check, paths) if found is not None]
