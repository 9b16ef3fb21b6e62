"""Optional dependencies: what each extra of the package brings, and a clear error when it is missing.

``pip install .`` (or the wheel) brings everything that building, querying, serving and viewing
need. A feature that needs more names its extra; when the extra is not installed, the feature
raises :class:`MissingExtra`, whose message is the one line to act on (the CLI prints it and exits
with code 2).

>>> import sys
>>> sys.modules["no_such_module_for_papergraph"] = None   # as if it were not installed
>>> try:
...     require("no_such_module_for_papergraph", "charts", "stats --charts")
... except MissingExtra as exc:
...     print(exc)
stats --charts needs the 'charts' extra, which is not installed: pip install "matplotlib>=3.7"
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["EXTRAS", "MissingExtra", "require"]

#: The optional extras that features ask for, as in ``pyproject.toml`` (a test keeps them equal).
EXTRAS: dict[str, tuple[str, ...]] = {
    "dask": ("dask[distributed]>=2024.1",),
    "charts": ("matplotlib>=3.7",),
    "validate": ("pyshacl>=0.26",),
}


class MissingExtra(ImportError):
    """A feature's optional dependency is not installed; the message says what to install."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``, or raise :class:`MissingExtra` naming the ``pip install``.

    Parameters
    ----------
    module : str
        The module to import (``"distributed"``, ``"matplotlib"``).
    extra : str
        The extra of papergraph that brings it (a key of :data:`EXTRAS`).
    feature : str
        What the user asked for, as they would name it (``"--dask"``, ``"stats --charts"``).

    Returns
    -------
    module
        The imported module.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        packages = " ".join(f'"{p}"' for p in EXTRAS[extra])
        raise MissingExtra(
            f"{feature} needs the '{extra}' extra, which is not installed: pip install {packages}"
        ) from exc
