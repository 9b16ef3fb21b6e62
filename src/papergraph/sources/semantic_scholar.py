"""Semantic Scholar Graph API papers: one paper, an array (``/paper/batch``), a search or list
page (``{"data": [...]}``), or JSON Lines (bulk search, the datasets' lower-case keys).

Read: ``paperId`` (``s2:…``), ``externalIds`` (``DOI``, ``ArXiv``, ``PubMed``, ``CorpusId``),
``title``, ``abstract``, ``year`` / ``publicationDate``, ``authors`` and, when present,
``references`` (papers it cites) and ``citations`` (papers citing it), each a paper stub or a
``{"citedPaper": …}`` / ``{"citingPaper": …}`` wrapper.

>>> paper = '{"paperId": "' + "a" * 40 + '", "externalIds": {"DOI": "10.1000/X", "ArXiv": "2106.09685"},'
>>> paper += ' "title": "T", "abstract": "We do X.", "year": 2021, "references": [{"paperId": null,'
>>> paper += ' "title": "Attention Is All You Need"}]}'
>>> [r.identifiers for r in read(paper, "s2.json")]
[('s2:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'doi:10.1000/x', 'arXiv:2106.09685')]
>>> [ref.text for r in read(paper, "s2.json") for ref in r.cited]
['Attention Is All You Need']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from papergraph.identifiers import canonical_arxiv, canonical_doi, pubmed_id, semantic_scholar_id
from papergraph.model import Problem, Record, Reference, SourceRef
from papergraph.sources.fields import normalise_date, split_authors
from papergraph.sources.json_works import get_ci, head_of, is_json, read_with, text_of

NAME = "semantic-scholar"

_PAPER_ID = re.compile(r'"paperId"\s*:\s*"[0-9a-f]{40}"|"corpusid"\s*:\s*\d+', re.IGNORECASE)


def sniff(text: str, path: str) -> bool:
    """JSON with Semantic Scholar's ``paperId`` (or the datasets' ``corpusid``) and
    ``externalIds`` or ``title`` fields."""
    head = head_of(text)
    return is_json(text) and bool(_PAPER_ID.search(head)) and ('"title"' in head)


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per paper."""
    yield from read_with(text, path, _record)


def paper_ids(paper: dict[str, Any]) -> tuple[str, ...]:
    """The canonical identifiers of a paper or paper stub.

    >>> paper_ids({"paperId": "B" * 40, "externalIds": {"PubMed": "123", "CorpusId": 7}})
    ('s2:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'pmid:123', 's2corpus:7')
    """
    ids: list[str | None] = []
    pid = get_ci(paper, "paperId")
    if isinstance(pid, str):
        ids.append(semantic_scholar_id(pid))
    external = get_ci(paper, "externalIds")
    if isinstance(external, dict):
        for key, value in external.items():
            low, text = key.lower(), str(value)
            if low == "doi":
                ids.append(canonical_doi(text))
            elif low == "arxiv":
                ids.append(canonical_arxiv(text))
            elif low == "pubmed":
                ids.append(pubmed_id(text))
            elif low == "corpusid" and text.isdigit():
                ids.append(f"s2corpus:{int(text)}")
    corpus = get_ci(paper, "corpusId")
    if isinstance(corpus, int):
        ids.append(f"s2corpus:{corpus}")
    return tuple(i for i in dict.fromkeys(ids) if i)


def _stubs(value: Any, wrapper: str) -> list[Reference]:
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and isinstance(item.get(wrapper), dict):
            item = item[wrapper]
        if isinstance(item, dict):
            ref = Reference(text_of(get_ci(item, "title")), paper_ids(item))
            if ref.text or ref.ids:
                out.append(ref)
    return out


def _record(paper: dict[str, Any], path: str, line: int) -> Record | Problem:
    for wrapper in ("citedPaper", "citingPaper", "paper"):  # /paper/{id}/references, /citations
        if isinstance(paper.get(wrapper), dict) and "title" not in paper:
            paper = paper[wrapper]
    title, abstract = text_of(get_ci(paper, "title")), text_of(get_ci(paper, "abstract"))
    if not title and not abstract:
        return Problem(path, line, "Semantic Scholar paper has neither a title nor an abstract")
    date = normalise_date(get_ci(paper, "publicationDate")) or normalise_date(get_ci(paper, "year"))
    url = get_ci(paper, "url")
    journal = get_ci(paper, "journal")
    venue = get_ci(paper, "venue") or (journal.get("name") if isinstance(journal, dict) else None)
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=split_authors(get_ci(paper, "authors") or []),
        date=date,
        url=url if isinstance(url, str) else None,
        identifiers=paper_ids(paper),
        cited=tuple(_stubs(get_ci(paper, "references"), "citedPaper")),
        cited_by=tuple(_stubs(get_ci(paper, "citations"), "citingPaper")),
        extra=(("source", " ".join(venue.split())),) if isinstance(venue, str) and venue.strip() else (),
    )
