#!/usr/bin/env python3
"""Viewer benchmark: HTML size and time until the page is interactive, in headless Chromium.

    python benchmarks/viewer_benchmark.py [--repeat 3] [--sizes 500,2000,20000] [--screenshots]

For each size, a synthetic corpus from ../shared/bench/make_corpus.py (seed 1) with the number of
papers that gives about that many nodes (56 papers for ~500, 310 for ~2,000, 10,000 for ~20,000:
found by building corpora of a few sizes; the counts actually built are recorded) is built with
``papergraph.build``, its viewer written with the default settings, and the page opened from
``file://`` in Debian's Chromium driven by Playwright (headless, never a downloaded browser),
``--repeat`` times, each in a fresh browser context.

*Interactive* is the ``pg-interactive`` performance mark the page sets once its data is parsed,
the network built, the layout stabilised and physics switched off, at the first frame drawn after
that: from then on a click, a search or a filter gets its answer. Its ``startTime`` is
milliseconds from navigation start (the file's loading included). Also measured in the same page
afterwards: selecting the most connected node (highlight, side panel, redraw) and one "show more"
click (drawing and laying out the next nodes) when the page opens truncated.

Prints a table and writes benchmarks/results/viewer.json. ``--screenshots`` also writes
docs/viewer.png (the reference corpus's whole graph) and docs/viewer-panel.png (LoRA selected,
the side panel showing the evidence sentences).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from machine import cpu_model  # benchmarks/machine.py (run as scripts from the project root)

import papergraph
from papergraph.export.html import graph_nodes, page_data, write_html

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results" / "viewer.json"
DOCS = ROOT / "docs"
#: target nodes -> papers of make_corpus.py (seed 1) giving about that many
PAPERS = {500: 56, 2000: 310, 20000: 10000}
#: target nodes -> goal for the time to interactive, in milliseconds (from the issue)
GOALS = {2000: 3000, 20000: 10000}
VIEWPORT = {"width": 1400, "height": 900}

MARKS_JS = """() => {
    const at = name => { const m = performance.getEntriesByName(name)[0]; return m ? m.startTime : null; };
    return {data: at('pg-data'), network: at('pg-network'), stabilized: at('pg-stabilized'),
            interactive: at('pg-interactive'), nodes: papergraph.nodes.length,
            edges: papergraph.edges.length};
}"""
SELECT_JS = """() => new Promise(resolve => {
    const t0 = performance.now();
    papergraph.network.once('afterDrawing', () => resolve(performance.now() - t0));
    papergraph.selectNode(0, {focus: false});
    papergraph.network.redraw();
})"""
MORE_JS = """() => new Promise(resolve => {
    papergraph.clearSelection();
    const t0 = performance.now();
    const before = papergraph.nodes.length;
    const added = papergraph.showMore(() => {
        papergraph.network.once('afterDrawing', () =>
            resolve({ms: performance.now() - t0, added: papergraph.nodes.length - before}));
        papergraph.network.redraw();
    });
    if (!added) { resolve(null); }
})"""


def wait_ready(page: Any, timeout: float = 300) -> None:
    """Poll for the page's ready flag (the page's CSP forbids ``wait_for_function``'s ``eval``)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate("window.papergraph && window.papergraph.ready"):
        if time.monotonic() > deadline:
            raise TimeoutError("the viewer did not become interactive")
        page.wait_for_timeout(20)


def open_viewer(browser: Any, path: Path) -> tuple[Any, Any, list[str]]:
    """A fresh context and page on ``path``, waited until interactive; every error is collected."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("request", lambda r: problems.append(f"request: {r.url}") if r.url.startswith("http") else None)
    page.goto(path.resolve().as_uri())
    wait_ready(page)
    return context, page, problems


def measure(browser: Any, path: Path, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        context, page, problems = open_viewer(browser, path)
        marks = page.evaluate(MARKS_JS)
        marks["select_ms"] = page.evaluate(SELECT_JS)
        more = page.evaluate(MORE_JS)
        marks["more_ms"] = more["ms"] if more else None
        marks["more_added"] = more["added"] if more else 0
        if problems:
            raise RuntimeError(f"{path.name}: {problems[:5]}")
        runs.append(marks)
        context.close()

    def med(key: str) -> float | None:
        values = [r[key] for r in runs if r[key] is not None]
        return round(statistics.median(values)) if values else None

    return {
        "interactive_ms": med("interactive"),
        "interactive_runs_ms": [round(r["interactive"]) for r in runs],
        "data_parsed_ms": med("data"),
        "network_built_ms": med("network"),
        "stabilized_ms": med("stabilized"),
        "select_ms": med("select_ms"),
        "show_more_ms": med("more_ms"),
        "show_more_nodes": runs[0]["more_added"],
        "drawn_nodes": runs[0]["nodes"],
        "drawn_edges": runs[0]["edges"],
    }


def screenshots(browser: Any, out: Path) -> list[Path]:
    """docs/viewer.png (the reference corpus) and docs/viewer-panel.png (LoRA and its evidence)."""
    kg = papergraph.build([SHARED / "corpus"])
    with tempfile.TemporaryDirectory() as tmp:
        html = write_html(kg, Path(tmp) / "graph.html")
        context, page, problems = open_viewer(browser, html)
        whole = out / "viewer.png"
        page.screenshot(path=str(whole))
        page.fill("#pg-search", "LoRA")
        page.press("#pg-search", "Enter")
        deadline = time.monotonic() + 30
        while not page.evaluate("papergraph.network.getSelectedNodes().length === 1"):
            if time.monotonic() > deadline:
                raise TimeoutError("LoRA was not selected")
            page.wait_for_timeout(50)
        page.wait_for_timeout(800)  # the zoom animation
        page.evaluate("document.activeElement.blur()")
        panel = out / "viewer-panel.png"
        page.screenshot(path=str(panel))
        context.close()
        if problems:
            raise RuntimeError(f"screenshots: {problems[:5]}")
    return [whole, panel]


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "| target | papers | nodes | edges | drawn at open | HTML | interactive (median of runs) "
        "| runs | goal | select a node | show more |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for r in results:
        goal = f"< {r['goal_ms'] / 1000:g} s: {'met' if r['met'] else 'MISSED'}" if r["goal_ms"] else "-"
        runs = ", ".join(f"{ms / 1000:.2f}" for ms in r["interactive_runs_ms"])
        more = f"{r['show_more_ms'] / 1000:.2f} s (+{r['show_more_nodes']})" if r["show_more_ms"] else "-"
        rows.append(
            f"| {r['target']:,} | {r['papers']:,} | {r['nodes']:,} | {r['edges']:,} | "
            f"{r['drawn_nodes']:,} nodes, {r['drawn_edges']:,} edges | {r['html_bytes'] / 1e6:.1f} MB | "
            f"{r['interactive_ms'] / 1000:.2f} s | {runs} | {goal} | {r['select_ms'] / 1000:.2f} s | {more} |"
        )
    return head + "\n".join(rows) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="page loads per size (default 3)")
    ap.add_argument("--sizes", default="500,2000,20000", help=f"target node counts among {sorted(PAPERS)}")
    ap.add_argument("--screenshots", action="store_true", help="also write docs/viewer*.png")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON results")
    args = ap.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("viewer_benchmark: needs playwright (pip install playwright; no browser download)")
        return 2
    sys.path.insert(0, str(ROOT / "tests"))
    from chromium import CHROMIUM, CHROMIUM_ARGS  # tests/chromium.py: how the tests start Chromium

    chromium = CHROMIUM
    if not chromium:
        print("viewer_benchmark: needs Debian's chromium (apt-get install chromium)")
        return 2
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    load_before = os.getloadavg()
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        version = browser.version
        for target in sizes:
            papers = PAPERS[target]
            corpus = Path(tmp) / f"corpus-{papers}.jsonl"
            make = [sys.executable, str(SHARED / "bench" / "make_corpus.py"), "--papers", str(papers)]
            subprocess.run([*make, "--out", str(corpus), "--seed", "1"], check=True)
            t0 = time.perf_counter()
            kg = papergraph.build([corpus])
            t1 = time.perf_counter()
            html = write_html(kg, Path(tmp) / f"viewer-{target}.html")
            t2 = time.perf_counter()
            nodes = graph_nodes(kg)
            meta = page_data(kg)["meta"]
            row = {
                "target": target,
                "papers": papers,
                "nodes": len(nodes),
                "edges": meta["totalEdges"],
                "html_bytes": html.stat().st_size,
                "build_s": round(t1 - t0, 2),
                "write_html_s": round(t2 - t1, 2),
                **measure(browser, html, args.repeat),
                "goal_ms": GOALS.get(target),
            }
            row["met"] = row["goal_ms"] is None or row["interactive_ms"] < row["goal_ms"]
            results.append(row)
            print(
                f"{target:>6}: {row['nodes']:,} nodes, {row['html_bytes'] / 1e6:.1f} MB, "
                f"interactive {row['interactive_runs_ms']} ms",
                flush=True,
            )
        shots = screenshots(browser, DOCS) if args.screenshots else []
        browser.close()
    report = {
        "date": datetime.date.today().isoformat(),
        "command": "python benchmarks/viewer_benchmark.py " + " ".join(sys.argv[1:]),
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "chromium": version,
            "load_average_before": [round(x, 2) for x in load_before],
        },
        "interactive": "performance mark pg-interactive: data parsed, network built, layout stabilised, "
        "physics off, first frame drawn; ms from navigation start",
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(results), end="")
    print(
        f"\n{report['machine']['cores']} cores, {report['machine']['cpu']}, Chromium {version}; "
        f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
    )
    for shot in shots:
        print(f"wrote {shot.relative_to(ROOT)}")
    return 0 if all(r["met"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
