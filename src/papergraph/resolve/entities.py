"""Entities: the name clusters of :mod:`papergraph.resolve.names` made into
:class:`~papergraph.model.Entity` nodes with keys, types, families (a checkpoint linked to its
model) and the :class:`~papergraph.model.Merge` that says why each form is there.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from papergraph.model import Entity, Merge, Relation
from papergraph.names import slug
from papergraph.resolve.names import (
    Link,
    NameClusters,
    _choose_label,
    _is_acronym,
    _names,
    cluster_forms,
    form_key,
)

_CHECKPOINT = re.compile(
    r"^(?P<family>.+?)[\s\-_]?(?P<size>(?:\d+x)?\d+(?:\.\d+)?[BMKbmk])(?:\b|[\s\-_].*)?$"
)

__all__ = ["EntityResolution", "resolve_entities", "resolve_entity_forms"]


@dataclass
class EntityResolution:
    """Entities, the form key -> entity key map, and why each form of a merged entity is there."""

    entities: list[Entity]
    by_key: dict[str, str]
    merges: list[Merge]


def resolve_entities(relations: Sequence[Relation]) -> tuple[list[Entity], dict[str, str]]:
    """Entities, and a map from form key (:func:`form_key`) to entity key.

    >>> from papergraph.model import Mention, Evidence
    >>> def rel(text, aliases=()):
    ...     return Relation("uses", Mention(text, "Method", 0, 1), Evidence("", 0, 1), aliases)
    >>> entities, by_key = resolve_entities([rel("Low-Rank Adaptation", ("LoRA",)), rel("LoRA")])
    >>> [(e.label, e.aliases) for e in entities], by_key["lora"]
    ([('Low-Rank Adaptation', ('LoRA',))], 'method/low-rank-adaptation')
    """
    found = resolve_entity_forms([("", r) for r in relations])
    return found.entities, found.by_key


def resolve_entity_forms(
    uses: Iterable[tuple[str, Relation]],
    definitions: Iterable[tuple[str, str, str]] = (),
    *,
    curated: bool = True,
) -> EntityResolution:
    """Entities from (paper key, relation) pairs, with a :class:`Merge` for every form of every
    entity that has more than one form. ``uses`` is read twice (a list, or anything that gives the
    same pairs on every pass)."""
    nc = cluster_forms(uses, definitions, curated=curated)
    roots = nc.roots
    forms: dict[str, Counter] = defaultdict(Counter)
    form_papers: dict[tuple[str, str], set[str]] = defaultdict(set)
    expansions: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    # forms of ambiguous acronyms that a paper defines: root -> form -> (expansion, paper)
    local: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for paper, text, kind, aliases in _names(uses):
        key = form_key(text)
        if not key:
            continue
        root = roots[key]
        forms[root][text] += 1
        if paper:
            form_papers[(root, text)].add(paper)
        if key in nc.full_forms or (not _is_acronym(text) and any(_is_acronym(a) for a in aliases)):
            expansions[root][text] += 1
        types[root][kind] += 1
        for alias in aliases:
            akey = form_key(alias)
            if not akey:
                continue
            if roots.get(akey) == root:
                forms[root][alias] += 1
            elif akey in nc.ambiguous:
                forms[root][alias] += 1
                local[root].setdefault(alias, (text, paper))
            else:
                continue
            if paper:
                form_papers[(root, alias)].add(paper)
    chosen: dict[str, tuple[str, str]] = {}
    for root in sorted(forms):
        kind = sorted(
            types[root], key=lambda t: (-types[root][t], ("Method", "Dataset", "Task", "Metric").index(t))
        )[0]
        chosen[root] = (_choose_label(forms[root], expansions[root]), kind)
    keys: dict[str, str] = {}
    used: Counter = Counter()
    taken: set[str] = set()
    for root in sorted(chosen, key=lambda r: (chosen[r][1], slug(chosen[r][0]), r)):
        label, kind = chosen[root]
        base = f"{kind.lower()}/{slug(label)}"
        used[base] += 1
        key = base if used[base] == 1 else f"{base}-{used[base]}"
        while key in taken:  # "ZeRO++" numbered zero-2 before "ZeRO-2++" (slug zero-2) comes: one IRI
            used[base] += 1
            key = f"{base}-{used[base]}"
        taken.add(key)
        keys[root] = key
    by_key = {k: keys[root] for k, root in roots.items() if root in keys}
    family_of = _families(chosen, by_key)
    tree = _merge_tree(nc, roots)
    entities = []
    merges: list[Merge] = []
    for root, (label, kind) in chosen.items():
        aliases = tuple(sorted(f for f in forms[root] if f != label))
        entity = Entity(
            key=keys[root], type=kind, label=label, aliases=aliases, broader=family_of.get(keys[root])
        )
        entities.append(entity)
        if aliases:
            merges += _explain(entity, tree.get(root, {}), local.get(root, {}), form_papers, root)
    entities.sort(key=lambda e: e.key)
    merges.sort(key=lambda m: (m.entity, m.form))
    return EntityResolution(entities, by_key, merges)


def _merge_tree(nc: NameClusters, roots: dict[str, str]) -> dict[str, list[tuple[str, str, Link]]]:
    """Merge steps grouped by cluster root."""
    out: dict[str, list[tuple[str, str, Link]]] = defaultdict(list)
    for ka, kb, link in nc.links:
        out[roots[ka]].append((ka, kb, link))
    return out


def _explain(
    entity: Entity,
    steps: list[tuple[str, str, Link]],
    local: dict[str, tuple[str, str]],
    form_papers: dict[tuple[str, str], set[str]],
    root: str,
) -> list[Merge]:
    """One :class:`Merge` per form of ``entity``: the path of merge steps from its label, walked
    breadth-first, gives each form the step that brought it in."""
    adjacent: dict[str, list[tuple[str, Link]]] = defaultdict(list)
    for ka, kb, link in steps:
        adjacent[ka].append((kb, link))
        adjacent[kb].append((ka, link))
    start = form_key(entity.label)
    # key -> (the form on this key's side of the step that reached it, the step)
    reached: dict[str, tuple[str, Link] | None] = {start: None}
    queue = deque([start])
    while queue:
        k = queue.popleft()
        for other, link in sorted(adjacent[k], key=lambda kl: (kl[0], kl[1].a, kl[1].b)):
            if other not in reached:
                reached[other] = (link.a if form_key(link.a) == other else link.b, link)
                queue.append(other)
    out = []
    for form in (entity.label, *entity.aliases):
        papers = tuple(sorted(form_papers.get((root, form), ())))
        key = form_key(form)
        if form == entity.label:
            out.append(Merge(entity.key, form, "label", papers=papers))
        elif form in local and key not in reached:
            expansion, paper = local[form]
            out.append(Merge(entity.key, form, "acronym-in-paper", expansion, paper or None, papers=papers))
        elif key == start or key not in reached or reached[key] is None:
            out.append(Merge(entity.key, form, "normal-form", entity.label, papers=papers))
        else:
            side, link = reached[key]  # type: ignore[misc]
            if form != side:
                out.append(Merge(entity.key, form, "normal-form", side, papers=papers))
            else:
                via = link.b if side == link.a else link.a
                out.append(Merge(entity.key, form, link.reason, via, link.paper, link.score, papers))
    return out


def _families(chosen: dict[str, tuple[str, str]], by_key: dict[str, str]) -> dict[str, str]:
    """Checkpoint key -> the key of what it specialises, when that is itself an entity: the family
    ("Llama2-7B" -> "Llama2"), or for a tuned variant its base checkpoint ("Llama2-7B-Chat" ->
    "Llama2-7B", else "Llama2")."""
    out: dict[str, str] = {}
    for root, (label, kind) in chosen.items():
        if kind != "Method":
            continue
        m = _CHECKPOINT.match(label)
        if not m:
            continue
        candidates = [m["family"].rstrip("-_ ")]
        if label[m.end("size") :].strip("-_ "):
            candidates.insert(0, label[: m.end("size")])
        for candidate in candidates:
            family = form_key(candidate)
            if family and family != root and family in by_key and by_key[family] != by_key[root]:
                out[by_key[root]] = by_key[family]
                break
    return out
