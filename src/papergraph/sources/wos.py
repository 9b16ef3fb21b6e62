"""Web of Science exports: "Plain text" (``FN``/``VR`` header, two-letter tags, ``ER`` after each
record) and "Tab-delimited" (a header row of the same tags: ``PT  AU  …  TI  …``).

Read: title ``TI``, abstract ``AB``, DOI ``DI``, year ``PY`` (with ``PD``), authors ``AF`` (full
names) else ``AU``, accession number ``UT`` (``wos:…``), PubMed id ``PM``, keywords ``DE``/``ID``
(kept in ``extra``) and the cited references ``CR`` (one per line in plain text, ``; ``-separated
in tab-delimited files), which :mod:`papergraph.resolve.references` parses.

>>> text = "FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\nAU Lee, A\\nTI A title\\n   that wraps\\n"
>>> text += "PY 2019\\nAB We do X.\\nCR Bengio Y, 2003, J MACH LEARN RES, V3, P1137\\n"
>>> text += "UT WOS:000123456700001\\nER\\n"
>>> [(r.title, r.references, r.identifiers) for r in read(text, "savedrecs.txt")]
[('A title that wraps', ('Bengio Y, 2003, J MACH LEARN RES, V3, P1137',), ('wos:000123456700001',))]
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from papergraph.identifiers import canonical_doi, pubmed_id, wos_id
from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import normalise_date

NAME = "wos"

_PLAIN_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9]|ER|EF)(?: (?P<value>.*))?$")
_HEADER_TAGS = {"PT", "AU", "TI", "SO", "PY"}
#: Fields whose continuation lines are separate values (one author / reference per line).
_LIST_TAGS = {"AU", "AF", "CR", "BA", "BF", "C1"}
_KEPT = {"DE": "keywords", "ID": "keywords plus", "SO": "source", "PT": "type", "DT": "document type"}


def sniff(text: str, path: str) -> bool:
    """A plain-text export (``FN`` … then ``VR``/``PT`` lines) or a tab-delimited header row with
    the tags ``PT``, ``AU``, ``TI``…"""
    head = text.lstrip("\ufeff \n")[:4000]
    if head.startswith("FN ") and re.search(r"^(?:VR|PT) ", head, re.MULTILINE):
        return True
    # a file without the FN/VR header: PT, then TI and the source SO (the ER of a long first record
    # lies past the head)
    if head.startswith("PT ") and all(re.search(f"^{tag} ", head, re.MULTILINE) for tag in ("TI", "SO")):
        return True
    first = head.split("\n", 1)[0]
    cells = {c.strip() for c in first.split("\t")}
    return len(cells & _HEADER_TAGS) >= 3 and "TI" in cells


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per plain-text ``PT`` … ``ER`` block or per tab-delimited row."""
    head = text.lstrip("\ufeff \n")
    if "\t" in head.split("\n", 1)[0]:
        yield from _read_tabbed(text, path)
    else:
        yield from _read_plain(text, path)


def _read_plain(text: str, path: str) -> Iterator[Record | Problem]:
    fields: dict[str, list[str]] | None = None
    start = 0
    last = ""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if line.startswith("   ") or line.startswith("\t"):
            if fields is not None and last:
                value = line.strip()
                if last in _LIST_TAGS:
                    fields[last].append(value)
                else:
                    fields[last][-1] = f"{fields[last][-1]} {value}".strip()
            continue
        m = _PLAIN_TAG.match(line.rstrip())
        if m is None:
            yield Problem(path, number, f"not a Web of Science field line: {line[:40]!r}")
            continue
        tag, value = m["tag"], (m["value"] or "").strip()
        if tag in ("FN", "VR", "EF"):
            continue
        if tag == "ER":
            if fields is not None:
                yield _record(fields, start, path)
            fields, last = None, ""
            continue
        if fields is None:
            if tag != "PT":
                yield Problem(path, number, f"record does not start with PT (found {tag})")
            fields, start = {}, number
        fields.setdefault(tag, []).append(value)
        last = tag
    if fields is not None:
        yield Problem(path, start, "record has no ER line at the end of the file")
        yield _record(fields, start, path)


def _read_tabbed(text: str, path: str) -> Iterator[Record | Problem]:
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t", quoting=csv.QUOTE_NONE)
    header: list[str] | None = None
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            continue
        fields: dict[str, list[str]] = {}
        for tag, cell in zip(header, row, strict=False):
            if tag and cell.strip():
                values = cell.split("; ") if tag in _LIST_TAGS else [cell]
                fields[tag] = [v.strip() for v in values if v.strip()]
        yield _record(fields, number, path)


def _one(fields: dict[str, list[str]], tag: str) -> str:
    return " ".join(" ".join(fields.get(tag, [])).split())


def _record(fields: dict[str, list[str]], line: int, path: str) -> Record | Problem:
    title, abstract = _one(fields, "TI"), _one(fields, "AB")
    if not title and not abstract:
        return Problem(path, line, "Web of Science record has neither a title (TI) nor an abstract (AB)")
    ids = [canonical_doi(_one(fields, "DI")), wos_id(_one(fields, "UT")), pubmed_id(_one(fields, "PM"))]
    year, month = _one(fields, "PY"), _one(fields, "PD")
    date = (normalise_date(f"{month} {year}") if month else None) or normalise_date(year)
    authors = fields.get("AF") or fields.get("AU") or []
    extra = sorted(
        {(_KEPT[t], v.strip()) for t in _KEPT for value in fields.get(t, []) for v in value.split("; ")}
        - {("keywords", ""), ("keywords plus", "")}
    )
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=tuple(" ".join(a.split()) for a in authors if a.strip()),
        date=date,
        references=tuple(r for r in fields.get("CR", []) if r),
        extra=tuple(extra),
        identifiers=tuple(i for i in dict.fromkeys(ids) if i),
    )
