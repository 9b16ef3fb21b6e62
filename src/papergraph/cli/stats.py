"""Counts, rankings, communities and trends of a graph.

Counts by node type and relation, the most connected entities, and the analytics report: PageRank
and degree of methods, datasets, metrics, tasks and papers, communities (Louvain) labelled by their
most central members, papers per year and the methods growing fastest; --path adds the shortest path
between two nodes, --charts PNG charts.
"""

from __future__ import annotations

import argparse
import json
import sys

from papergraph.cli.common import UsageError, load_rdf, short, terminal_safe
from papergraph.terminal import lines_safe

NAME = "stats"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph stats``."""
    parser.add_argument("graph", help="graph file written by 'papergraph build'")
    parser.add_argument("--top", type=int, default=10, help="how many top entities to list (default 10)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--charts", metavar="DIR", help="also write PNG charts (top entities, timeline) into DIR (matplotlib)"
    )
    parser.add_argument(
        "--path", nargs=2, metavar=("FROM", "TO"), help="also show the shortest path between two nodes"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the community detection (default 1)")


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph stats`` with the parsed ``args``; the exit code."""
    from papergraph.analytics import analytics_report, citation_summary, render_report, write_charts
    from papergraph.export.rdf_load import from_rdf

    kg = from_rdf(load_rdf(args.graph))
    stats = kg.stats(top=args.top)
    g = kg.to_networkx()
    citations = citation_summary(g, args.top)
    try:
        report = analytics_report(
            g, top=args.top, path=tuple(args.path) if args.path else None, seed=args.seed
        )
    except KeyError as exc:
        raise UsageError(f"--path: {str(exc).strip(chr(34) + chr(39))}") from exc
    charts = []
    if args.charts:
        charts = write_charts(report, args.charts)
    if args.json:
        print(
            json.dumps(
                {**stats, "citations": citations, "analytics": report},
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
        return 0
    print(f"papers    {stats['papers']:,}")
    print(f"entities  {stats['entities']:,}")
    for t, n in stats["entities_by_type"].items():
        print(f"  {t:<10}{n:>8,}")
    print(f"edges     {stats['edges']:,}")
    for r, n in stats["edges_by_relation"].items():
        print(f"  {r:<16}{n:>8,}")
    print(f"top {len(stats['top_entities'])} entities by number of papers")
    for e in stats["top_entities"]:
        print(f"  {e['papers']:>5}  {e['type']:<8} {terminal_safe(e['label'])}")
    print_citation_stats(citations)
    sys.stdout.write(lines_safe(render_report(report)))
    for path in charts:
        print(f"wrote     {path}")
    return 0


def print_citation_stats(c: dict) -> None:  # type: ignore[type-arg]
    """Print the citation section of ``papergraph stats``; nothing when no paper cites anything."""
    if not c["cites"]:
        return
    print(
        f"citations {c['cites']:,} from {c['citing_papers']:,} papers to {c['cited_works']:,} works "
        f"({c['cites_in_corpus']:,} to papers of the graph)"
    )
    for title, rows in (
        ("most cited papers of the graph", c["most_cited_in_corpus"]),
        ("most cited works outside the input", c["most_cited_external"]),
    ):
        if rows:
            print(f"  {title}")
            for row in rows:
                print(f"  {row['citations']:>5}  {short(row['label'])}")
    print("  citation PageRank")
    for row in c["pagerank"]:
        where = "" if row["in_corpus"] else " (not in the input)"
        print(f"  {row['pagerank']:.6f}  {short(row['label'])}{where}")
    co, cp = c["cocitation"], c["coupling"]
    print(f"  co-citation network    {co['nodes']:,} works, {co['edges']:,} weighted edges")
    print(f"  bibliographic coupling {cp['nodes']:,} papers, {cp['edges']:,} weighted edges")
