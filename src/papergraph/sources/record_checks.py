"""Checks every record passes, whatever its format: no absurdly long field, no unencodable text,
no markup in its title and abstract (:func:`~papergraph.sources.markup.plain_text`).

A record with a field longer than its limit is skipped with a :class:`Problem` naming the field
and its length (real titles are under 300 characters and abstracts under 5,000; a megabyte
"title" is a broken export, and extraction would spend minutes on it). Lone UTF-16 surrogates,
which JSON escapes such as ``"\\ud800"`` produce and which no UTF-8 output can hold, are replaced
by U+FFFD with a warning.

>>> from papergraph.model import Record, SourceRef
>>> check_record(Record(SourceRef("a.jsonl", 3, "json"), abstract="We x.", title="T" * 3000))
Problem(path='a.jsonl', line=3, message='title is 3,000 characters long (limit 2,000); record skipped', \
skipped=True)
>>> fixed = check_record(Record(SourceRef("a.jsonl", 4, "json"), abstract="We \\ud800 x."))
>>> fixed[0].abstract, str(fixed[1])
('We \\ufffd x.', 'a.jsonl:4: lone UTF-16 surrogate in abstract replaced by U+FFFD')
"""

from __future__ import annotations

import dataclasses
import re

from papergraph.model import Problem, Record
from papergraph.sources.markup import plain_text

#: Longest accepted title, in characters.
MAX_TITLE = 2_000
#: Longest accepted abstract (and any other single text field), in characters.
MAX_TEXT = 100_000
#: Most authors, references or extra fields a record may have.
MAX_ITEMS = 10_000

_SURROGATE = re.compile("[\ud800-\udfff]")


def _texts(record: Record) -> list[tuple[str, str]]:
    """(field name, text) for every text of ``record``."""
    out = [(f, getattr(record, f)) for f in ("title", "abstract", "id", "byline", "date", "url")]
    out += [("authors", a) for a in record.authors]
    out += [("references", r) for r in record.references]
    for key, value in record.extra:
        out += [(f"field name {key[:40]!r}", key), (repr(key[:40]), value)]
    return [(name, text) for name, text in out if text]


def _too_long(record: Record, texts: list[tuple[str, str]]) -> str | None:
    """Why ``record`` is too big to use, or ``None``."""
    for name in ("authors", "references", "extra"):
        count = len(getattr(record, name))
        if count > MAX_ITEMS:
            return f"{count:,} {name} (limit {MAX_ITEMS:,})"
    for name, text in texts:
        limit = MAX_TITLE if name == "title" else MAX_TEXT
        if len(text) > limit:
            return f"{name} is {len(text):,} characters long (limit {limit:,})"
    return None


def without_surrogates(text: str) -> str:
    """``text`` with its lone surrogates (a file name that is not UTF-8) as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _scrub(value: object) -> object:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, tuple):
        return tuple(_scrub(v) for v in value)
    return value


def check_record(record: Record) -> Record | Problem | tuple[Record, Problem]:
    """``record`` when it is fine, a Problem when it must be skipped, or the repaired record and a
    warning saying what was replaced."""
    where = (record.source.path, record.source.line)
    texts = _texts(record)
    reason = _too_long(record, texts)
    if reason:
        return Problem(*where, f"{reason}; record skipped")
    # markup of any exporter (JATS, HTML, Scopus's <inf>, entities) out of the title and abstract
    title = plain_text(record.title) if record.title else record.title
    abstract = plain_text(record.abstract)
    if title != record.title or abstract != record.abstract:
        record = dataclasses.replace(record, title=title or None, abstract=abstract)
    if not record.source.path.isascii() and _SURROGATE.search(record.source.path):  # not UTF-8
        source = dataclasses.replace(record.source, path=_SURROGATE.sub("\ufffd", record.source.path))
        record = dataclasses.replace(record, source=source)
    # isascii() is a flag lookup: only non-ASCII texts are searched
    bad = [name for name, text in texts if not text.isascii() and _SURROGATE.search(text)]
    if not bad:
        return record
    changes = {
        f.name: _scrub(getattr(record, f.name)) for f in dataclasses.fields(record) if f.name != "source"
    }
    fields = ", ".join(dict.fromkeys(bad))
    warning = Problem(*where, f"lone UTF-16 surrogate in {fields} replaced by U+FFFD", skipped=False)
    return dataclasses.replace(record, **changes), warning
