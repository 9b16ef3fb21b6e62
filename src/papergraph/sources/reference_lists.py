"""Reference lists as exporters write them: one field holding every reference of a work,
separated by ``;`` (Scopus, a CSV ``References`` column, RIS). What each reference says is
parsed later, by :mod:`papergraph.resolve.references`.
"""

from __future__ import annotations

import re

from papergraph.identifiers import find_arxiv_id, find_doi

__all__ = ["SCOPUS_AUTHOR", "SCOPUS_YEAR", "split_references"]

_INITIALS = r"(?:[A-Z\u00c0-\u00de][a-z]?\.?\s?-?\s?){1,4}"
#: The first author of a Scopus reference: ``Surname, I.J., ``.
SCOPUS_AUTHOR = re.compile(r"(?P<surname>[^,()\d;]{1,50}?), " + _INITIALS + r"(?:, |(?=\s*\(\d{4}\))\s*)")
#: A ``;`` between references, not the one inside a SICI DOI (``…3.0.CO;2-9``: version, then
#: ``2-`` and a check character).
_SEPARATOR = re.compile(r";(?!2-[0-9X#])", re.IGNORECASE)
#: The year of a Scopus reference: ``(2019)``.
SCOPUS_YEAR = re.compile(r"\((?P<year>1[5-9]\d\d|20\d\d)[a-z]?\)")


def split_references(value: str) -> tuple[str, ...]:
    """A ``;``-separated reference list (Scopus, a CSV ``References`` column) as references.
    A piece after a Scopus reference that has no ``(Year)``, no identifier and does not start
    with an author is the rest of it (``…, Springer Series in Computational Mathematics;
    Springer-Verlag: Berlin``).

    >>> split_references("A, B., T (2001) S; Springer: Berlin; C, D., U (2002) S; Lee, J., Title")
    ('A, B., T (2001) S; Springer: Berlin', 'C, D., U (2002) S', 'Lee, J., Title')
    >>> split_references("r1;r2")
    ('r1', 'r2')
    >>> sici = "10.1002/(SICI)1097-4571(1990)41<391::AID>3.0.CO;2-9"  # its own ";" ends no reference
    >>> split_references(f"A, B., T (1990) J, DOI: {sici}; C, D., U (2002) S")
    ('A, B., T (1990) J, DOI: 10.1002/(SICI)1097-4571(1990)41<391::AID>3.0.CO;2-9', 'C, D., U (2002) S')
    """
    out: list[str] = []
    for piece in _SEPARATOR.split(value):
        piece = piece.strip()
        if not piece:
            continue
        if (
            out
            and SCOPUS_YEAR.search(out[-1])
            and not SCOPUS_YEAR.search(piece)
            and not SCOPUS_AUTHOR.match(piece)
            and not find_doi(piece)
            and not find_arxiv_id(piece)
        ):
            out[-1] = f"{out[-1]}; {piece}"
        else:
            out.append(piece)
    return tuple(out)
