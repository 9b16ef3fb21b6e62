"""The ``papergraph`` command: one module per subcommand, whose docstring is its help (its first
line the one-line help, the rest the description), with ``add_arguments`` (its options) and
``run`` (what it does, given the parsed arguments; returns the exit code).

    papergraph build [PATHS...] --out DIR [--format ttl,html,graphml,jsonld,nt] [--keep-going]
                     [--progress|--no-progress]
                     [--jobs N] [--dask ADDRESS|local] [--no-cache] [--llm URL --llm-model NAME]
    papergraph build --update DIR NEW_PATHS...
    papergraph query GRAPH.ttl "SPARQL" | --file Q.rq | --name NAME [--param NAME=VALUE]...
                     [--output table|csv|json|tsv|xml]     (papergraph query --list: named queries)
    papergraph stats GRAPH.ttl [--top N] [--json] [--charts DIR] [--path FROM TO]
    papergraph serve GRAPH.ttl [--host 127.0.0.1] [--port 7878] [--allow-update]
    papergraph push GRAPH.ttl --endpoint URL [--graph-iri IRI] [--append]
    papergraph view GRAPH.ttl [--focus NAME [--hops N]] [--out FILE.html] [--max-nodes N]
    papergraph explain-entity GRAPH.ttl NAME

Exit codes: 0 success; 1 some input was skipped or read with a warning (bad file or record;
``--keep-going`` makes this 0) or a query failed; 2 wrong usage or nothing could be built.
Problems with the input are printed one a line, ``papergraph: skipped FILE:LINE: what is wrong``
(or ``papergraph: warning …`` when the part was read anyway), then a summary by file. No Python
traceback is shown unless ``--debug`` is given (it also logs the traceback of any reader or
extraction failure that was turned into a problem).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType

from papergraph.cli import build, explain_entity, push, query, serve, stats, validate, view
from papergraph.cli.common import UsageError, terminal_safe
from papergraph.extras import MissingExtra
from papergraph.terminal import lines_safe

__all__ = ["COMMANDS", "UsageError", "main", "terminal_safe"]

#: The subcommands, in the order ``papergraph --help`` lists them.
COMMANDS: tuple[ModuleType, ...] = (build, query, stats, serve, push, view, explain_entity, validate)


def _help(command: ModuleType) -> tuple[str, str]:
    """A command module's one-line help and description, from its docstring."""
    first, _, rest = (command.__doc__ or "").strip().partition("\n\n")
    return first[0].lower() + first[1:].rstrip("."), " ".join(rest.split())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="papergraph",
        description="Turn collections of research papers (titles and abstracts) into a knowledge graph.",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        help_, description = _help(command)
        p = sub.add_parser(command.NAME, help=help_, description=description)
        command.add_arguments(p)
        # --debug is accepted after the command too (papergraph build --debug ...)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``papergraph`` command line with ``argv`` (default: ``sys.argv[1:]``); the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    handler = _log_debug() if args.debug else None
    try:
        return _run(args)
    finally:
        if handler is not None:  # main() called from Python or a test: leave no handler behind
            logging.getLogger("papergraph").removeHandler(handler)


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command, turning failures into one line and an exit code."""
    try:
        return args.run(args)
    except (UsageError, MissingExtra) as exc:
        print(f"papergraph: error: {lines_safe(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head & co.: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(
            "papergraph: interrupted; files already in place are complete "
            "(a build replaces its outputs only once all of them are written)",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:  # last resort: one line, not a traceback, unless --debug
        from papergraph.export.outputs import OutputError

        if args.debug:
            traceback.print_exc()  # (an OutputError's notes are the failed writers' tracebacks)
        else:
            # a writer that failed in a child process: its message already names the file and error
            what = str(exc) if isinstance(exc, OutputError) else f"{type(exc).__name__}: {exc}"
            print(f"papergraph: error: {terminal_safe(what)} (run with --debug for details)", file=sys.stderr)
        return 2




class _SafeFormatter(logging.Formatter):
    """The debug log's lines: the message (which names files) made :func:`terminal_safe`, each
    line of a traceback too."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = terminal_safe(record.message)
        return super().formatMessage(record)

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]
        return lines_safe(super().formatException(ei))


def _log_debug() -> logging.Handler:
    """Send papergraph's debug log (tracebacks of failures turned into problems) to stderr, for the
    command that ``main`` runs with ``--debug``; the handler (removed when the command ends)."""
    logger = logging.getLogger("papergraph")
    for old in [h for h in logger.handlers if getattr(h, "papergraph_debug", False)]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("papergraph: debug: %(message)s"))
    handler.papergraph_debug = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler
