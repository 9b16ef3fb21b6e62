"""The analytics report of ``papergraph stats``: rankings, communities, trends, as plain data, as
text, and as PNG charts (matplotlib: the ``charts`` extra, see :mod:`papergraph.extras`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from papergraph.analytics.communities import communities
from papergraph.analytics.paths import shortest_path
from papergraph.analytics.projections import method_co_usage, paper_graph, takes_networkx
from papergraph.analytics.rankings import degree, pagerank
from papergraph.analytics.trends import growing_methods, timeline
from papergraph.atomic import atomic_open
from papergraph.extras import require

RANKED = ("Method", "Dataset", "Metric", "Task", "Paper")


@takes_networkx
def analytics_report(
    g: nx.MultiDiGraph, top: int = 10, path: tuple[str, str] | None = None, seed: int = 1
) -> dict[str, Any]:
    """Everything ``papergraph stats`` reports, as plain data (lists and dicts)."""
    papers = paper_graph(g)
    co = method_co_usage(g)
    report: dict[str, Any] = {
        "projections": {
            "paper_links": papers.number_of_edges(),
            "linked_papers": sum(1 for n in papers if papers.degree(n)),
            "method_pairs_used_together": co.number_of_edges(),
        },
        "pagerank": {t: pagerank(g, t, top) for t in RANKED},
        "degree": {t: degree(g, t, top) for t in RANKED},
        "communities": communities(g, top=top, seed=seed),
        "timeline": timeline(g),
        "growing_methods": growing_methods(g, top=top),
    }
    if path is not None:
        report["path"] = {"from": path[0], "to": path[1], "found": shortest_path(g, *path)}
    return report


def _cut(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_report(report: dict[str, Any]) -> str:
    """The report as readable text."""
    lines: list[str] = []
    p = report["projections"]
    lines.append(
        f"paper links  {p['paper_links']:,} between {p['linked_papers']:,} papers "
        f"(citations, inferred links); {p['method_pairs_used_together']:,} pairs of methods named together"
    )
    for kind in RANKED:
        ranked = report["pagerank"][kind]
        if not ranked:
            continue
        what = "papers" if kind != "Paper" else "linked papers"
        lines.append(f"top {kind.lower()}s by PageRank ({what} in brackets)")
        for r in ranked:
            lines.append(f"  {r['pagerank']:.4f}  {_cut(r['label'])}  ({r['papers']})")
    if report["communities"]:
        lines.append(f"communities (Louvain), largest {len(report['communities'])}")
        for c in report["communities"]:
            kinds = ", ".join(f"{t} {n}" for t, n in c["types"].items())
            lines.append(f"  {c['id']:>2}. {_cut(c['label'], 70)}  [{c['size']:,} nodes: {kinds}]")
    if report["timeline"]:
        years = ", ".join(f"{t['year']} {t['papers']}" for t in report["timeline"])
        lines.append(f"dated papers by year  {years}")
    if report["growing_methods"]:
        lines.append("methods growing fastest (share of the year's papers, slope per year)")
        for r in report["growing_methods"]:
            years = ", ".join(f"{y} {n}" for y, n in r["papers_by_year"].items())
            lines.append(f"  {r['growth']:+.3f}  {_cut(r['label'], 40)}  ({years})")
    elif report["timeline"]:
        lines.append("methods growing fastest: none (too few dated papers or years)")
    if "path" in report:
        found = report["path"]["found"]
        lines.append(f"shortest path {report['path']['from']} → {report['path']['to']}")
        if found is None:
            lines.append("  not connected")
        else:
            for step in found["steps"]:
                labels = {n["key"]: n["label"] for n in found["nodes"]}
                lines.append(
                    f"  {_cut(labels[step['from']], 50)} —{step['relation']}→ {_cut(labels[step['to']], 50)}"
                )
            lines.append(f"  papers along it: {len(found['papers'])}")
    return "\n".join(lines) + "\n"


def write_charts(report: dict[str, Any], folder: str | Path) -> list[Path]:
    """PNG charts of the report in ``folder``: ``top-entities.png`` (PageRank of the top methods,
    datasets and metrics) and ``timeline.png`` (dated papers per year, and the papers naming the
    fastest-growing methods). Needs the ``charts`` extra (matplotlib); raises
    :class:`~papergraph.extras.MissingExtra` saying how to get it."""
    require("matplotlib", "charts", "stats --charts").use("Agg")
    plt = require("matplotlib.pyplot", "charts", "stats --charts")
    folder = Path(folder)
    written = []
    kinds = [k for k in ("Method", "Dataset", "Metric") if report["pagerank"][k]]
    fig, axes = plt.subplots(1, max(len(kinds), 1), figsize=(5 * max(len(kinds), 1), 4.5), squeeze=False)
    for ax, kind in zip(axes[0], kinds, strict=False):
        rows = report["pagerank"][kind][::-1]
        ax.barh([_cut(r["label"], 28) for r in rows], [r["pagerank"] for r in rows], color="#4c72b0")
        ax.set_title(f"Top {kind.lower()}s by PageRank")
        ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    written.append(_save(fig, folder / "top-entities.png"))
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    years = [t["year"] for t in report["timeline"]]
    ax.bar(years, [t["papers"] for t in report["timeline"]], color="#cccccc", label="dated papers")
    for r in report["growing_methods"][:5]:
        ax.plot(years, [r["papers_by_year"].get(y, 0) for y in years], marker="o", label=_cut(r["label"], 30))
    ax.set_xlabel("year")
    ax.set_ylabel("papers")
    ax.set_title("Papers per year and the fastest-growing methods")
    if years:
        ax.legend(fontsize=8)
        ax.set_xticks(years)
    fig.tight_layout()
    written.append(_save(fig, folder / "timeline.png"))
    plt.close(fig)
    return written


def _save(fig: Any, path: Path) -> Path:
    with atomic_open(path, "wb") as fh:
        fig.savefig(fh, format="png", dpi=110)
    return path
