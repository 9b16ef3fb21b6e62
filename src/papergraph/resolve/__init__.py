"""One node per real paper and per real entity, and the links between papers.

* Papers: records that share an identifier (record id, DOI, arXiv id), a title (modulo case and
  punctuation) or, when a title is missing, a near-identical abstract are one :class:`Paper`. An
  arXiv id (in the id, the URL or an ``arxiv_id``/``eprint`` field) becomes ``Paper.arxiv_id``. The
  paper's key comes from its title, never from its identifiers
  (``paper/lora-low-rank-adaptation-of-large-language-models-35d6d978``), so that it stays when a
  later input adds a DOI or an arXiv id.
* Entities: surface forms are one :class:`Entity` when they have the same normal form (case,
  hyphens, spaces, plural: :func:`form_key`), when extraction named them as one entity in a paper,
  when rapidfuzz finds them near-identical within a block of names sharing their first letters and
  numbers, when a paper defines one as the acronym of the other ("Low-Rank Adaptation (LoRA)") and
  no paper expands the acronym differently, or when a curated common abbreviation pairs them and
  the corpus does not contradict it. Different numbers never merge (GPT-3 / GPT-4, ResNet-50 /
  ResNet-101); an acronym with different expansions in different papers stays apart. A checkpoint
  is linked to its family (``Llama2-7B`` → ``Llama2``). Every form of a merged entity keeps a
  :class:`~papergraph.model.Merge` saying why it is there.
* Links: explicit ``references`` become ``cites`` to a paper of the graph, else to an
  :class:`~papergraph.model.ExternalWork`; a paper that uses, compares to or improves on what one
  other paper names as its own contribution gets an :class:`~papergraph.model.InferredLink` to it
  (and the asserted ``builds-on``, ``uses-method-in``, ``uses-data-from`` edges).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from papergraph.model import Edge, Entity, Evidence, ExternalWork, Extraction, InferredLink, Merge, Paper
from papergraph.resolve.citations import citation_edges
from papergraph.resolve.entities import resolve_entities, resolve_entity_forms
from papergraph.resolve.links import infer_links, link_edges
from papergraph.resolve.names import PaperRelations, cluster_names, curated_abbreviations, form_key
from papergraph.resolve.papers import arxiv_id, cluster_records, resolve_papers

__all__ = [
    "Resolution",
    "arxiv_id",
    "cluster_names",
    "cluster_records",
    "curated_abbreviations",
    "form_key",
    "resolve",
    "resolve_entities",
    "resolve_graph",
]


@dataclass
class Resolution:
    """Everything the resolve stage finds."""

    papers: list[Paper]
    entities: list[Entity]
    edges: list[Edge]
    merges: list[Merge] = field(default_factory=list)
    works: list[ExternalWork] = field(default_factory=list)
    inferred: list[InferredLink] = field(default_factory=list)
    #: The accounting of references (see :func:`papergraph.resolve.citations.citation_edges`):
    #: ``read``, ``cites``, ``self``, ``repeated``, ``empty``.
    citations: dict[str, int] = field(default_factory=dict)


def resolve(extractions: Sequence[Extraction]) -> tuple[list[Paper], list[Entity], list[Edge]]:
    """Papers, entities and every edge between them (see :func:`resolve_graph` for the rest)."""
    found = resolve_graph(extractions)
    return found.papers, found.entities, found.edges


def resolve_graph(extractions: Sequence[Extraction]) -> Resolution:
    """Papers, entities, edges, the explanation of every merge, cited external works and the
    inferred paper-to-paper links.

    Of each extraction only ``record``, ``relations`` and ``abbreviations`` are read, so anything
    with those does (a build passes :class:`~papergraph.run.parallel.PackedExtraction`, whose relations
    are made again on every reading); ``relations`` is read a few times per extraction."""
    papers, paper_of = resolve_papers(extractions)
    reps: dict[int, Extraction] = {}
    for i, ext in enumerate(extractions):
        p = paper_of[i]
        rep = reps.get(p)
        if rep is None or _rep_order(ext) < _rep_order(rep):
            reps[p] = ext
    # only the representative record's text is used: its offsets match the paper's title/abstract
    text_of = {p.key: (p.title, p.abstract) for p in papers}
    chosen = [(papers[p].key, reps[p]) for p in sorted(reps)]
    chosen = [(k, e) for k, e in chosen if (e.record.title, e.record.abstract) == text_of[k]]
    definitions = [(k, short, long_form) for k, e in chosen for short, long_form in e.abbreviations]
    found = resolve_entity_forms(PaperRelations(chosen), definitions)
    entities, by_key = found.entities, found.by_key

    edges: list[Edge] = []
    for paper_key, ext in chosen:  # one extraction per paper: its edges are found apart from others'
        facts = ext.facts()
        best: dict[tuple[str, str], Edge] = {}
        per_target: dict[str, set[str]] = defaultdict(set)
        targets = [by_key.get(form_key(text)) for _, text, *_ in facts]
        for (relation, *_), target in zip(facts, targets, strict=True):
            if target:
                per_target[target].add(relation)
        for (relation, _, sentence, start, end), target in zip(facts, targets, strict=True):
            if not target:
                continue
            rels = per_target[target]
            if relation != "proposes" and "proposes" in rels:
                continue
            if relation == "compares-to" and "improves-on" in rels:
                continue
            if (relation, target) not in best:
                best[(relation, target)] = Edge(
                    paper_key, relation, target, Evidence(sentence, start, end), paper_key
                )
        edges += best.values()
    edges += [Edge(e.key, "broader", e.broader) for e in entities if e.broader]
    by_paper = {p.key: p for p in papers}
    inferred = infer_links(edges, entities, by_paper)
    edges += link_edges(inferred, edges)
    cites, works, accounting = _citations(extractions, paper_of, papers)
    edges += cites
    return Resolution(papers, entities, edges, found.merges, works, inferred, accounting)


def _rep_order(ext: Extraction) -> tuple:
    r = ext.record
    return (r.title is None, -len(r.abstract), r.source.path, r.source.line)


def _citations(
    extractions: Sequence[Extraction], paper_of: list[int], papers: list[Paper]
) -> tuple[list[Edge], list[ExternalWork], dict[str, int]]:
    """``cites`` edges for every reference, and their accounting: see
    :func:`papergraph.resolve.citations.citation_edges`."""
    refs: dict[int, list] = defaultdict(list)
    cited_by: dict[int, list] = defaultdict(list)
    for i, ext in enumerate(extractions):  # papers without references make no edge: left out
        rec = ext.record
        if rec.references or rec.cited:
            refs[paper_of[i]] += [*rec.references, *rec.cited]
        if rec.cited_by:
            cited_by[paper_of[i]] += rec.cited_by
    citing = [
        (papers[p].key, refs.get(p, []), cited_by.get(p, [])) for p in sorted(set(refs) | set(cited_by))
    ]
    if not citing:  # no index of every paper to make when nothing cites
        return [], [], {}
    edges, works, counts = citation_edges(citing, papers)
    cited = {e.target for e in edges} | {e.source for e in edges}
    accounting = {k: counts[k] for k in ("read", "cites", "self", "repeated", "empty")}
    return edges, [w for w in works if w.key in cited], accounting
