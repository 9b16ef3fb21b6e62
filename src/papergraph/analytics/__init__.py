"""Graph analytics over a :class:`~papergraph.graph.KnowledgeGraph`: plain functions that all take
its networkx graph, ``kg.to_networkx()`` (given the ``KnowledgeGraph`` itself, they say so), and
return plain data: rankings and summaries as rows (lists of dicts, most first), so that any
dataframe library can take them (``pandas.DataFrame(rows)``, ``polars.DataFrame(rows)``);
projections and networks as ``networkx`` graphs.

- projections (:mod:`.projections`), rankings (:mod:`.rankings`), communities
  (:mod:`.communities`), trends (:mod:`.trends`), paths (:mod:`.paths`) and the report of
  ``papergraph stats`` (:mod:`.report`);
- authors (:mod:`.authors`): the co-author network, the most productive authors, an author's
  papers and what they propose and use;
- citations (:mod:`.citations`): most-cited works, co-citation and bibliographic-coupling
  networks (weighted ``networkx`` graphs), citation PageRank.

>>> import papergraph                                          # doctest: +SKIP
>>> from papergraph import analytics
>>> g = papergraph.load("exports/graph.ttl").to_networkx()    # doctest: +SKIP
>>> analytics.pagerank(g, "Method", top=5)                    # doctest: +SKIP
"""

from papergraph.analytics.authors import author_papers, coauthor_network, most_productive_authors
from papergraph.analytics.citations import (
    citation_graph,
    citation_pagerank,
    citation_summary,
    cocitation_network,
    coupling_network,
    most_cited,
)
from papergraph.analytics.communities import communities
from papergraph.analytics.paths import find_node, shortest_path
from papergraph.analytics.projections import dataset_method_graph, method_co_usage, paper_graph
from papergraph.analytics.rankings import degree, pagerank
from papergraph.analytics.report import analytics_report, render_report, write_charts
from papergraph.analytics.trends import growing_methods, timeline

__all__ = [
    "analytics_report",
    "author_papers",
    "citation_graph",
    "citation_pagerank",
    "citation_summary",
    "coauthor_network",
    "cocitation_network",
    "communities",
    "coupling_network",
    "dataset_method_graph",
    "degree",
    "find_node",
    "growing_methods",
    "method_co_usage",
    "most_cited",
    "most_productive_authors",
    "pagerank",
    "paper_graph",
    "render_report",
    "shortest_path",
    "timeline",
    "write_charts",
]
