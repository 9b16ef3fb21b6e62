"""The streamed GraphML writer and the writers of the flat view (GEXF, the CSV tables) give the
bytes papergraph wrote through networkx (``tests/graphml_reference.py``, the code of commit 8bb8678),
for the reference corpus, hand-made edge cases and random graphs; networkx reads both the same."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphml_reference as ref
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.export import flat_graph, graph_files, graphml_text, networkx_graph, outputs
from papergraph.export.outputs import write_outputs
from papergraph.graph import KnowledgeGraph
from papergraph.model import (
    ENTITY_TYPES,
    INFERRED_RELATIONS,
    Edge,
    Entity,
    Evidence,
    ExternalWork,
    InferredLink,
    Paper,
    SourceRef,
)

SPECIAL = "<&>\"'"
CONTROL = "\x00\x01\x08\x0b\x0c\x0e\x1f\x7f\x85\t\n\r\r\n"
ODD = "😀 𝔘 中文 \ufeff \u2028 \ufffe \uffff"


def graphml(kg: KnowledgeGraph) -> bytes:
    buf = io.BytesIO()
    graphml_text.write_graphml_text(kg, buf)
    return buf.getvalue()


def outcome(write: Callable[[], Any]) -> Any:
    """What ``write`` gives, or the type of what it raised (the two writers must agree on both)."""
    try:
        return write()
    except Exception as exc:  # compared, not hidden
        return type(exc)


def read_back(data: bytes) -> Any:
    """What ``networkx.read_graphml`` makes of ``data``: nodes and edges with their attributes."""

    def read() -> Any:
        g = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
        return list(g.nodes(data=True)), list(g.edges(keys=True, data=True))

    return outcome(read)


def assert_same_as_reference(kg: KnowledgeGraph) -> None:
    """Every file of the flat view, and the networkx graphs, as the reference gives them."""
    expected = ref.graphml_bytes(kg)
    assert graphml(kg) == expected
    assert read_back(graphml(kg)) == read_back(expected)
    assert outcome(lambda: graph_files.node_table(kg)) == outcome(lambda: ref.node_table(kg))
    assert outcome(lambda: graph_files.edge_table(kg)) == outcome(lambda: ref.edge_table(kg))
    assert outcome(lambda: graph_files.gexf_bytes(kg)) == outcome(lambda: ref.gexf_bytes(kg))
    old, new = ref.graphml_graph(kg), networkx_graph.graphml_graph(kg)
    assert list(new.nodes(data=True)) == list(old.nodes(data=True))
    assert list(new.edges(keys=True, data=True)) == list(old.edges(keys=True, data=True))
    old, new = ref.to_networkx(kg), networkx_graph.to_networkx(kg)
    assert new.graph == old.graph
    assert list(new.nodes(data=True)) == list(old.nodes(data=True))
    assert list(new.edges(keys=True, data=True)) == list(old.edges(keys=True, data=True))


# ---- the reference corpus -------------------------------------------------------------------
def test_reference_corpus_graph_is_written_byte_for_byte(
    corpus_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    kg = corpus_graph
    assert kg.inferred and any(e.evidence is None for e in kg.edges)  # `via` and citations are covered
    path = kg.write_graphml(tmp_path / "graph.graphml")
    expected = ref.graphml_bytes(kg)
    assert path.read_bytes() == expected
    assert b"<data key=" in expected and expected.count(b"<node ") == len(networkx_graph.graphml_graph(kg))
    back, old = nx.read_graphml(path), nx.read_graphml(io.BytesIO(expected))
    assert nx.utils.graphs_equal(back, old)
    assert list(back.edges(keys=True, data=True)) == list(old.edges(keys=True, data=True))
    assert graph_files.node_table(kg) == ref.node_table(kg)
    assert graph_files.edge_table(kg) == ref.edge_table(kg)
    assert graph_files.write_gexf(kg, tmp_path / "graph.gexf").read_bytes() == ref.gexf_bytes(kg)


# ---- hand-made edge cases -------------------------------------------------------------------
def edge_case_graph(text: str) -> KnowledgeGraph:
    """``text`` in every attribute, key and relation that can hold it, with external works,
    inferred links, multi-edges, a self-loop, edges to nodes the graph lacks, a paper without an
    abstract and empty attributes. (A paper's key has no lone surrogate: the persons of its authors
    are named by a hash of its UTF-8.)"""
    key = f"paper/{text}".encode("utf-8", "replace").decode("utf-8")
    return KnowledgeGraph(
        papers=(
            Paper(
                key=key,
                label=text,
                title=text,
                abstract=f"{text} and {text}",
                identifiers=(text, "id"),
                sources=(SourceRef(text, 1, "jsonl"),),
                authors=(text, "B. Author"),
                author_count=2,
                byline=text,
                date=text,
                url=text,
                upvotes=7,
                arxiv_id=text,
                venue=text,
            ),
            Paper(key="paper/no-abstract", label="", title="", abstract="", identifiers=("",)),
            Paper(key="paper/b", label="B", title=None, abstract="B.", upvotes=True, author_count=0),
        ),
        entities=(
            Entity(f"method/{text}", "Method", text, aliases=(text, "")),
            Entity("method/m", "Method", "M", broader=f"method/{text}"),
            Entity("dataset/d", "Dataset", "D"),
        ),
        edges=(
            Edge(key, "uses", "method/m", Evidence(text, 0, 1), key),
            Edge(key, "uses", "method/m", Evidence("Second.", 0, 1), "paper/b"),
            Edge(key, "uses", "method/m", Evidence("Second.", 0, 1), "paper/b"),
            Edge(key, "improves-on", "method/m", Evidence("", 0, 0), key),
            Edge(key, "uses", "dataset/d"),
            Edge(key, text, f"method/{text}", paper=key),
            Edge("paper/b", "cites", key, paper="paper/b"),
            Edge("paper/b", "cites", "work/w", paper="paper/b"),
            Edge("paper/b", "cites", "work/nowhere", paper="paper/b"),
            Edge("paper/b", "builds-on", key),
            Edge("paper/b", "uses-method-in", key),
            Edge("paper/b", "compares-to", "paper/b"),
            Edge("method/m", "broader", f"method/{text}"),
            Edge(f"ghost/{text}", "uses", "paper/no-abstract", Evidence(text, 1, 2)),
        ),
        works=(ExternalWork("work/w", text, identifiers=(text, f"arXiv:{text}"), arxiv_id=text),),
        inferred=(
            InferredLink("paper/b", "uses-method-in", key, "method/m"),
            InferredLink("paper/b", "uses-method-in", key, "method/m"),
            InferredLink("paper/b", "uses-method-in", key, "dataset/d"),
            InferredLink("paper/b", "improves-on", key, f"method/{text}"),
            InferredLink("paper/b", "compares-to", "paper/nowhere", "method/m"),
        ),
    )


TEXTS = [SPECIAL, CONTROL, ODD, "plain", "", " ", "\ud800 lone \udfff surrogates", "a]]>b", "&amp; &#13;"]


@pytest.mark.parametrize("text", TEXTS, ids=[repr(t) for t in TEXTS])
def test_edge_cases_are_written_byte_for_byte(text: str) -> None:
    kg = edge_case_graph(text)
    assert_same_as_reference(kg)
    data = graphml(kg)
    assert b'<data key="d' in data and b" />\n" in data  # empty attributes are written empty
    assert data.count(b"<edge ") == len({(e.source, e.target, e.relation) for e in kg.edges})


def test_edge_cases_read_back() -> None:
    text = SPECIAL + "😀 𝔘 中文 \ufeff \u2028\r\n\t"  # XML can carry it in keys too
    kg = edge_case_graph(text)
    g = nx.read_graphml(io.BytesIO(graphml(kg)), force_multigraph=True)
    paper = g.nodes[f"paper/{text}"]
    assert paper["label"] == text  # carriage returns survive
    assert "abstract" not in g.nodes["paper/no-abstract"] and g.nodes["paper/no-abstract"]["label"] == ""
    assert g.nodes["paper/b"]["upvotes"] == 1 and g.nodes["work/w"]["type"] == "ExternalWork"
    assert g.nodes["work/nowhere"]["type"] == "Unknown"
    link = g.edges["paper/b", f"paper/{text}", "uses-method-in"]
    assert link["via"] == "dataset/d | method/m" and link["weight"] == 2
    uses = g.edges[f"paper/{text}", "method/m", "uses"]
    assert (uses["evidence_count"], uses["weight"]) == (3, 3)
    assert set(g[f"paper/{text}"]["method/m"]) == {"uses", "improves-on"}


def test_control_characters_become_replacement_characters() -> None:
    text = graphml(edge_case_graph(CONTROL)).decode("utf-8")
    label = text.split('<data key="d2">', 1)[1].split("</data>", 1)[0]
    assert label == "\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\x7f\x85\t\n&#13;&#13;\n"


def test_empty_graph_and_empty_view() -> None:
    assert_same_as_reference(KnowledgeGraph())
    assert graphml(KnowledgeGraph()).endswith(b'  <graph edgedefault="directed" />\n</graphml>\n')
    view = flat_graph.FlatGraph([("a", {}), ("b", {"x": ""})], [("a", "b", "r", {})])
    text = "".join(graphml_text.graphml_lines(view))
    assert '    <node id="a" />\n' in text and '      <data key="d0" />\n' in text
    assert '    <edge source="a" target="b" id="r" />\n' in text


def test_same_key_twice_keeps_the_first_place_and_the_last_attributes() -> None:
    kg = KnowledgeGraph(
        papers=(Paper(key="x/1", label="P", title="T", abstract="A", upvotes=3),),
        entities=(Entity("x/1", "Method", "E"), Entity("x/0", "Task", "T")),
        works=(ExternalWork("x/0", "W"),),
    )
    assert_same_as_reference(kg)
    nodes = dict(flat_graph.flat_view(kg).nodes)
    assert nodes["x/1"]["type"] == "Method" and nodes["x/1"]["title"] == "T"
    assert nodes["x/0"]["type"] == "ExternalWork"


def test_attribute_types_follow_the_values() -> None:
    kg = KnowledgeGraph(
        papers=(
            Paper(key="p/1", label="A", title="A", abstract="A", upvotes=2.5, author_count=3),  # type: ignore[arg-type]
            Paper(key="p/2", label="B", title="B", abstract="B", upvotes=4, author_count="many"),  # type: ignore[arg-type]
        )
    )
    assert_same_as_reference(kg)
    data = graphml(kg)
    assert b'attr.name="upvotes" attr.type="double"' in data
    assert b'attr.name="upvotes" attr.type="long"' in data
    assert b'attr.name="author_count" attr.type="string"' in data


def test_a_type_graphml_cannot_hold_fails_like_networkx() -> None:
    kg = KnowledgeGraph(papers=(Paper(key="p", label="A", title="A", abstract="A", upvotes=b"1"),))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="GraphML does not support"):
        graphml(kg)


# ---- random graphs --------------------------------------------------------------------------
_texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=6) | st.sampled_from(TEXTS)
_keys = st.sampled_from(["paper/a", "paper/b", "method/x", "work/z", f"paper/{SPECIAL}"]) | _texts
_maybe = st.none() | _texts
_paper_keys = st.sampled_from(["paper/a", "paper/b", "method/x"]) | st.text(max_size=4)  # no surrogates
_authors = st.sampled_from(["Ann Lee", "Bo Chen", "A. Lee"]) | st.text(max_size=4)
_sources = st.builds(SourceRef, _texts, st.integers(1, 9), st.just("jsonl"))


@st.composite
def graphs(draw: st.DrawFn) -> KnowledgeGraph:
    """A small graph of random papers, entities, works, edges and inferred links; keys repeat."""
    papers = draw(
        st.lists(
            st.builds(
                Paper,
                key=_paper_keys,
                label=_texts,
                title=_maybe,
                abstract=_texts,
                identifiers=st.lists(_texts, max_size=2).map(tuple),
                sources=st.lists(_sources, max_size=2).map(tuple),
                authors=st.lists(_authors, max_size=3).map(tuple),
                author_count=st.none() | st.integers(-1, 10**20),
                byline=_maybe,
                date=_maybe,
                url=_maybe,
                upvotes=st.none() | st.integers(0, 500) | st.booleans() | st.floats(allow_nan=False),
                arxiv_id=_maybe,
                venue=_maybe,
            ),
            max_size=4,
        )
    )
    entities = draw(
        st.lists(
            st.builds(
                Entity,
                key=_keys,
                type=st.sampled_from(ENTITY_TYPES) | _texts,
                label=_texts,
                aliases=st.lists(_texts, max_size=2).map(tuple),
                broader=st.none() | _keys,
            ),
            max_size=4,
        )
    )
    works = draw(
        st.lists(
            st.builds(ExternalWork, _keys, _texts, st.lists(_texts, max_size=2).map(tuple), _maybe),
            max_size=2,
        )
    )
    _inferred = st.sampled_from(INFERRED_RELATIONS)
    relations = st.sampled_from(["uses", "proposes", "cites", *INFERRED_RELATIONS]) | _texts
    evidence = st.none() | st.builds(Evidence, _texts, st.integers(0, 5), st.integers(0, 5))
    edges = draw(st.lists(st.builds(Edge, _keys, relations, _keys, evidence, st.none() | _keys), max_size=10))
    inferred = draw(st.lists(st.builds(InferredLink, _keys, _inferred, _keys, _keys), max_size=4))
    return KnowledgeGraph(
        papers=tuple(papers),
        entities=tuple(entities),
        edges=tuple(edges),
        works=tuple(works),
        inferred=tuple(inferred),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_graphs_are_written_byte_for_byte(kg: KnowledgeGraph) -> None:
    assert_same_as_reference(kg)


# ---- one flat view per build ----------------------------------------------------------------
def test_a_build_makes_the_flat_view_once(
    corpus_graph: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[KnowledgeGraph] = []
    make = flat_graph._make

    def counting(kg: KnowledgeGraph) -> flat_graph.FlatGraph:
        made.append(kg)
        return make(kg)

    monkeypatch.setattr(flat_graph, "_make", counting)
    formats = ["graphml", "gexf", "nodes-csv", "edges-csv"]
    written = write_outputs(corpus_graph, tmp_path / "one", formats, jobs=1)
    assert made == [corpus_graph]
    assert [p.read_bytes() for p in written] == [
        ref.graphml_bytes(corpus_graph),
        ref.gexf_bytes(corpus_graph),
        ref.node_table(corpus_graph).encode(),
        ref.edge_table(corpus_graph).encode(),
    ]
    made.clear()
    monkeypatch.setattr(outputs, "_can_fork", lambda children: True)  # threads of other tests
    side_by_side = write_outputs(corpus_graph, tmp_path / "two", formats, jobs=2)
    assert len(side_by_side.lanes) == 2 and made == [corpus_graph]  # before the fork, not per lane
    assert [p.read_bytes() for p in side_by_side] == [p.read_bytes() for p in written]
    made.clear()
    write_outputs(corpus_graph, tmp_path / "three", ["ttl", "graphml"], jobs=1)
    assert made == [corpus_graph]
    graph_files.node_table(corpus_graph)  # outside a build: made for the call, not kept
    graph_files.node_table(corpus_graph)
    assert len(made) == 3
