"""PubMed XML, as E-utilities ``efetch.fcgi?db=pubmed&retmode=xml`` returns it (and PubMed's
"Save → XML"): ``<PubmedArticleSet>`` of ``<PubmedArticle>`` (and ``<PubmedBookArticle>``).

Read from each article: ``MedlineCitation/PMID`` (``pmid:…``), ``ArticleTitle`` (a book's
``BookTitle``), the ``Abstract``'s ``AbstractText`` parts joined, each labelled part as
``LABEL: text``, the ``AuthorList`` (``LastName, ForeName``, or ``CollectiveName``), the DOI of
``ArticleIdList``/``ELocationID``, the date ``PubDate`` (``Year``/``Month``/``Day`` or
``MedlineDate``) made fuller by ``ArticleDate`` when it agrees, the journal ``Title``, MeSH
headings, keywords, publication types, and the references: ``ReferenceList/Reference``
(``Citation`` text and its ``ArticleIdList``: PubMed ids and DOIs) and the older
``CommentsCorrections RefType="Cites"`` (``RefSource`` and ``PMID``). The ``extra`` keys are
those of the MEDLINE text reader (:mod:`.pubmed`). The file's ``<!DOCTYPE … PUBLIC …>`` is
allowed (it declares nothing); entity declarations are refused (:mod:`.xml_records`).

>>> xml = ('<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>'
...        '<ArticleTitle>T</ArticleTitle><Abstract><AbstractText Label="BACKGROUND">We x.</AbstractText>'
...        '<AbstractText Label="RESULTS">It works.</AbstractText></Abstract></Article></MedlineCitation>'
...        '<PubmedData><ReferenceList><Reference><Citation>Nature. 1994;370:199</Citation><ArticleIdList>'
...        '<ArticleId IdType="pubmed">8028666</ArticleId></ArticleIdList></Reference></ReferenceList>'
...        '</PubmedData></PubmedArticle></PubmedArticleSet>')
>>> r = next(read(xml, "efetch.xml"))
>>> r.abstract, r.identifiers, r.cited
('BACKGROUND: We x. RESULTS: It works.', ('pmid:1',), (Reference(text='Nature. 1994;370:199', \
ids=('pmid:8028666',)),))
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from papergraph.identifiers import canonical_doi, orcid, pubmed_id
from papergraph.model import Problem, Record, Reference, SourceRef
from papergraph.sources.fields import normalise_date, refined
from papergraph.sources.pubmed import KEYWORDS, MESH, PMCID, SOURCE, TYPE, medline_date
from papergraph.sources.xml_records import children, first, local, record_elements, refused, text_of

NAME = "pubmed-xml"

_SNIFF = re.compile(r"<(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)[\s>]")
_ARTICLES = ("PubmedArticle", "PubmedBookArticle")


def sniff(text: str, path: str) -> bool:
    """An XML document whose root is ``<PubmedArticleSet>`` (or one ``<PubmedArticle>``)."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if not head.startswith("<"):
        return False
    m = re.search(r"<(?![?!])", head)  # the root element: after the declaration and DOCTYPE
    return bool(m and _SNIFF.match(head, m.start()))


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """One record per article; a broken article is a Problem and the next ones are read."""
    problem = refused(text, path, allow_doctype=True)
    if problem:
        yield problem
        return
    for item in record_elements(text, path, _ARTICLES):
        if isinstance(item, Problem):
            yield item
        else:
            yield _record(item[1], path, item[0])


def _ids(id_list: ET.Element | None) -> list[str]:
    """The canonical PubMed ids and DOIs of an ``ArticleIdList``."""
    ids = []
    for article_id in children(id_list, "ArticleId"):
        kind, value = article_id.get("IdType", "").lower(), text_of(article_id)
        ids.append(pubmed_id(value) if kind == "pubmed" else canonical_doi(value) if kind == "doi" else None)
    return [i for i in ids if i]


def _abstract(abstract: ET.Element | None) -> str:
    parts = []
    for part in children(abstract, "AbstractText"):
        body, label = text_of(part), (part.get("Label") or "").strip()
        if body:
            parts.append(f"{label}: {body}" if label and not body.startswith(label) else body)
    return " ".join(parts)


def _author(author: ET.Element) -> str:
    collective = text_of(first(author, "CollectiveName"))
    if collective:
        return collective
    last = text_of(first(author, "LastName"))
    given = text_of(first(author, "ForeName")) or text_of(first(author, "Initials"))
    suffix = text_of(first(author, "Suffix"))
    return ", ".join(p for p in (last, given, suffix) if p)


def _date(date: ET.Element | None) -> str | None:
    """A ``PubDate``/``ArticleDate``: ``Year``, ``Month`` (``Apr`` or ``04``), ``Day``, or ``MedlineDate``."""
    if date is None:
        return None
    year, month, day = (text_of(first(date, n)) for n in ("Year", "Month", "Day"))
    if not year:
        return medline_date(text_of(first(date, "MedlineDate")))
    if month.isdigit():
        when = "-".join(
            p for p in (year, f"{int(month):02d}", f"{int(day):02d}" if day.isdigit() else "") if p
        )
    else:
        when = " ".join(p for p in (day, month, year) if p)
    return normalise_date(when) or normalise_date(year)


def _references(article: ET.Element) -> list[Reference]:
    refs = []
    for data in children(article, "PubmedData"):
        for ref_list in children(data, "ReferenceList"):
            for ref in children(ref_list, "Reference"):
                found = Reference(text_of(first(ref, "Citation")), tuple(_ids(first(ref, "ArticleIdList"))))
                if found.text or found.ids:
                    refs.append(found)
    corrections = first(article, "MedlineCitation", "CommentsCorrectionsList")
    for cited in children(corrections, "CommentsCorrections"):
        if cited.get("RefType") == "Cites":
            pmid = pubmed_id(text_of(first(cited, "PMID")))
            found = Reference(text_of(first(cited, "RefSource")), (pmid,) if pmid else ())
            if found.text or found.ids:
                refs.append(found)
    return refs


def _record(article: ET.Element, path: str, line: int) -> Record | Problem:
    book = first(article, "BookDocument")
    citation = first(article, "MedlineCitation") if book is None else book
    body = first(citation, "Article") if book is None else book
    pmid = pubmed_id(text_of(first(citation, "PMID")))
    title = text_of(first(body, "ArticleTitle")) or text_of(first(body, "Book", "BookTitle"))
    abstract = _abstract(first(body, "Abstract"))
    if not title and not abstract:
        which = f" (PMID {pmid.split(':')[1]})" if pmid else ""
        return Problem(path, line, f"PubMed {local(article.tag)}{which} has neither a title nor an abstract")
    ids: list[str | None] = [pmid]
    for location in children(body, "ELocationID"):
        if location.get("EIdType") == "doi":
            ids.append(canonical_doi(text_of(location)))
    ids += _ids(first(article, "PubmedData", "ArticleIdList")) + _ids(
        first(article, "BookDocument", "ArticleIdList")
    )
    journal = first(body, "Journal")
    date = _date(first(journal, "JournalIssue", "PubDate")) or _date(first(body, "Book", "PubDate"))
    for electronic in children(body, "ArticleDate"):
        date = refined(date, _date(electronic))
    author_list = first(body, "AuthorList")
    authors = [_author(a) for a in children(author_list, "Author")]
    orcids = [
        (name, found)
        for a, name in zip(children(author_list, "Author"), authors, strict=True)
        for ident in children(a, "Identifier")
        if ident.get("Source") == "ORCID" and name and (found := orcid(text_of(ident)))
    ]
    extra = [(SOURCE, text_of(first(journal, "Title")))]
    for heading in children(first(citation, "MeshHeadingList"), "MeshHeading"):
        extra.append((MESH, text_of(first(heading, "DescriptorName"))))
    for keywords in children(citation, "KeywordList"):
        extra += [(KEYWORDS, text_of(k)) for k in children(keywords, "Keyword")]
    types = first(body, "PublicationTypeList")
    extra += [(TYPE, text_of(t)) for t in children(types, "PublicationType")]
    for article_id in children(first(article, "PubmedData", "ArticleIdList"), "ArticleId"):
        if article_id.get("IdType") == "pmc":
            extra.append((PMCID, text_of(article_id)))
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        authors=tuple(dict.fromkeys(a for a in authors if a)),
        date=date,
        extra=tuple(sorted({(k, v) for k, v in extra if v})),
        identifiers=tuple(i for i in dict.fromkeys(ids) if i),
        cited=tuple(_references(article)),
        orcids=tuple(dict.fromkeys(orcids)),
    )
