"""How far a build has got: the stage it is in, and for extraction how many records are done.

A build takes a ``progress`` callable (:data:`Progress`) and calls it with the stage's name, the
records done and the records in all (``None`` when the stage has no count: resolving, writing).
Extraction reports every :data:`EVERY` records and once at its end; records found in the cache
count as done from the start. Any callable does: a notebook can collect the calls, a service can
log them; :class:`StageReporter` shows them in a terminal or a log.

>>> import io
>>> out = io.StringIO()
>>> report = StageReporter(out, live=False, every=0.0, clock=iter([0.0, 1.0, 2.0, 3.0, 3.5]).__next__)
>>> report("read", 2_000, 2_000)
>>> report("extract", 500, 2_000)
>>> report("extract", 2_000, 2_000)
>>> report("resolve", 0, None)
>>> report.close()
>>> print(out.getvalue(), end="")
read 2,000/2,000
extract 500/2,000
extract 2,000/2,000 (1,500/s)
resolve
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TypeVar

__all__ = ["EVERY", "Progress", "StageReporter", "counted"]

#: stage, records done, records in all (None: the stage is not counted)
Progress = Callable[[str, int, int | None], None]

#: Extraction reports once per this many records (and at its end).
EVERY = 500

T = TypeVar("T")


def counted(items: Iterable[T], stage: str, total: int, progress: Progress, done: int = 0) -> Iterator[T]:
    """``items``, reporting ``(stage, done, total)`` to ``progress`` before the first, every
    :data:`EVERY` items and after the last (unless just reported); ``done`` items were done before
    the first (found in a cache).

    >>> calls = []
    >>> list(counted(range(3), "extract", 5, lambda *a: calls.append(a), done=2))
    [0, 1, 2]
    >>> calls
    [('extract', 2, 5), ('extract', 5, 5)]
    """
    progress(stage, done, total)
    shown = done
    for item in items:
        done += 1
        if done - shown >= EVERY:
            progress(stage, done, total)
            shown = done
        yield item
    if done != shown:
        progress(stage, done, total)


class StageReporter:
    """Show a build's progress on ``stream``: ``live``, one line rewritten in place (a terminal),
    else a line per report, at most one every ``every`` seconds within a stage (a log file; the
    first and last report of a stage are always shown).

    A counted stage shows its rate once it has one, and the time it has left: ``extract
    45,000/100,000 (1,870/s, 29 s left)``. The rate counts only what was done while the stage ran,
    not the records found done at its start. :meth:`close` ends the last line (a live line is
    cleared, so that what the build prints next starts on a clean line).
    """

    def __init__(
        self,
        stream: IO[str],
        *,
        live: bool,
        every: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.live = live
        self.every = 0.0 if live else every
        self.clock = clock
        self.stage: str | None = None
        self.started = 0.0
        self.first = 0
        self.shown = float("-inf")
        self.width = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = self.clock()
        if stage != self.stage:
            self.stage, self.started, self.first, self.shown = stage, now, done, float("-inf")
        elif now - self.shown < self.every and done != total:
            return
        self.shown = now
        self._show(self.describe(stage, done, total, now))

    def describe(self, stage: str, done: int, total: int | None, now: float) -> str:
        """The text of one report."""
        if total is None:
            return stage
        text = f"{stage} {done:,}/{total:,}"
        spent, made = now - self.started, done - self.first
        if spent > 0 and made > 0:
            rate = made / spent
            text += f" ({rate:,.0f}/s"
            if done < total:
                text += f", {math.ceil((total - done) / rate):,} s left"
            text += ")"
        return text

    def _show(self, text: str) -> None:
        if self.live:
            self.stream.write("\r" + text.ljust(self.width))
            self.width = max(self.width, len(text))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the progress display (a live line is cleared)."""
        if self.live and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
        self.width = 0
