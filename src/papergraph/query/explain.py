"""Explain an entity: its forms, the papers whose text uses each form, and why each was merged.

This is what ``papergraph explain-entity GRAPH NAME`` prints. It reads only the
:class:`~papergraph.graph.KnowledgeGraph` (``KnowledgeGraph.merges``), so it works on a graph
loaded from Turtle as well as on a fresh build.

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Entity, Merge, Paper
>>> kg = KnowledgeGraph(
...     papers=(Paper(key="paper/a", label="Paper A", title="Paper A", abstract="…"),),
...     entities=(Entity("method/low-rank-adaptation", "Method", "Low-Rank Adaptation", ("LoRA",)),),
...     merges=(Merge("method/low-rank-adaptation", "LoRA", "acronym", "Low-Rank Adaptation", "paper/a",
...                   papers=("paper/a",)),
...             Merge("method/low-rank-adaptation", "Low-Rank Adaptation", "label", papers=("paper/a",))),
... )
>>> [e.key for e in find_entities(kg, "lora")]
['method/low-rank-adaptation']
>>> print(render_entity(kg, kg.entities[0]))  # doctest: +NORMALIZE_WHITESPACE
Low-Rank Adaptation
  type     Method
  key      method/low-rank-adaptation
  IRI      https://w3id.org/papergraph/id/method/low-rank-adaptation
forms (2)
  "Low-Rank Adaptation"
    why    the label: the most frequent full form
    papers - Paper A
  "LoRA"
    why    acronym and expansion of "Low-Rank Adaptation", defined in "Paper A"; no paper expands it
           otherwise
    papers - Paper A
"""

from __future__ import annotations

import textwrap
from collections import defaultdict

from rapidfuzz import fuzz, process, utils

from papergraph.graph import KnowledgeGraph
from papergraph.model import RELATIONS, Entity, Paper
from papergraph.resolve.reasons import describe_merge

__all__ = ["describe_merge", "find_entities", "render_entity", "suggestions"]

_WIDTH = 100


def find_entities(kg: KnowledgeGraph, name: str) -> list[Entity]:
    """Entities whose key, label or any alias equals ``name`` case-insensitively; failing that,
    those with a form of the same normal form (``"llama 2 7b"`` finds ``Llama2-7B``)."""
    from papergraph.resolve import form_key

    want = name.strip().casefold()
    hits = [
        e
        for e in kg.entities
        if want in {e.key.casefold(), e.label.casefold(), *(a.casefold() for a in e.aliases)}
    ]
    if hits or not form_key(name):
        return hits
    key = form_key(name)
    return [e for e in kg.entities if key in {form_key(f) for f in (e.label, *e.aliases)}]


def suggestions(kg: KnowledgeGraph, name: str, limit: int = 5) -> list[str]:
    """Entity labels and aliases closest to ``name`` (for an error message)."""
    choices = sorted({f for e in kg.entities for f in (e.label, *e.aliases)})
    found = process.extract(
        name, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=75
    )
    return [choice for choice, _, _ in found]


def _paper_label(kg: KnowledgeGraph, key: str) -> str:
    node = kg.nodes.get(key)
    return node.label if isinstance(node, Paper) else key


def _wrap(label: str, text: str) -> list[str]:
    lines = textwrap.wrap(text, _WIDTH - 11) or [""]
    return [f"    {label:<6} {lines[0]}", *(f"           {line}" for line in lines[1:])]


def _papers(labels: list[str]) -> list[str]:
    if not labels:
        return _wrap("papers", "(none recorded)")
    out = []
    for i, label in enumerate(labels):
        text = label if len(label) <= _WIDTH - 13 else label[: _WIDTH - 14] + "…"
        out.append(f"    {'papers' if i == 0 else '':<6} - {text}")
    return out


def render_entity(kg: KnowledgeGraph, entity: Entity) -> str:
    """The entity's label, type, key, IRI, family and checkpoints, then every form with the papers
    that use it and why it was merged."""
    from papergraph.export.vocabulary import node_iri

    lines = [
        entity.label,
        f"  type     {entity.type}",
        f"  key      {entity.key}",
        f"  IRI      {node_iri(entity.key)}",
    ]
    if entity.broader:
        family = kg.nodes.get(entity.broader)
        lines.append(f"  broader  {family.label if family else entity.broader} (its family; a separate node)")
    narrower = sorted(e.label for e in kg.entities if e.broader == entity.key)
    if narrower:
        lines.append(f"  narrower {', '.join(narrower)} (checkpoints; separate nodes)")
    counts: dict[str, set[str]] = defaultdict(set)
    for edge in kg.edges:
        if edge.target == entity.key and edge.relation in RELATIONS:
            counts[edge.relation].add(edge.source)
    if counts:
        shown = ", ".join(f"{r} {len(counts[r])}" for r in RELATIONS if counts.get(r))
        lines.append(f"  papers   {len(set().union(*counts.values()))} ({shown})")
    merges = kg.merges_of(entity.key)
    if not merges:
        papers = sorted({_paper_label(kg, p) for ps in counts.values() for p in ps})
        lines.append("forms (1)")
        lines.append(f'  "{entity.label}"')
        lines += _wrap("why", "the only form in the corpus: nothing was merged into this entity")
        lines += _papers(papers)
        return "\n".join(lines)
    order = {f: i for i, f in enumerate((entity.label, *entity.aliases))}
    merges = sorted(merges, key=lambda m: order.get(m.form, len(order)))
    lines.append(f"forms ({len(merges)})")
    label_of = lambda key: _paper_label(kg, key)  # noqa: E731
    for m in merges:
        lines.append(f'  "{m.form}"')
        lines += _wrap("why", describe_merge(m, label_of))
        lines += _papers(sorted(label_of(p) for p in m.papers))
        others = [e.label for e in kg.entities if e.key != entity.key and m.form in (e.label, *e.aliases)]
        if others:
            lines += _wrap("also", "a form of " + ", ".join(f'"{o}"' for o in sorted(others)))
    return "\n".join(lines)
