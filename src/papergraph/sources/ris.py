"""RIS (``TY  - JOUR`` … ``ER  -``), the export of Zotero, EndNote, Mendeley, IEEE Xplore, Scopus…

One record per ``TY`` … ``ER`` block: title ``TI``/``T1``, abstract ``AB``/``N2``, DOI ``DO``, year
``PY``/``Y1``/``DA``, authors ``AU``/``A1`` (repeated), keywords ``KW`` (kept in ``extra``), URL
``UR``, a bare DOI in ``L3`` (EBSCO), PubMed id ``AN`` when the database (``DB``) is PubMed, and
the references of a Scopus RIS export (``N1  - References: A; B; …``). A line without a tag
continues the field above it; a tag run onto the end of a line (``…, SpainC3  - …``) is a field
of its own. A record without an abstract is still a paper (its abstract is empty).

>>> text = "TY  - JOUR\\nTI  - A title\\nAU  - Lee, A.\\nPY  - 2019\\nDO  - 10.1000/X\\n"
>>> text += "AB  - We do X.\\nER  - \\n"
>>> [(r.title, r.authors, r.date, r.identifiers) for r in read(text, "a.ris")]
[('A title', ('Lee, A.',), '2019', ('doi:10.1000/x',))]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from papergraph.identifiers import canonical_arxiv, canonical_doi, pubmed_id, scopus_id, wos_id
from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import normalise_date
from papergraph.sources.reference_lists import split_references

NAME = "ris"

_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])  ?-(?: (?P<value>.*)|$)")
#: The tags of RIS and those Web of Science adds (``PU``, ``PI``, ``PA``, ``J9``, ``JI``, ``WE``…).
_KNOWN_TAGS = (
    "TY|A1|A2|A3|A4|AB|AD|AN|AU|AV|BT|C1|C2|C3|C4|C5|C6|C7|C8|CA|CN|CP|CT|CY|DA|DB|DO|DP|ED|EP|ER|ET|"
    "ID|IS|J1|J2|J9|JA|JF|JI|JO|KW|L1|L2|L3|L4|LA|LB|LK|M1|M2|M3|N1|N2|NV|OP|PA|PB|PI|PP|PU|PY|RI|RN|RP|"
    "SE|SN|SP|ST|T1|T2|T3|TA|TI|TT|U1|U2|U3|U4|U5|UR|VL|VO|WE|Y1|Y2"
)
#: A tag run onto the end of the line before it, as some exports write them (Web of Science's
#: ``… Madrid, SpainC3  - Universidad …``, ``… (SCI-EXPANDED)AN  - WOS:…``; a Scopus
#: ``… p. 66 UR  - https://…``).
_RUN_ON_TAG = re.compile(r"(?<=.)(?=(?:" + _KNOWN_TAGS + r")  -(?: |$))")
_FIRST_TAG = re.compile(r"^\s*TY  ?- ", re.MULTILINE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|2[0-9]\d\d)\b")

_TITLE_TAGS = ("TI", "T1", "CT", "BT")
_ABSTRACT_TAGS = ("AB", "N2")
_AUTHOR_TAGS = ("AU", "A1")
_DATE_TAGS = ("PY", "Y1", "DA")
_EID = re.compile(r"[?&]eid=([^&#\s]+)", re.IGNORECASE)
_KEPT = {"KW": "keywords", "T2": "source", "JO": "source", "JF": "source", "SN": "issn", "TY": "type"}


def sniff(text: str, path: str) -> bool:
    """The first non-blank line is a ``TY  - `` tag."""
    head = text.lstrip("\ufeff \t\n")[:200]
    return bool(_FIRST_TAG.match(head))


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per ``TY`` … ``ER`` block; a Problem for a block without title and abstract,
    for lines outside any block, and for a last block without ``ER``."""
    fields: list[tuple[str, str]] | None = None
    start = 0
    for number, line in _lines(text):
        m = _TAG.match(line)
        if m is None:
            if fields:
                tag, value = fields[-1]
                fields[-1] = (tag, f"{value} {line.strip()}".strip())
            elif line.strip() and fields is None:
                yield Problem(path, number, "text outside a TY … ER record")
            continue
        tag, value = m["tag"], (m["value"] or "").strip()
        if tag == "TY":
            if fields is not None:
                yield Problem(path, start, "record has no ER line; read up to the next TY")
                yield _record(fields, start, path)
            fields, start = [("TY", value)], number
        elif tag == "ER":
            if fields is None:
                yield Problem(path, number, "ER without a TY record")
            else:
                yield _record(fields, start, path)
            fields = None
        elif fields is None:
            yield Problem(path, number, f"tag {tag} outside a TY … ER record")
        else:
            fields.append((tag, value))
    if fields is not None:
        yield Problem(path, start, "record has no ER line at the end of the file")
        yield _record(fields, start, path)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines of ``text`` with their numbers; a line that holds a tag run onto its end is read
    as two lines of the same number.

    >>> list(_lines("AD  - Madrid, SpainC3  - Univ\\nER  - "))
    [(1, 'AD  - Madrid, Spain'), (1, 'C3  - Univ'), (2, 'ER  - ')]
    """
    for number, line in enumerate(text.split("\n"), start=1):
        for part in _RUN_ON_TAG.split(line) if "  -" in line else (line,):
            yield number, part


def _first(fields: list[tuple[str, str]], tags: tuple[str, ...]) -> str:
    for wanted in tags:
        for tag, value in fields:
            if tag == wanted and value:
                return value
    return ""


def _date(fields: list[tuple[str, str]]) -> str | None:
    """``PY  - 2019``, ``PY  - 2019/05/01/``, ``Y1  - 1 Jan.-Feb. 2019``: the fullest date read."""
    found: list[str] = []
    for tag in _DATE_TAGS:
        for t, value in fields:
            if t != tag or not value:
                continue
            date = normalise_date(value.strip("/ ").replace("/", "-"))
            if date is None and (m := _YEAR.search(value)):
                date = m[1]
            if date:
                found.append(date)
    # the fullest: "2021-02-01" from DA beside "2021" from PY (the first of equal precision)
    return max(found, key=len, default=None)


def _record(fields: list[tuple[str, str]], line: int, path: str) -> Record | Problem:
    title = " ".join(_first(fields, _TITLE_TAGS).split())
    abstract = _first(fields, _ABSTRACT_TAGS)
    if not title and not abstract:
        return Problem(path, line, "RIS record has neither a title (TI/T1) nor an abstract (AB/N2)")
    ids: list[str] = []
    for tag, value in fields:
        found = None
        doi_link = tag in ("UR", "L3") and "doi.org/" in value.lower()
        if tag == "DO" or doi_link or (tag == "L3" and value.startswith("10.")):  # EBSCO: "L3  - 10.…"
            found = canonical_doi(value)
        elif tag in ("UR", "L1") and "arxiv.org/" in value.lower():
            found = canonical_arxiv(value)
        if found:
            ids.append(found)
    database = _first(fields, ("DB", "DP")).lower()
    accession = _first(fields, ("AN",))
    if accession and "pubmed" in database:
        pmid = pubmed_id(accession)
        if pmid:
            ids.append(pmid)
    elif accession and (wos := wos_id(accession)):  # Web of Science RIS: "AN  - WOS:000…"
        ids.append(wos)
    for tag, value in fields:  # Scopus RIS: the EID in the record's URL ("…record.uri?eid=2-s2.0-…&…")
        if tag in ("UR", "L3") and "scopus.com" in value.lower() and (m := _EID.search(value)):
            eid = scopus_id(m[1])
            if eid:
                ids.append(eid)
    authors = tuple(" ".join(v.split()) for t, v in fields if t in _AUTHOR_TAGS and v.strip())
    extra = sorted({(_KEPT[t], v) for t, v in fields if t in _KEPT and v})
    url = next((v for t, v in fields if t == "UR" and v), None)
    references: tuple[str, ...] = ()
    for tag, value in fields:
        if tag == "N1" and value.lower().startswith("references:"):
            references += split_references(value.split(":", 1)[1])
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=tuple(dict.fromkeys(authors)),
        date=_date(fields),
        url=url,
        references=references,
        extra=tuple(extra),
        identifiers=tuple(dict.fromkeys(ids)),
    )
