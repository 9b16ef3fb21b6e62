"""GEXF 1.2 written as text straight from the graph's flat view, without networkx or an XML tree.

The bytes are those papergraph wrote with ``networkx.write_gexf(g, fh, prettyprint=True)`` (its
``xml.etree`` writer) on the flat graph with each node's ``viz`` colour and each edge's ``label``
(its relation), with networkx's ``<meta>`` (the day of writing, networkx's version) replaced by
papergraph's; ``tests/test_graphml_text.py`` pins the two together. What that writer gives, and this
one writes:

* ``<gexf>`` (with the ``viz`` namespace first when a node has a colour), ``<meta>``, then
  ``<graph defaultedgetype="directed" mode="static" name="">``;
* the declarations of the edge attributes, then of the node attributes (networkx inserts each
  ``<attributes>`` block at the top), each attribute once by name with the type of its first value
  and an id counted over nodes then edges; a node's ``label`` and an edge's ``label`` and
  ``weight`` are XML attributes instead, and an edge's relation is also its ``networkx_key``;
* each node with its ``viz:color`` and ``<attvalues>``, each edge with ids ``0``, ``1`` … in order;
* every value in an attribute, escaped as :func:`~papergraph.export.graphml_text.escape_attribute`
  does; floats ``inf``, ``-inf`` and ``nan`` as ``INF``, ``-INF``, ``NaN``.

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Entity
>>> kg = KnowledgeGraph(entities=(Entity("method/a", "Method", "A"),))
>>> print(gexf_text(kg))  # doctest: +ELLIPSIS
<?xml version='1.0' encoding='utf-8'?>
<gexf xmlns:viz=...>
  <meta>
    <creator>papergraph</creator>
  </meta>
  <graph defaultedgetype="directed" mode="static" name="">
    <attributes mode="static" class="node">
      <attribute id="0" title="type" type="string" />
      <attribute id="1" title="group" type="string" />
      <attribute id="2" title="color" type="string" />
    </attributes>
    <nodes>
      <node id="method/a" label="A">
        <viz:color r="242" g="142" b="43" a="1.0" />
        <attvalues>
          <attvalue for="0" value="Method" />
          <attvalue for="1" value="Method" />
          <attvalue for="2" value="#f28e2b" />
        </attvalues>
      </node>
    </nodes>
    <edges />
  </graph>
</gexf>
<BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from papergraph.export.flat_graph import Attributes, FlatGraph, flat_view
from papergraph.export.graphml_text import escape_attribute, write_chunks
from papergraph.gcpause import paused_gc
from papergraph.graph import KnowledgeGraph

__all__ = ["gexf_bytes", "gexf_lines", "gexf_text", "write_gexf_text"]

_NS = "http://www.gexf.net/1.2draft"
_ROOT = (
    f'xmlns="{_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xsi:schemaLocation="{_NS} {_NS}/gexf.xsd" version="1.2">\n'
)
#: GEXF's name of each attribute type (networkx's: the last of its table wins for ``int``).
_TYPES: dict[type, str] = {
    int: "long",
    float: "double",
    bool: "boolean",
    list: "string",
    dict: "string",
    str: "string",
}
_FLOATS = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}


def _value(value: object) -> str:
    """A value as networkx writes it in ``<attvalue value=…>`` (not yet escaped)."""
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    return _FLOATS.get(text, text) if type(value) is float else text


def _declare(declared: dict[str, tuple[str, str]], items: Iterable[tuple[str, object]], count: int) -> int:
    """Give each attribute of ``items`` not yet in ``declared`` the id ``count`` and on, and the
    type of its value; a ``TypeError`` for a value GEXF cannot hold. Returns the next id."""
    for name, value in items:
        kind = _TYPES.get(type(value))
        if kind is None:
            raise TypeError(f"attribute value type is not allowed: {type(value)}")
        if name not in declared:
            declared[name] = (str(count), kind)
            count += 1
    return count


def _node_items(attrs: Attributes) -> Iterator[tuple[str, object]]:
    return ((name, value) for name, value in attrs.items() if name != "label")


def _edge_items(relation: str, attrs: Attributes) -> Iterator[tuple[str, object]]:
    yield from ((name, value) for name, value in attrs.items() if name != "weight")
    yield "networkx_key", relation


def _attributes(scope: str, declared: dict[str, tuple[str, str]]) -> Iterator[str]:
    if declared:
        yield f'    <attributes mode="static" class="{scope}">\n'
        for name, (key, kind) in declared.items():
            yield f'      <attribute id="{key}" title="{escape_attribute(name)}" type="{kind}" />\n'
        yield "    </attributes>\n"


def _attvalues(items: Iterable[tuple[str, object]], declared: dict[str, tuple[str, str]]) -> str:
    values = "".join(
        f'          <attvalue for="{declared[name][0]}" value="{escape_attribute(_value(value))}" />\n'
        for name, value in items
    )
    return f"        <attvalues>\n{values}        </attvalues>\n" if values else ""


def gexf_lines(view: FlatGraph) -> Iterator[str]:
    """The GEXF document of ``view``, a line (or a node's or an edge's lines) at a time, as text
    (the module docstring)."""
    nodes: dict[str, tuple[str, str]] = {}
    edges: dict[str, tuple[str, str]] = {}
    count = 0
    for _, attrs in view.nodes:
        count = _declare(nodes, _node_items(attrs), count)
    for _, _, relation, attrs in view.edges:
        count = _declare(edges, _edge_items(relation, attrs), count)
    viz = f'xmlns:viz="{_NS}/viz" ' if view.nodes else ""
    yield f"<?xml version='1.0' encoding='utf-8'?>\n<gexf {viz}{_ROOT}"
    yield "  <meta>\n    <creator>papergraph</creator>\n  </meta>\n"
    yield '  <graph defaultedgetype="directed" mode="static" name="">\n'
    yield from _attributes("edge", edges)
    yield from _attributes("node", nodes)
    if not view.nodes:
        yield "    <nodes />\n"
    else:
        yield "    <nodes>\n"
        for node, attrs in view.nodes:
            color = attrs["color"]
            rgb = f'r="{int(color[1:3], 16)}" g="{int(color[3:5], 16)}" b="{int(color[5:7], 16)}"'
            label = escape_attribute(str(attrs.get("label", node)))
            yield (
                f'      <node id="{escape_attribute(node)}" label="{label}">\n'
                f'        <viz:color {rgb} a="1.0" />\n'
                f"{_attvalues(_node_items(attrs), nodes)}      </node>\n"
            )
        yield "    </nodes>\n"
    if not view.edges:
        yield "    <edges />\n"
    else:
        yield "    <edges>\n"
        for i, (source, target, relation, attrs) in enumerate(view.edges):
            label = escape_attribute(str(attrs["relation"]))
            yield (
                f'      <edge source="{escape_attribute(source)}" target="{escape_attribute(target)}" '
                f'id="{i}" label="{label}" weight="{escape_attribute(str(attrs["weight"]))}">\n'
                f"{_attvalues(_edge_items(relation, attrs), edges)}      </edge>\n"
            )
        yield "    </edges>\n"
    yield "  </graph>\n</gexf>\n"


def gexf_text(kg: KnowledgeGraph) -> str:
    """``kg`` as GEXF text (from its :func:`~papergraph.export.flat_graph.flat_view`)."""
    view = flat_view(kg)
    with paused_gc():
        return "".join(gexf_lines(view))


def gexf_bytes(kg: KnowledgeGraph) -> bytes:
    """``kg`` as the bytes of a GEXF file (UTF-8; what it cannot encode as character references)."""
    return gexf_text(kg).encode("utf-8", "xmlcharrefreplace")


def write_gexf_text(kg: KnowledgeGraph, fh: IO[bytes]) -> None:
    """Write ``kg`` as GEXF to the binary file ``fh`` (not closed), a chunk at a time.

    Parameters
    ----------
    kg : KnowledgeGraph
    fh : binary file
    """
    view = flat_view(kg)
    with paused_gc():
        write_chunks(gexf_lines(view), fh)
