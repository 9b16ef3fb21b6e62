"""Files of ``Abstract:`` lines: one paper a line, no title, no metadata.

>>> [r.abstract for r in read("Abstract: We propose X.\\n\\nAbstract:Y is good.\\n", "a.txt")]
['We propose X.', 'Y is good.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from papergraph.model import Problem, Record, SourceRef

NAME = "abstract-lines"
_PREFIX = re.compile(r"^\s*abstract\s*:\s*", re.IGNORECASE)


def sniff(text: str, path: str) -> bool:
    """Most non-blank lines start with ``Abstract:``."""
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    if not lines:
        return False
    hits = sum(1 for line in lines if _PREFIX.match(line))
    return hits >= 1 and hits >= 0.8 * len(lines)


def read(text: str, path: str) -> Iterator[Record | Problem]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _PREFIX.match(line)
        if not match:
            yield Problem(path, number, "line does not start with 'Abstract:'; skipped")
            continue
        abstract = " ".join(line[match.end() :].split())
        if not abstract:
            yield Problem(path, number, "empty abstract; skipped")
            continue
        yield Record(source=SourceRef(path, number, NAME), abstract=abstract)
