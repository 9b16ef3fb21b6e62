"""Run a SPARQL query (or a named one) on a graph.

Run a SPARQL query on a Turtle (.ttl), N-Triples (.nt) or JSON-LD graph, on an embedded Oxigraph
store kept next to the graph (GRAPH.oxigraph, rebuilt when GRAPH changes). --name runs a query of
the library installed with papergraph (--list shows them) with its parameters given as --param
NAME=VALUE: a value is bound as one literal, or as an IRI when it is <...> or starts with http(s)://
or urn:, never as query text.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from papergraph.cli.common import UsageError, load_rdf, terminal_safe
from papergraph.query.store import OUTPUTS

NAME = "query"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph query``."""
    parser.add_argument("graph", nargs="?", help="graph file written by 'papergraph build'")
    parser.add_argument("sparql", nargs="?", help="the query text (or use --file or --name)")
    parser.add_argument("--file", dest="query_file", help="read the query from this .rq file")
    parser.add_argument("--name", "-n", dest="query_name", help="run the named query NAME of the library")
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        metavar="NAME=VALUE",
        help="bind ?NAME to VALUE (repeatable; a parameter of --name left out takes the query's example)",
    )
    parser.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    parser.add_argument("--output", choices=OUTPUTS, default="table", help="result format (default table)")
    parser.add_argument(
        "--engine",
        choices=("oxigraph", "rdflib"),
        default="oxigraph",
        help="query engine (default oxigraph; rdflib's own engine is much slower on big graphs)",
    )
    parser.add_argument(
        "--no-store", action="store_true", help="load the graph into memory, do not keep GRAPH.oxigraph"
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="run on this SPARQL endpoint instead of a graph file (credentials as for push)",
    )
    parser.add_argument(
        "--graph-iri",
        metavar="IRI",
        help="with --endpoint: the default graph to query (where 'papergraph push' wrote the graph)",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph query`` with the parsed ``args``; the exit code."""
    if args.list:
        return _list_queries()
    if args.endpoint:
        if args.graph and not args.sparql:  # the text came where the graph goes
            args.sparql, args.graph = args.graph, None
        if args.graph:
            raise UsageError("give a graph file or --endpoint URL, not both")
        return _query_endpoint(args)
    if not args.graph:
        raise UsageError("give the graph file (papergraph query GRAPH ...), or --endpoint URL")
    text, params = _query_text(args)
    if args.engine == "rdflib":
        return _query_rdflib(args, text, params)
    from papergraph.query.store import open_store, render, run

    try:
        store = open_store(args.graph, persist=not args.no_store)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from exc
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    try:
        output = render(run(store, text, params), args.output)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    except (SyntaxError, OSError, RuntimeError) as exc:
        print(f"papergraph: query failed: {terminal_safe(str(exc))}", file=sys.stderr)
        return 1
    sys.stdout.write(output)
    return 0


def _query_endpoint(args: argparse.Namespace) -> int:
    """Run the query on ``--endpoint``: the same text, parameters bound the same way."""
    from papergraph.query.push import credentials
    from papergraph.query.remote import RemoteError, run_remote
    from papergraph.query.store import render

    text, params = _query_text(args)
    try:
        auth = credentials(args.endpoint)
        output = render(run_remote(args.endpoint, text, params, graph=args.graph_iri, auth=auth), args.output)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    except (RemoteError, SyntaxError) as exc:
        print(f"papergraph: query failed: {terminal_safe(str(exc))}", file=sys.stderr)
        return 1
    sys.stdout.write(output)
    return 0


def _query_text(args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    """The query to run and its parameters, from the text, --file or --name."""
    from papergraph.query.named import named_query, parse_params

    given = [x for x in (args.sparql, args.query_file, args.query_name) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of: the query text, --file Q.rq, --name NAME (see --list)")
    try:
        params = parse_params(args.param)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if args.query_name:
        try:
            named = named_query(args.query_name)
            bound = named.bindings(params, examples=True)
        except (KeyError, ValueError) as exc:
            raise UsageError(str(exc).strip("'\"")) from exc
        for p in named.params:
            if p.name not in params and p.example is not None:
                print(
                    f"papergraph: no --param {p.name}: using the query's example, "
                    f"{p.name}={terminal_safe(p.example)}",
                    file=sys.stderr,
                )
        return named.text, bound
    if args.query_file:
        qpath = Path(args.query_file)
        if not qpath.is_file():
            raise UsageError(f"no such query file: {args.query_file}")
        return qpath.read_text(encoding="utf-8"), params
    return args.sparql, params


def _list_queries() -> int:
    from papergraph.query.named import named_queries

    for q in named_queries().values():
        params = " ".join(f"--param {p.name}=..." for p in q.params)
        print(f"{q.name}{'  ' + params if params else ''}")
        print(f"    {q.title}")
        for p in q.params:
            example = f" (example: {p.example})" if p.example is not None else ""
            print(f"    {p.name}: {p.help}{example}")
    return 0


def _query_rdflib(args: argparse.Namespace, text: str, params: dict[str, str]) -> int:
    from papergraph.query.store import bind

    if args.output not in ("table", "csv", "json"):
        raise UsageError("--engine rdflib writes --output table, csv or json")
    graph = load_rdf(args.graph)
    try:
        result = graph.query(bind(text, params))
        output = format_result(result, args.output)
    except Exception as exc:
        print(f"papergraph: query failed: {terminal_safe(str(exc))}", file=sys.stderr)
        return 1
    sys.stdout.write(output)
    return 0


def format_result(result, output: str) -> str:  # type: ignore[no-untyped-def]
    """Render a SPARQL result as an aligned table, CSV or SPARQL 1.1 JSON."""
    if output == "json":
        return result.serialize(format="json").decode("utf-8") + "\n"
    if result.type == "ASK":
        return ("true" if result.askAnswer else "false") + "\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle")
    names = [str(v) for v in result.vars]
    rows = [["" if v is None else str(v) for v in row] for row in result]
    if output == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue()
    shown = [[terminal_safe(cell[:80]) for cell in row] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in shown]) for i, n in enumerate(names)]
    lines = [
        "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in shown]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
