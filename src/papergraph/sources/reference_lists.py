"""Reference lists as exporters write them: one field holding every reference of a work,
separated by ``;`` (Scopus, a CSV ``References`` column, RIS). What each reference says is
parsed later, by :mod:`papergraph.resolve.references`.

A ``;`` does not always end a reference: it also stands inside one (a title ``Petri nets; an
application``, a journal's ``2018;13(1):e0191154``, a URL's ``;jsessionid=…``, a publisher after
the editors). :func:`split_references` cuts at every ``;`` and then glues a piece back onto the
one before it when the two are one reference by the rules of :func:`_continues`.
"""

from __future__ import annotations

import re

from papergraph.identifiers import find_arxiv_id, find_doi

__all__ = ["SCOPUS_AUTHOR", "SCOPUS_NEW_AUTHOR", "SCOPUS_YEAR", "split_references"]

_INITIALS = r"(?:[A-Z\u00c0-\u00de][a-z]?\.?\s?-?\s?){1,4}"
#: The first author of a Scopus reference: ``Surname, I.J., ``.
SCOPUS_AUTHOR = re.compile(r"(?P<surname>[^,()\d;]{1,50}?), " + _INITIALS + r"(?:, |(?=\s*\(\d{4}\))\s*)")
#: The first author of a Scopus reference since 2021: ``Surname I.J., ``.
SCOPUS_NEW_AUTHOR = re.compile(r"(?P<surname>[^,()\d;.]{1,50}?) (?:[A-Z\u00c0-\u00de]\.-?){1,4}, ")
#: The first author of a reference in the Vancouver style, as Scopus sometimes keeps it: ``Huang C. ``.
_VANCOUVER_AUTHOR = re.compile(r"[A-Z][^\s,;().:\d]+ [A-Z]{1,3}\.?[ ,]")
#: The last of a reference's editors, each after a ``;`` (``…, Kuhn, L. A.; Thorpe, M. F., Eds.``).
_LAST_EDITOR = re.compile(r"[^;()]{1,60}?, " + _INITIALS + r",? \(?[Ee]ds?\.\)?$")
#: A ``;`` between references, not the one inside a SICI DOI (``…3.0.CO;2-9``: version, then
#: ``2-`` and a check character).
_SEPARATOR = re.compile(r"(;(?!2-[0-9X#])\s*)", re.IGNORECASE)
#: The year of a Scopus reference: ``(2019)``.
SCOPUS_YEAR = re.compile(r"\((?P<year>1[5-9]\d\d|20\d\d)[a-z]?\)")
#: A journal's volume, issue and pages after ``2018;`` (``13(1):e0191154``, ``22(3):133-142``).
_VOLUME_PAGES = re.compile(r"\d+(?:\s?\([^()\s]{1,12}\))?:\s?[A-Za-z]?\d")
#: A year that ends a piece: ``… PLoS One. 2018`` (or Scopus's typo of one: ``… USA 996``).
_ENDING_YEAR = re.compile(r"(?<![\d-])\d{3,4}$")
#: A URL that ends a piece, and what its own ``;`` is followed by (``jsessionid=…,``, ``2006/344/re6,``).
_ENDING_URL = re.compile(r"https?://\S+$")
_URL_REST = re.compile(r"[^\s,;()]*[=/][^\s,;()]*(?:,|$)")


def _starts_with_author(piece: str) -> bool:
    return any(form.match(piece) for form in (SCOPUS_AUTHOR, SCOPUS_NEW_AUTHOR, _VANCOUVER_AUTHOR))


def _continues(before: str, piece: str) -> bool:
    """Whether ``piece`` (after a ``;``) is the rest of the reference ``before``, not a reference:

    * the publisher of a Scopus reference that has its ``(Year)`` (``…, Eds.; Springer: Berlin``):
      no year, no author, no identifier of its own;
    * the rest of a title that holds ``;`` (``Alia, H., …, Modelling … by coloured Petri nets;
      application to a flexible manufacturing system (1985) …``): ``before`` starts with authors
      and has no year nor identifier yet; ``piece`` does not start with an author nor with its
      year, and has the ``(Year)``;
    * the last of the editors of the book a reference is in (``…, Kuhn, L. A.; Thorpe, M. F., Eds.``);
    * a journal's volume and pages after its year (``PLoS One. 2018; 13(1):e0191154``);
    * the rest of a URL (``…/abs/nrmicro1394.html;jsessionid=EB38…, 10.1038/…``).
    """
    if _LAST_EDITOR.fullmatch(piece):
        return True
    if _ENDING_YEAR.search(before) and _VOLUME_PAGES.match(piece):
        return True
    if _ENDING_URL.search(before) and _URL_REST.match(piece):
        return True
    if SCOPUS_YEAR.search(before):
        return not (
            SCOPUS_YEAR.search(piece) or _starts_with_author(piece) or find_doi(piece) or find_arxiv_id(piece)
        )
    return bool(
        _starts_with_author(before)
        and not find_doi(before)
        and (year := SCOPUS_YEAR.search(piece))
        and year.start() > 0
        and not _starts_with_author(piece)
    )


def split_references(value: str) -> tuple[str, ...]:
    """A ``;``-separated reference list (Scopus, a CSV ``References`` column) as references
    (see the module's docstring for the ``;`` that end no reference).

    >>> split_references("A, B., T (2001) S; Springer: Berlin; C, D., U (2002) S; Lee, J., Title")
    ('A, B., T (2001) S; Springer: Berlin', 'C, D., U (2002) S', 'Lee, J., Title')
    >>> split_references("r1;r2")
    ('r1', 'r2')
    >>> sici = "10.1002/(SICI)1097-4571(1990)41<391::AID>3.0.CO;2-9"  # its own ";" ends no reference
    >>> split_references(f"A, B., T (1990) J, DOI: {sici}; C, D., U (2002) S")
    ('A, B., T (1990) J, DOI: 10.1002/(SICI)1097-4571(1990)41<391::AID>3.0.CO;2-9', 'C, D., U (2002) S')
    >>> split_references("Lee, J., Petri nets; an application (1985) LNCS, 188; Kim, D., U (2002) S")
    ('Lee, J., Petri nets; an application (1985) LNCS, 188', 'Kim, D., U (2002) S')
    >>> split_references("R, S., T (2006) N, http://n.com/a.html;jsessionid=EB3, 10.1/n; K, D., U (2002)")
    ('R, S., T (2006) N, http://n.com/a.html;jsessionid=EB3, 10.1/n', 'K, D., U (2002)')
    >>> split_references("A, B., (2001) J, , Also in K, Kuhn, L. A.; Thorpe, M. F., Eds.; Elsevier: New York")
    ('A, B., (2001) J, , Also in K, Kuhn, L. A.; Thorpe, M. F., Eds.; Elsevier: New York',)
    >>> split_references("Ihnatova, I., A comparison. PLoS One. 2018; 13(1):e0191154; Kim, D., U (2002) S")
    ('Ihnatova, I., A comparison. PLoS One. 2018; 13(1):e0191154', 'Kim, D., U (2002) S')
    """
    out: list[str] = []
    parts = _SEPARATOR.split(value)  # piece, separator, piece, …
    for at in range(0, len(parts), 2):
        piece = parts[at].strip()
        if not piece:
            continue
        if out and _continues(out[-1], piece):
            # the ";" as written: with a space or not
            out[-1] += (";" if parts[at - 1] == ";" else "; ") + piece
        else:
            out.append(piece)
    return tuple(out)
