"""Show an entity's forms, the papers using each, and why they were merged.

Show the entity named NAME (any label or alias, case-insensitive): its type, key and IRI, every
surface form with the papers that use it, and why each form was merged.
"""

from __future__ import annotations

import argparse

from papergraph.cli.common import UsageError, load_rdf
from papergraph.terminal import lines_safe

NAME = "explain-entity"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph explain-entity``."""
    parser.add_argument("graph", help="graph file written by 'papergraph build'")
    parser.add_argument("name", help="a label or alias of the entity, e.g. LoRA")


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph explain-entity`` with the parsed ``args``; the exit code."""
    from papergraph.export.rdf_load import from_rdf
    from papergraph.query.explain import find_entities, render_entity, suggestions

    kg = from_rdf(load_rdf(args.graph))
    found = find_entities(kg, args.name)
    if not found:
        close = suggestions(kg, args.name)
        hint = f" (closest: {', '.join(close)})" if close else ""
        raise UsageError(f"no entity named {args.name!r} in {args.graph}{hint}")
    print(lines_safe("\n\n".join(render_entity(kg, e) for e in found)))
    return 0
