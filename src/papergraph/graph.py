"""The knowledge graph: resolved papers and entities joined by typed, evidenced edges.

>>> from papergraph.model import Entity, Paper, Edge
>>> kg = KnowledgeGraph(
...     papers=(Paper(key="paper/x", label="X", title="X", abstract="We propose LoRA."),),
...     entities=(Entity(key="method/lora", type="Method", label="LoRA"),),
...     edges=(Edge("paper/x", "proposes", "method/lora"),),
... )
>>> g = kg.to_networkx()
>>> g.nodes["method/lora"]["type"], g.number_of_edges()
('Method', 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papergraph.gcpause import paused_gc
from papergraph.model import (
    ENTITY_TYPES,
    RELATIONS,
    Edge,
    Entity,
    ExternalWork,
    InferredLink,
    Merge,
    Paper,
    Problem,
)
from papergraph.resolve.people import People, resolve_people

if TYPE_CHECKING:
    import networkx as nx
    import rdflib

    from papergraph.sources import FileReport

__all__ = ["KnowledgeGraph", "edge_sort_key", "provide"]

#: Position of each relation of ``RELATIONS`` (the order counts are listed and written in).
_RELATION_ORDER = {relation: i for i, relation in enumerate(RELATIONS)}
_TARGET_RELATION_SOURCE = attrgetter("target", "relation", "source")


def edge_sort_key(edge: Edge) -> tuple[Any, ...]:
    """The canonical order of ``KnowledgeGraph.edges``: source, relation, target, paper, evidence.

    Edges without evidence sort before those with; the last fields only break ties, so that any two
    different edges have different keys.

    >>> from papergraph.model import Evidence
    >>> a = Edge("p", "uses", "m", Evidence("s", 3, 5), "p")
    >>> b = Edge("p", "uses", "m")
    >>> [e.evidence for e in sorted([a, b], key=edge_sort_key)][0] is None
    True
    """
    ev = edge.evidence
    return (
        edge.source,
        edge.relation,
        edge.target,
        edge.paper or "",
        (0, 0, 0, "") if ev is None else (1, ev.start, ev.end, ev.sentence),
        edge.paper is not None,
        edge.extra,
    )


@dataclass(frozen=True)
class KnowledgeGraph:
    """Papers, entities and edges; sorted by key so that every export is deterministic.

    ``merges`` say why each form of a merged entity belongs to it (``papergraph explain-entity``),
    ``works`` are cited works outside the input (targets of ``cites`` edges, not papers), and
    ``inferred`` the paper-to-paper links inferred through entities one paper proposes and another
    uses, compares to or improves on.
    """

    papers: tuple[Paper, ...] = ()
    entities: tuple[Entity, ...] = ()
    edges: tuple[Edge, ...] = ()
    problems: tuple[Problem, ...] = ()
    files: tuple[FileReport, ...] = field(default=(), compare=False)
    records: int = 0
    merges: tuple[Merge, ...] = ()
    works: tuple[ExternalWork, ...] = ()
    inferred: tuple[InferredLink, ...] = ()
    #: How the references read became ``cites`` edges, and how many made none (``read``, ``cites``,
    #: ``self``, ``repeated``, ``empty``: :func:`papergraph.resolve.citations.citation_edges`).
    citations: dict[str, int] = field(default_factory=dict, compare=False)

    # ---- lookup ---------------------------------------------------------------------------
    @cached_property
    def nodes(self) -> dict[str, Paper | Entity]:
        """Every node by key."""
        out: dict[str, Paper | Entity] = {p.key: p for p in self.papers}
        out.update((e.key, e) for e in self.entities)
        return out

    def node_type(self, key: str) -> str:
        """``"Paper"`` or the entity's type."""
        node = self.nodes[key]
        return "Paper" if isinstance(node, Paper) else node.type

    def merges_of(self, key: str) -> list[Merge]:
        """Why each form of entity ``key`` belongs to it (empty when the entity has one form)."""
        return [m for m in self.merges if m.entity == key]

    def edges_of(self, key: str) -> Iterator[Edge]:
        """Edges that start or end at ``key``."""
        for e in self.edges:
            if e.source == key or e.target == key:
                yield e

    def find(self, name: str) -> list[Paper | Entity]:
        """Nodes whose label, alias, title or identifier equals ``name`` (case-insensitive)."""
        want = name.casefold()
        hits: list[Paper | Entity] = []
        for node in self.nodes.values():
            names = [node.label]
            if isinstance(node, Entity):
                names += list(node.aliases)
            else:
                names += [node.title or "", *node.identifiers]
            if any(n.casefold() == want for n in names):
                hits.append(node)
        return hits

    def neighbourhood(self, key: str, hops: int = 1) -> KnowledgeGraph:
        """The graph of the nodes at most ``hops`` links away from node ``key`` (links followed in
        both directions, cited works included) and every edge among them.

        >>> from papergraph.model import Edge, Entity
        >>> kg = KnowledgeGraph(
        ...     entities=tuple(Entity(key=k, type="Method", label=k) for k in "abcd"),
        ...     edges=(Edge("a", "uses", "b"), Edge("c", "uses", "b"), Edge("c", "uses", "d")),
        ... )
        >>> [e.key for e in kg.neighbourhood("a", hops=2).entities]
        ['a', 'b', 'c']
        """
        if key not in self.nodes:
            raise KeyError(key)
        known = set(self.nodes) | {w.key for w in self.works}
        adjacent: dict[str, set[str]] = {}
        for e in self.edges:
            if e.source in known and e.target in known:
                adjacent.setdefault(e.source, set()).add(e.target)
                adjacent.setdefault(e.target, set()).add(e.source)
        keep = {key}
        ring = {key}
        for _ in range(max(hops, 0)):
            ring = {other for k in ring for other in adjacent.get(k, ()) if other not in keep}
            if not ring:
                break
            keep |= ring
        return replace(
            self,
            papers=tuple(p for p in self.papers if p.key in keep),
            entities=tuple(e for e in self.entities if e.key in keep),
            edges=tuple(e for e in self.edges if e.source in keep and e.target in keep),
            works=tuple(w for w in self.works if w.key in keep),
            inferred=tuple(i for i in self.inferred if i.source in keep and i.target in keep),
            merges=tuple(m for m in self.merges if m.entity in keep),
            problems=(),
        )

    # ---- summaries ------------------------------------------------------------------------
    def paper_counts(self) -> dict[str, dict[str, int]]:
        """For each entity, how many distinct papers state each relation of ``RELATIONS`` to it.

        Only what a paper states counts (an edge from a paper node to an entity node, whatever its
        evidence); relations no paper states are left out, and so are entities no paper names.
        These are the ``pg:papersProposing`` / ``papersUsing`` / ``papersComparing`` /
        ``papersImproving`` counts of the RDF export.

        >>> p = [Paper(key=f"paper/{k}", label=k, title=k, abstract="") for k in "ab"]
        >>> lora = Entity(key="method/lora", type="Method", label="LoRA")
        >>> kg = KnowledgeGraph(papers=tuple(p), entities=(lora,), edges=(
        ...     Edge("paper/a", "proposes", "method/lora"), Edge("paper/b", "uses", "method/lora"),
        ...     Edge("paper/b", "uses", "method/lora", paper="paper/b")))
        >>> kg.paper_counts()
        {'method/lora': {'proposes': 1, 'uses': 1}}
        """
        papers = {p.key for p in self.papers}
        entities = {e.key for e in self.entities}
        counts: dict[str, list[int]] = {}
        with paused_gc():  # a big graph's full collections would cost more than the counting
            for target, relation, source in set(map(_TARGET_RELATION_SOURCE, self.edges)):
                if relation not in _RELATION_ORDER or source not in papers or target not in entities:
                    continue
                row = counts.get(target)
                if row is None:
                    row = counts[target] = [0] * len(RELATIONS)
                row[_RELATION_ORDER[relation]] += 1
        return {
            key: {relation: n for relation, n in zip(RELATIONS, counts[key], strict=True) if n}
            for key in sorted(counts)
        }

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Counts by node type and relation, and the most connected entities.

        >>> KnowledgeGraph().stats()["papers"]
        0
        """
        with paused_gc():  # a big graph's full collections would cost more than the counting
            by_type = Counter(e.type for e in self.entities)
            by_rel = Counter(e.relation for e in self.edges)
            degree: Counter[str] = Counter()
            for e in self.edges:
                if e.relation in RELATIONS:
                    degree[e.target] += 1
            nodes = self.nodes
            ranked = sorted(
                (kv for kv in degree.items() if kv[0] in nodes and not isinstance(nodes[kv[0]], Paper)),
                key=lambda kv: (-kv[1], kv[0]),
            )
        top_entities = [
            {"key": k, "label": nodes[k].label, "type": self.node_type(k), "papers": n}
            for k, n in ranked[:top]
        ]
        return {
            "papers": len(self.papers),
            "entities": len(self.entities),
            "edges": len(self.edges),
            "entities_by_type": {t: by_type.get(t, 0) for t in ENTITY_TYPES},
            "edges_by_relation": dict(sorted(by_rel.items())),
            "top_entities": top_entities,
        }

    # ---- exports, lent by the layers above (see :func:`provide`) -----------------------------
    def to_networkx(self, flat: bool = False) -> nx.MultiDiGraph:
        """A ``networkx.MultiDiGraph``: node attrs ``type``/``group``/``label`` (+ paper fields),
        edge attrs ``relation``/``evidence``; edge keys are the relation names.

        ``networkx.pagerank`` and ``degree_centrality`` run on it directly. ``flat=True`` gives the
        graph networkx's writers take (``networkx.write_graphml``, ``write_gexf`` …): plain
        attribute values, node ``color`` and edge ``weight``
        (:func:`papergraph.export.networkx_graph.graphml_graph`).
        """
        return _provided("to_networkx")(self, flat)

    def to_rdf(self) -> rdflib.Graph:
        """An ``rdflib.Graph`` following ``ontologies/papergraph.ttl``."""
        return _provided("to_rdf")(self)

    def write_turtle(self, path: str | Path) -> Path:
        """Write Turtle (deterministic, atomically replaced) and return the path."""
        return _provided("write_turtle")(self, path)

    def write_ntriples(self, path: str | Path) -> Path:
        """Write N-Triples (deterministic, atomically replaced) and return the path."""
        return _provided("write_ntriples")(self, path)

    def write_jsonld(self, path: str | Path) -> Path:
        """Write JSON-LD (deterministic, atomically replaced) and return the path."""
        return _provided("write_jsonld")(self, path)

    def write_graphml(self, path: str | Path) -> Path:
        """Write GraphML for Gephi / networkx."""
        return _provided("write_graphml")(self, path)

    def write_gexf(self, path: str | Path) -> Path:
        """Write GEXF for Gephi, nodes coloured by type, edges weighted."""
        return _provided("write_gexf")(self, path)

    def write_html(self, path: str | Path, **options: Any) -> Path:
        """Write the interactive offline viewer (``options``: see
        :func:`papergraph.export.html.write_html`)."""
        return _provided("write_html")(self, path, **options)

    @cached_property
    def people(self) -> People:
        """The authors of the papers as persons (:func:`papergraph.resolve.people.resolve_people`),
        made on first use."""
        return resolve_people(self.papers)

    @cached_property
    def store(self) -> Any:
        """The graph in an in-memory Oxigraph store (``pyoxigraph.Store``), made on first use."""
        return _provided("store")(self)

    def query(self, sparql: str, bindings: dict[str, Any] | None = None) -> Any:
        """Run a SPARQL query on :attr:`store` (Oxigraph) and return it as an ``rdflib`` result.

        ``bindings`` maps variable names to values bound as RDF terms (a string is a literal, an
        ``http(s)://`` IRI or an rdflib ``URIRef`` an IRI; see :func:`papergraph.query.store.bind`).
        """
        return _provided("query")(self, sparql, bindings)


#: What the convenience methods of :class:`KnowledgeGraph` call, by method name. The modules of
#: the layers above the graph (``papergraph.export``, ``papergraph.query``) register their
#: functions here when they are imported, and ``import papergraph`` imports them all: the graph
#: model imports nothing above it.
_PROVIDERS: dict[str, Callable[..., Any]] = {}


def provide(name: str, function: Callable[..., Any]) -> None:
    """Make ``function`` what :class:`KnowledgeGraph`'s method ``name`` calls (with the graph
    first, then the method's arguments)."""
    _PROVIDERS[name] = function


def _provided(name: str) -> Callable[..., Any]:
    try:
        return _PROVIDERS[name]
    except KeyError:
        raise RuntimeError(
            f"KnowledgeGraph.{name} is provided by papergraph's outputs, which `import papergraph` loads"
        ) from None
