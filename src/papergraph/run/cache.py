"""A cache of extraction results keyed by the content of each record (an SQLite file).

A record's key is a hash of every field except where it was read (:func:`record_key`), so the same
paper read from a moved or renamed file is still a hit. The cache remembers the fingerprint of the
extraction code (:func:`extractor_fingerprint`); opened by a different extractor, it starts empty,
so a changed extractor never serves stale results.

>>> import tempfile, pathlib
>>> from papergraph.model import Record, SourceRef
>>> from papergraph.run.parallel import find
>>> rec = Record(SourceRef("a.txt", 1, "test"), "We propose FooNet, which outperforms ResNet-50.")
>>> path = pathlib.Path(tempfile.mkdtemp()) / "extractions.sqlite"
>>> with ExtractionCache(path) as cache:
...     cache.put({record_key(rec): find(rec)})
>>> moved = Record(SourceRef("b.txt", 7, "test"), rec.abstract)
>>> with ExtractionCache(path) as cache:
...     cache.get([record_key(moved)]) == {record_key(moved): find(rec)}
True
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import fields
from pathlib import Path
from types import TracebackType

from papergraph.model import Record
from papergraph.run.parallel import Found

__all__ = ["ExtractionCache", "extractor_fingerprint", "record_key"]

_PACKAGE = Path(__file__).resolve().parents[1]  # the papergraph package
#: What extraction results depend on: the extractor, the names it normalises, the records' classes.
_CODE = ("extract", "names.py", "model.py", "run/parallel.py")
_FIELDS = tuple(f.name for f in fields(Record) if f.name != "source")
_BATCH = 500  # keys per SELECT (SQLite's default limit on parameters is 999 or more)


@functools.lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A hash of the source and data files extraction results depend on."""
    digest = hashlib.sha256()
    for name in _CODE:
        path = _PACKAGE / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if f.suffix in (".pyc", ".pyo"):
                continue
            digest.update(str(f.relative_to(_PACKAGE)).encode("utf-8") + b"\0")
            digest.update(f.read_bytes() + b"\0")
    return digest.hexdigest()


def record_key(record: Record) -> str:
    """A hash of every field of ``record`` except ``source`` (where it was read).

    >>> from papergraph.model import SourceRef
    >>> a = Record(SourceRef("a.txt", 1, "x"), "Some abstract.", title="T")
    >>> b = Record(SourceRef("b.txt", 9, "y"), "Some abstract.", title="T")
    >>> record_key(a) == record_key(b), record_key(a) == record_key(Record(a.source, "Other."))
    (True, False)
    """
    content = repr(tuple(getattr(record, name) for name in _FIELDS))
    return hashlib.blake2b(content.encode("utf-8"), digest_size=16).hexdigest()


class ExtractionCache:
    """Extraction results (:class:`~papergraph.run.parallel.Found`) by :func:`record_key`."""

    def __init__(self, path: str | Path, variant: str = "") -> None:
        """``variant`` names the extractor when it is not the rules (its ``fingerprint``)."""
        self.path = Path(path)
        fingerprint = extractor_fingerprint() + (f":{variant}" if variant else "")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS found (key TEXT PRIMARY KEY, value BLOB)")
        row = self._db.execute("SELECT value FROM meta WHERE name = 'extractor'").fetchone()
        if row is None or row[0] != fingerprint:
            with self._db:
                self._db.execute("DELETE FROM found")
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('extractor', ?)", (fingerprint,))

    def get(self, keys: Iterable[str]) -> dict[str, Found]:
        """The cached results among ``keys``."""
        wanted = list(dict.fromkeys(keys))
        out: dict[str, Found] = {}
        for i in range(0, len(wanted), _BATCH):
            batch = wanted[i : i + _BATCH]
            marks = ",".join("?" * len(batch))
            for key, value in self._db.execute(f"SELECT key, value FROM found WHERE key IN ({marks})", batch):
                out[key] = pickle.loads(value)
        return out

    def put(self, found: Mapping[str, Found]) -> None:
        """Store ``found`` (one transaction)."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO found VALUES (?, ?)",
                ((k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in found.items()),
            )

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM found").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
