"""Python's cyclic garbage collector paused while a big graph of objects is built or written.

Extraction results coming back (unpickled from the cache or from worker processes), resolution
and the writers make millions of small objects (tuples, dataclasses, strings) that live until
the stage ends and form no reference cycles; every full collection walks all of them again, which
cost more than half of resolution's time on 10k papers and 80 % of reading 100k results from the
cache, and grows with the corpus. Reference counting still frees everything that is dropped;
only cycles wait until the collector runs again after the stage.

>>> import gc
>>> with paused_gc():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its earlier state after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
