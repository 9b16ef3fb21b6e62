"""Send a graph to a triple store (SPARQL 1.1 Graph Store Protocol).

Upload GRAPH into a named graph of an existing triple store with the SPARQL 1.1 Graph Store
Protocol: PUT (replace the named graph) unless --append (POST). --endpoint is the store's Graph
Store service: http://HOST:7878/store (Oxigraph), http://HOST:3030/DS/data (Fuseki),
http://HOST:7200/repositories/REPO/rdf-graphs/service (GraphDB), http://HOST:8890/sparql-graph-crud
(Virtuoso).
"""

from __future__ import annotations

import argparse
import sys

from papergraph.cli.common import UsageError, size

NAME = "push"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph push``."""
    parser.add_argument("graph", help="graph file written by 'papergraph build' (.ttl, .nt or .jsonld)")
    parser.add_argument(
        "--endpoint", required=True, metavar="URL", help="the Graph Store Protocol service URL"
    )
    parser.add_argument(
        "--graph-iri", metavar="IRI", help="the named graph (default urn:papergraph:FILE-STEM)"
    )
    parser.add_argument(
        "--append", action="store_true", help="add to the named graph instead of replacing it"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph push`` with the parsed ``args``; the exit code."""
    from papergraph.query.push import PushError, push

    try:
        done = push(args.graph, args.endpoint, args.graph_iri, append=args.append)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    except PushError as exc:
        print(f"papergraph: push failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"pushed {args.graph} ({size(done.bytes)}, {done.media_type}): "
        f"{done.method} {done.url} -> HTTP {done.status}"
    )
    return 0
