"""PubMed's MEDLINE text: what "Save → PubMed format" (``.nbib``, ``.txt``) and E-utilities
``efetch … rettype=medline`` write.

Each record is a block of tagged lines, blocks apart by a blank line: a tag of up to four letters
padded to four characters, ``- ``, then the value (``PMID- 16403221``, ``TI  - A title``); a line
indented by six spaces continues the field above it. Read: ``PMID`` (``pmid:…``), title ``TI``
(a book's ``BTI``), abstract ``AB``, authors ``FAU`` (full names; else ``AU``) and collective
authors ``CN``, the DOI of ``LID``/``AID  - … [doi]``, the date ``DP`` (``2020 Dec 16``) made
fuller by the electronic date ``DEP`` when it agrees, journal ``JT`` (else ``TA``), MeSH terms
``MH``, keywords ``OT``, publication types ``PT``, ``PMC`` and ORCIDs (``AUID- ORCID: …``).

>>> text = "PMID- 33326793\\nDP  - 2020 Dec 16\\nTI  - A title that\\n      wraps.\\nFAU - Lee, Ann\\n"
>>> text += "AU  - Lee A\\nLID - 10.1000/X1 [doi]\\nAB  - We do X.\\nMH  - Humans\\nOT  - deep learning\\n"
>>> r = next(read(text, "pubmed.nbib"))
>>> r.title, r.authors, r.date, r.identifiers
('A title that wraps.', ('Lee, Ann',), '2020-12-16', ('pmid:33326793', 'doi:10.1000/x1'))
>>> r.extra
(('keywords', 'deep learning'), ('mesh', 'Humans'))
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from papergraph.identifiers import canonical_doi, orcid, pubmed_id
from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import normalise_date, refined

NAME = "pubmed"

#: ``extra`` keys, shared with :mod:`.pubmed_xml`: MeSH headings, author keywords (the key the RIS
#: and Web of Science readers use), the journal (the key of RIS ``T2``/``JO`` and WoS ``SO``) …
MESH, KEYWORDS, SOURCE, TYPE, PMCID = "mesh", "keywords", "source", "type", "pmcid"

_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9 ]{3})- ?(?P<value>.*)$")
_CONTINUED = re.compile(r"^ {6}\S|^\t")
_SNIFF = re.compile(r"^PMID- ?\d+\s*$", re.MULTILINE)
_MEDLINE_DATE = re.compile(r"^(\d{4})\b(.*)$")
_DOI_NOTE = re.compile(r"\s*\[doi\]\s*$", re.IGNORECASE)
_KEPT = {"MH": MESH, "OT": KEYWORDS, "PT": TYPE}


def sniff(text: str, path: str) -> bool:
    """The first non-blank line is ``PMID- <number>``, followed by more tagged lines."""
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    first_line = head.split("\n", 1)[0]
    return bool(_SNIFF.match(first_line)) and bool(
        re.search(r"^[A-Z]{2,4} *- ", head[len(first_line) :], re.M)
    )


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per block of tagged lines; a Problem for each line that is neither a tag nor a
    continuation, and for a record with neither title nor abstract."""
    fields: list[tuple[str, str]] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            if fields:
                yield _record(fields, start, path)
            fields = []
            continue
        m = _TAG.match(line)
        if m is None and fields and _CONTINUED.match(line):
            tag, value = fields[-1]
            fields[-1] = (tag, f"{value} {line.strip()}".strip())
            continue
        if m is None:
            yield Problem(path, number, f"not a MEDLINE field line (TAG - value): {line[:40]!r}; ignored")
            continue
        tag, value = m["tag"].strip(), m["value"].strip()
        if tag == "PMID" and fields:  # a new record without the blank line between
            yield _record(fields, start, path)
            fields = []
        if not fields:
            start = number
        fields.append((tag, value))
    if fields:
        yield _record(fields, start, path)


def medline_date(value: str) -> str | None:
    """A MEDLINE date (``2020 Dec 16``, ``2003 Nov-Dec``, ``1998 Dec-1999 Jan``, ``2014 Winter``)
    as ISO: the whole when it parses, else its year and first month.

    >>> [medline_date(v) for v in ("2020 Dec 16", "2003 Nov-Dec", "2014 Winter", "20060110", "n.d.")]
    ['2020-12-16', '2003-11', '2014', '2006-01-10', None]
    """
    value = value.strip()
    if re.fullmatch(r"\d{8}", value):  # DEP: 20060110
        return normalise_date(f"{value[:4]}-{value[4:6]}-{value[6:]}")
    m = _MEDLINE_DATE.match(value)
    if m is None:
        return normalise_date(value)
    year, rest = m[1], m[2].strip()
    month = re.match(r"[A-Za-z]{3,}", rest)
    return (
        (normalise_date(f"{rest} {year}") if rest else None)
        or (normalise_date(f"{month[0]} {year}") if month else None)
        or normalise_date(year)
    )


def _values(fields: list[tuple[str, str]], *tags: str) -> list[str]:
    return [value for tag, value in fields if tag in tags and value]


def _record(fields: list[tuple[str, str]], line: int, path: str) -> Record | Problem:
    title = " ".join(" ".join(_values(fields, "TI") or _values(fields, "BTI")).split())
    abstract = " ".join(" ".join(_values(fields, "AB")).split())
    pmid = next((p for v in _values(fields, "PMID") if (p := pubmed_id(v))), None)
    if not title and not abstract:
        which = f" (PMID {pmid.split(':')[1]})" if pmid else ""
        return Problem(path, line, f"MEDLINE record{which} has neither a title (TI) nor an abstract (AB)")
    dois = [canonical_doi(_DOI_NOTE.sub("", v)) for v in _values(fields, "LID", "AID") if _DOI_NOTE.search(v)]
    authors = _values(fields, "FAU") or _values(fields, "AU")
    date = None
    for value in _values(fields, "DP"):
        date = date or medline_date(value)
    for value in _values(fields, "DEP"):
        date = refined(date, medline_date(value))
    extra = [(_KEPT[tag], value) for tag, value in fields if tag in _KEPT and value]
    journal = (_values(fields, "JT") or _values(fields, "TA"))[:1]
    extra += [(SOURCE, j) for j in journal] + [(PMCID, v) for v in _values(fields, "PMC")]
    orcids, author = [], None
    for tag, value in fields:  # an AUID belongs to the FAU (or AU) before it
        if tag in ("FAU", "AU") and (tag == "FAU" or not _values(fields, "FAU")):
            author = value
        elif tag == "AUID" and value.startswith("ORCID:") and author and (found := orcid(value)):
            orcids.append((author, found))
    return Record(
        orcids=tuple(dict.fromkeys(orcids)),
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=tuple(dict.fromkeys([*authors, *_values(fields, "CN")])),
        date=date,
        extra=tuple(sorted(set(extra))),
        identifiers=tuple(i for i in dict.fromkeys([pmid, *dois]) if i),
    )
