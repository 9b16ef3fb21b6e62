"""Why resolution merged a form into an entity, in words: one sentence per reason of a
:class:`~papergraph.model.Merge` (what ``papergraph explain-entity`` prints and what the RDF
export writes as the ``rdfs:comment`` of each surface form).
"""

from __future__ import annotations

from collections.abc import Callable

from papergraph.model import Merge

__all__ = ["describe_merge"]


def describe_merge(merge: Merge, paper_label: Callable[[str], str] = str) -> str:
    """One sentence saying why ``merge.form`` belongs to its entity.

    >>> describe_merge(Merge("method/x", "miniImagenNet", "fuzzy", "miniIMageNet", score=96.0))
    'rapidfuzz ratio 96.0 with "miniIMageNet" (same first letters and numbers, no added suffix)'
    """
    via, where = merge.via, f'"{paper_label(merge.paper)}"' if merge.paper else "a paper"
    if merge.reason == "label":
        return "the label: the most frequent full form"
    if merge.reason == "normal-form":
        return f'same normal form as "{via}" (case, hyphens, spaces and plural ignored)'
    if merge.reason == "alias":
        return f'named as one entity with "{via}" in {where}'
    if merge.reason == "acronym":
        return f'acronym and expansion of "{via}", defined in {where}; no paper expands it otherwise'
    if merge.reason == "expansion-variant":
        return f'expands the same acronym as "{via}" in {where}, differing by one inflected or misspelt word'
    if merge.reason == "acronym-in-paper":
        return (
            f'defined as the acronym of "{via}" in {where}; other papers expand it differently, so its '
            "uses without a definition are a separate node"
        )
    if merge.reason == "fuzzy":
        score = f"{merge.score:.1f}" if merge.score is not None else "?"
        return f'rapidfuzz ratio {score} with "{via}" (same first letters and numbers, no added suffix)'
    if merge.reason == "curated":
        return (
            f'common abbreviation of "{via}" (papergraph\'s curated list; no paper of the corpus '
            "defines it otherwise)"
        )
    return f'{merge.reason} with "{via}"' if via else merge.reason
