"""The viewer in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

Never a browser download: Playwright only drives the system's Chromium through
``executable_path``. Without Chromium or Playwright the module is skipped, except under ``CI=true``
where that is a failure (the browser tests must run in CI; ``.ci/run`` installs both).

Each test opens a page from ``file://`` with every request other than the page itself and
``data:`` URLs recorded and aborted, and collects console errors, page errors and dialogs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from conftest import unavailable

from papergraph.export.html import NODE_STYLES, graph_nodes, rank_nodes, write_html
from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, Entity, Evidence, Paper

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    unavailable("playwright (the Python package) is not installed", "the browser tests")
if CHROMIUM is None:  # pragma: no cover - depends on the environment
    unavailable("Debian's chromium is not installed (/usr/bin/chromium)", "the browser tests")

# ---- the hostile page: markup in every text, and offsets after an astral-plane character ----------
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_ABSTRACT = "😀 We propose LoRA. </script><script>alert(2)</script> Fast."
HOSTILE_ALIAS = '"><svg onload=alert(3)>'


def hostile_graph() -> KnowledgeGraph:
    text = f"{HOSTILE_TITLE}\n{HOSTILE_ABSTRACT}"
    start = text.index("LoRA")
    return KnowledgeGraph(
        papers=(
            Paper(
                key="paper/hostile",
                label=HOSTILE_TITLE,
                title=HOSTILE_TITLE,
                abstract=HOSTILE_ABSTRACT,
                authors=("<b>Ann</b>",),
                url="javascript:alert(4)",
            ),
        ),
        entities=(
            Entity(key="method/lora", type="Method", label="LoRA <i>v2</i>", aliases=(HOSTILE_ALIAS,)),
            Entity(key="dataset/x", type="Dataset", label="</script><script>alert(5)</script>"),
        ),
        edges=(
            Edge(
                "paper/hostile",
                "proposes",
                "method/lora",
                Evidence("We propose LoRA.", start, start + 4),
                "paper/hostile",
            ),
            Edge("paper/hostile", "uses", "dataset/x"),
        ),
    )


# ---- driving the browser ----------------------------------------------------------------------------
class Viewer:
    """One page of the viewer, with everything it did that a test may want to forbid."""

    def __init__(self, page: Page, path: Path) -> None:
        self.page = page
        self.url = path.resolve().as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on(
            "console",
            lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("dialog", self._dialog)
        page.on("request", self._request)
        page.route("**/*", self._route)
        page.goto(self.url)
        self.wait("window.papergraph && window.papergraph.ready")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _foreign(self, url: str) -> bool:
        return url != self.url and not url.startswith("data:")

    def _request(self, request: Any) -> None:
        if self._foreign(request.url):
            self.requests.append(request.url)

    def _route(self, route: Any) -> None:
        if self._foreign(route.request.url):
            route.abort()
        else:
            route.continue_()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def wait(self, expression: str, arg: Any = None, timeout: float = 90) -> None:
        """Poll ``expression`` until it is truthy (``wait_for_function`` would need ``eval``, which
        the page's Content-Security-Policy forbids)."""
        deadline = time.monotonic() + timeout
        while not self.js(expression, arg):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            self.page.wait_for_timeout(40)

    def laid_out(self) -> None:
        """Wait until the layout after drawing more nodes is done and physics is off again."""
        self.wait("!papergraph.busy && !papergraph.network.physics.physicsEnabled")

    def drawn(self) -> list[str]:
        return self.js("papergraph.nodes.getIds()")

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.requests == []
        assert self.dialogs == []

    def click_node(self, key: str) -> None:
        """Zoom onto node ``key`` and click it with the mouse."""
        self.js(
            "k => papergraph.network.moveTo({position: papergraph.network.getPosition(k), scale: 2.5})",
            key,
        )
        self.page.wait_for_timeout(100)
        box = self.page.locator("#pg-graph canvas").bounding_box()
        at = self.js("k => papergraph.network.canvasToDOM(papergraph.network.getPosition(k))", key)
        self.page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def open_viewer(browser: Browser) -> Iterator[Any]:
    contexts = []

    def open_(path: Path, *, bypass_csp: bool = False) -> Viewer:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp)
        contexts.append(context)
        return Viewer(context.new_page(), path)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def reference(corpus_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference corpus's viewer, as ``papergraph build`` writes it."""
    return write_html(corpus_graph, tmp_path_factory.mktemp("viewer") / "graph.html")


@pytest.fixture(scope="module")
def reference_truncated(corpus_graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same graph, opening on its 300 most connected nodes."""
    return write_html(corpus_graph, tmp_path_factory.mktemp("viewer") / "graph-300.html", max_nodes=300)


def flat(text: str) -> str:
    """``text`` with runs of white space as one space (what ``inner_text`` shows of normal text)."""
    return " ".join(text.split())


def evidenced_papers(kg: KnowledgeGraph) -> dict[str, Edge]:
    """Papers with a title and an edge they state with an evidence sentence: key -> that edge."""
    out: dict[str, Edge] = {}
    for paper in kg.papers:
        edges = [e for e in kg.edges_of(paper.key) if e.evidence and e.source == paper.key]
        if paper.title and edges:
            out[paper.key] = edges[0]
    return out


def clickable(viewer: Viewer, candidates: list[str]) -> str:
    """The candidate node farthest from any other node on the canvas (so a click hits it alone)."""
    return viewer.js(
        """keys => {
            const pos = papergraph.network.getPositions();
            const all = Object.entries(pos);
            let best = null, bestGap = -1;
            for (const k of keys) {
                let gap = Infinity;
                for (const [o, p] of all) {
                    if (o !== k) { gap = Math.min(gap, Math.hypot(p.x - pos[k].x, p.y - pos[k].y)); }
                }
                if (gap > bestGap) { best = k; bestGap = gap; }
            }
            return best;
        }""",
        candidates,
    )


# ---- the reference corpus ---------------------------------------------------------------------------
def test_loads_offline_without_errors_and_draws_every_node(
    open_viewer, reference: Path, corpus_graph: KnowledgeGraph
) -> None:
    viewer = open_viewer(reference)
    nodes = graph_nodes(corpus_graph)
    drawable = [e for e in corpus_graph.edges if e.source in nodes and e.target in nodes]
    assert len(nodes) < 2000 and len(drawable) < 8000  # under the thresholds: everything is drawn
    assert viewer.js("papergraph.nodes.length") == len(nodes)
    assert set(viewer.drawn()) == set(nodes)
    assert viewer.js("papergraph.edges.length") == len(drawable)
    assert viewer.js("papergraph.network.physics.physicsEnabled") is False  # stabilised once, then off
    assert viewer.js("performance.getEntriesByName('pg-interactive').length") == 1
    shown = viewer.js("papergraph.nodes.get().map(n => [n.id, n.shape, n.color, n.size, 'title' in n])")
    degree = {n["key"]: n["degree"] for n in viewer.js("papergraph.data.nodes")}
    for key, shape, color, _size, has_title in shown:
        style = NODE_STYLES[corpus_graph.node_type(key)]
        assert (shape, color, has_title) == (style["shape"], style["color"], False)
    sizes = {key: size for key, _, _, size, _ in shown}
    hub = max(degree, key=degree.get)
    leaf = min(degree, key=degree.get)
    assert sizes[hub] > sizes[leaf]
    assert viewer.page.inner_text("#pg-counts") == f"{len(nodes):,} nodes, {len(drawable):,} edges shown"
    assert viewer.page.is_hidden("#pg-more") and viewer.page.is_hidden("#pg-note")
    viewer.assert_clean()


def test_search_finds_a_paper_by_title_and_selects_it(
    open_viewer, reference: Path, corpus_graph: KnowledgeGraph
) -> None:
    paper = next(p for p in corpus_graph.papers if p.title == "Higher Layers Need More LoRA Experts")
    viewer = open_viewer(reference)
    viewer.page.fill("#pg-search", "higher layers need more")
    first = viewer.page.locator("#pg-results li button").first
    assert first.inner_text().startswith(paper.title)
    viewer.page.press("#pg-search", "Enter")
    viewer.wait("papergraph.network.getSelectedNodes().length === 1")
    assert viewer.js("papergraph.network.getSelectedNodes()") == [paper.key]
    assert viewer.page.inner_text("#pg-panel h2") == paper.title
    assert flat(paper.abstract)[:80] in flat(viewer.page.inner_text("#pg-panel .pg-abstract"))
    viewer.assert_clean()


def test_search_by_alias_and_neighbourhood_highlight(
    open_viewer, reference: Path, corpus_graph: KnowledgeGraph
) -> None:
    entity = next(
        e for e in corpus_graph.entities if e.aliases and len(list(corpus_graph.edges_of(e.key))) > 1
    )
    alias = entity.aliases[0]
    viewer = open_viewer(reference)
    viewer.page.fill("#pg-search", alias)
    viewer.page.press("#pg-search", "Enter")
    viewer.wait("papergraph.network.getSelectedNodes().length === 1")
    selected = viewer.js("papergraph.network.getSelectedNodes()[0]")
    assert alias.casefold() in [a.casefold() for a in corpus_graph.nodes[selected].aliases] + [
        corpus_graph.nodes[selected].label.casefold()
    ]
    neighbours = {e.target if e.source == selected else e.source for e in corpus_graph.edges_of(selected)}
    colors = dict(viewer.js("papergraph.nodes.get().map(n => [n.id, n.color])"))
    for key, color in colors.items():
        lit = key == selected or key in neighbours
        assert (color == NODE_STYLES[corpus_graph.node_type(key)]["color"]) is lit, key
    labelled = viewer.js("papergraph.edges.get().filter(e => e.label).length")
    assert labelled == len(
        list(corpus_graph.edges_of(selected))
    )  # only the selection's edges say what they are
    viewer.js("document.activeElement.blur()")  # Escape in the search box only closes its list
    viewer.page.keyboard.press("Escape")
    viewer.wait("papergraph.network.getSelectedNodes().length === 0")
    colors = dict(viewer.js("papergraph.nodes.get().map(n => [n.id, n.color])"))
    assert all(c == NODE_STYLES[corpus_graph.node_type(k)]["color"] for k, c in colors.items())
    viewer.assert_clean()


def test_type_filter_hides_nodes_and_their_edges(
    open_viewer, reference: Path, corpus_graph: KnowledgeGraph
) -> None:
    methods = {e.key for e in corpus_graph.entities if e.type == "Method"}
    viewer = open_viewer(reference)
    viewer.page.uncheck("#pg-types input[value='Method']")
    hidden = set(viewer.js("papergraph.nodes.get({filter: n => n.hidden}).map(n => n.id)"))
    assert hidden == methods
    edges = viewer.js("papergraph.edges.get().map(e => [e.from, e.to, !!e.hidden])")
    assert all(h == (a in methods or b in methods) for a, b, h in edges)
    shown = len(graph_nodes(corpus_graph)) - len(methods)
    assert viewer.page.inner_text("#pg-counts").startswith(f"{shown:,} nodes")
    viewer.page.check("#pg-types input[value='Method']")
    assert viewer.js("papergraph.nodes.get({filter: n => n.hidden}).length") == 0
    viewer.assert_clean()


def test_relation_filter_hides_edges(open_viewer, reference: Path) -> None:
    viewer = open_viewer(reference)
    viewer.page.uncheck("#pg-relations input[value='uses']")
    rows = viewer.js("papergraph.edges.get().map(e => [papergraph.edgeOf(e.id).relation, !!e.hidden])")
    assert any(r == "uses" for r, _ in rows)
    assert all(hidden == (relation == "uses") for relation, hidden in rows)
    assert viewer.js("papergraph.nodes.get({filter: n => n.hidden}).length") == 0
    viewer.assert_clean()


def test_click_on_a_node_opens_the_panel_with_its_evidence(
    open_viewer, reference: Path, corpus_graph: KnowledgeGraph
) -> None:
    stated = evidenced_papers(corpus_graph)
    viewer = open_viewer(reference)
    paper = corpus_graph.nodes[clickable(viewer, sorted(stated))]
    edge = stated[paper.key]
    viewer.click_node(paper.key)
    viewer.wait("papergraph.network.getSelectedNodes().length === 1")
    assert viewer.js("papergraph.network.getSelectedNodes()") == [paper.key]
    panel = viewer.page.locator("#pg-panel")
    assert panel.locator("h2").inner_text() == paper.title
    quotes = panel.locator("blockquote").all_inner_texts()
    assert flat(edge.evidence.sentence) in quotes
    sentences = {flat(e.evidence.sentence) for e in corpus_graph.edges_of(paper.key) if e.evidence}
    assert set(quotes) <= sentences
    marks = panel.locator("blockquote mark").all_inner_texts()
    assert marks and all(any(m in s for s in sentences) for m in marks)
    target = corpus_graph.nodes[edge.target]
    assert flat(getattr(target, "title", None) or target.label) in flat(
        " ".join(panel.locator(".pg-edges").all_inner_texts())
    )
    viewer.assert_clean()


# ---- big graphs: the most connected part first, and more on demand -----------------------------------
def test_show_more_draws_the_next_most_connected(
    open_viewer, reference_truncated: Path, corpus_graph: KnowledgeGraph
) -> None:
    order = rank_nodes(corpus_graph)
    viewer = open_viewer(reference_truncated)
    assert viewer.drawn() == order[:300]
    note = viewer.page.inner_text("#pg-note")
    assert note.startswith(f"Showing 300 of {len(order):,} nodes")
    assert viewer.page.inner_text("#pg-more") == "Show 500 more"
    before = viewer.js("papergraph.network.getPositions()")
    viewer.page.click("#pg-more")
    viewer.wait("papergraph.nodes.length === 800")
    viewer.laid_out()
    assert set(viewer.drawn()) == set(order[:800])
    drawn = set(order[:800])
    among = sum(1 for e in corpus_graph.edges if e.source in drawn and e.target in drawn)
    assert viewer.js("papergraph.edges.length") == among
    after = viewer.js("papergraph.network.getPositions()")
    moved = max(abs(after[k]["x"] - p["x"]) + abs(after[k]["y"] - p["y"]) for k, p in before.items())
    assert moved < 1  # what was drawn stays where it was; only the new nodes are laid out
    assert viewer.page.inner_text("#pg-note").startswith(f"Showing 800 of {len(order):,}")
    rest = len(order) - 800
    assert viewer.page.inner_text("#pg-more") == f"Show {min(rest, 500)} more"
    viewer.assert_clean()


def test_search_draws_a_node_that_is_not_drawn_yet(
    open_viewer, reference_truncated: Path, corpus_graph: KnowledgeGraph
) -> None:
    order = rank_nodes(corpus_graph)
    labels = [corpus_graph.nodes[k].label for k in order]
    key = next(
        k
        for k in order[300:]
        if labels.count(corpus_graph.nodes[k].label) == 1 and len(corpus_graph.nodes[k].label) > 6
    )
    viewer = open_viewer(reference_truncated)
    assert key not in viewer.drawn()
    viewer.page.fill("#pg-search", corpus_graph.nodes[key].label)
    assert "(not drawn)" in viewer.page.locator("#pg-results li button").first.inner_text()
    viewer.page.press("#pg-search", "Enter")
    viewer.wait("k => papergraph.network.getSelectedNodes()[0] === k", key)
    assert key in viewer.drawn() and len(viewer.drawn()) == 301
    assert viewer.page.inner_text("#pg-panel h2") == (
        getattr(corpus_graph.nodes[key], "title", None) or corpus_graph.nodes[key].label
    )
    viewer.assert_clean()


def test_draw_the_neighbours_of_the_selection(
    open_viewer, reference_truncated: Path, corpus_graph: KnowledgeGraph
) -> None:
    order = rank_nodes(corpus_graph)
    first = set(order[:300])

    def neighbours(key: str) -> set[str]:
        return {e.target if e.source == key else e.source for e in corpus_graph.edges_of(key)}

    key = next(k for k in order[:300] if neighbours(k) - first)
    missing = neighbours(key) - first
    viewer = open_viewer(reference_truncated)
    viewer.js("k => papergraph.selectNode(k)", key)
    button = viewer.page.locator("#pg-panel .pg-actions button")
    assert button.inner_text() == f"Draw its {len(missing)} neighbour{'s' * (len(missing) > 1)} not drawn yet"
    button.click()
    viewer.wait("n => papergraph.nodes.length === n", 300 + len(missing))
    viewer.laid_out()
    assert set(viewer.drawn()) == first | missing
    assert viewer.js("papergraph.network.getSelectedNodes()") == [key]
    assert viewer.page.locator("#pg-panel .pg-actions").count() == 0  # nothing left to draw
    viewer.assert_clean()


def test_edge_panel_shows_the_evidence(open_viewer, reference: Path, corpus_graph: KnowledgeGraph) -> None:
    viewer = open_viewer(reference)
    edge_id = viewer.js("papergraph.edges.getIds().find(e => papergraph.edgeOf(e).sentence)")
    edge = viewer.js("e => papergraph.edgeOf(e)", edge_id)
    viewer.js("e => papergraph.selectEdge(e)", edge_id)
    panel = viewer.page.locator("#pg-panel")
    assert panel.locator(".pg-badge").inner_text() == edge["relation"]
    assert panel.locator("blockquote").inner_text() == flat(edge["sentence"])
    stated = [
        e
        for e in corpus_graph.edges
        if (e.source, e.relation, e.target) == (edge["source"], edge["relation"], edge["target"])
        and e.evidence
    ]
    assert edge["sentence"] in {e.evidence.sentence for e in stated}
    viewer.assert_clean()


def test_focus_page_opens_on_the_focus(
    open_viewer, corpus_graph: KnowledgeGraph, tmp_path: Path, capsys
) -> None:
    from papergraph.cli import main

    ttl = corpus_graph.write_turtle(tmp_path / "graph.ttl")
    out = tmp_path / "lora.html"
    assert main(["view", str(ttl), "--focus", "LoRA", "--hops", "2", "--out", str(out)]) == 0
    capsys.readouterr()
    (lora,) = corpus_graph.find("LoRA")
    sub = corpus_graph.neighbourhood(lora.key, 2)
    viewer = open_viewer(out)
    viewer.wait("papergraph.network.getSelectedNodes().length === 1")
    assert viewer.js("papergraph.network.getSelectedNodes()") == [lora.key]
    assert viewer.page.inner_text("#pg-panel h2") == lora.label
    assert set(viewer.drawn()) == set(graph_nodes(sub))
    viewer.assert_clean()


# ---- hostile input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "text-only-rendering-alone"])
def test_hostile_text_shows_literally_and_runs_nothing(open_viewer, tmp_path: Path, bypass_csp: bool) -> None:
    """Every text is rendered as text; with the Content-Security-Policy switched off too."""
    page_file = write_html(hostile_graph(), tmp_path / "hostile.html", title="<script>alert(6)</script>")
    viewer = open_viewer(page_file, bypass_csp=bypass_csp)
    page = viewer.page
    # search by the hostile alias: the result list shows the entity's label as text
    page.fill("#pg-search", '"><svg')
    assert page.locator("#pg-results li button").first.inner_text().startswith("LoRA <i>v2</i>")
    # the paper: hover (tooltip), click (panel with title, authors, abstract, evidence)
    viewer.click_node("paper/hostile")
    viewer.wait("papergraph.network.getSelectedNodes().length === 1")
    panel = page.locator("#pg-panel")
    assert panel.locator("h2").inner_text() == HOSTILE_TITLE
    assert panel.locator(".pg-abstract").inner_text() == HOSTILE_ABSTRACT
    assert "<b>Ann</b>" in panel.inner_text()
    assert panel.locator("a").count() == 0  # the javascript: URL is shown, not a link
    assert "javascript:alert(4)" in panel.locator(".pg-fields").inner_text()
    assert panel.locator("blockquote").first.inner_text() == "We propose LoRA."
    assert panel.locator("blockquote mark").first.inner_text() == "LoRA"  # UTF-16 offsets after the emoji
    assert "</script><script>alert(5)</script>" in panel.inner_text()
    assert page.locator("#pg-tip strong").inner_text() == HOSTILE_TITLE
    # the entity, through the panel's link
    panel.locator("button.pg-link", has_text="LoRA <i>v2</i>").click()
    viewer.wait("papergraph.network.getSelectedNodes()[0] === 'method/lora'")
    assert HOSTILE_ALIAS in panel.locator(".pg-fields").inner_text()
    page.wait_for_timeout(300)
    assert page.title() == "<script>alert(6)</script>"
    assert viewer.js("document.querySelectorAll('img, svg, iframe, object, embed, i, b').length") == 0
    assert viewer.js("document.scripts.length") == 3
    assert viewer.dialogs == []
    viewer.assert_clean()


def test_content_security_policy_blocks_injected_handlers(open_viewer, tmp_path: Path) -> None:
    """Defence in depth: markup that got into the page by some future bug would still not run."""
    viewer = open_viewer(write_html(hostile_graph(), tmp_path / "hostile.html"))
    result = viewer.js(
        """() => new Promise(resolve => {
            let blocked = 0;
            document.addEventListener('securitypolicyviolation', () => { blocked += 1; });
            window.ran = false;
            const div = document.createElement('div');
            div.innerHTML = '<img src="data:," onerror="window.ran = true">'
                + '<svg onload="window.ran = true"></svg>';
            document.body.append(div);
            setTimeout(() => resolve({ran: window.ran, blocked}), 300);
        })"""
    )
    assert result["ran"] is False and result["blocked"] >= 1
    assert viewer.dialogs == [] and viewer.requests == []
