"""Write the HTML viewer of a graph, or of one node's neighbourhood.

Write the offline HTML viewer of a graph file; with --focus, of the nodes within --hops links of one
node (matched by label, alias, title, identifier or key, ignoring case).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from papergraph.cli.common import UsageError, size, terminal_safe

NAME = "view"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph view``."""
    parser.add_argument("graph", help="graph file written by 'papergraph build'")
    parser.add_argument("--focus", metavar="NAME", help="the node to centre on, e.g. LoRA or method/lora")
    parser.add_argument("--hops", type=int, default=2, help="how far from --focus to go (default 2)")
    parser.add_argument(
        "--out", "-o", help="the HTML file to write (default: next to GRAPH, named after it and --focus)"
    )
    parser.add_argument(
        "--max-nodes", type=int, default=None, help="nodes drawn when the page opens (default 2000)"
    )
    parser.add_argument("--title", help="the page's title")


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph view`` with the parsed ``args``; the exit code."""
    import re

    from papergraph import load
    from papergraph.export.html import INITIAL_NODES, write_html

    path = Path(args.graph)
    if not path.is_file():
        raise UsageError(f"no such graph file: {args.graph}")
    if args.hops < 0:
        raise UsageError("--hops must be 0 or more")
    if args.max_nodes is not None and args.max_nodes < 1:
        raise UsageError("--max-nodes must be 1 or more")
    try:
        kg = load(path)
    except Exception as exc:
        raise UsageError(f"{args.graph}: not a readable graph: {type(exc).__name__}: {exc}") from exc
    focus = None
    title = args.title or f"papergraph: {path.name}"
    whole = (len(kg.nodes), len(kg.edges))
    if args.focus is not None:
        focus = _focus_key(kg, args.focus)
        label = kg.nodes[focus].label
        kg = kg.neighbourhood(focus, args.hops)
        title = args.title or f"{label}: {args.hops} hop{'s' if args.hops != 1 else ''}"
    slug = re.sub(r"[^a-z0-9]+", "-", focus.split("/")[-1].lower()).strip("-") if focus else ""
    out = Path(args.out) if args.out else path.with_name(f"{path.stem}{'-' + slug if slug else ''}.html")
    max_nodes = args.max_nodes or INITIAL_NODES
    write_html(kg, out, title=title, max_nodes=max_nodes, focus=focus)
    where = f" within {args.hops} hop{'s' if args.hops != 1 else ''} of {focus}" if focus else ""
    print(
        f"wrote {out} ({size(out.stat().st_size)}): {len(kg.nodes):,} of {whole[0]:,} nodes, "
        f"{len(kg.edges):,} of {whole[1]:,} edges{where}"
    )
    return 0


def _focus_key(kg, name: str) -> str:  # type: ignore[no-untyped-def]
    """The key of the one node ``name`` designates (a key, or a whole label/alias/title/identifier)."""
    if name in kg.nodes:
        return name
    hits = kg.find(name)
    if len(hits) == 1:
        return hits[0].key
    if not hits:
        want = name.casefold()
        close = sorted(
            (n for n in kg.nodes.values() if want and want in n.label.casefold()),
            key=lambda n: (len(n.label), n.key),
        )[:5]
        named = (f"{terminal_safe(n.label)} ({terminal_safe(n.key)})" for n in close)
        hint = f"; did you mean: {', '.join(named)}" if close else ""
        raise UsageError(
            f"no node is named {name!r} (whole labels, aliases, titles, identifiers and keys are "
            f"matched, ignoring case){hint}"
        )
    lines = [
        f"  {terminal_safe(n.key)}  ({kg.node_type(n.key)}: {terminal_safe(n.label)})"
        for n in sorted(hits, key=lambda n: n.key)
    ]
    raise UsageError(
        f"{name!r} names {len(hits)} nodes; give one of their keys to --focus:\n" + "\n".join(lines)
    )
