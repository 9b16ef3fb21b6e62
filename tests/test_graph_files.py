"""Graph files for network tools: the flat networkx graph networkx's writers take, GEXF and the
node and edge tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from test_rdf import HOSTILE, hostile_kg, sample_kg

from papergraph.cli import main
from papergraph.export.graph_files import edge_table, node_table, write_gexf
from papergraph.export.viewer_data import NODE_STYLES


def test_to_networkx_has_group_for_pyvis() -> None:
    g = sample_kg().to_networkx()
    assert all(data["group"] == data["type"] for _, data in g.nodes(data=True))


@pytest.mark.parametrize("writer", ["write_graphml", "write_gexf", "write_gml"])
def test_flat_graph_is_written_by_networkx_writers(tmp_path: Path, writer: str) -> None:
    kg = sample_kg()
    rich = kg.to_networkx()
    with pytest.raises(Exception):  # noqa: B017  the rich graph holds lists and dicts
        getattr(nx, writer)(rich, tmp_path / "rich")
    flat = kg.to_networkx(flat=True)
    getattr(nx, writer)(flat, tmp_path / "flat")
    back = getattr(nx, writer.replace("write", "read"))(tmp_path / "flat")
    assert back.number_of_nodes() == rich.number_of_nodes()
    assert back.number_of_edges() == rich.number_of_edges()


def test_flat_graph_colours_and_weights() -> None:
    kg = sample_kg()
    flat = kg.to_networkx(flat=True)
    for _, data in flat.nodes(data=True):
        assert data["color"] == NODE_STYLES[data["type"]]["color"]
    rich = kg.to_networkx()
    for source, target, key, data in flat.edges(keys=True, data=True):
        evidence = rich.edges[source, target, key]["evidence"]
        assert data["weight"] == max(1, len(evidence)) == max(1, data["evidence_count"])
    # one (source, target, relation) stated by two papers: two statements
    assert flat.edges["paper/lora-follow-up-99", "method/lora", "uses"]["weight"] == 2


def test_gexf_is_coloured_weighted_and_the_same_every_day(tmp_path: Path) -> None:
    kg = sample_kg()
    first = write_gexf(kg, tmp_path / "a.gexf").read_bytes()
    assert b"lastmodifieddate" not in first and b"NetworkX" not in first
    assert write_gexf(kg, tmp_path / "b.gexf").read_bytes() == first
    g = nx.read_gexf(tmp_path / "a.gexf")
    method = next(data for _, data in g.nodes(data=True) if data["type"] == "Method")
    rgb = tuple(int(NODE_STYLES["Method"]["color"][i : i + 2], 16) for i in (1, 3, 5))
    assert tuple(method["viz"]["color"][c] for c in "rgb") == rgb
    relations = {data["label"] for _, _, data in g.edges(data=True)}
    assert {"uses", "improves-on", "cites"} <= relations
    assert max(data["weight"] for _, _, data in g.edges(data=True)) == 2


def test_tables_hold_every_node_and_edge() -> None:
    kg = sample_kg()
    flat = kg.to_networkx(flat=True)
    nodes = list(csv.DictReader(io.StringIO(node_table(kg))))
    edges = list(csv.DictReader(io.StringIO(edge_table(kg))))
    assert [row["Id"] for row in nodes] == list(flat.nodes)
    assert list(nodes[0])[:4] == ["Id", "Label", "type", "color"]
    paper = next(row for row in nodes if row["Id"] == "paper/tokenformer-1a2b3c4d")
    assert (paper["Label"], paper["date"]) == ("TokenFormer", "2024-10-30")
    assert len(edges) == flat.number_of_edges()
    assert {(r["Source"], r["Target"], r["Label"]) for r in edges} == set(flat.edges(keys=True))
    assert {r["Type"] for r in edges} == {"Directed"}
    lora = next(r for r in edges if r["Target"] == "method/lora" and r["Label"] == "uses")
    assert (lora["Weight"], lora["evidence_count"]) == ("2", "2")


@pytest.mark.parametrize("text", HOSTILE)
def test_tables_and_gexf_carry_hostile_text(tmp_path: Path, text: str) -> None:
    kg = hostile_kg(text)
    rows = list(csv.DictReader(io.StringIO(node_table(kg))))
    paper = next(row for row in rows if row["Id"] == "paper/p")
    cleaned = kg.to_networkx(flat=True).nodes["paper/p"]["title"]  # XML-illegal characters replaced
    assert paper["title"] == cleaned
    write_gexf(kg, tmp_path / "h.gexf")
    assert nx.read_gexf(tmp_path / "h.gexf").nodes["paper/p"]["title"] == cleaned


def test_build_writes_gexf_and_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--format", "gexf,nodes-csv,edges-csv", "--quiet"]) == 0
    g = nx.read_gexf(out / "graph.gexf")
    with open(out / "nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(out / "edges.csv", encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == g.number_of_nodes() > 100
    assert len(edges) == g.number_of_edges() > 100
