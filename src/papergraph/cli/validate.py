"""Check a graph file against the SHACL shapes of papergraph's contract.

Validate GRAPH (Turtle, N-Triples or JSON-LD, by its suffix) against the shapes shipped with
papergraph (``ontologies/shapes.ttl``): print "conforms" or each violation (node, property, value,
message), and exit 0 when the graph conforms, 1 when it does not. Needs the ``validate`` extra
(pyshacl).
"""

from __future__ import annotations

import argparse

from papergraph.cli.common import load_rdf, short, terminal_safe

NAME = "validate"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph validate``."""
    parser.add_argument("graph", help="graph file (Turtle, N-Triples or JSON-LD)")
    parser.add_argument(
        "--max", type=int, default=20, metavar="N", help="violations printed at most (default 20; 0: all)"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph validate`` with the parsed ``args``; the exit code."""
    from papergraph.query.validate import validate

    report = validate(load_rdf(args.graph))
    if report.conforms:
        print(f"{terminal_safe(args.graph)}: conforms to the papergraph shapes")
        return 0
    shown = report.violations if args.max <= 0 else report.violations[: args.max]
    print(f"{terminal_safe(args.graph)}: {len(report.violations)} violations of the papergraph shapes")
    for v in shown:
        value = f" = {short(v.value, 60)!r}" if v.value is not None else ""
        where = f" {v.path}" if v.path else ""
        print(terminal_safe(f"  {v.severity}: {v.focus}{where}{value}: {v.message}"))
    if len(shown) < len(report.violations):
        print(f"  … and {len(report.violations) - len(shown)} more (--max 0 shows all)")
    return 1
