"""Parse references written as text (Scopus ``References``, Web of Science ``CR``, Crossref
``unstructured``) into authors, year, title and identifiers.

Three shapes are recognised:

* Scopus: ``Surname, I., Surname, I.J., Title (Year) Source, 12 (3), pp. 1-10`` — and the old
  ``Surname, I., (Year) Source, 12, p. 3`` without a title, or ``Surname, I., (Year) Book Title, ,
  Publisher`` for books; the newer ``Surname I.J., Title, Source, 12, pp. 1-10, (Year)`` gives
  authors and year, and its title is found by the matcher inside the text;
* Web of Science: ``Surname I, Year, SOURCE, V12, P34, DOI 10.…`` (no title);
* anything else (``A. Lee, B. Kim. A title. In Proc. X, 2019.``): only the identifiers and the
  year are sure; the title is the longest sentence of four words or more, a guess that the
  matcher only accepts when it is nearly identical to a paper's title.

>>> r = parse_reference("Murata, T., Petri nets: Properties, analysis and applications (1989) Proc. IEEE")
>>> r.surnames, r.year, r.title, r.style
(('Murata',), 1989, 'Petri nets: Properties, analysis and applications', 'scopus')
>>> r = parse_reference("LeCun Y, 2015, NATURE, V521, P436, DOI 10.1038/nature14539")
>>> r.surnames, r.year, r.title, r.ids, r.style
(('LeCun',), 2015, None, ('doi:10.1038/nature14539',), 'wos')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from papergraph.identifiers import canonical, canonical_arxiv, canonical_doi, find_doi
from papergraph.names import fold
from papergraph.sources.reference_lists import SCOPUS_AUTHOR, SCOPUS_NEW_AUTHOR, SCOPUS_YEAR

_TRAILING_YEAR = re.compile(r"\((?P<year>1[5-9]\d\d|20\d\d)[a-z]?\)\s*\.?$")
_WOS = re.compile(
    r"^(?P<author>[^,]{2,60}?), (?P<year>1[5-9]\d\d|20\d\d), (?P<source>[^,]+)"
    r"(?:, V(?P<volume>[^,]+))?(?:, P(?P<page>[^,]+))?"
)
_ANY_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class ParsedReference:
    """What a reference says: its text, identifiers, the authors' surnames, year and title."""

    text: str
    ids: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    year: int | None = None
    title: str | None = None
    source: str | None = None  # journal / venue, volume and page when the reference has no title
    style: str = "text"  # "scopus", "wos", "text" or "ids" (identifiers only)


def _ids(text: str) -> tuple[str, ...]:
    found = [canonical_doi(text) if find_doi(text) else None, canonical_arxiv(text)]
    if re.search(r"PMID:\s*\d+", text):
        found.append(canonical("pmid:" + re.search(r"PMID:\s*(\d+)", text)[1]))  # type: ignore[index]
    return tuple(i for i in dict.fromkeys(found) if i)


def _surname(name: str) -> str:
    """The family name of ``Surname I`` / ``Surname, I.`` / ``I. Surname``."""
    words = [w for w in name.replace(",", " ").split() if w]
    if not words:
        return ""
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,3}|(?:[A-Z]\.-?)+", words[-1]):
        words = words[:-1]  # "LeCun Y", "Smith J.R."
    elif len(words) > 1 and re.fullmatch(r"(?:[A-Z]\.-?\s?)+", words[0]):
        words = words[1:]  # "A. Vaswani"
    words = [w for w in words if w.rstrip(".") not in ("Jr", "Sr", "II", "III")]
    return words[-1] if len(words) == 1 else " ".join(words)


def parse_reference(text: str) -> ParsedReference:
    """The parts of one reference written as text (see the module's docstring)."""
    text = " ".join(text.split())
    ids = _ids(text)
    m = _WOS.match(text)
    if m and not SCOPUS_YEAR.search(text[: m.end("year") + 1]):
        source = ", ".join(p for p in (m["source"], m["volume"], m["page"]) if p)
        return ParsedReference(text, ids, (_surname(m["author"]),), int(m["year"]), None, source, "wos")
    surnames: list[str] = []
    pos = 0
    while True:
        a = SCOPUS_AUTHOR.match(text, pos)
        if a is None:
            break
        surnames.append(_surname(a["surname"]))
        pos = a.end()
    if surnames:
        rest = text[pos:]
        y = SCOPUS_YEAR.search(rest)
        if y:
            year = int(y["year"])
            before, after = rest[: y.start()].strip(" ,."), rest[y.end() :].strip(" ,.")
            if before:
                return ParsedReference(
                    text, ids, tuple(surnames), year, before, after[:120] or None, "scopus"
                )
            head, sep, _ = after.partition(", ,")
            if sep:  # a book: "(1981) Computer Simulation Using Particles, , McGraw-Hill"
                return ParsedReference(text, ids, tuple(surnames), year, head.strip() or None, None, "scopus")
            return ParsedReference(text, ids, tuple(surnames), year, None, after[:120] or None, "scopus")
    trailing = _TRAILING_YEAR.search(text)
    if trailing:
        pos = 0
        while (a := SCOPUS_NEW_AUTHOR.match(text, pos)) is not None:
            surnames.append(_surname(a["surname"]))
            pos = a.end()
        if surnames:
            rest = text[pos : trailing.start()].strip(" ,")
            return ParsedReference(
                text, ids, tuple(surnames), int(trailing["year"]), None, rest[:120] or None, "scopus"
            )
    years = _ANY_YEAR.findall(text)
    sentences = [s.strip(" ,") for s in re.split(r"(?<=[a-z0-9)\]])\.\s+|[“”\"]", text)]
    titled = [s for s in sentences if len(s.split()) >= 4 and not find_doi(s)]
    title = max(titled, key=len) if titled else None
    style = "ids" if ids and len(text.split()) <= 2 else "text"
    return ParsedReference(text, ids, (), int(years[0]) if years else None, title, None, style)


def title_key(title: str) -> str:
    """Words of a title, folded and space-joined: the form titles are compared in.

    >>> title_key("Petri Nets: Properties, Analysis and Applications.")
    'petri nets properties analysis and applications'
    """
    return " ".join(_WORD.findall(title.casefold() if title.isascii() else fold(title)))


def surname_key(name: str) -> str:
    """A surname folded to letters only (``Kalé`` = ``Kale``, ``Van Der Spoel`` = ``vanderspoel``)."""
    return re.sub(r"[^a-z]", "", name.casefold() if name.isascii() else fold(name))
