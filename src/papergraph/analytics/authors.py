"""Authors: who wrote with whom, who wrote most, and what an author's papers propose and use.

Every function takes ``kg.to_networkx()``, whose paper nodes carry ``people`` (the keys of their
authors' persons, one per real person as far as names tell: :mod:`papergraph.resolve.people`) and
whose ``g.graph["people"]`` maps each person's key to its name.

* :func:`coauthor_network`: persons joined by the papers they wrote together (``weight``);
* :func:`most_productive_authors`: persons by their number of papers (rows);
* :func:`author_papers`: the papers of a person, each with what it proposes and uses (rows).

>>> import networkx as nx
>>> g = nx.MultiDiGraph(people={"person/ann": "Ann", "person/bo": "Bo"})
>>> g.add_node("paper/a", type="Paper", label="A", date="2021", people=["person/ann", "person/bo"])
>>> g.add_node("paper/b", type="Paper", label="B", date="2022", people=["person/ann", "person/bo"])
>>> g.add_node("method/x", type="Method", label="X")
>>> g.add_edge("paper/b", "method/x", key="proposes", relation="proposes")
'proposes'
>>> coauthor_network(g).edges(data="weight")
EdgeDataView([('person/ann', 'person/bo', 2)])
>>> [(r["name"], r["papers"]) for r in most_productive_authors(g)]
[('Ann', 2), ('Bo', 2)]
>>> [(r["paper"], r["proposes"]) for r in author_papers(g, "Ann")]
[('paper/b', ['X']), ('paper/a', [])]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from papergraph.analytics.projections import takes_networkx
from papergraph.names import fold

__all__ = ["author_papers", "coauthor_network", "most_productive_authors"]


def _authorships(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Paper -> the keys of its persons, in author order."""
    papers = ((node, data) for node, data in g.nodes(data=True) if data.get("type") == "Paper")
    return {node: list(data.get("people") or []) for node, data in papers}


def _name(g: nx.MultiDiGraph, person: str) -> str:
    return str(g.graph.get("people", {}).get(person) or person.rsplit("/", 1)[-1])


@takes_networkx
def coauthor_network(g: nx.MultiDiGraph, min_weight: int = 1) -> nx.Graph:
    """Persons who wrote at least ``min_weight`` papers together.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        ``kg.to_networkx()``.
    min_weight : int
        The fewest papers two persons must share to be joined.

    Returns
    -------
    networkx.Graph
        Nodes: person keys with ``name`` and ``papers`` (how many they wrote); edges ``weight``:
        the papers the two wrote together.
    """
    papers = _authorships(g)
    weights: Counter[tuple[str, str]] = Counter()
    count: Counter[str] = Counter()
    for people in papers.values():
        distinct = sorted(set(people))
        count.update(distinct)
        weights.update(combinations(distinct, 2))
    out = nx.Graph()
    for person in sorted(count):
        out.add_node(person, name=_name(g, person), papers=count[person])
    for (a, b), w in sorted(weights.items()):
        if w >= min_weight:
            out.add_edge(a, b, weight=w)
    return out


@takes_networkx
def most_productive_authors(g: nx.MultiDiGraph, top: int | None = 10) -> list[dict[str, Any]]:
    """The persons with the most papers, as rows ``{key, name, papers, coauthors, first, last}``
    (``first``/``last``: the earliest and latest dates of their papers), most first, then by name.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        ``kg.to_networkx()``.
    top : int or None
        How many rows (None: all).

    Returns
    -------
    list of dict
    """
    network = coauthor_network(g)
    dates: dict[str, list[str]] = defaultdict(list)
    for data in g.nodes.values():
        if data.get("type") == "Paper" and data.get("date"):
            for person in data.get("people") or []:
                dates[person].append(str(data["date"]))
    rows = [
        {
            "key": person,
            "name": data["name"],
            "papers": data["papers"],
            "coauthors": network.degree(person),
            "first": min(dates[person]) if dates[person] else None,
            "last": max(dates[person]) if dates[person] else None,
        }
        for person, data in network.nodes(data=True)
    ]
    rows.sort(key=lambda r: (-r["papers"], r["name"], r["key"]))
    return rows[:top] if top is not None else rows


def _find_person(g: nx.MultiDiGraph, who: str) -> list[str]:
    """The persons ``who`` names: a person key, or every person whose name, or whose spelling in
    some paper's author list, is ``who`` (case and accents aside)."""
    persons = {k for people in _authorships(g).values() for k in people}
    if who in persons:
        return [who]
    wanted = fold(who).lower()
    found = {k for k in persons if fold(_name(g, k)).lower() == wanted}
    for data in g.nodes.values():
        written, people = data.get("authors") or [], data.get("people") or []
        if data.get("type") == "Paper" and len(written) == len(people):
            found |= {k for name, k in zip(written, people, strict=True) if fold(name).lower() == wanted}
    return sorted(found)


@takes_networkx
def author_papers(g: nx.MultiDiGraph, who: str) -> list[dict[str, Any]]:
    """The papers of the person ``who`` (a person key, or a name as some paper writes it: every
    person of that name), newest first, each with the labels of what it proposes and uses.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        ``kg.to_networkx()``.
    who : str
        ``person/…`` or a name ("Hu, Edward J.", "Edward J. Hu").

    Returns
    -------
    list of dict
        ``{person, paper, title, date, proposes, uses}``.
    """
    rows = []
    for person in _find_person(g, who):
        for node, data in g.nodes(data=True):
            if data.get("type") != "Paper" or person not in (data.get("people") or []):
                continue
            said: dict[str, list[str]] = {"proposes": [], "uses": []}
            for _, target, relation in g.out_edges(node, keys=True):
                if relation in said:
                    said[relation].append(str(g.nodes[target].get("label", target)))
            rows.append(
                {
                    "person": person,
                    "paper": node,
                    "title": data.get("title") or data.get("label"),
                    "date": data.get("date"),
                    **{k: sorted(v) for k, v in said.items()},
                }
            )
    rows.sort(key=lambda r: (str(r["date"] or ""), r["paper"]), reverse=True)
    return rows
