"""Read paper listings and write the graph.

Read paper listings (files or folders; formats recognised from content) and write the knowledge
graph into --out. With no PATH, build the example corpus that ships with papergraph.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from papergraph.atomic import staged_outputs
from papergraph.cli.common import UsageError, size, terminal_safe
from papergraph.examples import example_corpus
from papergraph.export.formats import DEFAULT_FORMATS as DEFAULT_OUTPUT_FORMATS
from papergraph.export.formats import FORMATS as OUTPUT_FORMATS
from papergraph.model import ENTITY_TYPES
from papergraph.run.plan import Plan

NAME = "build"
#: What --format takes, and what a build writes without it.
FORMATS = tuple(OUTPUT_FORMATS)
DEFAULT_FORMATS = ",".join(DEFAULT_OUTPUT_FORMATS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``papergraph build``."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders of paper listings (none: the bundled example corpus)",
    )
    parser.add_argument("--out", "-o", default=None, help="output folder (default: exports)")
    parser.add_argument(
        "--format",
        "-f",
        default=None,
        help=f"comma-separated outputs among {','.join(FORMATS)} (default: {DEFAULT_FORMATS}; "
        "with --update: those of the earlier build)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="processes this machine runs at once: extraction workers (or those of --dask local), then "
        "output writers (default: one per CPU; the output is the same for any N)",
    )
    parser.add_argument(
        "--update",
        metavar="DIR",
        help="add PATHs to the graph built earlier into DIR: its inputs are read again, only new "
        "records are extracted (cached results for the rest), and the outputs are rewritten",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' for a "
        "LocalCluster on this machine (needs the dask extra)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the extraction cache kept in the output folder",
    )
    parser.add_argument(
        "--llm",
        metavar="URL",
        help="extract with a local LLM server instead of papergraph's rules: the base URL of an "
        "OpenAI-compatible API (http://127.0.0.1:8080/v1); needs --llm-model; the API key, if any, "
        "is read from PAPERGRAPH_LLM_API_KEY; off by default",
    )
    parser.add_argument("--llm-model", metavar="NAME", help="the model the LLM server is asked for")
    parser.add_argument(
        "--extractor",
        choices=("rules", "learned"),
        default=None,
        help="who decides which candidates are entities: papergraph's rules (default) or the learned "
        "model shipped with it, which also weighs broad noun-phrase candidates and finds more in "
        "papers outside machine learning (docs/extraction.md); with --update: that of the earlier build",
    )
    parser.add_argument("--keep-going", action="store_true", help="exit 0 even when some input was skipped")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the stage and the records extracted so far on stderr (default: when stderr is a "
        "terminal and not --quiet; into a log, a line every 5 s)",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``papergraph build`` with the parsed ``args``; the exit code."""
    from papergraph.export.outputs import write_outputs
    from papergraph.run.build_state import BuildState, cache_file, write_state
    from papergraph.run.pipeline import Timings, build
    from papergraph.run.progress import StageReporter

    try:
        plan = Plan.of(args.jobs, args.dask)  # --jobs and --dask, settled once
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
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
        raise UsageError(f"no such file or folder: {', '.join(map(terminal_safe, missing))}")
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
    terminal = sys.stderr.isatty()
    shown = args.progress if args.progress is not None else terminal and not args.quiet
    reporter = StageReporter(sys.stderr, live=terminal) if shown else None
    cache = None if args.no_cache else cache_file(out)
    try:
        kg = build(
            paths,
            timings=timings,
            jobs=plan.jobs,
            cache=cache,
            dask=plan.dask,
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
        print(problem_summary(kg.problems, kg.files), file=sys.stderr)
    if not kg.papers:
        print("papergraph: error: no paper records could be read; nothing written", file=sys.stderr)
        return 2
    if reporter is not None:
        reporter("write " + ", ".join(OUTPUT_FORMATS[fmt].file_name for fmt in formats), 0, None)
    try:
        with staged_outputs(out) as staging:  # every output is complete before any replaces the old
            # the formats side by side in up to --jobs processes (the files are the same for any number)
            done = write_outputs(kg, staging, formats, jobs=plan.jobs)
    finally:
        if reporter is not None:
            reporter.close()
    for fmt in formats:
        timings.add(f"write {fmt}", done.seconds[fmt])
    if len(done.lanes) > 1:
        timings.overlap([f"write {fmt}" for fmt in formats], done.wall)
    written = [out / OUTPUT_FORMATS[fmt].file_name for fmt in formats]
    write_state(out, BuildState.of(paths, formats, args.extractor))
    elapsed = time.perf_counter() - started
    if not args.quiet:
        _print_build_summary(kg, written, timings, elapsed)
        if example:
            turtle = out / OUTPUT_FORMATS["ttl"].file_name
            print(
                f"next      papergraph query {terminal_safe(str(turtle))} --name most-used-methods\n"
                "          your own files: papergraph build FILE_OR_FOLDER... --out DIR"
                if "ttl" in formats
                else "next      your own files: papergraph build FILE_OR_FOLDER... --out DIR"
            )
    if kg.problems and not args.keep_going:
        print("papergraph: exit code 1 because of the problems above; --keep-going exits 0", file=sys.stderr)
        return 1
    return 0


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


def problem_summary(problems, files) -> str:  # type: ignore[no-untyped-def]
    """What was skipped, file by file: the end-of-build summary of the input's problems, each file
    name and message on its line (:func:`~papergraph.terminal.terminal_safe`: a newline in a file
    name cannot make a line of its own).

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
    width = max(len(terminal_safe(path)) for path in by_file)
    lines = [
        f"papergraph: summary: {len(by_file)} of {max(len(files), len(by_file))} file"
        f"{'s' if len(files) != 1 else ''} had problems; {sum(read.values()):,} records were read and built"
    ]
    for path, found in by_file.items():
        records = read.get(path, 0)
        if not records:
            what = (
                "nothing read: "
                + terminal_safe(found[0].message)
                + (f" (+{len(found) - 1} more)" if len(found) > 1 else "")
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
        lines.append(f"  {terminal_safe(path).ljust(width)}  {what}")
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
    counts = kg.citations
    if counts.get("read"):
        dropped = [
            f"{counts[k]:,} {what}"
            for k, what in (
                ("repeated", "repeated within a paper"),
                ("self", "the citing paper itself"),
                ("empty", "empty"),
            )
            if counts.get(k)
        ]
        drops = f"; no edge for {', '.join(dropped)}" if dropped else ""
        print(f"citations {counts['read']:,} references: {counts['cites']:,} cito:cites{drops}")
    for path in written:
        print(f"wrote     {terminal_safe(str(path))} ({size(path.stat().st_size)})")
    print(f"seconds   {elapsed:.2f} ({timings.summary()})")
