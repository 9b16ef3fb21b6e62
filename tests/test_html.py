"""Tests for the offline HTML viewer (``papergraph.export.html``); no browser, no network.

The page's behaviour in a real browser is tested in ``test_viewer_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from papergraph.export import html as pg_html
from papergraph.export.html import (
    EDGE_STYLES,
    NODE_STYLES,
    edge_rows,
    initial_count,
    node_payload,
    node_size,
    page_data,
    page_edges,
    rank_nodes,
    render_html,
    script_json,
    select_nodes,
    short_label,
    stabilization_iterations,
    write_html,
)
from papergraph.graph import KnowledgeGraph
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
    """Two papers, five entities, evidenced and derived edges, with markup in every text field."""
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


def keys(data: dict[str, Any]) -> list[str]:
    return [n["key"] for n in data["nodes"]]


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


def test_content_security_policy_allows_only_the_pages_scripts(page: str) -> None:
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert policy and page.index(policy.group(0)) < page.index("<script")
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"  # no fetch, XHR, frame, font or image from anywhere
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    hashes = re.findall(r"'sha256-([^']+)'", directives["script-src"])
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    digests = [base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts]
    assert hashes == digests


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
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in js
    assert "textContent" in js
    assert 'JSON.parse(document.getElementById("pg-data").textContent)' in js
    assert "title:" not in js  # vis-network's HTML tooltips are never given a text


def test_labels_are_plain_text(page: str) -> None:
    options = extract_data(page)["options"]
    assert options["nodes"]["font"]["multi"] is False
    assert options["edges"]["font"]["multi"] is False


# ---- the data block -------------------------------------------------------------------------
def test_data_block_holds_every_node(page: str, kg: KnowledgeGraph) -> None:
    data = extract_data(page)
    nodes = {n["key"]: n for n in data["nodes"]}
    assert len(nodes) == len(data["nodes"]) == len(kg.nodes)
    assert set(nodes) == set(kg.nodes)
    for key, node in kg.nodes.items():
        assert nodes[key]["type"] == kg.node_type(key)
        assert nodes[key].get("label", nodes[key].get("title")) == node.label
    assert "label" not in nodes["paper/hostile-000001"]  # a paper's label is its title: not repeated
    assert nodes["paper/long-000002"]["label"] == "Long"
    paper = nodes["paper/hostile-000001"]
    assert paper["title"] == HOSTILE_TITLE
    assert paper["abstract"] == HOSTILE_ABSTRACT
    assert paper["identifiers"] == ["arXiv:2401.00001", "doi:10.1/<x>"]
    assert paper["date"] == "2024-01-02"
    assert paper["authors"] == ["Ann <i>A</i>", "Bob"]
    lora = nodes["method/lora"]
    assert lora["aliases"] == ["LoRA", "<svg onload=x>"]
    assert lora["broader"] == "method/adapters"
    assert nodes["paper/long-000002"]["abstract"].endswith("accuracy.\u2028Next line.")
    assert data["initial"] == len(kg.nodes)  # everything fits: everything is drawn


def test_data_block_holds_every_edge(page: str, kg: KnowledgeGraph) -> None:
    data = extract_data(page)
    edges = page_edges(data)
    want = sorted((e.source, e.relation, e.target) for e in kg.edges)
    assert sorted((e["source"], e["relation"], e["target"]) for e in edges) == want
    assert [e["id"] for e in edges] == list(range(len(kg.edges)))
    proposes = next(e for e in edges if e["relation"] == "proposes")
    assert proposes["sentence"] == "We propose LoRA."
    assert proposes["mention"] == "LoRA"
    assert proposes["paper"] == "paper/hostile-000001"
    cites = next(e for e in edges if e["relation"] == "cites")
    assert "sentence" not in cites and "paper" not in cites
    builds = next(e for e in edges if e["relation"] == "builds-on")
    assert builds["paper"] == "paper/long-000002" and "sentence" not in builds


def test_edge_rows_are_compact_and_sentences_point_into_the_abstract(kg: KnowledgeGraph) -> None:
    order = rank_nodes(kg)
    relations = list(EDGE_STYLES)
    rows, texts = edge_rows(kg, order, relations)
    lengths = {(order[r[0]], relations[r[1]], order[r[2]]): r for r in rows}
    # an evidenced edge stated by its source: no paper field, sentence offsets into title + abstract
    uses = lengths[("paper/long-000002", "uses", "method/lora")]
    assert len(uses) == 7
    doc = f"{LONG_TITLE}\n{kg.nodes['paper/long-000002'].abstract}"
    assert doc[uses[3] : uses[4]] == "We use LoRA on GLUE and report accuracy."
    assert len(lengths[("paper/long-000002", "cites", "paper/hostile-000001")]) == 3
    # no evidence but a stating paper: the paper is written out
    builds = lengths[("paper/long-000002", "builds-on", "paper/hostile-000001")]
    assert builds[3:] == [-1, -1, -1, -1, order.index("paper/long-000002")]
    # a sentence that is not in the paper's text goes to the texts table
    glue = lengths[("paper/long-000002", "uses", "dataset/glue")]
    assert glue[3] == -2 and texts[glue[4]] == "We use LoRA on GLUE and report </script> accuracy."


def test_mention_only_when_the_span_matches(kg: KnowledgeGraph) -> None:
    edges = {(e["relation"], e["target"]): e for e in page_edges(page_data(kg))}
    assert edges[("uses", "method/lora")]["mention"] == "LoRA"  # offset within title + "\n" + abstract
    assert "mention" not in edges[("uses", "dataset/glue")]  # span 0:1 is "S", not in the sentence


def test_offsets_count_utf16_units_and_untitled_papers() -> None:
    """JavaScript slices strings in UTF-16 units: an emoji before the sentence must not shift it."""
    abstract = "Great 😀 results 𝑥. We use LoRA here."
    start = abstract.index("LoRA")
    kg = KnowledgeGraph(
        papers=(
            Paper(key="paper/e", label="E", title="Emoji 😀 title", abstract=abstract),
            Paper(key="paper/u", label="U", title=None, abstract=abstract),
        ),
        entities=(Entity(key="method/lora", type="Method", label="LoRA"),),
        edges=(
            Edge(
                "paper/e",
                "uses",
                "method/lora",
                Evidence(
                    "We use LoRA here.", len("Emoji 😀 title\n") + start, len("Emoji 😀 title\n") + start + 4
                ),
                "paper/e",
            ),
            # without a title the extractor's text was the abstract alone
            Edge(
                "paper/u", "uses", "method/lora", Evidence("We use LoRA here.", start, start + 4), "paper/u"
            ),
        ),
    )
    data = page_data(kg)
    for edge in page_edges(data):
        assert edge["sentence"] == "We use LoRA here."
        assert edge["mention"] == "LoRA"
    row = next(r for r in data["edges"] if data["nodes"][r[0]]["key"] == "paper/e")
    doc = "Emoji 😀 title\n" + abstract
    assert row[3] == len(doc.encode("utf-16-le")) // 2 - len("We use LoRA here.")  # UTF-16 offset


def test_sentences_of_edges_stated_elsewhere_or_by_no_paper() -> None:
    a_text = "A\nWe use LoRA."
    b_text = "B\nPrior work used LoRA widely."
    kg = KnowledgeGraph(
        papers=(
            Paper(key="paper/a", label="A", title="A", abstract="We use LoRA."),
            Paper(key="paper/b", label="B", title="B", abstract="Prior work used LoRA widely."),
        ),
        entities=(
            Entity(key="method/lora", type="Method", label="LoRA"),
            Entity(key="method/x", type="Method", label="X"),
        ),
        edges=(
            # evidence but no stating paper: the offsets point into the source's text
            Edge("paper/a", "uses", "method/lora", Evidence("We use LoRA.", a_text.index("LoRA"), 13)),
            # stated by a third node
            Edge(
                "method/lora",
                "broader",
                "method/x",
                Evidence("Prior work used LoRA widely.", b_text.index("LoRA"), b_text.index("LoRA") + 4),
                "paper/b",
            ),
        ),
    )
    edges = {e["relation"]: e for e in page_edges(page_data(kg))}
    assert edges["uses"]["sentence"] == "We use LoRA." and edges["uses"]["mention"] == "LoRA"
    assert "paper" not in edges["uses"]
    assert edges["broader"]["sentence"] == "Prior work used LoRA widely."
    assert edges["broader"]["paper"] == "paper/b" and edges["broader"]["mention"] == "LoRA"
    # paper/b (no links of its own) ranks last: left out of the page, its sentence is kept as text
    data = page_data(kg, embed_nodes=3)
    assert "paper/b" not in keys(data)
    broader = next(e for e in page_edges(data) if e["relation"] == "broader")
    assert broader["sentence"] == "Prior work used LoRA widely." and "paper" not in broader
    assert data["texts"] == ["Prior work used LoRA widely."]


def test_node_payload_fields(kg: KnowledgeGraph) -> None:
    payload = {n["key"]: n for n in node_payload(kg)}
    assert payload["paper/long-000002"]["degree"] == 6
    assert payload["paper/long-000002"]["short"] == short_label(LONG_TITLE)
    assert payload["paper/long-000002"]["short"].endswith("…")
    assert "short" not in payload["paper/hostile-000001"]  # the title fits: the label is shown
    assert "aliases" not in payload["method/adapters"]  # empty fields are left out
    assert payload["dataset/glue"] == {"key": "dataset/glue", "type": "Dataset", "label": "GLUE", "degree": 1}
    assert [n["key"] for n in node_payload(kg)] == rank_nodes(kg)


def test_node_size_grows_with_degree_and_is_capped() -> None:
    sizes = [node_size(d) for d in (0, 1, 5, 20, 80, 1000)]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    assert sizes[0] == 10.0 and sizes[-1] == 48.0
    assert "Math.min(10 + 4 * Math.sqrt(degree), 48)" in render_html(KnowledgeGraph())


def test_legend_lists_types_and_relations(page: str) -> None:
    data = extract_data(page)
    assert [t["name"] for t in data["types"]] == ["Paper", "Method", "Dataset", "Metric", "Task"]
    assert {t["name"]: (t["shape"], t["color"]) for t in data["types"]} == {
        t: (s["shape"], s["color"]) for t, s in NODE_STYLES.items()
    }
    counts = {t["name"]: t["count"] for t in data["types"]}
    assert counts == {"Paper": 2, "Method": 2, "Dataset": 1, "Metric": 1, "Task": 1}
    rels = {r["name"]: r for r in data["relations"]}
    assert set(EDGE_STYLES) <= set(rels)
    assert rels["uses"]["count"] == 2 and rels["uses"]["in"] == "Used by"
    assert rels["uses"]["color"] == EDGE_STYLES["uses"]["color"]
    assert len({s["color"] for s in EDGE_STYLES.values()}) == len(EDGE_STYLES)
    for hook in ('id="pg-types"', 'id="pg-relations"', 'id="pg-search"', 'id="pg-panel"', 'id="pg-more"'):
        assert hook in page


def test_physics_stops_after_stabilization(page: str) -> None:
    physics = extract_data(page)["options"]["physics"]
    assert physics["solver"] in ("barnesHut", "forceAtlas2Based")
    assert physics["stabilization"]["iterations"] == stabilization_iterations(7)
    js = app_script(page)
    assert '"stabilizationIterationsDone"' in js
    assert "setOptions({ physics: { enabled: false } })" in js


def test_fewer_layout_iterations_for_bigger_graphs() -> None:
    counts = [stabilization_iterations(n) for n in (10, 500, 1000, 2000, 5000, 20000)]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 200 and counts[-1] == 60


def test_short_label() -> None:
    assert short_label("Short  title\n") == "Short title"
    assert short_label("x" * 40) == "x" * 40
    assert short_label("x" * 41) == "x" * 40 + "…"
    assert short_label("word " * 20) == ("word " * 8).rstrip() + "…"


def test_unknown_types_relations_and_dangling_edges() -> None:
    kg = KnowledgeGraph(
        papers=(Paper(key="paper/a", label="A", title="A", abstract="."),),
        entities=(Entity(key="model/x", type="Model", label="X"),),
        edges=(Edge("paper/a", "trains", "model/x"), Edge("paper/a", "uses", "method/missing")),
    )
    data = page_data(kg)
    assert [e["relation"] for e in page_edges(data)] == ["trains"]  # the dangling edge is not drawn
    assert {"name": "Model", "shape": "hexagon", "color": "#9c9c9c", "count": 1} in data["types"]
    assert any(r["name"] == "trains" and r["count"] == 1 for r in data["relations"])
    assert data["meta"]["totalEdges"] == 1


def test_cited_works_outside_the_input_are_nodes() -> None:
    from papergraph.model import ExternalWork

    kg = KnowledgeGraph(
        papers=(Paper(key="paper/a", label="A", title="A", abstract="."),),
        edges=(Edge("paper/a", "cites", "work/arxiv-2106.09685"),),
        works=(
            ExternalWork(
                key="work/arxiv-2106.09685", label="LoRA (Hu et al.)", identifiers=("arXiv:2106.09685",)
            ),
        ),
    )
    data = page_data(kg)
    work = next(n for n in data["nodes"] if n["key"] == "work/arxiv-2106.09685")
    assert work["type"] == "Cited work" and work["identifiers"] == ["arXiv:2106.09685"]
    assert [(e["source"], e["target"]) for e in page_edges(data)] == [("paper/a", "work/arxiv-2106.09685")]


def test_empty_graph() -> None:
    page = render_html(KnowledgeGraph())
    data = extract_data(page)
    assert data["nodes"] == [] and data["edges"] == [] and data["initial"] == 0
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
    """Degrees: method/h 5; method/b, method/c, paper/p0, paper/p1, paper/p2 3; method/d, p3, p4 2;
    method/a, method/z 0."""
    papers = tuple(Paper(key=f"paper/p{i}", label=f"P{i}", title=f"P{i}", abstract=".") for i in range(5))
    entities = tuple(Entity(key=f"method/{c}", type="Method", label=c.upper()) for c in "abcdhz")
    edges = [Edge(f"paper/p{i}", "uses", "method/h") for i in range(5)]
    edges += [Edge(f"paper/p{i}", "uses", "method/c") for i in range(3)]
    edges += [Edge(f"paper/p{i}", "uses", "method/b") for i in range(2, 5)]
    edges += [Edge("paper/p0", "compares-to", "method/d"), Edge("paper/p1", "compares-to", "method/d")]
    return KnowledgeGraph(papers=papers, entities=entities, edges=tuple(edges))


def test_rank_grows_the_most_connected_part() -> None:
    kg = star_graph()
    # h has the most links; then, among the nodes linked to those ranked, the most linked (ties:
    # key): method/b (3 links) waits until a paper using it is ranked; unlinked nodes come last
    assert rank_nodes(kg) == [
        "method/h",
        "paper/p0",
        "method/c",
        "paper/p1",
        "paper/p2",
        "method/b",
        "method/d",
        "paper/p3",
        "paper/p4",
        "method/a",
        "method/z",
    ]
    assert select_nodes(kg, 100) == sorted(kg.nodes)
    assert select_nodes(kg, 1) == ["method/h"]
    assert select_nodes(kg, 4) == ["method/c", "method/h", "paper/p0", "paper/p1"]
    assert select_nodes(kg, 0) == []


def test_rank_from_a_focus_goes_ring_by_ring() -> None:
    order = rank_nodes(star_graph(), focus="method/d")
    assert order == [
        "method/d",  # the focus
        "paper/p0",  # 1 hop
        "paper/p1",
        "method/h",  # 2 hops, the most connected first
        "method/c",
        "paper/p2",  # 3 hops
        "paper/p3",
        "paper/p4",
        "method/b",  # 4 hops
        "method/a",  # unreachable
        "method/z",
    ]
    with pytest.raises(KeyError):
        rank_nodes(star_graph(), focus="method/nope")


def test_initial_count_respects_nodes_and_edges() -> None:
    assert initial_count([0, 1, 1, 2, 2], max_nodes=3, max_edges=100) == 3
    assert initial_count([0, 1, 1, 2, 2], max_nodes=10, max_edges=3) == 3
    assert initial_count([0, 1, 1, 2, 2], max_nodes=10, max_edges=4) == 4
    assert initial_count([0, 50], max_nodes=10, max_edges=3) == 1  # the first node always
    assert initial_count([], max_nodes=10, max_edges=3) == 0


def test_truncation_draws_the_first_ranked_and_embeds_everything() -> None:
    kg = star_graph()
    page = render_html(kg, max_nodes=4)
    data = extract_data(page)
    assert keys(data) == rank_nodes(kg)  # every node is in the page, in rank order
    assert data["initial"] == 4 and data["more"] > 0
    drawn = set(keys(data)[:4])
    assert drawn == {"method/h", "paper/p0", "method/c", "paper/p1"}
    assert len(page_edges(data)) == len(kg.edges)
    assert data["meta"] == {
        "totalNodes": 11,
        "totalEdges": 13,
        "embeddedNodes": 11,
        "embeddedEdges": 13,
        "initialNodes": 4,
        "initialEdges": 4,  # p0 and p1 use h and c; d, which they compare to, is not drawn
    }
    assert [t["count"] for t in data["types"][:2]] == [5, 6]  # the legend counts the whole graph
    note = re.search(r'<p class="pg-note" id="pg-note"([^>]*)>([^<]*)</p>', page)
    assert note and "hidden" not in note.group(1)
    assert note.group(2).startswith("showing 4 of 11 nodes")
    assert render_html(kg, max_nodes=4) == page


def test_edge_budget_limits_the_first_drawing() -> None:
    kg = star_graph()
    data = page_data(kg, max_nodes=100, max_edges=2)
    # h (0 edges to earlier nodes), p0 (+1), c (+1); p1 would bring 2 more
    assert data["initial"] == 3
    assert data["meta"]["initialEdges"] == 2


def test_embed_limit_keeps_the_most_connected() -> None:
    kg = star_graph()
    data = page_data(kg, max_nodes=2, embed_nodes=5)
    assert keys(data) == rank_nodes(kg)[:5]
    embedded = set(keys(data))
    assert len(data["edges"]) == sum(1 for e in kg.edges if e.source in embedded and e.target in embedded)
    assert data["meta"]["embeddedNodes"] == 5 and data["meta"]["totalNodes"] == 11


def test_focus_page_ranks_from_the_focus() -> None:
    data = page_data(star_graph(), focus="method/d")
    assert data["focus"] == "method/d" and keys(data)[0] == "method/d"


def test_no_note_when_everything_fits() -> None:
    page = render_html(star_graph())
    note = re.search(r'<p class="pg-note" id="pg-note"([^>]*)>([^<]*)</p>', page)
    assert note and "hidden" in note.group(1) and note.group(2) == ""


def test_html_stays_compact_on_the_reference_corpus(corpus_graph: KnowledgeGraph) -> None:
    page = render_html(corpus_graph)
    data = extract_data(page)
    assert len(data["nodes"]) == len(corpus_graph.nodes)
    # the evidence sentences are slices of the abstracts, not copies: no texts table needed
    assert data["texts"] == []
    size = len(page.encode("utf-8"))
    abstracts = sum(len(p.abstract.encode("utf-8")) for p in corpus_graph.papers)
    assert size < 700_000 + 3 * abstracts, size  # vis-network is ~480 kB


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
