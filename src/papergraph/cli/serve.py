"""Serve a graph as a local SPARQL endpoint, with the viewer.

Serve GRAPH as a SPARQL 1.1 Protocol endpoint at /sparql (GET and POST; results as JSON, XML, CSV or
TSV by Accept header) and its HTML viewer at /. Read-only unless --allow-update (updates then change
an in-memory copy, never the file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from papergraph.cli.common import UsageError, terminal_safe

NAME = "serve"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph serve``."""
    parser.add_argument("graph", help="graph file written by 'papergraph build'")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    parser.add_argument("--allow-update", action="store_true", help="accept SPARQL Update (in memory only)")
    parser.add_argument("--no-viewer", action="store_true", help="do not serve the HTML viewer")
    parser.add_argument("--quiet", "-q", action="store_true", help="do not log requests")


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph serve`` with the parsed ``args``; the exit code."""
    import ipaddress

    from papergraph.query.serve import Endpoint, make_server

    if not Path(args.graph).is_file():
        raise UsageError(f"no such graph file: {args.graph}")
    try:
        endpoint = Endpoint.for_graph(args.graph, allow_update=args.allow_update, viewer=not args.no_viewer)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    try:
        server = make_server(
            endpoint,
            args.host,
            args.port,
            log=None if args.quiet else lambda m: print(terminal_safe(m), file=sys.stderr),
        )
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    host, port = server.server_address[:2]
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    base = f"http://{host}:{port}"
    print(f"papergraph: serving {args.graph} ({len(endpoint.store):,} triples)", flush=True)
    print(
        f"  SPARQL endpoint  {base}/sparql  ({'read-write, in memory' if args.allow_update else 'read-only'})"
    )
    if not args.no_viewer:
        print(f"  viewer           {base}/")
    if not loopback:
        print(f"papergraph: warning: listening on {host}, reachable from other machines", file=sys.stderr)
    print("  Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
