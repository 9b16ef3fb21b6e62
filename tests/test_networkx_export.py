"""networkx export: attributes, centrality, GraphML that networkx reads back."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from test_rdf import HOSTILE, hostile_kg, make_kg, sample_kg

from papergraph.export.networkx_graph import graphml_graph, to_networkx, write_graphml
from papergraph.model import Edge, Entity, Evidence, Paper


def test_node_and_edge_attributes() -> None:
    kg = sample_kg()
    g = kg.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == len(kg.papers) + len(kg.entities)
    paper = g.nodes["paper/tokenformer-1a2b3c4d"]
    assert paper["type"] == "Paper"
    assert paper["label"] == "TokenFormer"
    assert paper["title"] == "TokenFormer: Rethinking Transformer Scaling"
    assert paper["abstract"].startswith("We propose TokenFormer.")
    assert paper["date"] == "2024-10-30"
    assert paper["identifiers"] == ["arXiv:2410.23168", "10.48550/arXiv.2410.23168"]
    assert g.nodes["paper/lora-follow-up-99"]["title"] is None
    ent = g.nodes["dataset/imagenet"]
    assert (ent["type"], ent["label"], ent["aliases"]) == ("Dataset", "ImageNet", ["ImageNet-1k", "ILSVRC"])
    assert {g.nodes[e.key]["type"] for e in kg.entities} == {"Method", "Dataset", "Metric", "Task"}

    data = g.edges["paper/tokenformer-1a2b3c4d", "method/transformer", "improves-on"]
    assert data["relation"] == "improves-on"
    assert data["evidence"] == [
        {
            "sentence": "It improves on Transformer on ImageNet top-1 accuracy.",
            "start": 39,
            "end": 50,
            "paper": "paper/tokenformer-1a2b3c4d",
        }
    ]
    # two edges with the same (source, target, relation): one networkx edge, two evidence entries
    lora = g.get_edge_data("paper/lora-follow-up-99", "method/lora")
    assert list(lora) == ["uses"]
    assert [ev["paper"] for ev in lora["uses"]["evidence"]] == [
        "paper/lora-follow-up-99",
        "paper/tokenformer-1a2b3c4d",
    ]
    # parallel edges between the same nodes keep their relation as the key
    assert set(g.get_edge_data("paper/tokenformer-1a2b3c4d", "method/transformer")) == {
        "improves-on",
        "compares-to",
    }
    cites = g.edges["paper/lora-follow-up-99", "paper/tokenformer-1a2b3c4d", "cites"]
    assert cites["evidence"] == [] and cites["papers"] == ["paper/lora-follow-up-99"]
    assert g.number_of_edges() == len({(e.source, e.target, e.relation) for e in kg.edges})


def test_centrality_runs() -> None:
    g = to_networkx(sample_kg())
    centrality = nx.degree_centrality(g)
    assert set(centrality) == set(g.nodes)
    assert max(centrality, key=centrality.get) == "paper/tokenformer-1a2b3c4d"
    try:
        pagerank = nx.pagerank(g)
    except ImportError:  # nx.pagerank needs numpy + scipy; the pure-Python variant is the same algorithm
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        pagerank = _pagerank_python(g)
    assert set(pagerank) == set(g.nodes)
    assert sum(pagerank.values()) == pytest.approx(1.0)
    assert pagerank["method/lora"] > pagerank["paper/lora-follow-up-99"]


@pytest.mark.skipif(
    not all(__import__("importlib").util.find_spec(m) for m in ("numpy", "scipy")),
    reason="networkx.pagerank needs numpy and scipy",
)
def test_networkx_pagerank() -> None:
    pagerank = nx.pagerank(to_networkx(sample_kg()))
    assert sum(pagerank.values()) == pytest.approx(1.0)


def test_dangling_edge_endpoints_get_a_node() -> None:
    kg = make_kg(
        papers=[Paper(key="paper/p", label="P", title="P", abstract="A.")],
        edges=[Edge("paper/p", "cites", "paper/elsewhere")],
    )
    g = to_networkx(kg)
    assert g.nodes["paper/elsewhere"] == {"type": "Unknown", "group": "Unknown", "label": "paper/elsewhere"}


def test_graphml_reads_back(tmp_path: Path) -> None:
    kg = sample_kg()
    path = kg.write_graphml(tmp_path / "out" / "kg.graphml")
    assert path == tmp_path / "out" / "kg.graphml"
    back = nx.read_graphml(path)
    assert isinstance(back, nx.MultiDiGraph)
    rich = to_networkx(kg)
    assert back.number_of_nodes() == rich.number_of_nodes()
    assert back.number_of_edges() == rich.number_of_edges()
    assert list(back.nodes) == list(rich.nodes)
    assert back.nodes(data=True)["paper/tokenformer-1a2b3c4d"] == {
        "type": "Paper",
        "group": "Paper",
        "color": "#4e79a7",
        "label": "TokenFormer",
        "title": "TokenFormer: Rethinking Transformer Scaling",
        "abstract": kg.papers[1].abstract,
        "date": "2024-10-30",
        "identifiers": "arXiv:2410.23168 | 10.48550/arXiv.2410.23168",
        "authors": "Haiyang Wang | Yue Fan | Bernt Schiele",
        "people": "person/haiyang-wang | person/yue-fan | person/bernt-schiele",
        "author_count": 3,
        "byline": "Haiyang Wang et al.",
        "url": "https://arxiv.org/abs/2410.23168",
        "upvotes": 42,
        "arxiv_id": "2410.23168",
        "sources": "data/daily.jsonl:7 | data/a.bib:1",
    }
    assert "title" not in back.nodes["paper/lora-follow-up-99"]  # None is omitted
    assert back.nodes["method/lora-7b"] == {
        "type": "Method",
        "group": "Method",
        "color": "#f28e2b",
        "label": "LoRA-7B",
        "broader": "method/lora",
    }
    assert back.nodes["dataset/imagenet"]["aliases"] == "ImageNet-1k | ILSVRC"
    edge = back.edges["paper/lora-follow-up-99", "method/lora", "uses"]
    assert edge == {
        "relation": "uses",
        "papers": "paper/lora-follow-up-99 | paper/tokenformer-1a2b3c4d",
        "evidence_count": 2,
        "weight": 2,
        "evidence": "We use LoRA on CIFAR-10 for image classification.",
    }
    assert back.edges["paper/lora-follow-up-99", "paper/tokenformer-1a2b3c4d", "builds-on"] == {
        "relation": "builds-on",
        "evidence_count": 0,
        "weight": 1,
    }
    for _, _, data in graphml_graph(kg).edges(data=True):
        assert all(isinstance(v, str | int | float) for v in data.values())


def test_graphml_is_deterministic(tmp_path: Path) -> None:
    kg = sample_kg()
    shuffled = type(kg)(kg.papers[::-1], kg.entities[::-1], kg.edges[::-1])
    assert write_graphml(kg, tmp_path / "a.graphml").read_bytes() == (
        write_graphml(shuffled, tmp_path / "b.graphml").read_bytes()
    )


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t) for t in HOSTILE])
def test_graphml_survives_hostile_text(text: str, tmp_path: Path) -> None:
    kg = hostile_kg(text)
    back = nx.read_graphml(write_graphml(kg, tmp_path / "kg.graphml"))
    assert back.number_of_nodes() == 2
    label = back.nodes["method/m"].get("label", "")
    # XML cannot carry NUL and most C0 controls (replaced by U+FFFD); CR is written as &#13; so
    # that XML's end-of-line normalisation does not turn it into LF
    expected = "".join("\ufffd" if ord(c) < 0x20 and c not in "\t\n\r" else c for c in text)
    assert label == expected


def test_self_loop_and_empty_evidence(tmp_path: Path) -> None:
    kg = make_kg(
        entities=[Entity("task/t", "Task", "T")],
        edges=[Edge("task/t", "broader", "task/t", Evidence("", 0, 0))],
    )
    g = to_networkx(kg)
    assert g.number_of_edges() == 1 and g.nodes["task/t"]["type"] == "Task"
    back = nx.read_graphml(write_graphml(kg, tmp_path / "kg.graphml"), force_multigraph=True)
    assert back.edges["task/t", "task/t", "broader"]["evidence_count"] == 1
