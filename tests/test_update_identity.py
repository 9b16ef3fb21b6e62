"""``papergraph build --update`` gives the files a full build gives, whatever the split.

The units are the records of the example corpus (224 records of 214 papers, some listed twice),
each a JSON line, and the real exports of ``tests/data/exports`` (BibTeX, RIS, CSV, PubMed,
EndNote, CSL-JSON, OpenAlex, Semantic Scholar, Crossref, Web of Science: DOIs that merge records
across files, references that cite papers of other files), each a whole file. Hypothesis chooses
which units an earlier build reads and which an ``--update`` adds; the test builds the earlier
part, updates it with the rest, builds both parts at once into another folder, and compares every
output file byte for byte. The records' extractions come from one cache made once (a cache hit
gives the same files as an extraction: ``test_update.py``), so an example costs only resolving
and writing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.cli import main
from papergraph.examples import example_corpus
from papergraph.export.formats import FORMATS
from papergraph.sources import read_paths

EXPORTS = Path(__file__).parent / "data" / "exports"


def _as_json(record) -> str:  # type: ignore[no-untyped-def]
    fields = {"id": record.id, "title": record.title, "abstract": record.abstract, "url": record.url}
    fields |= {"date": record.date, "authors": list(record.authors) or None}
    return json.dumps({k: v for k, v in fields.items() if v is not None}, ensure_ascii=False) + "\n"


#: (file name, a JSON line) for each record of the example corpus, (file name, None) for each export
UNITS: list[tuple[str, str | None]] = [
    ("corpus.jsonl", _as_json(r)) for r in read_paths([example_corpus()]).records
] + [
    (p.name, None)
    for p in sorted(EXPORTS.rglob("*"))
    if p.is_file() and not p.name.startswith(("LICENSE", "SOURCES"))
]
EXPORT_FILES = {p.name: p for p in EXPORTS.rglob("*") if p.is_file()}
EVERY_FORMAT = ",".join(FORMATS)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An extraction cache holding every record of every unit."""
    out = tmp_path_factory.mktemp("warm")
    files = _write(tmp_path_factory.mktemp("all"), list(range(len(UNITS))))
    assert main(["build", *files, "--out", str(out), "-f", "ttl", "-q", "-j", "1", "--keep-going"]) == 0
    return out / ".papergraph-cache.sqlite"


def _write(folder: Path, units: list[int]) -> list[str]:
    """The ``units`` written into ``folder``; the files, in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [UNITS[i][1] for i in units if UNITS[i][1] is not None]
    if lines:
        (folder / "corpus.jsonl").write_text("".join(lines), encoding="utf-8")  # type: ignore[arg-type]
    for i in units:
        name, line = UNITS[i]
        if line is None:
            shutil.copyfile(EXPORT_FILES[name], folder / name)
    return [str(p) for p in sorted(folder.iterdir())]


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def check_update_equals_full_build(
    root: Path, cache: Path, old: list[int], new: list[int], jobs: int
) -> None:
    """Build the units ``old``, ``--update`` with the units ``new`` (another folder of files of the
    same names), and compare every file with a full build of both."""
    old_files = _write(root / "old", old)
    new_files = _write(root / "new", new)
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


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    split=st.lists(st.booleans(), min_size=len(UNITS), max_size=len(UNITS)).filter(
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
    cut = max(1, round(len(UNITS) * (1 - share)))
    check_update_equals_full_build(tmp_path, warm_cache, list(range(cut)), list(range(cut, len(UNITS))), 1)
