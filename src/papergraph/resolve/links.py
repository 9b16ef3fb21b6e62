"""Inferred links between papers: a paper that uses, compares to or improves on what another
paper names as its own contribution gets an :class:`~papergraph.model.InferredLink` to it, and
the asserted ``builds-on``, ``uses-method-in``, ``uses-data-from`` edges.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from papergraph.extract.document import document_text
from papergraph.model import Edge, Entity, InferredLink, Paper
from papergraph.resolve.names import curated_abbreviations, form_key

_NAMING_BEFORE = re.compile(
    r"(?:\b(?:call|term|dub|name|coin|denote)(?:ed|s)?(?:\s+(?:it|as|them|this))*"
    r"|\b(?:namely|i\.e\.)"
    r"|\b(?:we|this\s+(?:paper|work|study))(?:\s+\w+ly)?\s+(?:propose|introduce|present|release|develop|build"
    r"|create|construct|curate|collect|design|contribute)[sd]?(?:\s+(?:a|an|the|our|new|novel|first))*"
    r"|\b(?:our|the\s+proposed|a\s+new|a\s+novel)\s+(?:[\w-]+\s+){0,3}?(?:approach|method|model|framework"
    r"|system|algorithm|architecture|technique|dataset|benchmark|pipeline|library|tool|suite|corpus|metric)"
    r"\s*[,:(])[\s\"'“‘(]*$",
    re.IGNORECASE,
)


# the mention only modifies what is named: "a CLIP-based discriminator", "MSE regression", "MoE method"
_NOT_A_NAME_AFTER = re.compile(
    r"^(?:-\w|'s\b|\s+(?:based|like|style|regression|loss|method|model|approach|strategy|module|variant)\b)",
    re.IGNORECASE,
)

__all__ = ["infer_links", "link_edges", "names_as_own"]

_SHORT_AFTER = re.compile(r"^\s*(?:\(|,\s*or\s+)([\w-]+)")


def _coined(name: str) -> bool:
    """A coined name rather than a common noun phrase: one word, or a word with a digit or a
    capital inside ("TinyStories", "Llama 2", "LoRA"; not "Petri Nets" or "Federated Learning").

    >>> [_coined(n) for n in ("TinyStories", "Llama 2", "Petri Nets", "Low-Rank Adaptation")]
    [True, True, False, False]
    """
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    return len(words) == 1 or any(
        any(c.isdigit() for c in w) or any(c.isupper() for c in w[1:]) for w in words
    )


def names_as_own(paper: Paper, edge: Edge, entity: Entity) -> bool:
    """Whether ``paper``'s text names ``entity`` as its own contribution where it proposes it: the
    name its title gives itself ("TinyStories: How Small …"), or a name right after a naming cue
    ("we propose X", "a framework called X", "our method, X,"), and that name must be coined
    (:func:`_coined`), or followed by a coined short form: "Petri Nets: Properties, Analysis and
    Applications" is about Petri nets, it does not introduce them.

    Extraction also marks weaker proposals ("we propose a CLIP-based discriminator"); an inferred
    link needs this stronger reading, so that using CLIP does not make a paper build on GALIP.
    """
    names = {form_key(n) for n in (entity.label, *entity.aliases)}
    if paper.title and ":" in paper.title:
        head = paper.title.split(":", 1)[0].strip()
        if len(head.split()) <= 4 and form_key(head) in names and _coined(head):
            return True
    ev = edge.evidence
    if ev is None:
        return False
    text = document_text(paper)
    start = text.rfind(ev.sentence, 0, ev.start + len(ev.sentence))
    if start < 0 or not start <= ev.start < ev.end <= start + len(ev.sentence):
        return False
    before, after = text[start : ev.start], text[ev.end : start + len(ev.sentence)]
    short = _SHORT_AFTER.match(after)
    coined = _coined(text[ev.start : ev.end]) or bool(short and _coined(short[1]))
    return coined and bool(_NAMING_BEFORE.search(before)) and not _NOT_A_NAME_AFTER.match(after)


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def infer_links(
    edges: Sequence[Edge], entities: Sequence[Entity], papers: dict[str, Paper]
) -> list[InferredLink]:
    """Paper A → paper B when A uses, compares to or improves on an entity that B, and no other
    paper of the graph, names as its own contribution (:func:`names_as_own`).

    The relation is ``uses-method-in`` for a used method or metric, ``uses-data-from`` for a used
    dataset, ``compares-to`` / ``improves-on`` as A states it. Tasks are not proposals (they are
    studied, not built), common concepts from the curated abbreviation list (CNN, CLIP, mixture of
    experts …) cannot originate in one corpus paper, and B must not be dated after A when both
    years are known.
    """
    entity = {e.key: e for e in entities}
    common = {form_key(f) for pair in curated_abbreviations().values() for f in pair}
    proposals: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        if e.relation == "proposes" and e.source in papers and e.target in entity:
            proposals[e.target].append(e)
    origin: dict[str, str] = {}
    for target, props in proposals.items():
        ent = entity[target]
        if len({p.source for p in props}) != 1 or ent.type == "Task":
            continue
        if {form_key(f) for f in (ent.label, *ent.aliases)} & common:
            continue
        prop = min(props, key=lambda p: (p.evidence is None, p.evidence.start if p.evidence else 0))
        if names_as_own(papers[prop.source], prop, ent):
            origin[target] = prop.source
    out: set[InferredLink] = set()
    for e in edges:
        if e.relation not in ("uses", "compares-to", "improves-on") or e.target not in origin:
            continue
        b = origin[e.target]
        if b == e.source or e.source not in papers:
            continue
        ya, yb = _year(papers[e.source].date), _year(papers[b].date)
        if ya is not None and yb is not None and yb > ya:
            continue
        if e.relation == "uses":
            kind = entity[e.target].type
            relation = "uses-data-from" if kind == "Dataset" else "uses-method-in"
        else:
            relation = e.relation
        out.add(InferredLink(e.source, relation, b, e.target))
    return sorted(out, key=lambda link: (link.source, link.target, link.relation, link.via))


def link_edges(links: Sequence[InferredLink], edges: Sequence[Edge]) -> list[Edge]:
    """The asserted edges of inferred links: ``builds-on`` for every pair, and the CiTO relation
    (``uses-method-in`` / ``uses-data-from``) where there is one; each carries the sentence of A's
    edge to the entity."""
    wanted = {(link.source, link.via) for link in links}  # not every paper-entity pair: a few
    evidence: dict[tuple[str, str], Edge] = {}
    for e in edges:
        if e.relation in ("uses", "compares-to", "improves-on") and (e.source, e.target) in wanted:
            evidence.setdefault((e.source, e.target), e)
    out: dict[tuple[str, str, str], Edge] = {}
    for link in links:
        basis = evidence.get((link.source, link.via))
        ev, paper = (basis.evidence, basis.paper) if basis else (None, None)
        relations = ["builds-on"]
        if link.relation in ("uses-method-in", "uses-data-from"):
            relations.append(link.relation)
        for relation in relations:
            out.setdefault(
                (link.source, relation, link.target), Edge(link.source, relation, link.target, ev, paper)
            )
    return list(out.values())
