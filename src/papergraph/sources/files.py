"""The input files: the folders walked, and each file's bytes read without blocking or blowing up.

Every input that is not read is named by a :class:`~papergraph.model.Problem`:

* **What is walked.** A folder given as input is walked in sorted order, its sub-folders too.
  Files of hidden names (``.DS_Store``) and of the suffixes of papergraph's own outputs are left
  out silently. A sub-folder that cannot be listed (no permission) is a problem, and so is every
  symbolic link that cannot be read through: a *dangling* link, a *link loop*. A symbolic link to
  a file is read like the file; a **symbolic link to a folder is not followed** (a problem says
  so): a walk then never sees a folder twice, cannot loop, and reads what lies under the folder
  given, nothing else. To read a linked folder, give it as an input: a path given on the command
  line is always followed.
* **What is read.** Only regular files: a FIFO, a socket or a device is refused after a ``stat``,
  never opened, so a build never waits on a pipe nobody writes to. A file is read up to a limit
  (a bigger one is refused with its size), and so is the text of a gzip file (no gzip bomb). A
  truncated or damaged gzip file keeps the complete lines that came out before the damage, with a
  problem saying after how many bytes and lines the rest was lost.

>>> import gzip, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "a.txt.gz").write_bytes(gzip.compress(b"Abstract: one.\\nAbstract: two.\\n")[:-8])
34
>>> raw, problems = read_bytes(folder / "a.txt.gz", 1 << 20)
>>> raw, [p.message for p in problems]  # doctest: +NORMALIZE_WHITESPACE
(b'Abstract: one.\\nAbstract: two.\\n',
 ['gzip data truncated after 30 bytes (2 lines) of text; the lines up to there are read, the rest is lost'])
"""

from __future__ import annotations

import errno
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from papergraph.model import Problem

__all__ = ["SKIP_SUFFIXES", "read_bytes", "walk"]

#: File names that are never paper listings when a folder is walked.
SKIP_SUFFIXES = {".ttl", ".nt", ".html", ".graphml", ".jsonld", ".pyc", ".png", ".jpg", ".gif", ".pdf"}

#: What each kind of file that is not a regular file is called in a problem.
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)
#: Compressed bytes decompressed at a time: what a damaged gzip file can lose beyond its damage.
_GZIP_STEP = 1 << 14


def walk(paths: Iterable[str | Path]) -> Iterator[Path | Problem]:
    """The files named by ``paths``, and a problem for each entry of a walked folder left unread.

    Parameters
    ----------
    paths:
        Files and folders, as given; a folder is walked (see the module's docstring for what is
        followed), anything else is yielded as it is, to be read or reported by the reader.

    Returns
    -------
    An iterator of the files' paths, in order, with a :class:`Problem` in its place for each
    sub-folder that cannot be listed, dangling link, link loop or link to a folder.
    """
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from _walk_folder(path)
        else:
            yield path


def _walk_folder(folder: Path) -> Iterator[Path | Problem]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        why = exc.strerror or exc
        yield Problem(str(folder), None, f"cannot read folder: {why}; nothing under it is read")
        return
    for entry in entries:
        child = Path(entry.path)
        try:
            link = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            yield Problem(str(child), None, f"cannot read: {exc.strerror or exc}")
            continue
        if entry.name.startswith(".") and not is_dir:
            continue
        if link:
            problem = _link_problem(child)
            if problem is not None:
                yield problem
                continue
        if is_dir:
            yield from _walk_folder(child)
        elif child.suffix.lower() not in SKIP_SUFFIXES:
            yield child


def _link_problem(link: Path) -> Problem | None:
    """Why the symbolic link ``link`` (inside a walked folder) is not read, or ``None`` when it
    leads to something to read (a file, or what the reader will refuse with its own problem)."""
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    try:
        mode = os.stat(link).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(str(link), None, f"symbolic link loop (-> {target}); not read")
        if isinstance(exc, FileNotFoundError):
            return Problem(str(link), None, f"dangling symbolic link (-> {target}: no such file); not read")
        why = exc.strerror or exc
        return Problem(str(link), None, f"symbolic link (-> {target}) cannot be followed: {why}")
    if stat.S_ISDIR(mode):
        return Problem(
            str(link),
            None,
            f"symbolic link to a folder (-> {target}); not followed: give the folder as an input to read it",
        )
    return None


def read_bytes(path: str | Path, limit: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of the file ``path`` (decompressed when it is gzip), and its problems.

    Parameters
    ----------
    path:
        The file; anything but a regular file (after following links) is refused unopened.
    limit:
        The most bytes read, of the file and of its decompressed text each; more is refused.

    Returns
    -------
    ``(bytes, problems)``: ``bytes`` is ``None`` when nothing can be read (the problems say
    why); a damaged gzip file gives the text before the damage and a problem.
    """
    name = str(path)
    try:
        info = os.stat(path)
        refused = _not_a_file(info.st_mode)
        if refused:
            return None, [Problem(name, None, f"{refused}, not a regular file: not read")]
        if info.st_size > limit:
            return None, [Problem(name, None, too_big(info.st_size, limit))]
        # O_NONBLOCK: should the file have become a pipe since the stat, opening it does not wait
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            refused = _not_a_file(os.fstat(fh.fileno()).st_mode)
            if refused:
                return None, [Problem(name, None, f"{refused}, not a regular file: not read")]
            raw = fh.read(limit + 1)
        if len(raw) > limit:
            return None, [Problem(name, None, too_big(len(raw), limit, "more than "))]
    except OSError as exc:
        return None, [Problem(name, None, f"cannot read file: {exc.strerror or exc}")]
    except MemoryError:
        return None, [Problem(name, None, "not enough memory to read the file; split it")]
    if raw[:2] == b"\x1f\x8b":  # gzip, as the OpenAlex and Semantic Scholar snapshots ship
        return _gunzip(raw, name, limit)
    return raw, []


def _not_a_file(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not a regular file (``"a socket"``), else ``None``."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def _gunzip(raw: bytes, name: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    """The text of the gzip data ``raw`` (every member), at most ``limit`` bytes; decompressed a
    step at a time, so that what came out before a truncation or damage is kept."""
    out: list[bytes] = []
    size = 0
    data = raw
    damage: str | None = None  # "truncated", or "damaged (why)"
    while data and damage is None:
        unpack = zlib.decompressobj(16 + zlib.MAX_WBITS)  # one gzip member
        at = 0
        try:
            while at < len(data) and not unpack.eof:
                piece = unpack.decompress(data[at : at + _GZIP_STEP], limit + 1 - size)
                at += _GZIP_STEP
                while True:
                    out.append(piece)
                    size += len(piece)
                    if size > limit:
                        return None, [Problem(name, None, too_big(size, limit, "more than "))]
                    if not unpack.unconsumed_tail:
                        break
                    piece = unpack.decompress(unpack.unconsumed_tail, limit + 1 - size)
        except zlib.error as exc:
            damage = f"damaged ({exc})"
            break
        if not unpack.eof:
            damage = "truncated"
            break
        data = (unpack.unused_data + data[at:]).lstrip(b"\0")  # the next member; zero padding ignored
        if data[:2] != b"\x1f\x8b":
            break  # trailing bytes that are not gzip: ignored, as gzip(1) does
    text = b"".join(out)
    if damage is None:
        return text, []
    kept = text[: text.rfind(b"\n") + 1]  # complete lines only
    if not kept:
        why = f"cannot decompress gzip file: data {damage} before its first line"
        return None, [Problem(name, None, why)]
    lines = kept.count(b"\n")
    word, _, why = damage.partition(" ")
    return kept, [
        Problem(
            name,
            lines + 1,
            f"gzip data {word} after {len(kept):,} bytes ({lines:,} line{'s' if lines != 1 else ''}) "
            f"of text{' ' + why if why else ''}; the lines up to there are read, the rest is lost",
        )
    ]


def too_big(size: int, limit: int, more: str = "") -> str:
    """The message for a file of ``size`` bytes over the ``limit``."""
    return (
        f"file is {more}{size / (1 << 20):,.0f} MB, more than papergraph reads at once "
        f"({limit / (1 << 20):,.0f} MB); split it into smaller files"
    )
