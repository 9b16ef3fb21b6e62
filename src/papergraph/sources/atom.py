"""arXiv API responses: Atom feeds (``<feed xmlns="http://www.w3.org/2005/Atom">``) of ``<entry>``s.

Each entry gives ``Record.id = "arXiv:2401.01234"`` (version dropped), the abs URL, the
published date, the authors, and the whitespace-collapsed title and summary (the abstract).
Documents with a ``<!DOCTYPE`` or ``<!ENTITY`` are refused, so that no entity is ever expanded.

>>> feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2401.01234v2</id>'
...         '<title>T</title><summary> We  propose X. </summary></entry></feed>')
>>> [(r.id, r.abstract) for r in read(feed, "q.xml")]
[('arXiv:2401.01234', 'We propose X.')]
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import normalise_date
from papergraph.sources.xml_records import children as _children
from papergraph.sources.xml_records import first, refused, text_of
from papergraph.sources.xml_records import local as _local

NAME = "arxiv-atom"

_SNIFF = re.compile(r"<(?:[\w.-]+:)?feed\b[^>]*[\"']http://www\.w3\.org/2005/Atom[\"']")
_ARXIV_ABS = re.compile(
    r"arxiv\.org/abs/(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.\-]*/\d{7})(?:v\d+)?/?$", re.IGNORECASE
)


def sniff(text: str, path: str) -> bool:
    """The document's root is an Atom ``<feed>``."""
    head = text[:4096]
    return head.lstrip().startswith("<") and bool(_SNIFF.search(head))


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """The feed's entries, parsed incrementally so that entries before an XML error are kept."""
    problem = refused(text, path)
    if problem:
        yield problem
        return
    parser = ET.XMLPullParser(events=("start", "end"))
    entry_lines: dict[int, int] = {}
    index = 0
    try:
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            parser.feed(line + "\n" if number < len(lines) else line)
            for event, element in parser.read_events():
                if _local(element.tag) != "entry":
                    continue
                if event == "start":
                    entry_lines[id(element)] = number
                    continue
                index += 1
                yield _entry(element, path, entry_lines.pop(id(element), number), index)
                element.clear()
        parser.close()
    except ET.ParseError as exc:
        yield Problem(path, exc.position[0], f"invalid XML: {exc}; the rest of the file is skipped")


def _text(element: ET.Element, name: str) -> str | None:
    """The whitespace-collapsed text of the first child called ``name`` (any namespace)."""
    return text_of(first(element, name)) or None


def _entry(entry: ET.Element, path: str, line: int, index: int) -> Record | Problem:
    """One ``<entry>`` as a Record, or a Problem when it has no summary or is an API error."""
    raw_id = _text(entry, "id") or ""
    summary = _text(entry, "summary")
    if "arxiv.org/api/errors" in raw_id:
        return Problem(path, line, f"the arXiv API reported an error: {summary or raw_id}")
    if not summary:
        which = f" ({raw_id})" if raw_id else ""
        return Problem(path, line, f"entry {index}{which} has no summary (abstract)")
    m = _ARXIV_ABS.search(raw_id)
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=summary,
        title=_text(entry, "title"),
        id=f"arXiv:{m['id']}" if m else raw_id or None,
        authors=tuple(name for a in _children(entry, "author") if (name := _text(a, "name"))),
        date=normalise_date(_text(entry, "published") or _text(entry, "updated") or ""),
        url=_abs_url(entry, raw_id),
        extra=_extra(entry),
    )


def _abs_url(entry: ET.Element, raw_id: str) -> str | None:
    """The ``alternate`` (HTML) link, else the id when it is a URL."""
    for link in _children(entry, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return raw_id if raw_id.startswith(("http://", "https://")) else None


def _extra(entry: ET.Element) -> tuple[tuple[str, str], ...]:
    """DOI, categories, comment, journal reference, PDF link and update date, when present."""
    extra: dict[str, str] = {}
    for key in ("doi", "comment", "journal_ref", "updated"):
        value = _text(entry, key)
        if value:
            extra[key] = value
    primary = _children(entry, "primary_category")
    if primary and primary[0].get("term"):
        extra["primary_category"] = primary[0].get("term", "")
    terms = [c.get("term", "") for c in _children(entry, "category") if c.get("term")]
    if terms:
        extra["categories"] = ",".join(terms)
    for link in _children(entry, "link"):
        if link.get("title") == "pdf" and link.get("href"):
            extra["pdf"] = link.get("href", "")
    return tuple(sorted(extra.items()))
