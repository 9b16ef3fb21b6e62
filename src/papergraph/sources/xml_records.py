"""XML read safely, for the readers of XML exports (:mod:`.atom`, :mod:`.pubmed_xml`,
:mod:`.endnote_xml`).

Safety: a document with an ``<!ENTITY`` declaration or an internal DTD subset
(``<!DOCTYPE x [ … ]>``) is refused before anything is parsed, so that no entity is ever expanded
(no "billion laughs"); :mod:`xml.etree.ElementTree` never fetches an external DTD or entity, so
nothing reaches the network. PubMed's own ``<!DOCTYPE PubmedArticleSet PUBLIC "…" "https://…">``
(a name and an address, nothing declared) is allowed where the reader says so.

Record-by-record reading (:func:`record_elements`): each ``<record>`` … ``</record>`` of the text
is parsed on its own, so a broken record is a :class:`~papergraph.model.Problem` naming its line
and the records after it are still read.

>>> xml = '<xml><records><record><title>A</title></record><record><title>B&</title></record>'
>>> xml += '<record><title>C<sup>2</sup></title></record></records></xml>'
>>> [str(x) if isinstance(x, Problem) else text_of(x[1]) for x in record_elements(xml, "a.xml", ["record"])]
['A', 'a.xml:1: record 2 is not well-formed XML (not well-formed (invalid token) on line 1); skipped', 'C^2']
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from papergraph.model import Problem
from papergraph.sources.markup import plain_text

__all__ = ["children", "first", "local", "record_elements", "refused", "text_of"]

_ENTITY_DECL = re.compile(r"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_ANY_DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MATHML = "{http://www.w3.org/1998/Math/MathML}"
#: Elements (by local name) and EndNote ``<style face="…">`` faces written as super- or subscripts.
_SCRIPTS = {"sup": "sup", "sub": "sub", "inf": "sub", "superscript": "sup", "subscript": "sub"}


def refused(text: str, path: str, *, allow_doctype: bool = False) -> Problem | None:
    """A Problem when ``text`` declares entities or an internal DTD subset (or, unless
    ``allow_doctype``, has any ``<!DOCTYPE``), naming the line; ``None`` when it is safe to parse."""
    m = (_ENTITY_DECL if allow_doctype else _ANY_DTD).search(text)
    if m is None:
        return None
    return Problem(
        path,
        text.count("\n", 0, m.start()) + 1,
        "XML document type declarations and entities are refused "
        "(they could expand without limit); file skipped",
    )


def local(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1]


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    """The children of ``element`` called ``name`` (any namespace); none of ``None``."""
    return [] if element is None else [child for child in element if local(child.tag) == name]


def first(element: ET.Element | None, *path: str) -> ET.Element | None:
    """The first descendant reached by following child names ``path`` (any namespace), or ``None``.

    >>> first(ET.fromstring("<a><b><c>x</c></b></a>"), "b", "c").text
    'x'
    """
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if local(c.tag) == name), None)
    return element


def text_of(element: ET.Element | None) -> str:
    """The text of ``element`` and its descendants, whitespace collapsed: superscripts after ``^``
    and subscripts after ``_`` (as :func:`~papergraph.sources.markup.plain_text` writes them),
    MathML as its characters, any other element (EndNote's ``<style>``, ``<i>``) as its text.

    >>> text_of(ET.fromstring('<t>CO<sub>2</sub> &amp; <style face="superscript">3</style>H\\n  x</t>'))
    'CO_2 & ^3H x'
    """
    if element is None:
        return ""
    out: list[str] = []
    _markup(element, out)
    return " ".join(plain_text("".join(out)).split())


def _markup(element: ET.Element, out: list[str]) -> None:
    """Append the text of ``element`` to ``out`` as escaped text with ``<sup>``/``<sub>`` tags."""
    if element.text:
        out.append(html.escape(element.text, quote=False))
    for child in element:
        if isinstance(child.tag, str) and child.tag.startswith(_MATHML):
            out.append(html.escape(" ".join("".join(child.itertext()).split()), quote=False))
        elif isinstance(child.tag, str):
            faces = child.get("face", "").split()
            script = _SCRIPTS.get(local(child.tag))
            script = script or next((_SCRIPTS[f] for f in faces if f in _SCRIPTS), None)
            out.append(f"<{script}>" if script else "")
            _markup(child, out)
            out.append(f"</{script}>" if script else "")
        if child.tail:
            out.append(html.escape(child.tail, quote=False))


def record_elements(text: str, path: str, names: Iterable[str]) -> Iterator[tuple[int, ET.Element] | Problem]:
    """(line, element) for every element of one of ``names`` in ``text``, each parsed on its own
    (none of them may hold another); a record that is not well-formed, or not closed, is a Problem
    naming the line it starts on. Call :func:`refused` first."""
    alternatives = "|".join(re.escape(n) for n in names)
    start_tag = re.compile(rf"<(?P<name>{alternatives})(?=[\s>/])[^>]*>")
    line, last, index = 1, 0, 0
    for m in start_tag.finditer(text):
        if m.start() < last:  # inside the record just read
            continue
        index += 1
        line += text.count("\n", last, m.start())
        if m.group().endswith("/>"):
            end: int | None = m.end()
        else:
            close = re.compile(rf"</{re.escape(m['name'])}\s*>").search(text, m.end())
            end = close.end() if close else None
        if end is None:
            yield Problem(path, line, f"record {index} ({m['name']}) is not closed (truncated?); skipped")
            return
        chunk = text[m.start() : end]
        try:
            element = ET.fromstring(chunk)
        except ET.ParseError as exc:
            reason = str(exc).split(":")[0]
            where = line + exc.position[0] - 1
            message = f"record {index} is not well-formed XML ({reason} on line {where}); skipped"
            yield Problem(path, line, message)
        else:
            yield line, element
        line += chunk.count("\n")
        last = end
