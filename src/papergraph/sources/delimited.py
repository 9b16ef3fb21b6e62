"""CSV and TSV exports (Scopus, IEEE Xplore, Springer, spreadsheets): a header row, one paper a row.

The delimiter (``,``, tab or ``;``) is chosen from the header row, and columns are matched to
fields by name, case-insensitively and ignoring spaces and underscores (``Document Title``,
``paper_id``, ``Publication Year``…). A file with a title column but no abstract column still
yields its papers, with an empty abstract.

>>> [(r.title, r.abstract) for r in read("title,abstract\\nA,We do X.\\n", "a.csv")]
[('A', 'We do X.')]
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import arxiv_id, field_of, normalise_date, split_authors
from papergraph.sources.reference_lists import split_references

NAME = "csv"

_DELIMITERS = (",", "\t", ";")
_SNIFF_HEAD = 65_536  # characters looked at by sniff
_MAX_HEADER_CELL = 80  # a longer "column name" is prose, not a header
#: A numbered column such as Scopus' "Funding Text 1": rows may carry "Funding Text 2", "3"…
#: right after it although the header does not name them.
_NUMBERED = re.compile(r"^(?P<base>.*\D)\s*1$")


@dataclass(frozen=True)
class _Layout:
    """Column names and, for each Record field, the (first) column holding it."""

    names: tuple[str, ...]
    fields: dict[str, int]


@lru_cache(maxsize=64)
def _layout(names: tuple[str, ...]) -> _Layout:
    fields: dict[str, int] = {}
    for index, name in enumerate(names):
        field = field_of(name)
        if field and field not in fields:
            fields[field] = index
    return _Layout(names, fields)


def _rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
    """The first ``limit`` non-blank rows of ``text`` (a prefix of the file), or fewer."""
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                rows.append(row)
                if len(rows) >= limit:
                    break
    except csv.Error:
        pass
    return rows


def _choose_delimiter(text: str) -> tuple[str, list[list[str]]] | None:
    """The delimiter whose header row names a title or abstract column (and the most known
    columns), with the header and the first data row; ``None`` when there is none."""
    head = text[:_SNIFF_HEAD]
    best: tuple[tuple[int, int, int], str, list[list[str]]] | None = None
    for delimiter in _DELIMITERS:
        if delimiter not in head:
            continue
        rows = _rows(head, delimiter, 2)
        if not rows or len(rows[0]) < 2:
            continue
        known = {field_of(cell) for cell in rows[0]} - {None}
        score = (int("title" in known or "abstract" in known), len(known), len(rows[0]))
        if best is None or score > best[0]:
            best = (score, delimiter, rows)
    if best is None or not best[0][0]:
        return None
    return best[1], best[2]


def sniff(text: str, path: str) -> bool:
    """A header row of ≥ 2 short column names, one of them a title or abstract column, and a
    first data row (if any) that is delimited too."""
    choice = _choose_delimiter(text)
    if choice is None:
        return False
    _, rows = choice
    if any(len(cell) > _MAX_HEADER_CELL for cell in rows[0]):
        return False
    return len(rows) < 2 or len(rows[1]) >= 2


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per data row; a Problem (with the row's first physical line) per bad row."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    choice = _choose_delimiter(text)
    if choice is None:
        yield Problem(path, 1, "no header row with a title or abstract column")
        return
    delimiter, _ = choice
    lines = text.split("\n")
    total_lines = len(lines) - 1 if text.endswith("\n") else len(lines)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    layout: _Layout | None = None
    end = 0
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Problem(path, start, f"CSV syntax error: {exc}")
            if reader.line_num <= end:
                break
            end = reader.line_num
            continue
        end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if layout is None:
            layout = _layout(tuple(row))
            continue
        if end >= total_lines and end > start and "\n".join(lines[start - 1 : end]).count('"') % 2:
            yield Problem(path, start, "unterminated quoted field: the row runs to the end of the file")
            continue
        yield from _read_row(row, start, layout, path)


def _read_row(row: list[str], line: int, layout: _Layout, path: str) -> Iterator[Record | Problem]:
    """The record of one data row, checking its number of fields against the header."""
    width = len(layout.names)
    if len(row) < width:
        yield Problem(path, line, f"row has {len(row)} fields but the header has {width} columns")
        return
    while len(row) > width and not row[-1].strip():  # trailing delimiters
        row = row[:-1]
    warning = None
    if len(row) > width:
        widened = _widen(layout.names, len(row))
        if widened is not None:
            layout = _layout(widened)
        else:
            warning = Problem(
                path,
                line,
                f"row has {len(row)} fields but the header has {width} columns; "
                f"the last {len(row) - width} were ignored",
                skipped=False,
            )
            row = row[:width]
    yield _record(row, line, layout, path)
    if warning:
        yield warning


def _widen(names: tuple[str, ...], width: int) -> tuple[str, ...] | None:
    """Column names for a row wider than the header, when the header has a numbered column
    ("Funding Text 1") the extra fields continue ("Funding Text 2"…); else ``None``."""
    for index in range(len(names) - 1, -1, -1):
        m = _NUMBERED.match(names[index].strip())
        if m:
            base = m["base"].rstrip()
            added = tuple(f"{base} {k}" for k in range(2, width - len(names) + 2))
            return names[: index + 1] + added + names[index + 1 :]
    return None


def _record(row: list[str], line: int, layout: _Layout, path: str) -> Record | Problem:
    """Build the record of one row of the right width."""
    fields = layout.fields

    def get(field: str) -> str:
        return row[fields[field]].strip() if field in fields else ""

    title, abstract = " ".join(get("title").split()), get("abstract")
    if "abstract" in fields and not abstract:
        which = f" (title {title[:60]!r})" if title else ""
        return Problem(path, line, f"row has no abstract{which}")
    if not title and not abstract:
        return Problem(path, line, "row has neither a title nor an abstract")
    doi, raw_date, raw_arxiv = get("doi"), get("date"), get("arxiv_id")
    date = normalise_date(raw_date) if raw_date else None
    ident = get("id") or (arxiv_id(raw_arxiv) or raw_arxiv if raw_arxiv else "") or doi
    mapped = set(fields.values())
    extra = [
        (name.strip() or f"column {i + 1}", value.strip())
        for i, (name, value) in enumerate(zip(layout.names, row, strict=True))
        if i not in mapped and value.strip()
    ]
    if doi:
        extra.append(("doi", doi))
    if raw_arxiv and ident != (arxiv_id(raw_arxiv) or raw_arxiv):
        extra.append(("arxiv_id", raw_arxiv))  # kept: the id column names the record otherwise
    if raw_date and not date:
        extra.append(("date", raw_date))
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        id=ident or None,
        authors=split_authors(get("authors")),
        date=date,
        url=get("url") or None,
        references=split_references(get("references")),
        extra=tuple(sorted(extra)),
    )
