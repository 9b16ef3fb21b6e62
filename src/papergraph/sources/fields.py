"""Parse the fields paper records share across formats: dates, authors, arXiv ids, field names.

Used by the JSON, CSV/TSV, BibTeX and Atom readers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from typing import Any

#: Normalised column/field name -> Record field (shared by the JSON and CSV readers).
FIELD_ALIASES: dict[str, str] = {
    "id": "id",
    "paperid": "id",
    "eid": "id",
    "arxivid": "arxiv_id",
    "title": "title",
    "documenttitle": "title",
    "itemtitle": "title",
    "papertitle": "title",
    "abstract": "abstract",
    "summary": "abstract",
    "authors": "authors",
    "author": "authors",
    "date": "date",
    "year": "date",
    "publicationyear": "date",
    "published": "date",
    "publicationdate": "date",
    "publishedat": "date",
    "url": "url",
    "link": "url",
    "references": "references",
    "citedreferences": "references",
    "doi": "doi",
    "itemdoi": "doi",
    "upvotes": "upvotes",
}

_ARXIV_NEW = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_OLD = re.compile(r"^(?:arxiv:)?([a-z][a-z.\-]*/\d{7})(?:v\d+)?$", re.IGNORECASE)

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9
_ISO_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ].*)?$")
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_ORDINALS = {"st", "nd", "rd", "th"}


def normalise_key(name: str) -> str:
    """Lower-case a field or column name and drop spaces, underscores and a BOM.

    >>> normalise_key("Document Title"), normalise_key("paper_id")
    ('documenttitle', 'paperid')
    """
    return re.sub(r"[\s_\ufeff]+", "", name).lower()


def field_of(name: str) -> str | None:
    """The Record field a column or JSON key stands for, or ``None``.

    >>> field_of("Publication Year"), field_of("Publication Title")
    ('date', None)
    """
    return FIELD_ALIASES.get(normalise_key(name))


def arxiv_id(value: str) -> str | None:
    """``"2401.01234v2"`` or ``"arXiv:hep-th/9901001"`` → ``"arXiv:..."`` without version; else None.

    >>> arxiv_id("2401.01234v2"), arxiv_id("hep-th/9901001"), arxiv_id("10.1/x")
    ('arXiv:2401.01234', 'arXiv:hep-th/9901001', None)
    """
    value = value.strip()
    m = _ARXIV_NEW.match(value) or _ARXIV_OLD.match(value)
    return f"arXiv:{m.group(1)}" if m else None


def normalise_date(value: Any) -> str | None:
    """An ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) from common spellings, else ``None``.

    >>> [normalise_date(v) for v in ("2023-06-29", "Jun 29, 2023", "2023", 2023, "4 Feb 2014", "June 2023")]
    ['2023-06-29', '2023-06-29', '2023', '2023', '2014-02-04', '2023-06']
    >>> normalise_date("2024-01-02T18:00:00Z"), normalise_date("soon")
    ('2024-01-02', None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(int(value)) if value == int(value) and 1000 <= value <= 2999 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _ISO_DATE.match(text)
    if m:
        return _iso(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    return _textual_date(text)


def _textual_date(text: str) -> str | None:
    """Dates such as ``Jun 29, 2023``, ``29 June 2023``, ``June 2023`` or ``29/06/2023``."""
    year = month = day = None
    numbers: list[int] = []
    for token in _TOKEN.findall(text):
        low = token.lower()
        if low.isdigit():
            if len(low) == 4 and year is None:
                year = int(low)
            elif len(low) <= 2:
                numbers.append(int(low))
            else:
                return None
        elif low in _MONTHS and month is None:
            month = _MONTHS[low]
        elif low not in _ORDINALS:
            return None
    if year is None:
        return None
    if month is not None:
        day = numbers[0] if len(numbers) == 1 else None
    elif len(numbers) == 2:  # numeric day/month: only when unambiguous
        first, second = numbers
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            month, day = first, second
    elif numbers:
        return None
    return _iso(year, month, day)


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    """Format a (partial) date, dropping the parts that are not valid."""
    if not 1000 <= year <= 2999:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is not None:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"


def date_parts(value: Any) -> str | None:
    """The date of a CSL / Crossref date object: the first of its ``date-parts`` (year, month, day;
    numbers or digit strings), else its ``raw`` or ``literal`` text.

    >>> date_parts({"date-parts": [[2020, 12, 16]]}), date_parts({"date-parts": [["1999", 2]]})
    ('2020-12-16', '1999-02')
    >>> date_parts({"raw": "2019-05"}), date_parts({"date-parts": [[None]]}), date_parts("2001")
    ('2019-05', None, None)
    """
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        numbers: list[int] = []
        for part in parts[0][:3]:
            if isinstance(part, str) and part.strip().isdigit():
                part = int(part)
            if not isinstance(part, int) or isinstance(part, bool):
                break
            numbers.append(part)
        if numbers:
            return _iso(numbers[0], *[*numbers[1:], None, None][:2])
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str):
            return normalise_date(value[key])
    return None


def refined(date: str | None, finer: str | None) -> str | None:
    """``finer`` when it is a fuller spelling of ``date`` (the same year, and month if given),
    else ``date``: a day from an electronic date refines a print year, never contradicts it.

    >>> refined("2006", "2006-01-10"), refined("2018-04", "2018-06-28"), refined(None, "2001")
    ('2006-01-10', '2018-04', '2001')
    """
    if date is None:
        return finer
    return finer if finer and len(finer) > len(date) and finer.startswith(date) else date


def split_authors(value: Any) -> tuple[str, ...]:
    """Author names from a list of names, a list of ``{"name": ...}`` or one separated string.

    >>> split_authors("A. Smith; B. Jones"), split_authors("A. Smith, B. Jones and C. Lee")
    (('A. Smith', 'B. Jones'), ('A. Smith', 'B. Jones', 'C. Lee'))
    >>> split_authors([{"name": "Ann Lee"}, "Bo Li"]), split_authors("Doe, Jane")
    (('Ann Lee', 'Bo Li'), ('Doe, Jane',))
    """
    if isinstance(value, str):
        names = _split_author_string(value)
    elif isinstance(value, list | tuple):
        names = [_author_name(item) for item in value]
    elif isinstance(value, dict):
        names = [_author_name(value)]
    else:
        names = []
    return tuple(" ".join(name.split()) for name in names if name and name.strip())


def _author_name(item: Any) -> str:
    """One author from a JSON value: a string, or an object with a name."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in ("name", "full_name", "fullname", "literal"):
            if isinstance(item.get(key), str):
                return item[key]
        parts = [item.get(k) for k in _NAME_PARTS]
        return " ".join(p for p in parts if isinstance(p, str))
    return "" if item is None else str(item)


#: The parts of a name object, in reading order (CSL's ``given``, particles, ``family``, ``suffix``).
_NAME_PARTS = ("given", "first", "dropping-particle", "non-dropping-particle", "family", "last", "suffix")

#: Initials as Scopus writes them after a surname: ``Y.``, ``J.-H.``, ``A.B.``.
_INITIALS = re.compile(r"(?:[A-Z\u00c0-\u00de][a-z]?\.\s?-?\s?)+")


def _split_author_string(text: str) -> list[str]:
    """Split ``"A; B"``, ``"A and B"``, ``"A, B and C"``, ``"Pan, Y., Yu, C."`` (surname, initials,
    as older Scopus CSVs write them); keep ``"Doe, Jane"`` whole.

    >>> _split_author_string("Pan, Y., Yu, C.-H., Zhang, W.")
    ['Pan, Y.', 'Yu, C.-H.', 'Zhang, W.']
    """
    if ";" in text:
        return text.split(";")
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 4 and len(parts) % 2 == 0:
        pairs = list(zip(parts[::2], parts[1::2], strict=True))
        if all(_INITIALS.fullmatch(initials) and "." not in surname for surname, initials in pairs):
            return [f"{surname}, {initials}" for surname, initials in pairs]
    names: list[str] = []
    for chunk in re.split(r"\s*,?\s+and\s+", text):
        parts = [p.strip() for p in chunk.split(",")]
        if len(parts) > 1 and all(re.search(r"[\s.]", p) for p in parts if p):
            names.extend(parts)
        else:
            names.append(chunk)
    return names


def compact(value: Any) -> str:
    """A string as itself, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
