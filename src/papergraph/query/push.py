"""Send a graph file to a triple store with the SPARQL 1.1 Graph Store Protocol.

``papergraph push GRAPH --endpoint URL`` uploads the graph into one named graph of an existing
store: ``PUT URL?graph=IRI`` replaces that graph (the default, so pushing again after a rebuild
leaves no stale triples), ``POST`` (``append``) adds to it. ``URL`` is the store's Graph Store
Protocol service: ``http://host:7878/store`` for Oxigraph server, ``http://host:3030/DATASET/data``
for Apache Jena Fuseki, ``http://host:7200/repositories/REPO/rdf-graphs/service`` for GraphDB,
``http://host:8890/sparql-graph-crud`` for Virtuoso. Turtle and N-Triples files are sent as they
are (streamed, not read into memory); JSON-LD is converted to N-Triples first.

>>> graph_url("http://localhost:7878/store", "urn:papergraph:graph")
'http://localhost:7878/store?graph=urn%3Apapergraph%3Agraph'
>>> default_graph_iri("exports/graph.ttl")
'urn:papergraph:graph'
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlencode

from papergraph.export.formats import rdf_format_of

__all__ = ["PushError", "Pushed", "default_graph_iri", "graph_url", "push"]

#: The syntaxes sent as they are; others (JSON-LD) are sent as N-Triples, which every store reads.
_SENT_AS_IS = ("ttl", "nt")


class PushError(Exception):
    """The store refused the graph or could not be reached."""


@dataclass(frozen=True)
class Pushed:
    url: str
    method: str
    status: int
    bytes: int
    media_type: str


def default_graph_iri(graph: str | Path) -> str:
    """The named graph a file goes to when none is given: ``urn:papergraph:`` and the file's stem."""
    return "urn:papergraph:" + quote(Path(graph).stem, safe="-._~")


def graph_url(endpoint: str, graph_iri: str) -> str:
    """The Graph Store Protocol URL of the named graph ``graph_iri`` at service ``endpoint``."""
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode({"graph": graph_iri})


def _body(graph: Path) -> tuple[IO[bytes], int, str]:
    syntax = rdf_format_of(graph)
    if syntax.name in _SENT_AS_IS:
        return graph.open("rb"), graph.stat().st_size, syntax.media_type
    import pyoxigraph as ox

    from papergraph.query.store import rdf_format

    data = ox.serialize(ox.parse(path=str(graph), format=rdf_format(graph)), format=ox.RdfFormat.N_TRIPLES)
    return io.BytesIO(data), len(data), "application/n-triples"


def push(
    graph: str | Path,
    endpoint: str,
    graph_iri: str | None = None,
    *,
    append: bool = False,
    timeout: float = 600,
) -> Pushed:
    """Upload ``graph`` into the named graph ``graph_iri`` (default :func:`default_graph_iri`) of the
    Graph Store Protocol service ``endpoint``; replace it unless ``append``. Raises
    :class:`PushError` with the server's answer when the store does not accept it."""
    graph = Path(graph)
    if not graph.is_file():
        raise FileNotFoundError(f"no such graph file: {graph}")
    if not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"--endpoint must be an http(s) URL, not {endpoint!r}")
    url = graph_url(endpoint, graph_iri or default_graph_iri(graph))
    method = "POST" if append else "PUT"
    body, size, media = _body(graph)
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": media, "Content-Length": str(size)}
    )
    try:
        with body, urllib.request.urlopen(request, timeout=timeout) as response:
            return Pushed(url, method, response.status, size, media)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", errors="replace").strip()
        raise PushError(
            f"{method} {url}: HTTP {exc.code} {exc.reason}{': ' + detail if detail else ''}"
        ) from exc
    except urllib.error.URLError as exc:
        raise PushError(f"{method} {url}: {exc.reason}") from exc
