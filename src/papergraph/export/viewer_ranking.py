"""Which nodes the viewer draws first: every node ranked by its connections (a focus node and its
neighbourhood first when there is one), and how many of the ranking fit the first drawing.
"""

from __future__ import annotations

import heapq
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from papergraph.model import Edge, Entity, Paper

if TYPE_CHECKING:
    from papergraph.graph import KnowledgeGraph

__all__ = [
    "WORK_TYPE",
    "edge_ends",
    "graph_nodes",
    "initial_count",
    "node_degrees",
    "node_type",
    "rank_nodes",
    "select_nodes",
]

#: Type name of cited works outside the input (``KnowledgeGraph.works``).
WORK_TYPE = "Cited work"


def graph_nodes(kg: KnowledgeGraph) -> dict[str, Any]:
    """Every node the viewer shows, by key: papers, entities and the cited works outside the input."""
    nodes: dict[str, Any] = dict(kg.nodes)
    for work in getattr(kg, "works", ()):
        nodes.setdefault(work.key, work)
    return nodes


def node_type(node: Any) -> str:
    """The type the viewer shows for a node: ``Paper``, the entity's type, or :data:`WORK_TYPE`."""
    if isinstance(node, Paper):
        return "Paper"
    return node.type if isinstance(node, Entity) else WORK_TYPE


def node_degrees(kg: KnowledgeGraph) -> Counter[str]:
    """How many edges touch each node (edges with an end outside the graph are ignored)."""
    nodes = graph_nodes(kg)
    degree: Counter[str] = Counter({key: 0 for key in nodes})
    for edge in kg.edges:
        if edge.source in nodes and edge.target in nodes:
            degree[edge.source] += 1
            degree[edge.target] += 1
    return degree


class _Links:
    """Every node of the viewer (:func:`graph_nodes` order), its number of links and its distinct
    neighbours (links followed both ways, ends outside the graph ignored), as arrays of node
    positions: a few bytes a link, where a set of keys per node took over 100 bytes a link (more
    than a gigabyte at a million papers).

    >>> from papergraph.graph import KnowledgeGraph
    >>> kg = KnowledgeGraph(entities=tuple(Entity(key=k, type="Method", label=k) for k in "abc"),
    ...                     edges=(Edge("a", "uses", "b"), Edge("a", "proposes", "b")))
    >>> links = _Links(kg)
    >>> links.degree, [[links.keys[j] for j in links.neighbours(i)] for i in range(3)]
    ([2, 2, 0], [['b'], ['a'], []])
    """

    def __init__(self, kg: KnowledgeGraph) -> None:
        import numpy as np

        self.keys = list(graph_nodes(kg))
        n = len(self.keys)
        position = {key: i for i, key in enumerate(self.keys)}
        ends = array("q")
        for edge in kg.edges:
            a, b = position.get(edge.source), position.get(edge.target)
            if a is not None and b is not None:
                ends.append(a)
                ends.append(b)
        pairs = np.frombuffer(ends, dtype=np.int64).reshape(-1, 2)
        sources, targets = pairs[:, 0], pairs[:, 1]
        self.degree: list[int] = (
            np.bincount(sources, minlength=n) + np.bincount(targets, minlength=n)
        ).tolist()
        # both directions as one number each, sorted and without repeats: row, then column
        both = np.unique(np.concatenate([sources * n + targets, targets * n + sources]))
        self._columns = (both % n).astype(np.int64) if n else both
        self._starts = (
            np.concatenate([[0], np.cumsum(np.bincount(both // n, minlength=n))]).tolist() if n else [0]
        )

    def neighbours(self, i: int) -> list[int]:
        return self._columns[self._starts[i] : self._starts[i + 1]].tolist()

    def distances(self, start: int) -> list[int]:
        """Hops from node ``start`` to every node (-1: not reached)."""
        dist = [-1] * len(self.keys)
        dist[start] = 0
        queue = deque([start])
        while queue:
            i = queue.popleft()
            for j in self.neighbours(i):
                if dist[j] < 0:
                    dist[j] = dist[i] + 1
                    queue.append(j)
        return dist


#: A node not linked to the nodes ranked before it comes next only when it has at least this many
#: times the links of the best linked candidate (see :func:`rank_nodes`).
SEED_FACTOR = 2


def rank_nodes(kg: KnowledgeGraph, focus: str | None = None) -> list[str]:
    """Every node key, in the order the page draws them: the most connected part first.

    The order grows from the node with the most links: next comes the node with the most links
    among those linked to the nodes already ranked, unless some unlinked node has at least
    :data:`SEED_FACTOR` times as many (the hub of another cluster), which then starts a new part.
    So any leading part of the ranking is well connected, not a scatter of hubs whose neighbours
    are left out. Ties are broken by key: the order is deterministic.

    With ``focus`` (a node key), nodes are ranked by their distance in hops from it: the focus,
    then its neighbours, and so on, each ring most connected first; unreachable nodes last.

    >>> from papergraph.graph import KnowledgeGraph
    >>> from papergraph.model import Edge, Entity
    >>> links = ["ab", "ac", "ad", "ae", "bf", "xy", "xz", "xw"]
    >>> kg = KnowledgeGraph(
    ...     entities=tuple(Entity(key=k, type="Method", label=k) for k in "abcdefwxyz"),
    ...     edges=tuple(Edge(s, "uses", t) for s, t in links),
    ... )
    >>> "".join(rank_nodes(kg))  # by links alone: a x b ...; b is linked to a, x is not
    'abxcdefwyz'
    >>> "".join(rank_nodes(kg, focus="f"))
    'fbacdexwyz'
    """
    links = _Links(kg)
    keys, degree = links.keys, links.degree
    if focus is not None:
        try:
            start = keys.index(focus)
        except ValueError:
            raise KeyError(focus) from None
        dist = links.distances(start)
        far = len(keys) + 1
        ranked = sorted(
            range(len(keys)), key=lambda i: (dist[i] if dist[i] >= 0 else far, -degree[i], keys[i])
        )
        return [keys[i] for i in ranked]
    by_degree = sorted(range(len(keys)), key=lambda i: (-degree[i], keys[i]))
    order: list[str] = []
    placed = bytearray(len(keys))
    queued = bytearray(len(keys))
    frontier: list[tuple[int, str, int]] = []  # heap of (-degree, key, position) linked to what is placed
    best = 0  # index in by_degree of the most connected node not placed
    while len(order) < len(by_degree):
        while placed[by_degree[best]]:
            best += 1
        while frontier and placed[frontier[0][2]]:
            heapq.heappop(frontier)
        seed = by_degree[best]
        i = heapq.heappop(frontier)[2] if frontier and degree[seed] < SEED_FACTOR * -frontier[0][0] else seed
        placed[i] = 1
        order.append(keys[i])
        for j in links.neighbours(i):
            if not queued[j] and not placed[j]:
                queued[j] = 1
                heapq.heappush(frontier, (-degree[j], keys[j], j))
    return order


def select_nodes(kg: KnowledgeGraph, max_nodes: int) -> list[str]:
    """Keys of the first ``max_nodes`` nodes of :func:`rank_nodes` (all when they fit), sorted."""
    return sorted(rank_nodes(kg)[: max(max_nodes, 0)])


def edge_ends(edges: Iterable[Edge], position: dict[str, int]) -> list[int]:
    """For each node position, how many of ``edges`` join it to a node ranked before it (or itself)."""
    later = [0] * len(position)
    for edge in edges:
        if edge.source in position and edge.target in position:
            later[max(position[edge.source], position[edge.target])] += 1
    return later


def initial_count(edges_to_earlier: Sequence[int], max_nodes: int, max_edges: int) -> int:
    """How many leading nodes of a ranking to draw: at most ``max_nodes`` nodes and ``max_edges``
    edges among them, and always the first node when there is one.

    ``edges_to_earlier[i]`` is the number of edges joining node ``i`` to nodes ``0..i``.

    >>> initial_count([0, 1, 2, 5, 1], max_nodes=10, max_edges=4)
    3
    >>> initial_count([0, 1, 2], 2, 100), initial_count([9], 5, 1), initial_count([], 5, 5)
    (2, 1, 0)
    """
    total = 0
    count = 0
    for i, n in enumerate(edges_to_earlier):
        if i >= max_nodes or (i > 0 and total + n > max_edges):
            break
        total += n
        count = i + 1
    return count
