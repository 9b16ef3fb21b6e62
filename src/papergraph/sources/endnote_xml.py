"""EndNote XML ("File → Export → XML", also written by Bookends and other reference managers):
``<xml><records><record>…</record>…</records></xml>``.

Each ``<record>`` gives: ``titles/title``, ``abstract``, ``contributors/authors/author`` (as
written: ``Smith, J.``), the date ``dates/year`` made fuller by ``dates/pub-dates/date``
(``Mar 3``), the DOI of ``electronic-resource-num`` (or of a doi.org URL),
``accession-num`` (``ISI:…`` → ``wos:…``; a number → ``pmid:…`` when the record points to
PubMed), the first related URL, ``keywords/keyword``, the venue ``titles/secondary-title`` (else
``periodical/full-title``) and ``ref-type``. Text is often wrapped in ``<style>`` elements, several
of them in one field (a title with an italic species name): they are joined, and a superscript or
subscript face is written after ``^`` or ``_``. The record number (``rec-number``) is local to the
library: kept in ``extra`` as ``endnote_record``, never an identifier. Records are parsed one by
one (:mod:`.xml_records`), so a broken record is a Problem and the next ones are read; a document
declaring entities is refused.

>>> xml = ('<xml><records><record><rec-number>7</rec-number><contributors><authors><author>'
...        '<style face="normal">Lee, A.</style></author></authors></contributors><titles><title>'
...        '<style face="normal">CO</style><style face="subscript">2</style><style face="normal"> uptake'
...        '</style></title></titles><dates><year><style>2015</style></year><pub-dates><date>Mar 3</date>'
...        '</pub-dates></dates><electronic-resource-num>10.1000/X</electronic-resource-num>'
...        '</record></records></xml>')
>>> r = next(read(xml, "library.xml"))
>>> r.title, r.authors, r.date, r.identifiers, dict(r.extra)["endnote_record"]
('CO_2 uptake', ('Lee, A.',), '2015-03-03', ('doi:10.1000/x',), '7')
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from papergraph.identifiers import canonical_doi, pubmed_id, wos_id
from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import normalise_date, refined
from papergraph.sources.xml_records import children, first, record_elements, refused, text_of

NAME = "endnote-xml"

_SNIFF = re.compile(r"^(?:<\?xml[^>]*\?>\s*)?<xml>\s*<records>\s*<record[\s>]")
_PUBMED_URL = re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/(\d+)|pubmed\.ncbi\.nlm\.nih\.gov/(\d+)", re.IGNORECASE)


def sniff(text: str, path: str) -> bool:
    """The document is ``<xml><records><record>`` (after an XML declaration)."""
    return bool(_SNIFF.match(text.lstrip("\ufeff \t\r\n")[:1000]))


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per ``<record>``; a broken record is a Problem and the next ones are read."""
    problem = refused(text, path)
    if problem:
        yield problem
        return
    for item in record_elements(text, path, ("record",)):
        if isinstance(item, Problem):
            yield item
        else:
            yield _record(item[1], path, item[0])


def _date(record: ET.Element) -> str | None:
    """``year`` (``2015``) made fuller by ``pub-dates/date`` (``Mar 3``, ``2015-03-03``, ``Jan``)."""
    year = text_of(first(record, "dates", "year"))
    date = normalise_date(year) if year else None
    for when in children(first(record, "dates", "pub-dates"), "date"):
        text = text_of(when)
        finer = normalise_date(text if re.search(r"\d{4}", text) else f"{text} {year}")
        date = refined(date, finer)
    return date


def _record(record: ET.Element, path: str, line: int) -> Record | Problem:
    title = text_of(first(record, "titles", "title"))
    abstract = text_of(first(record, "abstract"))
    number = text_of(first(record, "rec-number"))
    if not title and not abstract:
        which = f" {number}" if number else ""
        return Problem(path, line, f"EndNote record{which} has neither a title nor an abstract")
    urls = [text_of(u) for u in children(first(record, "urls", "related-urls"), "url")]
    ids = [canonical_doi(text_of(first(record, "electronic-resource-num")))]
    ids += [canonical_doi(u) for u in urls if "doi.org/" in u.lower()]
    accession = text_of(first(record, "accession-num"))
    database = text_of(first(record, "remote-database-name")) + text_of(
        first(record, "remote-database-provider")
    )
    pubmed_urls = [m[1] or m[2] for u in urls if (m := _PUBMED_URL.search(u))]
    if accession.isdigit() and (accession in pubmed_urls or "pubmed" in database.lower()):
        ids.append(pubmed_id(accession))
    elif accession:
        ids.append(wos_id(accession))
    ids += [pubmed_id(p) for p in pubmed_urls]
    authors = [text_of(a) for a in children(first(record, "contributors", "authors"), "author")]
    venue = text_of(first(record, "titles", "secondary-title")) or text_of(
        first(record, "periodical", "full-title")
    )
    ref_type = first(record, "ref-type")
    extra = [("endnote_record", number), ("source", venue)]
    extra.append(("type", ref_type.get("name", "") if ref_type is not None else ""))
    extra += [("keywords", text_of(k)) for k in children(first(record, "keywords"), "keyword")]
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=tuple(dict.fromkeys(a for a in authors if a)),
        date=_date(record),
        url=next((u for u in urls if u.lower().startswith(("http://", "https://"))), None),
        extra=tuple(sorted({(k, v) for k, v in extra if v})),
        identifiers=tuple(i for i in dict.fromkeys(ids) if i),
    )
