"""Every output of fixed inputs is byte-identical to the digests kept in ``tests/data/output_digests.json``
(``scripts/output_digests.py``): a change of structure must not change a byte of what users get, and a
change that means to change the outputs updates the digests (``--write``) in the same commit.

The digests hold for the dependencies the project is developed and tested with (GraphML is written by
networkx, whose formatting may change between its versions), so the test runs where ``../shared`` lies
beside the project, as in CI, and skips elsewhere.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from conftest import SHARED, need_shared

ROOT = Path(__file__).resolve().parents[1]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("output_digests", ROOT / "scripts" / "output_digests.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["output_digests"] = module
    spec.loader.exec_module(module)
    return module


def test_every_output_is_byte_identical_to_the_kept_digests() -> None:
    need_shared(SHARED / "corpus")
    script = _script()
    kept = json.loads((ROOT / "tests" / "data" / "output_digests.json").read_text(encoding="utf-8"))
    sets = script.input_sets(SHARED)
    assert set(sets) == set(kept)
    found = {name: script.digests(name, source, options) for name, (source, options) in sets.items()}
    # to change outputs on purpose: python scripts/output_digests.py --write tests/data/output_digests.json
    assert script.differences(found, kept) == []
