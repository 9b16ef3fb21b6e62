"""``papergraph view``: the viewer of a saved graph, or of one node's neighbourhood."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from papergraph.cli import main
from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, Entity, Evidence, Paper

DATA_RE = re.compile(r'<script type="application/json" id="pg-data">(.*?)</script>', re.S)


def page_data(path: Path) -> dict[str, Any]:
    match = DATA_RE.search(path.read_text(encoding="utf-8"))
    assert match
    return json.loads(match.group(1))


def node_keys(path: Path) -> list[str]:
    return [n["key"] for n in page_data(path)["nodes"]]


def small_graph() -> KnowledgeGraph:
    """paper/a uses LoRA and GLUE; paper/b proposes LoRA and uses Adapter (Method); paper/c uses GLUE,
    FarNet and adapter (Task). Distances from LoRA: a, b 1; glue, method/adapter 2; c 3; the rest 4."""

    def paper(key: str, title: str, abstract: str) -> Paper:
        return Paper(key=key, label=title, title=title, abstract=abstract)

    a_text = "Adapting with LoRA\nWe fine-tune with LoRA on GLUE."
    papers = (
        paper("paper/a", "Adapting with LoRA", "We fine-tune with LoRA on GLUE."),
        paper("paper/b", "LoRA: Low-Rank Adaptation", "We propose LoRA. We also use an adapter."),
        paper("paper/c", "FarNet", "We evaluate FarNet on GLUE and adapter tuning."),
    )
    entities = (
        Entity(key="method/lora", type="Method", label="LoRA", aliases=("Low-Rank Adaptation",)),
        Entity(key="dataset/glue", type="Dataset", label="GLUE"),
        Entity(key="method/farnet", type="Method", label="FarNet"),
        Entity(key="method/adapter", type="Method", label="Adapter"),
        Entity(key="task/adapter", type="Task", label="adapter"),
    )
    start = a_text.index("LoRA on")
    edges = (
        Edge(
            "paper/a",
            "uses",
            "method/lora",
            Evidence("We fine-tune with LoRA on GLUE.", start, start + 4),
            "paper/a",
        ),
        Edge("paper/b", "proposes", "method/lora"),
        Edge("paper/a", "uses", "dataset/glue"),
        Edge("paper/c", "uses", "dataset/glue"),
        Edge("paper/c", "proposes", "method/farnet"),
        Edge("paper/b", "uses", "method/adapter"),
        Edge("paper/c", "uses", "task/adapter"),
    )
    return KnowledgeGraph(papers=papers, entities=entities, edges=edges)


@pytest.fixture()
def graph_file(tmp_path: Path) -> Path:
    return small_graph().write_turtle(tmp_path / "graph.ttl")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["view", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_focus_writes_the_neighbourhood(graph_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "lora.html"
    code, printed, err = run(capsys, str(graph_file), "--focus", "LoRA", "--hops", "2", "--out", str(out))
    assert code == 0, err
    data = page_data(out)
    assert data["focus"] == "method/lora"
    keys = node_keys(out)
    assert keys[0] == "method/lora"  # ranked from the focus: it is drawn first
    assert set(keys) == {"method/lora", "paper/a", "paper/b", "dataset/glue", "method/adapter"}
    assert set(keys[1:3]) == {"paper/a", "paper/b"}  # one hop before two
    pairs = {(data["nodes"][r[0]]["key"], data["nodes"][r[2]]["key"]) for r in data["edges"]}
    assert pairs == {
        ("paper/a", "method/lora"),
        ("paper/b", "method/lora"),
        ("paper/a", "dataset/glue"),
        ("paper/b", "method/adapter"),
    }
    assert data["title"] == "LoRA: 2 hops"
    assert (
        printed.startswith(f"wrote {out} (")
        and "5 of 8 nodes, 4 of 7 edges within 2 hops of method/lora" in printed
    )


@pytest.mark.parametrize("name", ["lora", "LORA", "low-rank adaptation", "method/lora"])
def test_focus_matches_labels_aliases_and_keys_ignoring_case(graph_file: Path, tmp_path: Path, capsys, name):
    out = tmp_path / "v.html"
    code, _, err = run(capsys, str(graph_file), "--focus", name, "--hops", "1", "--out", str(out))
    assert code == 0, err
    assert set(node_keys(out)) == {"method/lora", "paper/a", "paper/b"}


def test_focus_matches_a_paper_title(graph_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "v.html"
    assert (
        run(capsys, str(graph_file), "--focus", "farnet", "--hops", "0", "--out", str(out))[0] == 2
    )  # 2 nodes
    code, _, err = run(
        capsys, str(graph_file), "--focus", "adapting with lora", "--hops", "0", "--out", str(out)
    )
    assert code == 0, err
    assert node_keys(out) == ["paper/a"]


def test_hops_widen_the_neighbourhood(graph_file: Path, tmp_path: Path, capsys) -> None:
    sizes = []
    for hops in range(5):
        out = tmp_path / f"h{hops}.html"
        assert run(capsys, str(graph_file), "--focus", "LoRA", "--hops", str(hops), "--out", str(out))[0] == 0
        sizes.append(len(node_keys(out)))
    assert sizes == [1, 3, 5, 6, 8]


def test_nothing_matches_is_one_line_and_exit_2(graph_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "none.html"
    code, printed, err = run(capsys, str(graph_file), "--focus", "Transformer", "--out", str(out))
    assert code == 2
    assert printed == ""
    assert err.count("\n") == 1 and err.startswith("papergraph: error: no node is named 'Transformer'")
    assert not out.exists()


def test_near_misses_are_suggested(graph_file: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, str(graph_file), "--focus", "LoR", "--out", str(tmp_path / "x.html"))
    assert code == 2
    assert err.count("\n") == 1 and "did you mean: LoRA (method/lora)" in err


def test_several_matches_list_the_candidates(graph_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "adapter.html"
    code, _, err = run(capsys, str(graph_file), "--focus", "ADAPTER", "--out", str(out))
    assert code == 2 and not out.exists()
    assert "'ADAPTER' names 2 nodes" in err
    assert "method/adapter  (Method: Adapter)" in err and "task/adapter  (Task: adapter)" in err
    code, _, err = run(capsys, str(graph_file), "--focus", "task/adapter", "--hops", "1", "--out", str(out))
    assert code == 0, err
    assert set(node_keys(out)) == {"task/adapter", "paper/c"}


def test_default_output_names(graph_file: Path, capsys) -> None:
    assert run(capsys, str(graph_file))[0] == 0
    whole = graph_file.with_name("graph.html")
    assert len(node_keys(whole)) == 8 and page_data(whole)["focus"] is None
    assert run(capsys, str(graph_file), "--focus", "Low-Rank Adaptation")[0] == 0
    assert node_keys(graph_file.with_name("graph-lora.html"))[0] == "method/lora"


def test_max_nodes_limits_the_first_drawing(graph_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "v.html"
    assert run(capsys, str(graph_file), "--focus", "LoRA", "--max-nodes", "3", "--out", str(out))[0] == 0
    data = page_data(out)
    assert data["initial"] == 3 and len(data["nodes"]) == 5
    assert {n["key"] for n in data["nodes"][:3]} == {"method/lora", "paper/a", "paper/b"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hops", "-1", "--focus", "LoRA"], "--hops must be 0 or more"),
        (["--max-nodes", "0"], "--max-nodes must be 1 or more"),
    ],
)
def test_bad_numbers_are_usage_errors(graph_file: Path, capsys, args: list[str], message: str) -> None:
    code, _, err = run(capsys, str(graph_file), *args)
    assert code == 2 and message in err


def test_missing_or_broken_graph_file(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.ttl"), "--focus", "LoRA")
    assert code == 2 and "no such graph file" in err
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix : <x> .\n:a :b", encoding="utf-8")
    code, _, err = run(capsys, str(broken))
    assert code == 2 and "not a readable graph" in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_reference_corpus_two_hops_is_the_networkx_ego_graph(corpus_graph, tmp_path: Path, capsys) -> None:
    ttl = corpus_graph.write_turtle(tmp_path / "graph.ttl")
    out = tmp_path / "lora.html"
    code, _, err = run(capsys, str(ttl), "--focus", "LoRA", "--hops", "2", "--out", str(out))
    assert code == 0, err
    (lora,) = corpus_graph.find("LoRA")  # its key depends on the label resolution picks
    assert page_data(out)["focus"] == lora.key
    g = corpus_graph.to_networkx().to_undirected(as_view=True)
    want = set(nx.ego_graph(g, lora.key, radius=2))
    assert set(node_keys(out)) == want
    assert len(want) > 20  # LoRA is used by several papers, which use many other things
