"""GraphML written as text straight from the graph's flat view, without networkx or an XML tree.

The bytes are those ``networkx.write_graphml(graphml_graph(kg), fh, prettyprint=True)`` wrote
(networkx's ``xml.etree`` writer, the one it uses without lxml), with raw carriage returns in
element text written as ``&#13;`` as papergraph always did; ``tests/test_graphml_text.py`` pins the
two together. What that writer gives, and this one writes:

* the declaration ``<?xml version='1.0' encoding='utf-8'?>``, then ``<graphml>`` with the GraphML
  namespace and schema location;
* one ``<key>`` per (attribute name, type, node or edge) in the order the attributes are first met
  (nodes in order, each node's attributes in order, then the edges), with ids ``d0``, ``d1`` …, and
  listed last first (networkx inserts each new key at the top); ``str`` is ``string``, ``int``
  ``long``, ``float`` ``double``;
* ``<graph edgedefault="directed">``, the nodes, then the edges with ``source``, ``target`` and
  their relation as ``id``; each attribute a ``<data>`` element, empty text as ``<data … />``;
* two spaces of indentation per level, one element per line;
* ``&``, ``<``, ``>`` escaped in text, and also ``"``, tab and newline in attribute values;
  carriage returns as ``&#13;`` everywhere; what UTF-8 cannot encode (lone surrogates, only
  possible in node keys: text is cleaned by :func:`papergraph.export.flat_graph.clean`) as a
  character reference.

>>> from papergraph.graph import KnowledgeGraph
>>> from papergraph.model import Entity
>>> kg = KnowledgeGraph(entities=(Entity(key="method/a&b", type="Method", label="A&B"),))
>>> import io
>>> buf = io.BytesIO()
>>> write_graphml_text(kg, buf)
>>> print(buf.getvalue().decode())  # doctest: +NORMALIZE_WHITESPACE
<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns
                             http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="d3" for="node" attr.name="color" attr.type="string" />
  <key id="d2" for="node" attr.name="label" attr.type="string" />
  <key id="d1" for="node" attr.name="group" attr.type="string" />
  <key id="d0" for="node" attr.name="type" attr.type="string" />
  <graph edgedefault="directed">
    <node id="method/a&amp;b">
      <data key="d0">Method</data>
      <data key="d1">Method</data>
      <data key="d2">A&amp;B</data>
      <data key="d3">#f28e2b</data>
    </node>
  </graph>
</graphml>
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from papergraph.atomic import atomic_open
from papergraph.export.flat_graph import Attributes, FlatGraph, flat_view
from papergraph.gcpause import paused_gc
from papergraph.graph import KnowledgeGraph

__all__ = [
    "escape_attribute",
    "escape_text",
    "graphml_keys",
    "graphml_lines",
    "write_chunks",
    "write_graphml",
    "write_graphml_text",
]

_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"'
)
#: GraphML's name of each attribute type (networkx's: the last of its table wins for ``int``).
_XML_TYPES: dict[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}
#: Characters of text gathered before each write.
_CHUNK = 1 << 20


def escape_text(text: str) -> str:
    """Element text escaped as ``xml.etree`` escapes it, with ``\\r`` as ``&#13;``.

    >>> escape_text("a < b & c\\r")
    'a &lt; b &amp; c&#13;'
    """
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attribute(text: str) -> str:
    """An attribute value escaped as ``xml.etree`` escapes it.

    >>> escape_attribute('say "a\\tb"\\n')
    'say &quot;a&#09;b&quot;&#10;'
    """
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#09;")
    return text


def _type_name(kind: type) -> str:
    """GraphML's name of the type ``kind``; a ``TypeError`` for a type GraphML has no name for."""
    try:
        return _XML_TYPES[kind]
    except KeyError:
        raise TypeError(f"GraphML does not support type {kind} as data values.") from None


def graphml_keys(view: FlatGraph) -> dict[tuple[str, str, type], str]:
    """The id of each ``(scope, attribute name, Python type)`` of ``view``, ``"node"`` or
    ``"edge"`` scope, in the order of first use (networkx's ``d0``, ``d1`` …).

    >>> view = FlatGraph([("a", {"n": 1}), ("b", {"n": "x", "m": 2.0})], [("a", "b", "r", {"n": 1})])
    >>> for (scope, name, kind), key in graphml_keys(view).items():
    ...     print(key, scope, name, kind.__name__)
    d0 node n int
    d1 node n str
    d2 node m float
    d3 edge n int
    """
    keys: dict[tuple[str, str, type], str] = {}
    for scope, attributes in (("node", (a for _, a in view.nodes)), ("edge", (a for *_, a in view.edges))):
        seen: set[tuple[tuple[str, type], ...]] = set()  # attribute names and types already keyed
        for attrs in attributes:
            signature = tuple([(name, type(value)) for name, value in attrs.items()])
            if signature in seen:
                continue
            seen.add(signature)
            for name, kind in signature:
                if (scope, name, kind) not in keys:
                    _type_name(kind)
                    keys[scope, name, kind] = f"d{len(keys)}"
    return keys


def _elements(
    start: str, end: str, items: Iterable[tuple[str, Attributes]], ids: dict[tuple[str, type], str]
) -> Iterator[str]:
    """Each ``(opening tag, attributes)`` of ``items`` as an element with a ``<data>`` line per
    attribute (``end``: its closing tag's line)."""
    # One str.format template per set of attribute names and types: the key ids are in the template,
    # and the values of an element are escaped in one call, joined by a character they cannot hold
    # (text of the flat view is clean: no NUL), then split again.
    templates: dict[tuple[tuple[str, ...], tuple[type, ...]], str] = {}
    for tag, attrs in items:
        if not attrs:
            yield f"{start}{tag} />\n"
            continue
        values = attrs.values()
        signature = (tuple(attrs), tuple(map(type, values)))
        template = templates.get(signature)
        if template is None:
            names, kinds = signature
            data = "".join(
                f'      <data key="{ids[name, kind]}">{{}}</data>\n'
                for name, kind in zip(names, kinds, strict=True)
            )
            template = templates[signature] = f"{start}{{}}>\n{data}{end}"
        texts = [v if type(v) is str else str(v) for v in values]
        joined = "\0".join(texts)
        if joined.count("\0") != len(texts) - 1:  # text that is not clean: escaped one by one
            element = template.format(tag, *map(escape_text, texts))
        else:
            element = template.format(tag, *escape_text(joined).split("\0"))
        yield element if all(texts) else element.replace('"></data>', '" />')


def graphml_lines(view: FlatGraph) -> Iterator[str]:
    """The GraphML document of ``view``, a line (or a node's or an edge's lines) at a time, as
    text (the module docstring).

    Parameters
    ----------
    view : FlatGraph
        Its text clean (:func:`papergraph.export.flat_graph.clean`), as
        :func:`~papergraph.export.flat_graph.flat_view` gives it.
    """
    keys = graphml_keys(view)
    yield _HEAD + ">\n"
    for (scope, name, kind), key in reversed(keys.items()):
        yield (
            f'  <key id="{key}" for="{scope}" attr.name="{escape_attribute(name)}" '
            f'attr.type="{_type_name(kind)}" />\n'
        )
    if not view.nodes and not view.edges:
        yield '  <graph edgedefault="directed" />\n</graphml>\n'
        return
    yield '  <graph edgedefault="directed">\n'
    escaped = {node: escape_attribute(node) for node, _ in view.nodes}  # each key, escaped once
    node_ids = {(name, kind): key for (scope, name, kind), key in keys.items() if scope == "node"}
    nodes = ((f'"{escaped[node]}"', attrs) for node, attrs in view.nodes)
    yield from _elements("    <node id=", "    </node>\n", nodes, node_ids)
    for source, target, relation, _ in view.edges:  # endpoints and relations not yet escaped
        for name in (source, target, relation):
            if name not in escaped:
                escaped[name] = escape_attribute(name)
    edge_ids = {(name, kind): key for (scope, name, kind), key in keys.items() if scope == "edge"}
    edges = (
        (f'"{escaped[source]}" target="{escaped[target]}" id="{escaped[relation]}"', attrs)
        for source, target, relation, attrs in view.edges
    )
    yield from _elements("    <edge source=", "    </edge>\n", edges, edge_ids)
    yield "  </graph>\n</graphml>\n"


def write_chunks(lines: Iterable[str], fh: IO[bytes]) -> None:
    """Write ``lines`` to ``fh`` as UTF-8 (unencodable characters as character references), about
    ``_CHUNK`` characters at a time."""
    buf: list[str] = []
    size = 0
    for line in lines:
        buf.append(line)
        size += len(line)
        if size >= _CHUNK:
            fh.write("".join(buf).encode("utf-8", "xmlcharrefreplace"))
            buf.clear()
            size = 0
    fh.write("".join(buf).encode("utf-8", "xmlcharrefreplace"))


def write_graphml_text(kg: KnowledgeGraph, fh: IO[bytes]) -> None:
    """Write ``kg`` as GraphML to the binary file ``fh``, from its
    :func:`~papergraph.export.flat_graph.flat_view`.

    Parameters
    ----------
    kg : KnowledgeGraph
    fh : binary file
        Written to, not closed.
    """
    view = flat_view(kg)
    with paused_gc():
        write_chunks(graphml_lines(view), fh)


def write_graphml(kg: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``kg`` as GraphML (readable by Gephi and ``networkx.read_graphml``), atomically.

    Parameters
    ----------
    kg : KnowledgeGraph
    path : str or Path

    Returns
    -------
    Path
        ``path``.
    """
    with atomic_open(path, "wb") as fh:
        write_graphml_text(kg, fh)
    return Path(path)
