"""The compiled extraction against its source, the reference (docs/compiled.md).

A wheel built with mypyc holds extraction's hot modules compiled (``setup.py``); the same modules
imported from their ``.py`` files (``PAPERGRAPH_PURE_PYTHON=1``) must extract exactly the same
from real records: the example corpus and, where ``../shared`` is there, the SciREX dev abstracts,
with the rules and with the learned decision. Each side runs in a fresh interpreter importing the
papergraph these tests import. Under ``CI=true`` (which tests the wheel as built) the modules must
be compiled; a source checkout or a pure-Python build skips that test.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, SCIREX, unavailable

import papergraph
from papergraph import compiled

#: Extracts every record of the files given with both extractors; prints the compiled modules and
#: the extractions' reprs (every field, offsets and evidence included) as JSON.
_SCRIPT = """
import json, sys
from pathlib import Path
from papergraph import compiled
from papergraph.extract import extract
from papergraph.sources import read_paths
records = list(read_paths([Path(p) for p in sys.argv[1:]]).records)
out = [repr(extract(r, kind)) for kind in ("rules", "learned") for r in records]
print(json.dumps({"compiled": compiled.compiled_modules(), "records": len(records), "extractions": out}))
"""


def _run(pure: bool, paths: list[Path], cwd: Path) -> dict:
    env = dict(os.environ)
    env.pop(compiled.ENV, None)
    if pure:
        env[compiled.ENV] = "1"
    # the papergraph imported here, whether installed or a source checkout on PYTHONPATH
    where = str(Path(papergraph.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (where, env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, *map(str, paths)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def _inputs() -> list[Path]:
    return [CORPUS, *([SCIREX] if SCIREX.exists() else [])]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[dict, dict]:
    cwd = tmp_path_factory.mktemp("compiled")
    return _run(False, _inputs(), cwd), _run(True, _inputs(), cwd)


def test_pure_python_switch_imports_no_compiled_module(runs) -> None:
    _, pure = runs
    assert pure["compiled"] == []


def test_compiled_extracts_what_the_source_extracts(runs) -> None:
    default, pure = runs
    assert default["records"] == pure["records"] >= 224
    assert len(default["extractions"]) == 2 * default["records"]
    pairs = zip(default["extractions"], pure["extractions"], strict=True)
    differ = [k for k, (a, b) in enumerate(pairs) if a != b]
    first = differ[0] if differ else 0
    assert not differ, (
        f"{len(differ)} extractions differ, the first:\n"
        f"{default['extractions'][first]}\n{pure['extractions'][first]}"
    )


def test_the_extraction_modules_are_compiled(runs) -> None:
    default, _ = runs
    if not default["compiled"]:
        unavailable(
            "the extraction modules are not compiled here (a source checkout or a pure-Python build)",
            "the compiled-equals-source tests",
        )
    assert default["compiled"] == sorted(compiled.COMPILABLE)


def test_setup_compiles_the_modules_listed() -> None:
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    listed = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "COMPILED" for t in node.targets)
    )
    names = tuple(f"papergraph.extract.{ast.literal_eval(e)}" for e in listed.elts)  # type: ignore[attr-defined]
    assert names == compiled.COMPILABLE
