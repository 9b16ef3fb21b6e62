"""Crossref works: the REST API's ``{"message": {...}}`` (one work) or
``{"message": {"items": [...]}}`` (a list), a bare work, an array or JSON Lines of works.

Read: ``DOI``, ``title`` (a list), ``abstract`` with its JATS markup (``<jats:p>``) stripped,
``author`` (``given`` + ``family``), the date (``issued``, ``published``, ``published-print``,
``published-online``, ``created``: ``date-parts``), ``URL`` and ``reference`` entries: a ``DOI``
when Crossref has one, else the ``unstructured`` text (or the parts: ``author``, ``year``,
``article-title``, ``journal-title``), which :mod:`papergraph.resolve.references` parses.

>>> work = '{"message-type": "work", "message": {"DOI": "10.1000/ABC", "title": ["T"],'
>>> work += ' "abstract": "<jats:p>We do <jats:italic>X</jats:italic>.</jats:p>",'
>>> work += ' "reference": [{"DOI": "10.1000/xyz"}, {"unstructured": "Lee A. 2001."}]}}'
>>> [(r.abstract, r.identifiers) for r in read(work, "cr.json")]
[('We do X.', ('doi:10.1000/abc',))]
>>> [(ref.text, ref.ids) for r in read(work, "cr.json") for ref in r.cited]
[('', ('doi:10.1000/xyz',)), ('Lee A. 2001.', ())]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from papergraph.identifiers import canonical_doi, orcid
from papergraph.model import Problem, Record, Reference, SourceRef
from papergraph.sources.fields import date_parts, split_authors
from papergraph.sources.json_works import head_of, is_json, read_with, text_of
from papergraph.sources.markup import plain_text

NAME = "crossref"

_DATE_FIELDS = ("issued", "published", "published-print", "published-online", "created")


def sniff(text: str, path: str) -> bool:
    """A Crossref API response (``"message-type"``) or works with ``DOI`` and ``date-parts``."""
    head = head_of(text)
    if not is_json(text):
        return False
    return '"message-type"' in head or ('"DOI"' in head and '"date-parts"' in head)


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per work."""
    yield from read_with(text, path, _record)


def _date(work: dict[str, Any]) -> str | None:
    return next((d for key in _DATE_FIELDS if (d := date_parts(work.get(key)))), None)


def _reference(entry: Any) -> Reference | None:
    if not isinstance(entry, dict):
        return None
    doi = canonical_doi(entry["DOI"]) if isinstance(entry.get("DOI"), str) else None
    text = text_of(entry.get("unstructured"))
    if not text:  # the parts, in the order of a Scopus reference: authors, (year) title, source
        year = entry.get("year")
        parts = [entry.get("author"), f"({year})" if year else None, entry.get("article-title")]
        parts.append(entry.get("journal-title") or entry.get("volume-title"))
        text = ", ".join(str(p).strip() for p in parts if isinstance(p, str) and p.strip())
    if not doi and not text:
        return None
    return Reference(text, (doi,) if doi else ())


def _record(work: dict[str, Any], path: str, line: int) -> Record | Problem:
    title = text_of(work.get("title"))
    abstract = plain_text(work["abstract"]) if isinstance(work.get("abstract"), str) else ""
    if not title and not abstract:
        return Problem(path, line, "Crossref work has neither a title nor an abstract")
    doi = canonical_doi(work["DOI"]) if isinstance(work.get("DOI"), str) else None
    url = work.get("URL")
    refs = [_reference(e) for e in work.get("reference") or []]
    orcids = [
        (named[0], found)
        for item in work.get("author") or []
        if isinstance(item, dict) and isinstance(item.get("ORCID"), str)
        if (named := split_authors([item])) and (found := orcid(item["ORCID"]))
    ]
    container = work.get("container-title")
    venue = (container[0] if isinstance(container, list) and container else container) or None
    venue = " ".join(venue.split()) if isinstance(venue, str) else None
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=split_authors(work.get("author") or []),
        date=_date(work),
        url=url if isinstance(url, str) else None,
        identifiers=(doi,) if doi else (),
        cited=tuple(r for r in refs if r),
        extra=(("source", venue),) if venue else (),
        orcids=tuple(orcids),
    )
