"""Paper identifiers in one canonical spelling, so that the same id from any source compares equal.

A canonical identifier is ``scheme:value``: ``doi:10.1145/3442188.3445922`` (lower-case, no
``https://doi.org/``), ``arXiv:2106.09685`` (no version), ``openalex:W2741809807``,
``s2:<40 hex digits>`` (a Semantic Scholar paper id), ``s2corpus:<number>``, ``pmid:<number>``,
``scopus:2-s2.0-<number>`` and ``wos:<accession number>``.

>>> canonical_doi("https://doi.org/10.1145/ABC.1"), canonical_doi("doi:10.1000/X"), canonical_doi("x")
('doi:10.1145/abc.1', 'doi:10.1000/x', None)
>>> canonical_doi("10.48550/arXiv.2106.09685")
'arXiv:2106.09685'
>>> openalex_id("https://openalex.org/W2741809807"), pubmed_id("https://pubmed.ncbi.nlm.nih.gov/29456894")
('openalex:W2741809807', 'pmid:29456894')
>>> scheme("doi:10.1000/x"), scheme("2-s2.0-123"), scheme("p1")
('doi', None, None)
"""

from __future__ import annotations

import re

#: A DOI runs to the next whitespace or quote (it may hold ``<>;()[]:``, as SICI DOIs do:
#: ``10.1002/(SICI)1097-4571(199009)41:6<391::AID-ASI1>3.0.CO;2-9``), or to a closing markup tag.
_DOI = re.compile(r"\b(10\.\d{4,9}/(?:(?!</)[^\s\"])+)", re.IGNORECASE)
_CLOSING = {")": "(", "]": "[", "}": "{", ">": "<"}
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|huggingface\.co/papers/|arxiv:\s*)"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)
_BARE_ARXIV = re.compile(
    r"^(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE
)
_OPENALEX = re.compile(r"^(?:https?://openalex\.org/|openalex:)?(W\d+)$", re.IGNORECASE)
_PMID = re.compile(r"^(?:https?://pubmed\.ncbi\.nlm\.nih\.gov/|pmid:\s*)?(\d{1,9})/?$", re.IGNORECASE)
_S2 = re.compile(r"^(?:s2:)?([0-9a-f]{40})$", re.IGNORECASE)
_SCOPUS = re.compile(r"^(?:scopus:)?(2-s2\.0-\d+)$", re.IGNORECASE)
_WOS = re.compile(r"^(?:wos:|isi:)?(\d{15}|[A-Z]{3,4}:\d{15})$", re.IGNORECASE)

#: Schemes that name exactly one publication: two records with different values of one of these
#: are different papers even when their titles are equal (four volumes of one proceedings).
DISTINCT_SCHEMES = frozenset({"doi", "openalex", "s2", "s2corpus", "pmid", "scopus", "wos"})
_SCHEMES = frozenset({*DISTINCT_SCHEMES, "arXiv"})


def find_doi(text: str) -> str | None:
    """The DOI in ``text`` (a bare DOI, ``doi:…`` or a doi.org URL), lower-cased: up to the next
    whitespace, without the punctuation of the sentence around it (a final ``.,;:``, and a closing
    bracket that the DOI did not open).

    >>> find_doi("https://doi.org/10.1145/3442188.3445922."), find_doi("no doi")
    ('10.1145/3442188.3445922', None)
    >>> find_doi("(see doi:10.1002/(SICI)1097-4571(199009)41:6<391::AID-ASI1>3.0.CO;2-9).")
    '10.1002/(sici)1097-4571(199009)41:6<391::aid-asi1>3.0.co;2-9'
    """
    m = _DOI.search(text)
    if not m:
        return None
    doi = m.group(1)
    while doi[-1] in ".,;:" or (doi[-1] in _CLOSING and doi.count(doi[-1]) > doi.count(_CLOSING[doi[-1]])):
        doi = doi[:-1]
    return doi.lower()


def find_arxiv_id(text: str) -> str | None:
    """The arXiv id in an URL, an ``arXiv:`` string or a bare id, without version.

    >>> [find_arxiv_id(t) for t in ("https://arxiv.org/pdf/2106.09685v2", "arXiv:hep-th/9901001",
    ...                             "2401.01234v3", "https://huggingface.co/papers/2312.00752", "p1")]
    ['2106.09685', 'hep-th/9901001', '2401.01234', '2312.00752', None]
    """
    text = text.strip()
    m = _ARXIV.search(text) or _BARE_ARXIV.match(text)
    return m["id"] if m else None


def canonical_doi(value: str) -> str | None:
    """``doi:<doi>`` for a DOI in any spelling; an arXiv DOI (10.48550/arXiv.…) as ``arXiv:<id>``."""
    doi = find_doi(value)
    if doi is None:
        return None
    m = _ARXIV_DOI.match(doi)
    if m:
        ax = find_arxiv_id(m[1])
        if ax:
            return f"arXiv:{ax}"
    return f"doi:{doi}"


def canonical_arxiv(value: str) -> str | None:
    """``arXiv:<id>`` without version, or ``None``."""
    ax = find_arxiv_id(value)
    return f"arXiv:{ax}" if ax else None


def openalex_id(value: str) -> str | None:
    """``openalex:W…`` from a work id or URL, or ``None``."""
    m = _OPENALEX.match(value.strip())
    return f"openalex:{m[1].upper()}" if m else None


def pubmed_id(value: str | int) -> str | None:
    """``pmid:<number>`` from a PubMed id or URL, or ``None``."""
    m = _PMID.match(str(value).strip())
    return f"pmid:{int(m[1])}" if m and int(m[1]) > 0 else None


def semantic_scholar_id(value: str) -> str | None:
    """``s2:<paperId>`` (40 hex digits, lower-case), or ``None``."""
    m = _S2.match(value.strip())
    return f"s2:{m[1].lower()}" if m else None


def scopus_id(value: str) -> str | None:
    """``scopus:2-s2.0-…`` from a Scopus EID, or ``None``."""
    m = _SCOPUS.match(value.strip())
    return f"scopus:{m[1].lower()}" if m else None


def wos_id(value: str) -> str | None:
    """``wos:<accession>`` from a Web of Science UT (``WOS:000123456789012``), or ``None``."""
    m = _WOS.match(value.strip())
    if not m:
        return None
    number = m[1].split(":")[-1]
    return f"wos:{number}"


def scheme(ident: str) -> str | None:
    """The scheme of a canonical identifier, ``None`` for anything else (a raw record id)."""
    name, sep, _ = ident.partition(":")
    return name if sep and name in _SCHEMES else None


def canonical(value: str) -> str | None:
    """The canonical form of an identifier in any known spelling, or ``None``.

    >>> [canonical(v) for v in ("10.1000/X", "W12", "2-s2.0-77", "arXiv:2106.09685v1", "p1")]
    ['doi:10.1000/x', 'openalex:W12', 'scopus:2-s2.0-77', 'arXiv:2106.09685', None]
    """
    value = value.strip()
    for parse in (openalex_id, scopus_id, semantic_scholar_id, wos_id):
        found = parse(value)
        if found:
            return found
    if value.lower().startswith("pmid:"):
        return pubmed_id(value)
    if value.lower().startswith("s2corpus:"):
        digits = value.split(":", 1)[1].strip()
        return f"s2corpus:{int(digits)}" if digits.isdigit() else None
    return canonical_doi(value) if _DOI.search(value) else canonical_arxiv(value)


_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])", re.IGNORECASE)


def orcid(value: str) -> str | None:
    """The ORCID iD in ``value`` (bare, or as an orcid.org URL), checked by its checksum
    (ISO 7064 11-2), else None.

    >>> orcid("https://orcid.org/0000-0002-1825-0097"), orcid("0000000218250097")
    ('0000-0002-1825-0097', '0000-0002-1825-0097')
    >>> orcid("0000-0002-1825-0098") is None  # a digit wrong: the checksum fails
    True
    """
    m = _ORCID.search(value or "")
    if not m:
        return None
    digits = "".join(m.groups()).upper()
    total = 0
    for d in digits[:-1]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        return None
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))
