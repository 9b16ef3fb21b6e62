"""``papergraph build --update`` gives the files a full build gives, whatever the split.

Hypothesis chooses which records of the example corpus (one abstract per line, 224 records of
214 papers, some read twice) an earlier build reads and which an ``--update`` adds; the test builds
the earlier part, updates it with the rest, builds both parts at once into another folder, and
compares every output file byte for byte. The records' extractions come from one cache made once
(a cache hit gives the same files as an extraction: ``test_update.py``), so an example costs only
resolving and writing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.cli import main
from papergraph.examples import example_corpus
from papergraph.export.formats import FORMATS

LINES = [
    (path.name, line)
    for path in sorted(example_corpus().glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
    if line.strip()
]
EVERY_FORMAT = ",".join(FORMATS)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An extraction cache holding every record of the example corpus."""
    out = tmp_path_factory.mktemp("warm")
    assert main(["build", str(example_corpus()), "--out", str(out), "-f", "ttl", "-q", "-j", "1"]) == 0
    return out / ".papergraph-cache.sqlite"


def _write(folder: Path, lines: list[tuple[str, str]]) -> list[str]:
    """The lines written into files of their names under ``folder``; the files, in name order."""
    folder.mkdir(parents=True)
    by_name: dict[str, list[str]] = {}
    for name, line in lines:
        by_name.setdefault(name, []).append(line)
    for name, texts in by_name.items():
        (folder / name).write_text("".join(texts), encoding="utf-8")
    return [str(folder / name) for name in sorted(by_name)]


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def check_update_equals_full_build(root: Path, cache: Path, old: list[int], new: list[int], jobs: int) -> None:
    """Build the lines ``old``, ``--update`` with the lines ``new`` (another folder of files of the
    same names), and compare every file with a full build of both."""
    old_files = _write(root / "old", [LINES[i] for i in old])
    new_files = _write(root / "new", [LINES[i] for i in new])
    updated, full = root / "updated", root / "full"
    for out in (updated, full):
        out.mkdir()
        shutil.copyfile(cache, out / ".papergraph-cache.sqlite")
    options = ["-f", EVERY_FORMAT, "-q", "-j", str(jobs), "--keep-going"]
    assert main(["build", *old_files, "--out", str(updated), *options]) == 0
    assert main(["build", "--update", str(updated), *new_files, "-q", "-j", str(jobs), "--keep-going"]) == 0
    assert main(["build", *old_files, *new_files, "--out", str(full), *options]) == 0
    got, expected = _outputs(updated), _outputs(full)
    assert sorted(got) == sorted(expected) == sorted(f.file_name for f in FORMATS.values())
    for name in expected:
        assert got[name] == expected[name], name


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    split=st.lists(st.booleans(), min_size=len(LINES), max_size=len(LINES)).filter(
        lambda s: any(s) and not all(s)
    ),
    jobs=st.sampled_from([1, 2]),
)
def test_update_gives_the_files_of_a_full_build(
    split: list[bool], jobs: int, warm_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    old = [i for i, is_new in enumerate(split) if not is_new]
    new = [i for i, is_new in enumerate(split) if is_new]
    check_update_equals_full_build(tmp_path_factory.mktemp("split"), warm_cache, old, new, jobs)


@pytest.mark.parametrize("share", [0.01, 0.5, 0.99])
def test_update_of_a_few_or_most_papers(share: float, warm_cache: Path, tmp_path: Path) -> None:
    """The ends Hypothesis seldom draws: one paper in a hundred added, half, all but one in a hundred."""
    cut = max(1, round(len(LINES) * (1 - share)))
    check_update_equals_full_build(tmp_path, warm_cache, list(range(cut)), list(range(cut, len(LINES))), 1)
