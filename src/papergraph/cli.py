"""The ``papergraph`` command.

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
import csv
import io
import json
import logging
import os
import re
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from papergraph.atomic import staged_outputs
from papergraph.examples import example_corpus
from papergraph.extras import MissingExtra
from papergraph.model import ENTITY_TYPES
from papergraph.query.store import OUTPUTS

FORMATS = ("ttl", "html", "graphml", "jsonld", "nt")
DEFAULT_FORMATS = "ttl,html,graphml"


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="papergraph",
        description="Turn collections of research papers (titles and abstracts) into a knowledge graph.",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="read paper listings and write the graph",
        description="Read paper listings (files or folders; formats recognised from content) "
        "and write the knowledge graph into --out. With no PATH, build the example corpus that "
        "ships with papergraph.",
    )
    b.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders of paper listings (none: the bundled example corpus)",
    )
    b.add_argument("--out", "-o", default=None, help="output folder (default: exports)")
    b.add_argument(
        "--format",
        "-f",
        default=None,
        help=f"comma-separated outputs among {','.join(FORMATS)} (default: {DEFAULT_FORMATS}; "
        "with --update: those of the earlier build)",
    )
    b.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for extraction (default: one per CPU; the output is the same for any N)",
    )
    b.add_argument(
        "--update",
        metavar="DIR",
        help="add PATHs to the graph built earlier into DIR: its inputs are read again, only new "
        "records are extracted (cached results for the rest), and the outputs are rewritten",
    )
    b.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a "
        "LocalCluster on this machine (needs the dask extra)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the extraction cache kept in the output folder",
    )
    b.add_argument(
        "--llm",
        metavar="URL",
        help="extract with a local LLM server instead of papergraph's rules: the base URL of an "
        "OpenAI-compatible API (http://127.0.0.1:8080/v1); needs --llm-model; the API key, if any, "
        "is read from PAPERGRAPH_LLM_API_KEY; off by default",
    )
    b.add_argument("--llm-model", metavar="NAME", help="the model the LLM server is asked for")
    b.add_argument(
        "--extractor",
        choices=("rules", "learned"),
        default=None,
        help="who decides which candidates are entities: papergraph's rules (default) or the learned "
        "model shipped with it, which also weighs broad noun-phrase candidates and finds more in "
        "papers outside machine learning (docs/extraction.md); with --update: that of the earlier build",
    )
    b.add_argument("--keep-going", action="store_true", help="exit 0 even when some input was skipped")
    b.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    b.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the stage and the records extracted so far on stderr (default: when stderr is a "
        "terminal and not --quiet; into a log, a line every 5 s)",
    )
    b.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    q = sub.add_parser(
        "query",
        help="run a SPARQL query (or a named one) on a graph",
        description="Run a SPARQL query on a Turtle (.ttl), N-Triples (.nt) or JSON-LD graph, on an "
        "embedded Oxigraph store kept next to the graph (GRAPH.oxigraph, rebuilt when GRAPH changes). "
        "--name runs a query of the library installed with papergraph (--list shows them) with its "
        "parameters given as --param NAME=VALUE: a value is bound as one literal, or as an IRI when it "
        "is <...> or starts with http(s):// or urn:, never as query text.",
    )
    q.add_argument("graph", nargs="?", help="graph file written by 'papergraph build'")
    q.add_argument("sparql", nargs="?", help="the query text (or use --file or --name)")
    q.add_argument("--file", dest="query_file", help="read the query from this .rq file")
    q.add_argument("--name", "-n", dest="query_name", help="run the named query NAME of the library")
    q.add_argument(
        "--param",
        "-p",
        action="append",
        metavar="NAME=VALUE",
        help="bind ?NAME to VALUE (repeatable; a parameter of --name left out takes the query's example)",
    )
    q.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    q.add_argument("--output", choices=OUTPUTS, default="table", help="result format (default table)")
    q.add_argument(
        "--engine",
        choices=("oxigraph", "rdflib"),
        default="oxigraph",
        help="query engine (default oxigraph; rdflib's own engine is much slower on big graphs)",
    )
    q.add_argument(
        "--no-store", action="store_true", help="load the graph into memory, do not keep GRAPH.oxigraph"
    )
    q.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    s = sub.add_parser(
        "stats",
        help="counts, rankings, communities and trends of a graph",
        description="Counts by node type and relation, the most connected entities, and the analytics "
        "report: PageRank and degree of methods, datasets, metrics, tasks and papers, communities "
        "(Louvain) labelled by their most central members, papers per year and the methods growing "
        "fastest; --path adds the shortest path between two nodes, --charts PNG charts.",
    )
    s.add_argument("graph", help="graph file written by 'papergraph build'")
    s.add_argument("--top", type=int, default=10, help="how many top entities to list (default 10)")
    s.add_argument("--json", action="store_true", help="print JSON instead of text")
    s.add_argument(
        "--charts", metavar="DIR", help="also write PNG charts (top entities, timeline) into DIR (matplotlib)"
    )
    s.add_argument(
        "--path", nargs=2, metavar=("FROM", "TO"), help="also show the shortest path between two nodes"
    )
    s.add_argument("--seed", type=int, default=1, help="seed of the community detection (default 1)")
    s.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    sv = sub.add_parser(
        "serve",
        help="serve a graph as a local SPARQL endpoint, with the viewer",
        description="Serve GRAPH as a SPARQL 1.1 Protocol endpoint at /sparql (GET and POST; results "
        "as JSON, XML, CSV or TSV by Accept header) and its HTML viewer at /. Read-only unless "
        "--allow-update (updates then change an in-memory copy, never the file).",
    )
    sv.add_argument("graph", help="graph file written by 'papergraph build'")
    sv.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    sv.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    sv.add_argument("--allow-update", action="store_true", help="accept SPARQL Update (in memory only)")
    sv.add_argument("--no-viewer", action="store_true", help="do not serve the HTML viewer")
    sv.add_argument("--quiet", "-q", action="store_true", help="do not log requests")
    sv.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    pu = sub.add_parser(
        "push",
        help="send a graph to a triple store (SPARQL 1.1 Graph Store Protocol)",
        description="Upload GRAPH into a named graph of an existing triple store with the SPARQL 1.1 "
        "Graph Store Protocol: PUT (replace the named graph) unless --append (POST). --endpoint is the "
        "store's Graph Store service: http://HOST:7878/store (Oxigraph), http://HOST:3030/DS/data "
        "(Fuseki), http://HOST:7200/repositories/REPO/rdf-graphs/service (GraphDB), "
        "http://HOST:8890/sparql-graph-crud (Virtuoso).",
    )
    pu.add_argument("graph", help="graph file written by 'papergraph build' (.ttl, .nt or .jsonld)")
    pu.add_argument("--endpoint", required=True, metavar="URL", help="the Graph Store Protocol service URL")
    pu.add_argument("--graph-iri", metavar="IRI", help="the named graph (default urn:papergraph:FILE-STEM)")
    pu.add_argument("--append", action="store_true", help="add to the named graph instead of replacing it")
    pu.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    v = sub.add_parser(
        "view",
        help="write the HTML viewer of a graph, or of one node's neighbourhood",
        description="Write the offline HTML viewer of a graph file; with --focus, of the nodes within "
        "--hops links of one node (matched by label, alias, title, identifier or key, ignoring case).",
    )
    v.add_argument("graph", help="graph file written by 'papergraph build'")
    v.add_argument("--focus", metavar="NAME", help="the node to centre on, e.g. LoRA or method/lora")
    v.add_argument("--hops", type=int, default=2, help="how far from --focus to go (default 2)")
    v.add_argument(
        "--out", "-o", help="the HTML file to write (default: next to GRAPH, named after it and --focus)"
    )
    v.add_argument(
        "--max-nodes", type=int, default=None, help="nodes drawn when the page opens (default 2000)"
    )
    v.add_argument("--title", help="the page's title")
    v.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    x = sub.add_parser(
        "explain-entity",
        help="show an entity's forms, the papers using each, and why they were merged",
        description="Show the entity named NAME (any label or alias, case-insensitive): its type, key "
        "and IRI, every surface form with the papers that use it, and why each form was merged.",
    )
    x.add_argument("graph", help="graph file written by 'papergraph build'")
    x.add_argument("name", help="a label or alias of the entity, e.g. LoRA")
    x.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.debug:
        _log_debug()
    try:
        if args.command == "explain-entity":
            return cmd_explain_entity(args)
        if args.command == "view":
            return cmd_view(args)
        commands = {
            "build": cmd_build,
            "query": cmd_query,
            "stats": cmd_stats,
            "serve": cmd_serve,
            "push": cmd_push,
        }
        return commands[args.command](args)
    except (UsageError, MissingExtra) as exc:
        print(f"papergraph: error: {exc}", file=sys.stderr)
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
            print(f"papergraph: error: {what} (run with --debug for details)", file=sys.stderr)
        return 2


# ---- build --------------------------------------------------------------------------------------


def _formats(text: str) -> list[str]:
    wanted = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    wanted = ["ttl" if f == "turtle" else f for f in wanted]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise UsageError(f"unknown --format {','.join(bad) or text!r}; choose among {','.join(FORMATS)}")
    return list(dict.fromkeys(wanted))


def _build_inputs(args: argparse.Namespace) -> tuple[list[str], Path, list[str]]:
    """The paths to read, the output folder and the formats (an ``--update`` adds to an earlier build,
    with its formats and extractor unless they are given: ``args.extractor`` is settled here)."""
    from papergraph.run.build_state import read_state, updated_paths

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    if args.update is None:
        args.extractor = args.extractor or "rules"
        paths = list(args.paths) or [str(example_corpus())]
        return paths, Path(args.out or "exports"), _formats(args.format or DEFAULT_FORMATS)
    out = Path(args.update)
    if args.out is not None and Path(args.out).resolve() != out.resolve():
        raise UsageError("--update DIR writes into DIR; leave out --out or give the same folder")
    try:
        state = read_state(out)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if state is None:
        raise UsageError(f"--update {out}: no earlier build there (build it once without --update)")
    formats = _formats(args.format) if args.format else list(state.formats)
    args.extractor = args.extractor or state.extractor
    return updated_paths(state, list(args.paths)), out, formats


def cmd_build(args: argparse.Namespace) -> int:
    from papergraph.export.outputs import FILE_NAMES, write_outputs
    from papergraph.run.build_state import BuildState, cache_file, write_state
    from papergraph.run.parallel import default_jobs
    from papergraph.run.pipeline import Timings, build
    from papergraph.run.progress import StageReporter

    paths, out, formats = _build_inputs(args)
    example = args.update is None and not args.paths
    if example and not args.quiet:
        print(
            "papergraph: no input given: building the example corpus that ships with papergraph "
            f"(224 listings of 214 machine-learning papers, {paths[0]})",
            file=sys.stderr,
        )
    missing = [p for p in paths if not Path(p).exists()]
    if len(missing) == len(paths):
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")
    extractor = None
    if args.extractor == "learned":
        if args.llm:
            raise UsageError("--extractor learned and --llm are two extractors; choose one")
        from papergraph.extract import extract_learned

        extractor = extract_learned
    if args.llm:
        if not args.llm_model:
            raise UsageError("--llm needs --llm-model NAME")
        if args.dask:
            raise UsageError("--llm runs on this machine (--jobs), not with --dask")
        from papergraph.extract.llm import LLMExtractor

        extractor = LLMExtractor(args.llm, args.llm_model, api_key=os.environ.get("PAPERGRAPH_LLM_API_KEY"))
    started = time.perf_counter()
    timings = Timings()
    dask = args.dask
    terminal = sys.stderr.isatty()
    shown = args.progress if args.progress is not None else terminal and not args.quiet
    reporter = StageReporter(sys.stderr, live=terminal) if shown else None
    cache = None if args.no_cache else cache_file(out)
    try:
        if dask == "local" and args.jobs:
            from papergraph.run.dask_extract import dask_client

            with dask_client("local", workers=args.jobs) as client:
                kg = build(
                    paths, timings=timings, cache=cache, dask=client, extractor=extractor, progress=reporter
                )
        else:
            kg = build(
                paths,
                timings=timings,
                jobs=args.jobs,
                cache=cache,
                dask=dask,
                extractor=extractor,
                progress=reporter,
            )
    finally:
        if reporter is not None:
            reporter.close()
    for problem in kg.problems:
        kind = "skipped" if problem.skipped else "warning"
        print(f"papergraph: {kind} {terminal_safe(str(problem))}", file=sys.stderr)
    if kg.problems:
        print(terminal_safe(problem_summary(kg.problems, kg.files)), file=sys.stderr)
    if not kg.papers:
        print("papergraph: error: no paper records could be read; nothing written", file=sys.stderr)
        return 2
    if reporter is not None:
        reporter("write " + ", ".join(FILE_NAMES[fmt] for fmt in formats), 0, None)
    try:
        with staged_outputs(out) as staging:  # every output is complete before any replaces the old
            # the formats side by side in up to --jobs processes (the files are the same for any number)
            done = write_outputs(kg, staging, formats, jobs=args.jobs or default_jobs())
    finally:
        if reporter is not None:
            reporter.close()
    for fmt in formats:
        timings.add(f"write {fmt}", done.seconds[fmt])
    if len(done.lanes) > 1:
        timings.overlap([f"write {fmt}" for fmt in formats], done.wall)
    written = [out / FILE_NAMES[fmt] for fmt in formats]
    write_state(out, BuildState.of(paths, formats, args.extractor))
    elapsed = time.perf_counter() - started
    if not args.quiet:
        _print_build_summary(kg, written, timings, elapsed)
        if example:
            print(
                f"next      papergraph query {out / FILE_NAMES['ttl']} --name most-used-methods\n"
                "          your own files: papergraph build FILE_OR_FOLDER... --out DIR"
                if "ttl" in formats
                else "next      your own files: papergraph build FILE_OR_FOLDER... --out DIR"
            )
    if kg.problems and not args.keep_going:
        print("papergraph: exit code 1 because of the problems above; --keep-going exits 0", file=sys.stderr)
        return 1
    return 0


#: Characters a terminal would act on rather than show: C0 (but tab and newline), DEL, C1, and the
#: bidirectional overrides that make text read differently from what it is.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with the characters a terminal would act on written as escapes (``\\x1b``).

    File names, ids and titles from the input appear in messages; an ANSI escape sequence or a
    right-to-left override in them must show, not act.

    >>> terminal_safe("a\\x1b[2Jb \\u202etxt.exe")
    'a\\\\x1b[2Jb \\\\u202etxt.exe'
    """
    return _TERMINAL_CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)


def _log_debug() -> None:
    """Send papergraph's debug log (tracebacks of failures turned into problems) to stderr.

    Called once per ``main`` with ``--debug``; the handler of an earlier call is replaced, not added to.
    """
    logger = logging.getLogger("papergraph")
    for old in [h for h in logger.handlers if getattr(h, "papergraph_debug", False)]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("papergraph: debug: %(message)s"))
    handler.papergraph_debug = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def problem_summary(problems, files) -> str:  # type: ignore[no-untyped-def]
    """What was skipped, file by file: the end-of-build summary of the input's problems.

    >>> from papergraph.model import Problem
    >>> from papergraph.sources import FileReport
    >>> problems = [Problem("a.bib", 3, "unbalanced braces"), Problem("b.dat", None, "binary file, not text"),
    ...             Problem("c.txt", 1, "not valid UTF-8", skipped=False)]
    >>> files = [FileReport("a.bib", "bibtex", 4, 1), FileReport("b.dat", None, 0, 1),
    ...          FileReport("c.txt", "abstract-lines", 2, 1), FileReport("d.csv", "csv", 9, 0)]
    >>> print(problem_summary(problems, files))
    papergraph: summary: 3 of 4 files had problems; 15 records were read and built
      a.bib  4 records read, 1 skipped part
      b.dat  nothing read: binary file, not text
      c.txt  2 records read, 1 warning
    """
    by_file: dict[str, list] = {}
    for problem in problems:
        by_file.setdefault(problem.path, []).append(problem)
    read = {f.path: f.records for f in files}
    width = max(len(path) for path in by_file)
    lines = [
        f"papergraph: summary: {len(by_file)} of {max(len(files), len(by_file))} file"
        f"{'s' if len(files) != 1 else ''} had problems; {sum(read.values()):,} records were read and built"
    ]
    for path, found in by_file.items():
        records = read.get(path, 0)
        if not records:
            what = (
                "nothing read: " + found[0].message + (f" (+{len(found) - 1} more)" if len(found) > 1 else "")
            )
        else:
            skipped = sum(p.skipped for p in found)
            warnings = len(found) - skipped
            parts = [f"{records:,} record{'s' if records != 1 else ''} read"]
            if skipped:
                parts.append(f"{skipped:,} skipped part{'s' if skipped != 1 else ''}")
            if warnings:
                parts.append(f"{warnings:,} warning{'s' if warnings != 1 else ''}")
            what = ", ".join(parts)
        lines.append(f"  {path.ljust(width)}  {what}")
    return "\n".join(lines)


def _print_build_summary(kg, written: list[Path], timings, elapsed: float) -> None:  # type: ignore[no-untyped-def]
    stats = kg.stats()
    files = len(kg.files)
    by_type = ", ".join(f"{t} {stats['entities_by_type'][t]:,}" for t in ENTITY_TYPES)
    rels = ", ".join(f"{r} {n:,}" for r, n in stats["edges_by_relation"].items())
    print(
        f"read      {files} file{'s' if files != 1 else ''}: {kg.records:,} records, "
        f"{len(kg.papers):,} distinct papers" + (f", {len(kg.problems)} problem(s)" if kg.problems else "")
    )
    print(f"entities  {len(kg.entities):,} ({by_type})")
    print(f"edges     {len(kg.edges):,} ({rels})")
    for path in written:
        print(f"wrote     {path} ({_size(path.stat().st_size)})")
    print(f"seconds   {elapsed:.2f} ({timings.summary()})")


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


# ---- query and stats ----------------------------------------------------------------------------


def _load_rdf(path: str):  # type: ignore[no-untyped-def]
    import rdflib

    p = Path(path)
    if not p.is_file():
        raise UsageError(f"no such graph file: {path}")
    fmt = {".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld"}.get(p.suffix.lower(), "turtle")
    g = rdflib.Graph()
    try:
        g.parse(p, format=fmt)
    except Exception as exc:
        raise UsageError(f"{path}: not a readable {fmt} graph: {exc}") from exc
    return g


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


def cmd_query(args: argparse.Namespace) -> int:
    if args.list:
        return _list_queries()
    if not args.graph:
        raise UsageError("give the graph file (papergraph query GRAPH ...)")
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
        print(f"papergraph: query failed: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(output)
    return 0


def _query_rdflib(args: argparse.Namespace, text: str, params: dict[str, str]) -> int:
    from papergraph.query.store import bind

    if args.output not in ("table", "csv", "json"):
        raise UsageError("--engine rdflib writes --output table, csv or json")
    graph = _load_rdf(args.graph)
    try:
        result = graph.query(bind(text, params))
        output = format_result(result, args.output)
    except Exception as exc:
        print(f"papergraph: query failed: {exc}", file=sys.stderr)
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
    shown = [[cell.replace("\n", " ")[:80] for cell in row] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in shown]) for i, n in enumerate(names)]
    lines = [
        "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in shown]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def cmd_stats(args: argparse.Namespace) -> int:
    from papergraph.analytics import analytics_report, render_report, write_charts
    from papergraph.export.rdf_load import from_rdf

    kg = from_rdf(_load_rdf(args.graph))
    stats = kg.stats(top=args.top)
    citations = citation_stats(kg, args.top)
    try:
        report = analytics_report(
            kg.to_networkx(), top=args.top, path=tuple(args.path) if args.path else None, seed=args.seed
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
        print(f"  {e['papers']:>5}  {e['type']:<8} {e['label']}")
    print_citation_stats(citations)
    sys.stdout.write(render_report(report))
    for path in charts:
        print(f"wrote     {path}")
    return 0


def citation_stats(kg, top: int) -> dict:  # type: ignore[no-untyped-def]
    """The citation section of ``papergraph stats`` (see :mod:`papergraph.analytics.citations`)."""
    from papergraph.analytics.citations import citation_summary

    return citation_summary(kg, top)


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
                print(f"  {row['citations']:>5}  {_short(row['label'])}")
    print("  citation PageRank")
    for row in c["pagerank"]:
        where = "" if row["in_corpus"] else " (not in the input)"
        print(f"  {row['pagerank']:.6f}  {_short(row['label'])}{where}")
    co, cp = c["cocitation"], c["coupling"]
    print(f"  co-citation network    {co['nodes']:,} works, {co['edges']:,} weighted edges")
    print(f"  bibliographic coupling {cp['nodes']:,} papers, {cp['edges']:,} weighted edges")


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_explain_entity(args: argparse.Namespace) -> int:
    from papergraph.export.rdf_load import from_rdf
    from papergraph.query.explain import find_entities, render_entity, suggestions

    kg = from_rdf(_load_rdf(args.graph))
    found = find_entities(kg, args.name)
    if not found:
        close = suggestions(kg, args.name)
        hint = f" (closest: {', '.join(close)})" if close else ""
        raise UsageError(f"no entity named {args.name!r} in {args.graph}{hint}")
    print("\n\n".join(render_entity(kg, e) for e in found))
    return 0


# ---- serve and push ------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
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
            endpoint, args.host, args.port, log=None if args.quiet else lambda m: print(m, file=sys.stderr)
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


def cmd_push(args: argparse.Namespace) -> int:
    from papergraph.query.push import PushError, push

    try:
        done = push(args.graph, args.endpoint, args.graph_iri, append=args.append)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    except PushError as exc:
        print(f"papergraph: push failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"pushed {args.graph} ({_size(done.bytes)}, {done.media_type}): "
        f"{done.method} {done.url} -> HTTP {done.status}"
    )
    return 0


# ---- view ---------------------------------------------------------------------------------------


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
        hint = f"; did you mean: {', '.join(f'{n.label} ({n.key})' for n in close)}" if close else ""
        raise UsageError(
            f"no node is named {name!r} (whole labels, aliases, titles, identifiers and keys are "
            f"matched, ignoring case){hint}"
        )
    lines = [f"  {n.key}  ({kg.node_type(n.key)}: {n.label})" for n in sorted(hits, key=lambda n: n.key)]
    raise UsageError(
        f"{name!r} names {len(hits)} nodes; give one of their keys to --focus:\n" + "\n".join(lines)
    )


def cmd_view(args: argparse.Namespace) -> int:
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
        f"wrote {out} ({_size(out.stat().st_size)}): {len(kg.nodes):,} of {whole[0]:,} nodes, "
        f"{len(kg.edges):,} of {whole[1]:,} edges{where}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
