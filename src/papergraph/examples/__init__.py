"""The example corpus that ships with papergraph, so that it runs with nothing else.

``papergraph build`` with no input builds it; in Python, :func:`example_corpus` gives its folder.
Its provenance and licence are in ``README.md`` beside this module.

>>> from papergraph.examples import example_corpus
>>> sorted(p.name for p in example_corpus().iterdir())[:2]
['000_d747ae76f19cfd47.txt', '001_91353cc18df6640f.txt']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["example_corpus"]


def example_corpus() -> Path:
    """The folder of the bundled example corpus.

    Five text files of machine-learning paper listings: three Hugging Face Daily Papers pages
    saved as text and two files of ``Abstract:`` lines; 224 records, 214 distinct papers.

    Returns
    -------
    pathlib.Path
        The installed folder (papergraph is installed as files, from a wheel or a source tree).

    Examples
    --------
    >>> import papergraph
    >>> len(list(papergraph.example_corpus().glob("*.txt")))
    5
    """
    return Path(str(resources.files(__name__).joinpath("corpus")))
