#!/usr/bin/env python3
"""SHA-256 of every output file papergraph writes for fixed inputs: the check that a change of
structure changed no byte of what users get.

    python scripts/output_digests.py                      # print the digests as JSON
    python scripts/output_digests.py --write FILE         # keep them
    python scripts/output_digests.py --check FILE         # exit 1 and name each file that differs

Each input set is copied into a fresh folder as ``in`` and built from there with relative paths
(``papergraph build in -o out``, every format, one job, no cache), so the digests do not depend on
where the checkout or the installed package lies. The sets: the example corpus bundled with
papergraph (always), and where
``../shared`` lies beside the project, the reference corpus, the SciREX dev abstracts and the real
exports of ``../shared/inputs``, plus the reference corpus with the learned extractor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from papergraph import example_corpus

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FORMATS = "ttl,html,graphml,jsonld,nt"


def input_sets(shared: Path = SHARED) -> dict[str, tuple[Path, list[str]]]:
    """Name -> (what to copy as ``in``; extra build options)."""
    sets: dict[str, tuple[Path, list[str]]] = {"example": (example_corpus(), [])}
    if shared.is_dir():
        sets["corpus"] = (shared / "corpus", [])
        sets["scirex-dev"] = (shared / "eval" / "scirex_dev.jsonl", [])
        sets["inputs"] = (shared / "inputs", [])
        sets["corpus-learned"] = (shared / "corpus", ["--extractor", "learned"])
    return sets


def digests(name: str, source: Path, options: list[str]) -> dict[str, str]:
    """Build one input set in a fresh folder; file name -> SHA-256 of each output file."""
    with tempfile.TemporaryDirectory(prefix=f"digests-{name}-") as tmp:
        work = Path(tmp)
        target = work / "in" if source.is_dir() else work / "in" / source.name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir()
            shutil.copyfile(source, target)
        args = ["in"]
        papergraph = str(Path(sys.executable).parent / "papergraph")
        command = [papergraph, "build", *args, "-o", "out", "-f", FORMATS, "--jobs", "1", "--no-cache"]
        command += ["--quiet", *options]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        subprocess.run(command, cwd=work, check=True, env=env)
        out = work / "out"
        return {p.relative_to(out).as_posix(): _digest(p) for p in sorted(out.rglob("*")) if p.is_file()}


def _digest(path: Path) -> str:
    """SHA-256 of a file; of the build state without the absolute paths of the inputs (which name
    the temporary folder)."""
    data = path.read_bytes()
    if path.name == ".papergraph-build.json":
        state = json.loads(data)
        state.pop("absolute", None)
        data = json.dumps(state, sort_keys=True).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def differences(found: dict[str, dict[str, str]], kept: dict[str, dict[str, str]]) -> list[str]:
    """``set/file`` of every output of ``found`` whose digest is not the kept one (or that one side
    lacks)."""
    return [
        f"{name}/{file}"
        for name in found
        for file in sorted(set(found[name]) | set(kept.get(name, {})))
        if found[name].get(file) != kept.get(name, {}).get(file)
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--write", type=Path, help="write the digests to this JSON file")
    group.add_argument("--check", type=Path, help="compare with the digests kept in this JSON file")
    args = ap.parse_args()
    found = {name: digests(name, source, options) for name, (source, options) in input_sets().items()}
    if args.write:
        args.write.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return 0
    if args.check:
        kept = json.loads(args.check.read_text(encoding="utf-8"))
        differ = differences(found, kept)
        for line in differ:
            print(f"differs: {line}")
        print(f"{sum(len(v) for v in found.values()) - len(differ)} files identical, {len(differ)} differ")
        return 1 if differ else 0
    print(json.dumps(found, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
