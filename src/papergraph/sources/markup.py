"""Markup in titles and abstracts, as exporters leave it: JATS from Crossref and publishers
(``<jats:p>``, ``<jats:italic>``), HTML and Scopus's own tags (``<i>``, ``<sup>``, ``<inf>``,
``<scp>``), and entities (``&gt;``, ``&amp;``). :func:`plain_text` gives the text a reader sees:
inline tags removed where they stand (``<scp>T</scp>reebase`` is "Treebase"; a superscript is
written after ``^`` and a subscript after ``_``: "10^18", "CO_2"), block tags (a
paragraph, a section, a line break) made a space, a leading heading ("Abstract", "Summary") left
out, entities decoded. Only tags of known names are touched, so "p < 0.05 and q > 1" stays as it is;
a text with neither a tag nor an entity is returned unchanged, whitespace included.

>>> plain_text("<scp>T</scp>reebase: <i>b</i><sup>2</sup> &gt; 1")
'Treebase: b^2 > 1'
>>> plain_text("<jats:title>Summary</jats:title><jats:p>We fit CO<inf>2</inf> uptake.</jats:p>")
'We fit CO_2 uptake.'
>>> plain_text("<jats:sec><jats:title>Background</jats:title><jats:p>We x.</jats:p></jats:sec>")
'Background: We x.'
>>> plain_text("p < 0.05 and q > 1")
'p < 0.05 and q > 1'
"""

from __future__ import annotations

import html
import re

__all__ = ["plain_text"]

#: Tags that stand inside a word or a phrase: removed without a trace.
_INLINE = (
    "i|b|u|em|strong|sup|sub|inf|scp|sc|small|span|italic|bold|underline|monospace|roman|sans-serif"
    "|named-content|styled-content|ext-link|uri|xref|email|inline-formula|tex-math|alternatives"
)
#: Tags that end a block: made a space.
_BLOCK = "p|sec|title|label|caption|list|list-item|def-list|break|br|div|abstract|trans-abstract|disp-quote"
_TAG = re.compile(
    rf"<(?P<close>/)?(?:jats:|mml:)?(?:(?P<inline>{_INLINE})|(?P<block>{_BLOCK}))(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_MATHML = re.compile(r"</?mml:[a-z]+(?:\s[^<>]*)?/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
#: A heading that only says what the text is: left out at its start.
_HEADING = re.compile(
    r"^\s*<(?:jats:)?title>\s*(?:abstract|summary|graphical abstract)\s*[.:]?\s*</(?:jats:)?title>",
    re.IGNORECASE,
)
#: The start of a tag of a known name: with an entity, what makes a text worth cleaning.
_TAG_HINT = re.compile(rf"</?(?:jats:|mml:)?(?:{_INLINE}|{_BLOCK})\b", re.IGNORECASE)
#: The end of a section's title: "Background: We ...".
_TITLE_END = re.compile(r"(?<![.:?!])\s*</(?:jats:)?title>", re.IGNORECASE)


_SCRIPTS = {"sup": "^", "sub": "_", "inf": "_"}


def _replacement(m: re.Match[str]) -> str:
    """A block tag is a space; a superscript opens with ``^`` and a subscript with ``_`` (10^18, not
    1018; T_MTTF, not TMTTF); any other inline tag is nothing."""
    if m.group("block"):
        return " "
    if m.group("close"):
        return ""
    return _SCRIPTS.get(m.group("inline").lower(), "")


def plain_text(text: str) -> str:
    """``text`` without its markup (see the module docstring); unchanged when it has none."""
    if not (("<" in text and _TAG_HINT.search(text)) or ("&" in text and _ENTITY.search(text))):
        return text
    text = _HEADING.sub("", text)
    text = _TITLE_END.sub(":</title>", text)
    text = _TAG.sub(_replacement, text)
    text = _MATHML.sub("", text)
    text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return " ".join(text.split())
