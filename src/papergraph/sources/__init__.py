"""Read paper listings from files, recognising each file's format from its content.

Every reader is a module in this package exposing

* ``NAME``: the format's short name (``"hf-daily"``, ``"jsonl"`` …),
* ``sniff(text: str, path: str) -> bool``: whether ``text`` (the whole decoded file) is in this format,
* ``read(text: str, path: str) -> Iterator[Record | Problem]``: its records, and a :class:`Problem`
  (naming the line) for each part that cannot be used, without stopping at the first.

``read_paths`` walks folders, decodes each file, picks the first reader whose ``sniff`` accepts it
and collects records and problems. Readers never raise on bad content; should one fail anyway,
the file's remaining records are reported as one problem (the traceback is logged at debug level)
and the other files are read. Every record then passes :func:`~.record_checks.check_record`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from papergraph.model import Problem, Record
from papergraph.sources import (
    abstract_lines,
    atom,
    bibtex,
    crossref,
    csl_json,
    delimited,
    endnote_xml,
    hf_daily,
    json_records,
    openalex,
    pubmed,
    pubmed_xml,
    ris,
    semantic_scholar,
    wos,
)
from papergraph.sources.decoding import decode
from papergraph.sources.files import read_bytes, walk
from papergraph.sources.record_checks import check_record, without_surrogates

_log = logging.getLogger(__name__)

#: Readers in the order their ``sniff`` is tried: the most specific first.
READERS = (
    openalex,
    semantic_scholar,
    csl_json,  # before crossref: CSL items have DOI and date-parts too, but a string title
    crossref,
    json_records,
    atom,
    pubmed_xml,
    endnote_xml,
    bibtex,
    pubmed,
    ris,
    wos,
    abstract_lines,
    delimited,
    hf_daily,
)

#: Largest file read, in bytes: a file is decoded whole, and its text and records take several
#: times its size in memory. Split bigger dumps (``split -l``) or raise this.
MAX_FILE_BYTES = 1 << 30


@dataclass(frozen=True)
class FileReport:
    """What was read from one file."""

    path: str
    format: str | None
    records: int
    problems: int


@dataclass(frozen=True)
class ReadResult:
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    files: tuple[FileReport, ...]


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield the files named by ``paths``: files as given, folders walked in sorted order
    (:func:`~papergraph.sources.files.walk`, whose problems :func:`read_paths` reports)."""
    return (p for p in walk(paths) if isinstance(p, Path))


def detect(text: str, path: str = "") -> str | None:
    """Name the format of ``text``, or ``None`` when no reader recognises it.

    >>> detect("Abstract: We propose X.\\n")
    'abstract-lines'
    """
    for reader in READERS:
        if reader.sniff(text, path):
            return reader.NAME
    return None


def read_file(path: str | Path) -> tuple[list[Record], list[Problem], str | None]:
    """Read one file: its records, its problems and the format it was read as."""
    name = str(path)
    raw, lost = read_bytes(path, MAX_FILE_BYTES)  # never blocks, bounded, gzip recovered
    if raw is None:
        return [], lost, None
    text, problem = decode(raw, name)
    if text is None:
        return [], [*lost, problem] if problem else lost, None
    if not text.strip():
        return [], [*lost, Problem(name, None, "file is empty")], None
    for reader in READERS:
        if _sniffs(reader, text, name):
            records, problems = _read_with(reader, text, name)
            if problem:
                problems.insert(0, problem)
            problems[:0] = lost
            if not records and not problems:
                problems.append(Problem(name, None, f"no paper records found (read as {reader.NAME})"))
            return records, problems, reader.NAME
    return (
        [],
        [
            *lost,
            Problem(
                name,
                None,
                "format not recognised (expected HF Daily Papers text, Abstract: lines, "
                "JSON/JSON Lines/CSV records, arXiv Atom, BibTeX, RIS, Web of Science, PubMed "
                "(MEDLINE text or XML), EndNote XML, CSL-JSON, OpenAlex, Semantic Scholar or Crossref JSON)",
            ),
        ],
        None,
    )


def _sniffs(reader, text: str, name: str) -> bool:  # type: ignore[no-untyped-def]
    """``reader.sniff``; a sniffer that fails says no (logged at debug level)."""
    try:
        return bool(reader.sniff(text, name))
    except (Exception, RecursionError):
        _log.debug("%s: the %s sniffer failed", name, reader.NAME, exc_info=True)
        return False


def _read_with(reader, text: str, name: str) -> tuple[list[Record], list[Problem]]:  # type: ignore[no-untyped-def]
    """The checked records and the problems of ``text`` read by ``reader``; a reader's failure
    ends that file (reported), never the build."""
    records: list[Record] = []
    problems: list[Problem] = []
    last_line: int | None = None
    try:
        for item in reader.read(text, name):
            if isinstance(item, Problem):
                problems.append(item)
                continue
            last_line = item.source.line
            checked = check_record(item)
            if isinstance(checked, tuple):
                records.append(checked[0])
                problems.append(checked[1])
            else:
                (records if isinstance(checked, Record) else problems).append(checked)
    except (Exception, RecursionError) as exc:
        _log.debug("reading %s as %s failed", name, reader.NAME, exc_info=True)
        where = f" after the record on line {last_line}" if last_line else ""
        problems.append(
            Problem(
                name,
                last_line,
                f"reading stopped{where} ({reader.NAME} reader failed: {type(exc).__name__}: {exc}); "
                "the rest of the file is skipped",
            )
        )
    return records, problems


def recorded_path(path: Path, given: Path) -> str:
    """How a record read from ``path`` names its file (``pg:sourceFile``): as given when the input
    ``given`` is relative, else relative to the folder that holds ``given``, so that the builder's
    absolute paths stay out of the graph (problems still name the file as it is found).

    >>> recorded_path(Path("/home/me/data/x/a.bib"), Path("/home/me/data/x"))
    'x/a.bib'
    >>> recorded_path(Path("in/a.bib"), Path("in"))
    'in/a.bib'
    """
    if not given.is_absolute():
        shown = str(path)
    else:
        try:
            shown = str(path.relative_to(given.parent))
        except ValueError:  # a file outside the input (a link): its name
            shown = path.name
    return shown if shown.isascii() else without_surrogates(shown)  # a name that is not UTF-8


def read_paths(paths: Iterable[str | Path]) -> ReadResult:
    """Read every file named by ``paths`` (files or folders); each record names its file as
    :func:`recorded_path` says."""
    records: list[Record] = []
    problems: list[Problem] = []
    files: list[FileReport] = []
    for given, path in ((Path(p), found) for p in paths for found in walk([p])):
        if isinstance(path, Problem):  # a folder's entry left unread
            problems.append(path)
            files.append(FileReport(path.path, None, 0, 1))
            continue
        if not path.exists():
            problems.append(Problem(str(path), None, "no such file or folder"))
            files.append(FileReport(str(path), None, 0, 1))
            continue
        recs, probs, fmt = read_file(path)
        shown = recorded_path(path, given)
        if recs and shown != recs[0].source.path:
            recs = [replace(r, source=replace(r.source, path=shown)) for r in recs]
        records.extend(recs)
        problems.extend(probs)
        files.append(FileReport(str(path), fmt, len(recs), len(probs)))
    return ReadResult(tuple(records), tuple(problems), tuple(files))
