"""Hugging Face Daily Papers pages saved as text (select all, copy, paste into a file).

A page is a run of blocks separated by blank lines: page chrome ("Get trending papers in your
email inbox!", "Subscribe", "Daily Papers", the page's own date), then for each paper a one-line
title, the abstract, and usually a byline block::

    • 5 authors          or     Gensyn Gensyn        (an organisation)
    ·                           ·
    Jun 30                      Jun 12 2             (date, then the upvote count if any)

A date without a year is shown by the site for the current year; the year is not in the text,
so such a date is kept as an ISO month-day (``--06-30``, ``xsd:gMonthDay``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from papergraph.model import Problem, Record, SourceRef

NAME = "hf-daily"

_CHROME = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "daily papers",
    "byak and the research community",
    "trending papers",
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_DATE = re.compile(r"^(?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?(?: (?P<votes>\d+))?$")
_AUTHORS = re.compile(r"^•\s*(?P<n>\d+)\s+authors?$")
_MIN_ABSTRACT = 200  # characters: shorter blocks are titles, bylines or chrome
_MAX_TITLE = 300


@dataclass(frozen=True)
class _Block:
    text: str
    line: int


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append(_Block("\n".join(current), start))
            current = []
    if current:
        blocks.append(_Block("\n".join(current), start))
    return blocks


def parse_date(text: str) -> tuple[str, int | None] | None:
    """``"Jun 29, 2023"`` → ``("2023-06-29", None)``; ``"Jun 12 2"`` → ``("--06-12", 2)``.

    >>> parse_date("Mar 13, 2024 1")
    ('2024-03-13', 1)
    >>> parse_date("Jun 30")
    ('--06-30', None)
    """
    m = _DATE.match(text.strip())
    if not m or m["mon"].lower() not in _MONTHS:
        return None
    month, day = _MONTHS[m["mon"].lower()], int(m["day"])
    if not 1 <= day <= 31:
        return None
    iso = f"{m['year']}-{month:02d}-{day:02d}" if m["year"] else f"--{month:02d}-{day:02d}"
    return iso, int(m["votes"]) if m["votes"] else None


def _is_byline(block: _Block) -> bool:
    lines = block.text.split("\n")
    return len(lines) >= 2 and "·" in lines and parse_date(lines[-1]) is not None


def _is_chrome(block: _Block) -> bool:
    return block.text.lower() in _CHROME or parse_date(block.text) is not None


def _is_title(block: _Block) -> bool:
    return "\n" not in block.text and len(block.text) <= _MAX_TITLE and not _is_chrome(block)


def sniff(text: str, path: str) -> bool:
    """The page chrome, or title/abstract/byline blocks, are there."""
    head = text[:4000].lower()
    if "get trending papers in your email inbox" in head or "daily papers" in head:
        return True
    blocks = _blocks(text[:20000])
    pairs = sum(
        1
        for a, b in itertools.pairwise(blocks)
        if _is_title(a) and len(b.text) >= _MIN_ABSTRACT and "\n" not in b.text
    )
    return pairs >= 2 and any(_is_byline(b) for b in blocks)


def read(text: str, path: str) -> Iterator[Record | Problem]:
    blocks = _blocks(text)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if _is_chrome(block) or _is_byline(block):
            i += 1
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if not _is_title(block) or nxt is None or len(nxt.text) < _MIN_ABSTRACT:
            if len(block.text) >= _MIN_ABSTRACT:
                yield Problem(path, block.line, "abstract without a title line before it; skipped")
            else:
                yield Problem(path, block.line, f"unexpected line {block.text[:60]!r}; skipped")
            i += 1
            continue
        title, abstract = block.text, " ".join(nxt.text.split())
        i += 2
        fields: dict = {}
        if i < len(blocks) and _is_byline(blocks[i]):
            fields = _byline_fields(blocks[i].text)
            i += 1
        yield Record(source=SourceRef(path, block.line, NAME), title=title, abstract=abstract, **fields)


def _byline_fields(text: str) -> dict:
    lines = text.split("\n")
    who = " ".join(line for line in lines[:-1] if line != "·").strip()
    parsed = parse_date(lines[-1])
    fields: dict = {}
    if parsed:
        fields["date"], votes = parsed
        if votes is not None:
            fields["upvotes"] = votes
    m = _AUTHORS.match(who)
    if m:
        fields["author_count"] = int(m["n"])
    elif who:
        words = who.split()
        half = len(words) // 2
        # the page repeats an organisation's name (avatar alt text, then name): "Gensyn Gensyn"
        if len(words) % 2 == 0 and words[:half] == words[half:]:
            who = " ".join(words[:half])
        fields["byline"] = who
    return fields
