"""Tests for the offline HTML viewer (``papergraph.html``); no browser, no network."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from papergraph import html as pg_html
from papergraph.graph import KnowledgeGraph
from papergraph.html import (
    EDGE_STYLES,
    NODE_STYLES,
    edge_payload,
    node_payload,
    page_data,
    render_html,
    script_json,
    select_nodes,
    short_label,
    write_html,
)
from papergraph.model import Edge, Entity, Evidence, Paper

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_ABSTRACT = "We propose LoRA. </script><script>alert(1)</script> It is fast."
HOSTILE_LABEL = '"quotes" & <b>'
LONG_TITLE = "Scaling Laws for Parameter-Efficient Fine-Tuning of Very Large Language Models"

DATA_RE = re.compile(r'<script type="application/json" id="pg-data">(.*?)</script>', re.S)
REMOTE_RE = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*(?:https?:)?//)""", re.I
)


def hostile_graph() -> KnowledgeGraph:
    """Two papers, four entities, evidenced and derived edges, with markup in every text field."""
    title = HOSTILE_TITLE
    abstract = HOSTILE_ABSTRACT
    start = len(title) + 1 + abstract.index("LoRA")  # spans index title + "\n" + abstract
    long_abstract = "We use LoRA on GLUE and report accuracy.\u2028Next line."
    long_start = len(LONG_TITLE) + 1 + long_abstract.index("LoRA")
    papers = (
        Paper(
            key="paper/hostile-000001",
            label=title,
            title=title,
            abstract=abstract,
            identifiers=("arXiv:2401.00001", "doi:10.1/<x>"),
            date="2024-01-02",
            url="javascript:alert(1)",
            authors=("Ann <i>A</i>", "Bob"),
        ),
        Paper(
            key="paper/long-000002", label="Long", title=LONG_TITLE, abstract=long_abstract, date="2024-02"
        ),
    )
    entities = (
        Entity(
            key="method/lora",
            type="Method",
            label=HOSTILE_LABEL,
            aliases=("LoRA", "<svg onload=x>"),
            broader="method/adapters",
        ),
        Entity(key="method/adapters", type="Method", label="Adapters"),
        Entity(key="dataset/glue", type="Dataset", label="GLUE"),
        Entity(key="metric/accuracy", type="Metric", label="accuracy"),
        Entity(key="task/fine-tuning", type="Task", label="fine-tuning"),
    )
    edges = (
        Edge(
            "paper/hostile-000001",
            "proposes",
            "method/lora",
            evidence=Evidence("We propose LoRA.", start, start + 4),
            paper="paper/hostile-000001",
        ),
        Edge(
            "paper/long-000002",
            "uses",
            "method/lora",
            evidence=Evidence("We use LoRA on GLUE and report accuracy.", long_start, long_start + 4),
            paper="paper/long-000002",
        ),
        Edge(
            "paper/long-000002",
            "uses",
            "dataset/glue",
            evidence=Evidence("We use LoRA on GLUE and report </script> accuracy.", 0, 1),
            paper="paper/long-000002",
        ),
        Edge("paper/long-000002", "compares-to", "metric/accuracy"),
        Edge("paper/long-000002", "improves-on", "task/fine-tuning"),
        Edge("paper/long-000002", "cites", "paper/hostile-000001"),
        Edge("paper/long-000002", "builds-on", "paper/hostile-000001", paper="paper/long-000002"),
        Edge("method/lora", "broader", "method/adapters"),
    )
    return KnowledgeGraph(papers=papers, entities=entities, edges=edges)


def extract_data(page: str) -> dict[str, Any]:
    match = DATA_RE.search(page)
    assert match, "no pg-data block"
    return json.loads(match.group(1))


def app_script(page: str) -> str:
    """The page's own script (the last ``<script>`` element)."""
    return re.findall(r"<script>(.*?)</script>", page, re.S)[-1]


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return hostile_graph()


@pytest.fixture(scope="module")
def page(kg: KnowledgeGraph) -> str:
    return render_html(kg, title="<script>alert('t')</script> papers")


# ---- offline, self-contained ---------------------------------------------------------------
def test_no_remote_resources(page: str) -> None:
    assert REMOTE_RE.search(page) is None
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap"):
        assert cdn not in page.lower()
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", page, re.I)


def test_vis_network_is_inline(page: str) -> None:
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    assert max(len(s) for s in scripts) > 100_000
    assert "vis.Network" in page and "new vis.Network(" in scripts[-1]
    assert ".vis-network" in page  # the CSS, inlined in a <style>


def test_every_script_element_closes_where_intended(page: str) -> None:
    # data block + vis-network + viewer: exactly three openings and three closings
    assert len(re.findall(r"<script\b", page, re.I)) == 3
    assert len(re.findall(r"</script", page, re.I)) == 3
    assert "<!--" not in page
    assert len(re.findall(r"</style", page, re.I)) == 2


# ---- safety -------------------------------------------------------------------------------
def test_hostile_strings_never_appear_raw(page: str) -> None:
    for raw in (
        "<img src=x",
        "</script><script>alert",
        HOSTILE_LABEL,
        "<svg onload",
        "<i>A</i>",
        "<script>alert('t')",
        "report </script>",
        "\u2028",
    ):
        assert raw not in page, raw


def test_page_title_is_escaped(page: str) -> None:
    assert "<title>&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; papers</title>" in page


def test_script_json_escapes_and_round_trips() -> None:
    obj = {"a": "</script><!-- & >", "b": "line\u2028sep\u2029", "c": ["é", 1, None, True]}
    text = script_json(obj)
    for ch in "<>&\u2028\u2029":
        assert ch not in text
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == obj
    assert text == script_json(dict(reversed(list(obj.items()))))  # keys sorted


def test_script_json_lone_surrogate_is_escaped() -> None:
    text = script_json({"x": "bad\ud800"})
    text.encode("utf-8")  # no UnicodeEncodeError
    assert "\\ud800" in text


def test_viewer_script_writes_text_only(page: str) -> None:
    js = app_script(page)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js
    assert "textContent" in js
    assert 'JSON.parse(document.getElementById("pg-data").textContent)' in js


def test_no_vis_titles_and_plain_text_labels(page: str) -> None:
    vis = extract_data(page)["vis"]
    assert all("title" not in n for n in vis["nodes"])
    assert all("title" not in e for e in vis["edges"])
    assert vis["options"]["nodes"]["font"]["multi"] is False
    assert vis["options"]["edges"]["font"]["multi"] is False


# ---- the data block -------------------------------------------------------------------------
def test_data_block_holds_every_node(page: str, kg: KnowledgeGraph) -> None:
    data = extract_data(page)
    assert set(data["nodes"]) == set(kg.nodes)
    assert {n["id"] for n in data["vis"]["nodes"]} == set(kg.nodes)
    for key, node in kg.nodes.items():
        assert data["nodes"][key]["type"] == kg.node_type(key)
        assert data["nodes"][key]["label"] == node.label
    paper = data["nodes"]["paper/hostile-000001"]
    assert paper["title"] == HOSTILE_TITLE
    assert paper["abstract"] == HOSTILE_ABSTRACT
    assert paper["identifiers"] == ["arXiv:2401.00001", "doi:10.1/<x>"]
    assert paper["date"] == "2024-01-02"
    lora = data["nodes"]["method/lora"]
    assert lora["aliases"] == ["LoRA", "<svg onload=x>"]
    assert lora["broader"] == "method/adapters"
    assert data["nodes"]["paper/long-000002"]["abstract"].endswith("accuracy.\u2028Next line.")


def test_data_block_holds_every_edge(page: str, kg: KnowledgeGraph) -> None:
    data = extract_data(page)
    want = sorted((e.source, e.relation, e.target) for e in kg.edges)
    assert sorted((e["source"], e["relation"], e["target"]) for e in data["edges"]) == want
    vis_edges = {e["id"]: e for e in data["vis"]["edges"]}
    assert set(vis_edges) == {e["id"] for e in data["edges"]}
    for e in data["edges"]:
        ve = vis_edges[e["id"]]
        assert (ve["from"], ve["to"], ve["label"]) == (e["source"], e["target"], e["relation"])
        assert ve["color"]["color"] == EDGE_STYLES[e["relation"]]["color"]
    proposes = next(e for e in data["edges"] if e["relation"] == "proposes")
    assert proposes["sentence"] == "We propose LoRA."
    assert proposes["mention"] == "LoRA"
    assert proposes["paper"] == "paper/hostile-000001"
    cites = next(e for e in data["edges"] if e["relation"] == "cites")
    assert "sentence" not in cites and "paper" not in cites


def test_mention_only_when_the_span_matches(kg: KnowledgeGraph) -> None:
    edges = {(e["relation"], e["target"]): e for e in edge_payload(kg)}
    assert edges[("uses", "method/lora")]["mention"] == "LoRA"  # offset within title + "\n" + abstract
    assert "mention" not in edges[("uses", "dataset/glue")]  # span 0:1 is "S", not in the sentence


def test_labels_styles_and_sizes(page: str) -> None:
    data = extract_data(page)
    vis_nodes = {n["id"]: n for n in data["vis"]["nodes"]}
    long_label = vis_nodes["paper/long-000002"]["label"]
    assert long_label == short_label(LONG_TITLE)
    assert long_label.endswith("…") and len(long_label) <= 41
    assert vis_nodes["paper/hostile-000001"]["label"] == HOSTILE_TITLE
    assert vis_nodes["method/lora"]["label"] == HOSTILE_LABEL
    for key, n in vis_nodes.items():
        style = NODE_STYLES[data["nodes"][key]["type"]]
        assert (n["shape"], n["color"]) == (style["shape"], style["color"])
    # size grows with degree: lora (3 edges) > glue (1 edge)
    assert vis_nodes["method/lora"]["size"] > vis_nodes["dataset/glue"]["size"]
    assert len({(s["shape"], s["color"]) for s in NODE_STYLES.values()}) == len(NODE_STYLES)


def test_legend_lists_types_and_relations(page: str) -> None:
    data = extract_data(page)
    assert [t["name"] for t in data["types"]] == ["Paper", "Method", "Dataset", "Metric", "Task"]
    counts = {t["name"]: t["count"] for t in data["types"]}
    assert counts == {"Paper": 2, "Method": 2, "Dataset": 1, "Metric": 1, "Task": 1}
    rels = {r["name"]: r for r in data["relations"]}
    assert set(EDGE_STYLES) <= set(rels)
    assert rels["uses"]["count"] == 2 and rels["uses"]["in"] == "Used by"
    for hook in ('id="pg-types"', 'id="pg-relations"', 'id="pg-search"', 'id="pg-panel"'):
        assert hook in page


def test_physics_stops_after_stabilization(page: str) -> None:
    physics = extract_data(page)["vis"]["options"]["physics"]
    assert physics["solver"] in ("barnesHut", "forceAtlas2Based")
    assert physics["stabilization"]["iterations"] == 200
    js = app_script(page)
    assert '"stabilizationIterationsDone"' in js
    assert "setOptions({ physics: false })" in js


def test_short_label() -> None:
    assert short_label("Short  title\n") == "Short title"
    assert short_label("x" * 40) == "x" * 40
    assert short_label("x" * 41) == "x" * 40 + "…"
    assert short_label("word " * 20) == ("word " * 8).rstrip() + "…"


def test_node_payload_fields(kg: KnowledgeGraph) -> None:
    payload = node_payload(kg)
    assert payload["paper/long-000002"]["degree"] == 6
    assert payload["paper/long-000002"]["short"].endswith("…")
    assert "aliases" not in payload["method/adapters"]  # empty fields are left out
    assert payload["dataset/glue"] == {"type": "Dataset", "label": "GLUE", "short": "GLUE", "degree": 1}


def test_unknown_types_relations_and_dangling_edges() -> None:
    kg = KnowledgeGraph(
        papers=(Paper(key="paper/a", label="A", title="A", abstract="."),),
        entities=(Entity(key="model/x", type="Model", label="X"),),
        edges=(Edge("paper/a", "trains", "model/x"), Edge("paper/a", "uses", "method/missing")),
    )
    data = page_data(kg)
    assert [e["relation"] for e in data["edges"]] == ["trains"]  # the dangling edge is not drawn
    assert {"name": "Model", "shape": "hexagon", "color": "#9c9c9c", "count": 1} in data["types"]
    assert any(r["name"] == "trains" and r["count"] == 1 for r in data["relations"])
    assert data["meta"]["cutEdges"] == 1


def test_empty_graph() -> None:
    page = render_html(KnowledgeGraph())
    data = extract_data(page)
    assert data["nodes"] == {} and data["edges"] == [] and data["vis"]["nodes"] == []
    assert "showing" not in page


# ---- determinism ----------------------------------------------------------------------------
def test_deterministic(page: str) -> None:
    again = render_html(hostile_graph(), title="<script>alert('t')</script> papers")
    assert again == page


def test_edge_order_does_not_matter(kg: KnowledgeGraph) -> None:
    shuffled = KnowledgeGraph(papers=kg.papers[::-1], entities=kg.entities[::-1], edges=kg.edges[::-1])
    assert render_html(shuffled) == render_html(kg)


# ---- large graphs -----------------------------------------------------------------------------
def star_graph() -> KnowledgeGraph:
    """Degrees: method/h 5; method/b, method/c, paper/p0, paper/p1, paper/p2 3; method/d, p3, p4 2."""
    papers = tuple(Paper(key=f"paper/p{i}", label=f"P{i}", title=f"P{i}", abstract=".") for i in range(5))
    entities = tuple(Entity(key=f"method/{c}", type="Method", label=c.upper()) for c in "abcdhz")
    edges = [Edge(f"paper/p{i}", "uses", "method/h") for i in range(5)]
    edges += [Edge(f"paper/p{i}", "uses", "method/c") for i in range(3)]
    edges += [Edge(f"paper/p{i}", "uses", "method/b") for i in range(2, 5)]
    edges += [Edge("paper/p0", "compares-to", "method/d"), Edge("paper/p1", "compares-to", "method/d")]
    return KnowledgeGraph(papers=papers, entities=entities, edges=tuple(edges))


def test_select_nodes_by_degree_then_key() -> None:
    kg = star_graph()
    assert select_nodes(kg, 100) == sorted(kg.nodes)
    assert select_nodes(kg, 1) == ["method/h"]
    assert select_nodes(kg, 2) == ["method/b", "method/h"]  # five nodes tie at 3: the key decides
    assert select_nodes(kg, 4) == ["method/b", "method/c", "method/h", "paper/p0"]
    assert select_nodes(kg, 0) == []


def test_truncation_keeps_most_connected_and_says_so() -> None:
    kg = star_graph()
    page = render_html(kg, max_nodes=4)
    data = extract_data(page)
    assert sorted(data["nodes"]) == ["method/b", "method/c", "method/h", "paper/p0"]
    assert {n["id"] for n in data["vis"]["nodes"]} == set(data["nodes"])
    assert sorted((e["source"], e["target"]) for e in data["edges"]) == [
        ("paper/p0", "method/c"),
        ("paper/p0", "method/h"),
    ]
    assert data["meta"] == {
        "shownNodes": 4,
        "totalNodes": 11,
        "shownEdges": 2,
        "totalEdges": 13,
        "truncated": True,
        "cutEdges": 10,
    }
    assert [t["count"] for t in data["types"][:2]] == [1, 3]  # legend counts what is drawn
    note = re.search(r'<p class="pg-note" id="pg-note"([^>]*)>([^<]*)</p>', page)
    assert note and "hidden" not in note.group(1)
    assert note.group(2).startswith("showing 4 of 11 nodes")
    assert render_html(kg, max_nodes=4) == page


def test_no_note_when_everything_fits() -> None:
    page = render_html(star_graph())
    note = re.search(r'<p class="pg-note" id="pg-note"([^>]*)>([^<]*)</p>', page)
    assert note and "hidden" in note.group(1) and note.group(2) == ""


# ---- writing ----------------------------------------------------------------------------------
def test_write_html_atomic(tmp_path: Path, kg: KnowledgeGraph) -> None:
    target = tmp_path / "out" / "graph.html"
    assert write_html(kg, target) == target
    first = target.read_bytes()
    assert first.decode("utf-8") == render_html(kg)
    target.write_text("old", encoding="utf-8")
    assert kg.write_html(str(target)) == target
    assert target.read_bytes() == first
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.html"]  # no temp file left


def test_write_html_failure_leaves_old_file(
    tmp_path: Path, kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pg_html.os, "replace", boom)
    with pytest.raises(OSError):
        write_html(kg, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_inline_js_cannot_close_its_element() -> None:
    js = pg_html._inline_js('x="</SCRIPT>";y="<script>";z="<!--";')
    assert not re.search(r"</script|<script|<!--", js, re.I)


@pytest.mark.skipif(shutil.which("node") is None, reason="node.js not installed")
def test_viewer_script_is_valid_javascript(page: str, tmp_path: Path) -> None:
    script = tmp_path / "viewer.js"
    script.write_text(app_script(page), encoding="utf-8")
    result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
