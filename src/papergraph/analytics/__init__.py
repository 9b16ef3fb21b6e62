"""Analyses of a built :class:`~papergraph.graph.KnowledgeGraph`.

Citations (:mod:`papergraph.analytics.citations`): most-cited works, co-citation and
bibliographic-coupling networks (weighted ``networkx`` graphs), citation PageRank.
"""

from papergraph.analytics.citations import (
    CitedWork,
    citation_graph,
    citation_pagerank,
    citation_summary,
    cocitation_network,
    coupling_network,
    most_cited,
)

__all__ = [
    "CitedWork",
    "citation_graph",
    "citation_pagerank",
    "citation_summary",
    "cocitation_network",
    "coupling_network",
    "most_cited",
]
