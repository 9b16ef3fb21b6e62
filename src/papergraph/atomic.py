"""Write files atomically: readers see either the old file or the complete new one, never a torn mix.

Data goes to a temporary file in the target's folder, is flushed and ``fsync``-ed, then moved over
the target with :func:`os.replace` (atomic on POSIX and Windows). If anything fails before that,
the temporary file is removed and the previous file, if any, is left untouched.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(folder / "sub" / "a.txt", "hello\\n").read_text()
'hello\\n'
>>> with atomic_open(folder / "b.bin", "wb") as fh:
...     _ = fh.write(b"\\x00\\x01")
>>> (folder / "b.bin").read_bytes()
b'\\x00\\x01'

A set of files that belong together (a build's outputs) is written with :func:`staged_outputs`:
every file is written into a hidden staging folder and moved into place only once all of them
are complete, so a build that fails or is killed while writing leaves every previous file as it was.

>>> with staged_outputs(folder) as staging:
...     _ = atomic_write(staging / "a.txt", "new\\n")
...     _ = atomic_write(staging / "c.txt", "more\\n")
>>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
('new\\n', ['a.txt', 'b.bin', 'c.txt', 'sub'])
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_open", "atomic_write", "staged_outputs"]

#: Name prefix of the staging folders of :func:`staged_outputs` (followed by the writer's pid).
STAGING_PREFIX = ".papergraph-staging-"

_TEXT_MODES = {"w", "wt"}
_BINARY_MODES = {"wb"}


def _umask() -> int:
    """The process umask (read without changing it where the platform allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target_mode(path: Path) -> int:
    """Permission bits the new file should get: the old file's, else what ``open()`` would give."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable where the platform supports syncing a directory."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on a clean exit it replaces ``path``.

    ``mode`` is ``"w"``/``"wt"`` (text, UTF-8, ``\\n`` written as is) or ``"wb"``. Parent folders are
    created. If the ``with`` block raises, the temporary file is deleted, ``path`` keeps its old
    content and the exception propagates.
    """
    if mode not in _TEXT_MODES | _BINARY_MODES:
        raise ValueError(f"atomic_open supports modes 'w', 'wt' and 'wb', not {mode!r}")
    target = Path(path)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    binary = mode in _BINARY_MODES
    fh: IO[Any] = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below on every path
        mode="wb" if binary else "w",
        dir=folder,
        prefix=f".{target.name}.",
        suffix=".tmp",
        delete=False,
        **({} if binary else {"encoding": encoding, "newline": ""}),
    )
    tmp = Path(fh.name)
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.chmod(tmp, _target_mode(target))
        os.replace(tmp, target)
    except BaseException:
        fh.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically and return ``path``."""
    target = Path(path)
    with atomic_open(target, "wb" if isinstance(data, bytes) else "w") as fh:
        fh.write(data)
    return target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove_stale_staging(folder: Path) -> None:
    """Staging folders left by writers that were killed (their process is gone)."""
    for child in folder.glob(STAGING_PREFIX + "*"):
        pid = child.name[len(STAGING_PREFIX) :].split(".")[0]
        if child.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(child, ignore_errors=True)


@contextlib.contextmanager
def staged_outputs(folder: str | Path) -> Iterator[Path]:
    """A staging folder inside ``folder``; on a clean exit its files replace those of ``folder``.

    Files are moved only after the ``with`` block has finished, one :func:`os.replace` each, so an
    exception (or a kill) while they are written leaves ``folder`` untouched; the staging folder
    is removed either way, and a killed writer's is removed by the next call.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}.", dir=target))
    try:
        yield staging
        for path in sorted(staging.iterdir()):
            os.replace(path, target / path.name)
        _fsync_dir(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
