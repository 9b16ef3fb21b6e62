"""Serve a graph as a local SPARQL endpoint, with the viewer.

Serve GRAPH as a SPARQL 1.1 Protocol endpoint at /sparql (GET and POST; results as JSON, XML, CSV or
TSV by Accept header) and its HTML viewer at /. Read-only unless --allow-update (updates then change
an in-memory copy, never the file); SERVICE and LOAD, which would make the machine fetch URLs, are
refused unless --allow-federation. Each query runs in a worker process stopped at --timeout; the
Host header must name this machine (or an --allow-host name).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from papergraph.cli.common import UsageError, terminal_safe
from papergraph.query.serve import MAX_MEMORY, MAX_RESULT, TIMEOUT, WORKERS

NAME = "serve"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph serve``."""
    parser.add_argument("graph", help="graph file written by 'papergraph build'")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    parser.add_argument("--allow-update", action="store_true", help="accept SPARQL Update (in memory only)")
    parser.add_argument(
        "--allow-federation",
        action="store_true",
        help="let SERVICE (and LOAD, with --allow-update) fetch URLs: refused by default",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the Host header may give, besides localhost, 127.0.0.1, [::1], --host (repeatable)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"stop a query after this long, answering 503 (default {TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-result",
        type=int,
        default=MAX_RESULT >> 20,
        metavar="MB",
        help=f"refuse a result bigger than this, with 422 (default {MAX_RESULT >> 20})",
    )
    parser.add_argument(
        "--max-memory",
        type=int,
        default=MAX_MEMORY >> 20,
        metavar="MB",
        help=f"the address-space limit of each query worker, 0 for none (default {MAX_MEMORY >> 20})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=WORKERS,
        metavar="N",
        help=f"query worker processes, each running one query at a time (default {WORKERS})",
    )
    parser.add_argument("--no-viewer", action="store_true", help="do not serve the HTML viewer")
    parser.add_argument("--quiet", "-q", action="store_true", help="do not log requests")


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph serve`` with the parsed ``args``; the exit code."""
    import ipaddress

    from papergraph.query.serve import Endpoint, make_server

    if not Path(args.graph).is_file():
        raise UsageError(f"no such graph file: {args.graph}")
    if not args.timeout > 0 or args.workers < 1 or args.max_result < 1 or args.max_memory < 0:
        raise UsageError("--timeout, --workers and --max-result must be positive, --max-memory not negative")
    try:
        endpoint = Endpoint.for_graph(
            args.graph,
            allow_update=args.allow_update,
            allow_federation=args.allow_federation,
            viewer=not args.no_viewer,
            workers=args.workers,
            timeout=args.timeout,
            max_result=args.max_result << 20,
            memory=args.max_memory << 20 if args.max_memory else None,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    try:
        server = make_server(
            endpoint,
            args.host,
            args.port,
            log=None if args.quiet else lambda m: print(terminal_safe(m), file=sys.stderr),
            allowed_hosts=tuple(args.allow_host),
        )
    except OSError as exc:
        endpoint.close()
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    host, port = server.server_address[:2]
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    base = f"http://{host}:{port}"
    print(f"papergraph: serving {terminal_safe(args.graph)} ({endpoint.triples:,} triples)", flush=True)
    mode = "read-write, in memory" if args.allow_update else "read-only"
    print(f"  SPARQL endpoint  {base}/sparql  ({mode}; timeout {args.timeout:g} s)")
    if not args.no_viewer:
        print(f"  viewer           {base}/")
    if not loopback:
        print(f"papergraph: warning: listening on {host}, reachable from other machines", file=sys.stderr)
    print("  Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
