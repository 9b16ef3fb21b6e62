"""A hand-made graph whose query and analytics answers are known exactly (imported by tests).

p0 "Base Paper" (2020)         proposes BaseNet; uses DataSet-A, accuracy
p1 "First Improvement" (2021)  proposes BetterNet, improves on BaseNet; uses DataSet-A, accuracy
p2 "Second Improvement" (2022) proposes BestNet (alias BN), improves on BetterNet,
                               compares to OtherNet; uses DataSet-A, accuracy
p3 "User Paper" (2022)         uses BestNet, OtherNet; cites p2
p4 "Unrelated" (2023)          uses OtherNet, DataSet-B, F1
p5 "Growth" (2023)             uses OtherNet
"""

from __future__ import annotations

from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, Entity, Evidence, Paper

PAPERS = {
    "paper/p0": ("Base Paper", "2020-01-10"),
    "paper/p1": ("First Improvement", "2021-03-01"),
    "paper/p2": ("Second Improvement", "2022-05-01"),
    "paper/p3": ("User Paper", "2022-07-01"),
    "paper/p4": ("Unrelated", "2023-02-01"),
    "paper/p5": ("Growth", "2023-06"),
}
ENTITIES = [
    Entity("method/basenet", "Method", "BaseNet"),
    Entity("method/betternet", "Method", "BetterNet"),
    Entity("method/bestnet", "Method", "BestNet", aliases=("BN",)),
    Entity("method/othernet", "Method", "OtherNet"),
    Entity("dataset/a", "Dataset", "DataSet-A"),
    Entity("dataset/b", "Dataset", "DataSet-B"),
    Entity("metric/accuracy", "Metric", "accuracy"),
    Entity("metric/f1", "Metric", "F1"),
]
FACTS = [
    ("paper/p0", "proposes", "method/basenet"),
    ("paper/p0", "uses", "dataset/a"),
    ("paper/p0", "uses", "metric/accuracy"),
    ("paper/p1", "proposes", "method/betternet"),
    ("paper/p1", "improves-on", "method/basenet"),
    ("paper/p1", "uses", "dataset/a"),
    ("paper/p1", "uses", "metric/accuracy"),
    ("paper/p2", "proposes", "method/bestnet"),
    ("paper/p2", "improves-on", "method/betternet"),
    ("paper/p2", "compares-to", "method/othernet"),
    ("paper/p2", "uses", "dataset/a"),
    ("paper/p2", "uses", "metric/accuracy"),
    ("paper/p3", "uses", "method/bestnet"),
    ("paper/p3", "uses", "method/othernet"),
    ("paper/p4", "uses", "method/othernet"),
    ("paper/p4", "uses", "dataset/b"),
    ("paper/p4", "uses", "metric/f1"),
    ("paper/p5", "uses", "method/othernet"),
]


def small_kg() -> KnowledgeGraph:
    papers = tuple(
        Paper(key=k, label=t, title=t, abstract=f"The abstract of {t}.", date=d)
        for k, (t, d) in PAPERS.items()
    )
    edges = [Edge(s, r, t, Evidence(f"The abstract of {PAPERS[s][0]}.", 0, 3), s) for s, r, t in FACTS]
    edges.append(Edge("paper/p3", "cites", "paper/p2"))
    return KnowledgeGraph(papers=papers, entities=tuple(ENTITIES), edges=tuple(edges))
