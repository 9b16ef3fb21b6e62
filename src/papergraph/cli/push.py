"""Send a graph to a triple store (SPARQL 1.1 Graph Store Protocol).

Upload GRAPH into a named graph of an existing triple store with the SPARQL 1.1 Graph Store
Protocol: PUT (replace the named graph) unless --append (POST). --endpoint is the store's Graph
Store service: http://HOST:7878/store (Oxigraph), http://HOST:3030/DS/data (Fuseki),
http://HOST:7200/repositories/REPO/rdf-graphs/service (GraphDB), http://HOST:8890/sparql-graph-crud
(Virtuoso).

A store behind authentication: a bearer token from PAPERGRAPH_PUSH_TOKEN, or basic auth with
PAPERGRAPH_PUSH_USER and PAPERGRAPH_PUSH_PASSWORD, user:password@ in the URL, or the host's entry of
the netrc file (--netrc FILE, else ~/.netrc). Credentials are never printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from papergraph.cli.common import UsageError, size, terminal_safe
from papergraph.terminal import lines_safe

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
    parser.add_argument(
        "--netrc",
        metavar="FILE",
        help="read the store's user and password from this netrc file (default ~/.netrc)",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph push`` with the parsed ``args``; the exit code."""
    from papergraph.query.push import PushError, credentials, push

    if args.netrc is not None and not Path(args.netrc).is_file():
        raise UsageError(f"no such netrc file: {args.netrc}")
    try:
        auth = credentials(args.endpoint, netrc_file=args.netrc)
        done = push(args.graph, args.endpoint, args.graph_iri, append=args.append, auth=auth)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    except PushError as exc:
        print(f"papergraph: push failed: {lines_safe(str(exc))}", file=sys.stderr)
        return 1
    print(
        f"pushed {terminal_safe(args.graph)} ({size(done.bytes)}, {done.media_type}): "
        f"{done.method} {done.url} -> HTTP {done.status}"
    )
    return 0
