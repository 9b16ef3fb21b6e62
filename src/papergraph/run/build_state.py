"""What ``papergraph build`` leaves next to its outputs so that ``--update`` can add papers later.

An output folder gets two hidden files: ``.papergraph-build.json`` (the inputs and formats of the
build) and ``.papergraph-cache.sqlite`` (the extraction results, :mod:`papergraph.run.cache`).
``papergraph build --update DIR NEW…`` rebuilds from the earlier inputs plus the new ones; only
records the cache does not hold are extracted, and the result is the one a full build of all
inputs gives.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> write_state(out, BuildState(("corpus",), (str(pathlib.Path("corpus").resolve()),), ("ttl",)))
>>> read_state(out).formats
('ttl',)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from papergraph.atomic import atomic_write

__all__ = ["BuildState", "cache_file", "read_state", "state_file", "updated_paths", "write_state"]

_VERSION = 1


@dataclass(frozen=True)
class BuildState:
    """The inputs of a build, as given on the command line and as absolute paths, its formats and
    its extractor (``build --extractor``)."""

    paths: tuple[str, ...]
    absolute: tuple[str, ...]
    formats: tuple[str, ...]
    extractor: str = "rules"

    @classmethod
    def of(cls, paths: list[str], formats: list[str], extractor: str = "rules") -> BuildState:
        return cls(tuple(paths), tuple(str(Path(p).resolve()) for p in paths), tuple(formats), extractor)


def state_file(out: str | Path) -> Path:
    return Path(out) / ".papergraph-build.json"


def cache_file(out: str | Path) -> Path:
    return Path(out) / ".papergraph-cache.sqlite"


def write_state(out: str | Path, state: BuildState) -> None:
    data = {
        "version": _VERSION,
        "paths": list(state.paths),
        "absolute": list(state.absolute),
        "formats": list(state.formats),
        "extractor": state.extractor,
    }
    atomic_write(state_file(out), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_state(out: str | Path) -> BuildState | None:
    """The state of the last build into ``out``; ``None`` when there is none.

    Raises ``ValueError`` naming the file when it cannot be read."""
    path = state_file(out)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = BuildState(
            tuple(map(str, data["paths"])),
            tuple(map(str, data["absolute"])),
            tuple(map(str, data["formats"])),
            str(data.get("extractor", "rules")),  # builds before --extractor used the rules
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a papergraph build state ({exc})") from exc
    if len(state.paths) != len(state.absolute):
        raise ValueError(f"{path}: not a papergraph build state (paths and absolute paths differ)")
    return state


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def updated_paths(state: BuildState, new: list[str]) -> list[str]:
    """The earlier inputs, then each new path not already among them (nor inside an earlier folder).

    An earlier input keeps its spelling when it still names the same file from here (so that source
    paths in the graph stay the same), else it is given as its absolute path.

    >>> import pathlib
    >>> here = pathlib.Path("corpus").resolve()
    >>> state = BuildState(("corpus",), (str(here),), ("ttl",))
    >>> updated_paths(state, ["corpus/a.txt", "new.jsonl", "new.jsonl"])
    ['corpus', 'new.jsonl']
    """
    out: list[str] = []
    covered: list[Path] = []
    for given, absolute in zip(state.paths, state.absolute, strict=True):
        out.append(given if str(Path(given).resolve()) == absolute else absolute)
        covered.append(Path(absolute))
    for p in new:
        resolved = Path(p).resolve()
        if not any(_inside(resolved, c) for c in covered):
            out.append(p)
            covered.append(resolved)
    return out
