"""OpenAlex works: an API page (``{"meta": …, "results": [...]}``), a single work, or JSON Lines
from the snapshot.

Read: ``title`` (or ``display_name``), the abstract rebuilt from ``abstract_inverted_index``
(word → positions), ``doi`` and ``ids`` (``openalex``, ``doi``, ``pmid``), an arXiv id from a
location on arxiv.org, ``publication_date`` (else ``publication_year``), the authors of
``authorships`` and ``referenced_works`` (OpenAlex ids, which become ``cites``).

>>> work = '{"id": "https://openalex.org/W1", "title": "T", "publication_year": 2020,'
>>> work += ' "abstract_inverted_index": {"We": [0], "do": [1], "X.": [2]},'
>>> work += ' "referenced_works": ["https://openalex.org/W2"]}'
>>> [(r.abstract, r.identifiers, r.cited[0].ids) for r in read(work, "w.json")]
[('We do X.', ('openalex:W1',), ('openalex:W2',))]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from papergraph.identifiers import canonical_arxiv, canonical_doi, openalex_id, orcid, pubmed_id
from papergraph.model import Problem, Record, Reference, SourceRef
from papergraph.sources.fields import normalise_date
from papergraph.sources.json_works import head_of, is_json, read_with, text_of

NAME = "openalex"

_WORK_ID = re.compile(r'"id"\s*:\s*"https://openalex\.org/W\d+"')
_WORK_FIELDS = ('"abstract_inverted_index"', '"authorships"', '"referenced_works"', '"publication_year"')


def sniff(text: str, path: str) -> bool:
    """JSON whose objects have an OpenAlex work id and OpenAlex's work fields."""
    head = head_of(text)
    return is_json(text) and bool(_WORK_ID.search(head)) and any(f in head for f in _WORK_FIELDS)


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per work."""
    yield from read_with(text, path, _record)


def abstract_from_index(index: Any) -> str:
    """The abstract an ``abstract_inverted_index`` encodes: each word at each of its positions.

    >>> abstract_from_index({"of": [1, 4], "Use": [0], "rest": [3], "the": [2], "X.": [5]})
    'Use of the rest of X.'
    """
    if not isinstance(index, dict):
        return ""
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if isinstance(positions, list):
            for p in positions:
                if isinstance(p, int):
                    slots[p] = word
    return " ".join(slots[p] for p in sorted(slots))


def _record(work: dict[str, Any], path: str, line: int) -> Record | Problem:
    title = text_of(work.get("title")) or text_of(work.get("display_name"))
    abstract = abstract_from_index(work.get("abstract_inverted_index"))
    if not abstract:
        abstract = text_of(work.get("abstract"))
    if not title and not abstract:
        return Problem(path, line, "OpenAlex work has neither a title nor an abstract")
    ids: list[str | None] = [openalex_id(str(work.get("id") or ""))]
    if isinstance(work.get("doi"), str):
        ids.append(canonical_doi(work["doi"]))
    more = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    for key, value in sorted(more.items()):
        if not isinstance(value, str):
            continue
        if key == "doi":
            ids.append(canonical_doi(value))
        elif key == "pmid":
            ids.append(pubmed_id(value))
        elif key == "openalex":
            ids.append(openalex_id(value))
    for location in [work.get("primary_location"), *(work.get("locations") or [])]:
        if isinstance(location, dict):
            for key in ("landing_page_url", "pdf_url"):
                url = location.get(key)
                if isinstance(url, str) and "arxiv.org/" in url:
                    ids.append(canonical_arxiv(url))
    authors, orcids = [], []
    for authorship in work.get("authorships") or []:
        if isinstance(authorship, dict):
            author = authorship.get("author") or {}
            name = author.get("display_name") if isinstance(author, dict) else None
            name = name or authorship.get("raw_author_name")
            if isinstance(name, str) and name.strip():
                authors.append(" ".join(name.split()))
                given = author.get("orcid") if isinstance(author, dict) else None
                if isinstance(given, str) and (found := orcid(given)):
                    orcids.append((authors[-1], found))
    cited = []
    for ref in work.get("referenced_works") or []:
        ident = openalex_id(ref) if isinstance(ref, str) else None
        if ident:
            cited.append(Reference("", (ident,)))
    date = normalise_date(work.get("publication_date")) or normalise_date(work.get("publication_year"))
    landing = (
        (work.get("primary_location") or {}).get("landing_page_url")
        if isinstance(work.get("primary_location"), dict)
        else None
    )
    primary = work.get("primary_location")
    host = primary.get("source") if isinstance(primary, dict) else None
    venue = host.get("display_name") if isinstance(host, dict) else None
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=tuple(authors),
        date=date,
        url=landing if isinstance(landing, str) else None,
        identifiers=tuple(i for i in dict.fromkeys(ids) if i),
        cited=tuple(cited),
        extra=(("source", venue),) if isinstance(venue, str) and venue.strip() else (),
        orcids=tuple(orcids),
    )
