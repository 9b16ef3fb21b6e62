"""papergraph.analytics on the hand-made graph (exact answers) and on the reference corpus."""

from __future__ import annotations

import json

import pytest
from small_graph import small_kg

from papergraph import analytics
from papergraph.cli import main


@pytest.fixture(scope="module")
def g():
    return small_kg().to_networkx()


@pytest.fixture(scope="module")
def corpus_nx(corpus_graph):
    return corpus_graph.to_networkx()


def test_paper_graph_has_citations_and_every_paper(g):
    papers = analytics.paper_graph(g)
    assert papers.number_of_nodes() == 6
    assert list(papers.edges(data="relations")) == [("paper/p3", "paper/p2", ["cites"])]


def test_method_co_usage_counts_papers_naming_both(g):
    co = analytics.method_co_usage(g)
    assert sorted(co.edges(data="weight")) == [
        ("method/basenet", "method/betternet", 1),
        ("method/bestnet", "method/betternet", 1),
        ("method/bestnet", "method/othernet", 2),
        ("method/betternet", "method/othernet", 1),
    ]


def test_dataset_method_graph(g):
    dm = analytics.dataset_method_graph(g)
    assert sorted((d, m, w) for d, m, w in dm.edges(data="weight") if d == "dataset/a") == [
        ("dataset/a", "method/basenet", 2),
        ("dataset/a", "method/bestnet", 1),
        ("dataset/a", "method/betternet", 2),
        ("dataset/a", "method/othernet", 1),
    ]
    assert list(dm.successors("dataset/b")) == ["method/othernet"]


def test_rankings(g):
    assert [(r["label"], r["papers"]) for r in analytics.degree(g, "Method")] == [
        ("OtherNet", 4),
        ("BaseNet", 2),
        ("BestNet", 2),
        ("BetterNet", 2),
    ]
    ranked = analytics.pagerank(g, "Method")
    assert ranked[0]["label"] == "OtherNet" and {r["type"] for r in ranked} == {"Method"}
    assert sum(1 for _ in ranked) == 4 and all(r["pagerank"] > 0 for r in ranked)
    assert analytics.pagerank(g, "Paper", top=1)[0]["label"] == "Second Improvement"  # the cited one
    assert [r["label"] for r in analytics.pagerank(g, "Dataset")] == ["DataSet-A", "DataSet-B"]
    assert analytics.degree(g, "Metric", top=1) == [
        {"key": "metric/accuracy", "label": "accuracy", "type": "Metric", "papers": 3}
    ]


def test_communities_are_labelled_by_central_members(g):
    found = analytics.communities(g)
    assert sum(c["size"] for c in found) == g.number_of_nodes()
    assert [c["id"] for c in found] == list(range(1, len(found) + 1))
    assert all(c["label"] and c["members"] for c in found)
    by_member = {m["label"]: c["id"] for c in found for m in c["members"]}
    assert by_member.get("DataSet-B") != by_member.get("DataSet-A") or len(found) == 1
    assert analytics.communities(g) == found  # seeded: repeatable


def test_growing_methods_and_timeline(g):
    assert analytics.timeline(g) == [
        {"year": 2020, "papers": 1},
        {"year": 2021, "papers": 1},
        {"year": 2022, "papers": 2},
        {"year": 2023, "papers": 2},
    ]
    growing = analytics.growing_methods(g)
    assert growing[0]["label"] == "OtherNet"
    assert growing[0]["papers_by_year"] == {2022: 2, 2023: 2}
    assert "BaseNet" not in {r["label"] for r in growing}  # named in 2020-2021 only: shrinking


def test_shortest_path_with_the_papers_along_it(g):
    path = analytics.shortest_path(g, "BaseNet", "bn")  # a label and an alias, any case
    assert [n["label"] for n in path["nodes"]] == [
        "BaseNet",
        "First Improvement",
        "BetterNet",
        "Second Improvement",
        "BestNet",
    ]
    assert [p["key"] for p in path["papers"]] == ["paper/p1", "paper/p2"]
    assert path["steps"][0] == {"from": "paper/p1", "relation": "improves-on", "to": "method/basenet"}
    with pytest.raises(KeyError):
        analytics.shortest_path(g, "BaseNet", "nothing")


def test_report_is_plain_json_data(g):
    report = analytics.analytics_report(g, top=3, path=("BaseNet", "OtherNet"))
    assert json.loads(json.dumps(report)) == json.loads(json.dumps(report, default=str))
    text = analytics.render_report(report)
    assert "top methods by PageRank" in text and "communities (Louvain)" in text
    assert "OtherNet" in text and "shortest path BaseNet → OtherNet" in text


def test_on_the_reference_corpus(corpus_nx):
    assert analytics.degree(corpus_nx, "Dataset", top=1)[0]["label"] == "ImageNet"
    assert analytics.pagerank(corpus_nx, "Metric", top=1)[0]["label"] == "accuracy"
    found = analytics.communities(corpus_nx, top=5)
    assert len(found) == 5 and found[0]["size"] >= found[-1]["size"]
    years = [t["year"] for t in analytics.timeline(corpus_nx)]
    assert years == sorted(years) and len(years) >= 3
    assert all(r["growth"] > 0 for r in analytics.growing_methods(corpus_nx))
    path = analytics.shortest_path(corpus_nx, "LoRA", "BERT")
    assert path is not None and path["papers"]
    pairs = analytics.method_co_usage(corpus_nx)
    assert pairs.number_of_edges() > 100


def test_stats_command_report_json_and_charts(tmp_path, capsys):
    path = tmp_path / "graph.ttl"
    small_kg().write_turtle(path)
    assert main(["stats", str(path), "--path", "BaseNet", "OtherNet"]) == 0
    out = capsys.readouterr().out
    assert "papers    6" in out and "top methods by PageRank" in out and "shortest path" in out
    assert main(["stats", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["papers"] == 6 and data["analytics"]["growing_methods"][0]["label"] == "OtherNet"
    assert main(["stats", str(path), "--path", "BaseNet", "nothing"]) == 2
    assert "--path" in capsys.readouterr().err
    pytest.importorskip("matplotlib")
    assert main(["stats", str(path), "--charts", str(tmp_path / "charts")]) == 0
    for name in ("top-entities.png", "timeline.png"):
        assert (tmp_path / "charts" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
