"""Whether a SPARQL text would make the engine reach out: ``SERVICE`` (a federated sub-query sent to
any URL) or ``LOAD`` (an update that fetches any URL).

The local endpoint (:mod:`papergraph.query.serve`) refuses both unless federation is asked for:
without it, any process of the machine, or a web page allowed to reach localhost, could make the
machine call its internal hosts. pyoxigraph offers no switch to turn its HTTP client off, so the
text is checked before it runs, erring on the side of refusing: the keywords are looked for in
everything but IRIs (``<…>``), string literals and comments, each recognised no more widely than
the SPARQL grammar does (so nothing the engine reads as a keyword can hide in them), as the end of
any run of letters and digits (``1SERVICE`` is read as ``1 SERVICE`` by the engine) that is not a
variable (``?service``) or the local part of a prefixed name (``ex:load``). The text is checked as
it is and with its ``\\u``/``\\U`` escapes decoded. A variable or prefix named ``service`` or
``load`` (``service:x``) is refused too: rename it.

>>> remote_access("SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }")
'SERVICE'
>>> remote_access("SELECT * WHERE { ?s ?p 1SeRvIcE <http://h/> { ?s ?p ?o } }")
'SERVICE'
>>> remote_access("LOAD <http://h/data.ttl>")
'LOAD'
>>> remote_access('SELECT ?service WHERE { ?service <http://e.org/load> "SERVICE" } # LOAD')
>>> remote_access("PREFIX ex: <http://e.org/> SELECT * WHERE { ?s ex:download ?o }")
"""

from __future__ import annotations

import re

__all__ = ["remote_access"]

#: The keywords that make the engine fetch a URL.
KEYWORDS = ("SERVICE", "LOAD")

# IRIREF, the four string forms and comments exactly as narrow as the SPARQL 1.1 grammar; an
# escaped character of a prefixed name (``ex:a\#b``) is taken first so that it does not open a
# comment. Whatever these do not match is looked at.
_HIDDEN = re.compile(
    r"""\\.|<[^<>"{}|^`\\\x00-\x20]*>|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"""
    r"""|\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'"""
    r"""|"(?:[^"\\\n\r]|\\.)*"|\#[^\n\r]*""",
    re.DOTALL,
)
_WORD = re.compile(r"[A-Za-z0-9_]+")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    def decode(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else ""

    return _ESCAPE.sub(decode, text)


def _keyword_in(text: str) -> str | None:
    visible = _HIDDEN.sub(" ", text)
    for word in _WORD.finditer(visible):
        before = visible[word.start() - 1] if word.start() else " "
        if before in "?$:":
            continue
        upper = word.group().upper()
        for keyword in KEYWORDS:
            if upper.endswith(keyword):
                return keyword
    return None


def remote_access(sparql: str) -> str | None:
    """The keyword (``SERVICE`` or ``LOAD``) by which ``sparql`` (a query or an update) would make
    the engine fetch a URL, or ``None`` when it cannot.

    Parameters
    ----------
    sparql:
        The text of a SPARQL query or update, as received.

    Returns
    -------
    str or None
        ``"SERVICE"`` or ``"LOAD"``, the first found; ``None`` when neither appears outside IRIs,
        strings and comments.
    """
    found = _keyword_in(sparql)
    if found is None and "\\" in sparql:
        found = _keyword_in(_unescape(sparql))
    return found
