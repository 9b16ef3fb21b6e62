"""CSL-JSON: the "CSL JSON" export of Zotero, Mendeley and Better BibTeX, citation.js, Manubot
and PubMed's citation exporter: an array (or JSON Lines) of items.

Read: ``title`` (a string: Crossref's own works, whose ``title`` is a list, are left to
:mod:`.crossref`), ``abstract``, ``author`` (``given``/``family``, or ``literal``), ``issued``
(``date-parts``, else ``raw``/``literal``), ``DOI``, ``PMID``, ``URL`` (an arXiv or doi.org URL is
an identifier too), ``PMCID``, ``container-title`` (the venue, as the RIS reader keeps ``T2``),
``keyword`` and ``type``. The item's ``id`` is a key local to the file ("Adams2001"), never an
identifier: it is kept in ``extra`` as ``csl_id``, as :mod:`.bibtex` keeps citation keys.

>>> item = '[{"id": "Lee2020", "type": "article-journal", "title": "T", "DOI": "10.1000/X",'
>>> item += ' "author": [{"family": "Lee", "given": "Ann"}], "issued": {"date-parts": [[2020, 12, 16]]}}]'
>>> r = next(read(item, "library.json"))
>>> r.id, r.identifiers, r.authors, r.date, dict(r.extra)["csl_id"]
(None, ('doi:10.1000/x',), ('Ann Lee',), '2020-12-16', 'Lee2020')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from papergraph.identifiers import canonical_arxiv, canonical_doi, pubmed_id
from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import date_parts, split_authors
from papergraph.sources.json_works import head_of, is_json, read_with, text_of

NAME = "csl-json"

#: The item types of CSL 1.0.2 (Crossref's own types are spelled otherwise: "journal-article").
_TYPES = (
    "article|article-journal|article-magazine|article-newspaper|bill|book|broadcast|chapter|classic"
    "|collection|dataset|document|entry|entry-dictionary|entry-encyclopedia|event|figure|graphic"
    "|hearing|interview|legal_case|legislation|manuscript|map|motion_picture|musical_score"
    "|pamphlet|paper-conference|patent|performance|periodical|personal_communication|post"
    "|post-weblog|regulation|report|review|review-book|software|song|speech|standard|thesis|treaty"
    "|webpage"
)
_TYPE = re.compile(rf'"type"\s*:\s*"(?:{_TYPES})"')
_STRING_TITLE = re.compile(r'"title"\s*:\s*"')
_CSL_KEYS = re.compile(
    r'"(?:issued|container-title|citation-key|title-short)"\s*:|"(?:family|literal)"\s*:\s*"'
)
_KEYWORD_SEPARATOR = re.compile(r"\s*[;,]\s*")


def sniff(text: str, path: str) -> bool:
    """JSON items with a CSL ``type``, a string ``title`` and a field only CSL writes (``issued``,
    ``container-title``, name parts ``family``/``literal`` …), and no Crossref ``message-type``."""
    head = head_of(text)
    return (
        is_json(text)
        and '"message-type"' not in head
        and bool(_TYPE.search(head) and _STRING_TITLE.search(head) and _CSL_KEYS.search(head))
    )


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per item."""
    yield from read_with(text, path, _record)


def _string(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return text_of(value)


def _record(item: dict[str, Any], path: str, line: int) -> Record | Problem:
    title, abstract = _string(item, "title"), _string(item, "abstract")
    key = _string(item, "id") or _string(item, "citation-key")
    if not title and not abstract:
        which = f" {key!r}" if key else ""
        return Problem(path, line, f"CSL-JSON item{which} has neither a title nor an abstract")
    url = _string(item, "URL") or None
    ids = [
        canonical_doi(_string(item, "DOI")),
        pubmed_id(_string(item, "PMID")) if _string(item, "PMID") else None,
    ]
    if url and "arxiv.org/" in url.lower():
        ids.append(canonical_arxiv(url))
    elif url and "doi.org/" in url.lower():
        ids.append(canonical_doi(url))
    extra = [("csl_id", key), ("source", _string(item, "container-title")), ("type", _string(item, "type"))]
    extra += [("citation_key", _string(item, "citation-key")), ("pmcid", _string(item, "PMCID"))]
    extra += [("keywords", k) for k in _KEYWORD_SEPARATOR.split(_string(item, "keyword"))]
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=split_authors(item.get("author") if isinstance(item.get("author"), list) else []),
        date=date_parts(item.get("issued")),
        url=url,
        extra=tuple(sorted({(k, v) for k, v in extra if v})),
        identifiers=tuple(i for i in dict.fromkeys(ids) if i),
    )
