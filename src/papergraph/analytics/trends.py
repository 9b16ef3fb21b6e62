"""Methods whose use grows over time, from the papers' dates.

A paper's period is the year of its ``date`` (``2023-06-29`` → 2023); dates without a year
(``--06-30``) and undated papers are left out. A method's *share* in a year is the fraction of
that year's papers naming it (any relation); its *growth* is the least-squares slope of that share
over the years covered, in share points per year.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for i, (year, uses) in enumerate([(2021, "a"), (2021, "b"), (2022, "b"), (2023, "b")]):
...     g.add_node(f"p{i}", type="Paper", label=f"P{i}", date=f"{year}-01-01")
...     g.add_node(uses, type="Method", label=uses.upper())
...     _ = g.add_edge(f"p{i}", uses, key="uses", relation="uses")
>>> timeline(g)
[{'year': 2021, 'papers': 2}, {'year': 2022, 'papers': 1}, {'year': 2023, 'papers': 1}]
>>> [(r["label"], r["growth"], r["papers_by_year"]) for r in growing_methods(g, min_papers=1)]
[('B', 0.25, {2021: 1, 2022: 1, 2023: 1})]
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import networkx as nx

from papergraph.analytics.projections import entities_by_paper, takes_networkx

_YEAR = re.compile(r"^(\d{4})")


@takes_networkx
def paper_years(g: nx.MultiDiGraph) -> dict[str, int]:
    """The year of each dated paper."""
    out = {}
    for n, data in g.nodes(data=True):
        if data.get("type") == "Paper" and (m := _YEAR.match(str(data.get("date") or ""))):
            out[n] = int(m.group(1))
    return out


@takes_networkx
def timeline(g: nx.MultiDiGraph) -> list[dict[str, int]]:
    """Dated papers per year, oldest first."""
    return [{"year": y, "papers": n} for y, n in sorted(Counter(paper_years(g).values()).items())]


def _slope(xs: list[int], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


@takes_networkx
def growing_methods(
    g: nx.MultiDiGraph, top: int = 10, min_papers: int = 2, kind: str = "Method"
) -> list[dict[str, Any]]:
    """The ``top`` methods (or entities of type ``kind``) named by at least ``min_papers`` dated
    papers whose share grows fastest, as ``{key, label, growth, papers, papers_by_year}``; only
    positive growth is listed, and nothing when the papers span fewer than two years."""
    years = paper_years(g)
    per_year = Counter(years.values())
    span = sorted(per_year)
    if len(span) < 2:
        return []
    counts: dict[str, Counter[int]] = {}
    for paper, entities in entities_by_paper(g, kind).items():
        if paper in years:
            for e in entities:
                counts.setdefault(e, Counter())[years[paper]] += 1
    rows = []
    for e, by_year in counts.items():
        total = sum(by_year.values())
        if total < min_papers:
            continue
        growth = _slope(span, [by_year.get(y, 0) / per_year[y] for y in span])
        if growth > 0:
            rows.append(
                {
                    "key": e,
                    "label": g.nodes[e].get("label", e),
                    "growth": round(growth, 4),
                    "papers": total,
                    "papers_by_year": dict(sorted(by_year.items())),
                }
            )
    rows.sort(key=lambda r: (-r["growth"], -r["papers"], str(r["label"]), r["key"]))
    return rows[:top]
