"""A local SPARQL 1.1 Protocol endpoint over a graph file, with the HTML viewer beside it.

``papergraph serve GRAPH`` answers ``GET /sparql?query=...`` and ``POST /sparql`` (a form with
``query=``, or an ``application/sparql-query`` body) from the graph's Oxigraph store
(:mod:`papergraph.query.store`), in the format the ``Accept`` header asks for: SPARQL results as JSON
(the default), XML, CSV or TSV; CONSTRUCT/DESCRIBE graphs as Turtle (the default), N-Triples or
RDF/XML. ``GET /`` is the offline viewer of the graph. It binds to 127.0.0.1 unless told otherwise
and is read-only: SPARQL Update (``update=`` or ``application/sparql-update``) is refused with 403
unless ``allow_update`` is set, and then changes an in-memory copy only, never the graph file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from papergraph.query.store import open_store

__all__ = ["Endpoint", "make_server", "negotiate"]

#: Media types of SELECT/ASK results, the first the default.
RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: Media types of CONSTRUCT/DESCRIBE results, the first the default.
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
MAX_BODY = 1 << 20  # a query is text; a megabyte is plenty


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers (the first offered for ``*/*`` or no
    header), or ``None`` when it accepts none of them.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", ["application/sparql-results+json",
    ...     "application/sparql-results+xml", "text/csv"])
    'application/sparql-results+xml'
    >>> negotiate(None, ["text/turtle"]), negotiate("image/png", ["text/turtle"])
    ('text/turtle', None)
    """
    if not accept or not accept.strip():
        return offered[0]
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media.lower()))
    for neg_q, _, media in sorted(ranked):
        if neg_q == 0:
            break
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            for o in offered:
                if media == "*/*" or o.startswith(prefix + "/"):
                    return o
        elif media in offered:
            return media
    return None


@dataclass
class Endpoint:
    """What the server answers from: the store, the viewer page, whether updates are allowed."""

    store: ox.Store
    viewer: bytes | None = None
    allow_update: bool = False
    graph_name: str = ""
    lock: threading.Lock | None = None

    @classmethod
    def for_graph(cls, graph: str | Path, *, allow_update: bool = False, viewer: bool = True) -> Endpoint:
        """The endpoint of a graph file: its persisted store (an in-memory copy with ``allow_update``)
        and its viewer (the ``.html`` file beside it when newer than the graph, else made now)."""
        graph = Path(graph)
        store = open_store(graph, persist=not allow_update)
        page = viewer_page(graph) if viewer else None
        return cls(store, page, allow_update, graph.name, threading.Lock() if allow_update else None)


def viewer_page(graph: Path) -> bytes:
    """The viewer of ``graph``: ``graph.html`` beside it if it is up to date, else written now."""
    beside = graph.with_suffix(".html")
    if beside.is_file() and beside.stat().st_mtime >= graph.stat().st_mtime:
        return beside.read_bytes()
    import tempfile

    from papergraph.export.html import write_html
    from papergraph.export.rdf_load import load

    with tempfile.TemporaryDirectory() as tmp:
        out = write_html(load(graph), Path(tmp) / "viewer.html", title=f"papergraph: {graph.name}")
        return out.read_bytes()


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    server_version = "papergraph"
    log: Callable[[str], None] | None = None

    # -- plumbing ------------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        if self.log is not None:
            self.log(f"{self.address_string()} {format % args}")

    def _send(self, status: int, body: bytes, media: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    # -- routes --------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html", "/viewer"):
            if self.endpoint.viewer is None:
                self._error(HTTPStatus.NOT_FOUND, "no viewer: the server was started with --no-viewer")
            else:
                self._send(HTTPStatus.OK, self.endpoint.viewer, "text/html; charset=utf-8")
            return
        if url.path != "/sparql":
            self._error(HTTPStatus.NOT_FOUND, "not found: the SPARQL endpoint is /sparql, the viewer /")
            return
        form = parse_qs(url.query, keep_blank_values=True)
        if "update" in form:
            self._error(HTTPStatus.BAD_REQUEST, "SPARQL Update must be sent with POST")
            return
        self._query(form)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._error(HTTPStatus.NOT_FOUND, "not found: the SPARQL endpoint is /sparql")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        form = parse_qs(url.query, keep_blank_values=True)
        if media == "application/x-www-form-urlencoded":
            form.update(parse_qs(body, keep_blank_values=True))
        elif media == "application/sparql-query":
            form["query"] = [body]
        elif media == "application/sparql-update":
            form["update"] = [body]
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a form (application/x-www-form-urlencoded) or application/sparql-query",
            )
            return
        if "update" in form:
            self._update(form["update"][0])
        else:
            self._query(form)

    def _graphs(self, form: dict[str, list[str]], key: str) -> list[ox.NamedNode] | None:
        names = form.get(key)
        return [ox.NamedNode(n) for n in names] if names else None

    def _query(self, form: dict[str, list[str]]) -> None:
        texts = form.get("query")
        if not texts or len(texts) != 1:
            self._error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            return
        try:
            result = self.endpoint.store.query(
                texts[0],
                default_graph=self._graphs(form, "default-graph-uri"),
                named_graphs=self._graphs(form, "named-graph-uri"),
            )
        except (SyntaxError, ValueError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"bad query: {exc}")
            return
        except OSError as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")
            return
        accept = self.headers.get("Accept")
        if isinstance(result, ox.QueryTriples):
            media = negotiate(accept, list(GRAPH_TYPES))
            if media is None:
                self._error(HTTPStatus.NOT_ACCEPTABLE, f"graphs are served as {', '.join(GRAPH_TYPES)}")
                return
            body = ox.serialize(result, format=GRAPH_TYPES[media])
        else:
            media = negotiate(accept, list(RESULT_TYPES))
            if media is None:
                self._error(HTTPStatus.NOT_ACCEPTABLE, f"results are served as {', '.join(RESULT_TYPES)}")
                return
            body = result.serialize(format=RESULT_TYPES[media])
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
        self._send(HTTPStatus.OK, body, media + charset, {"Vary": "Accept"})

    def _update(self, text: str) -> None:
        if not self.endpoint.allow_update or self.endpoint.lock is None:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only (start it with --allow-update)")
            return
        try:
            with self.endpoint.lock:
                self.endpoint.store.update(text)
        except (SyntaxError, ValueError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"bad update: {exc}")
            return
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")


def make_server(
    endpoint: Endpoint, host: str = "127.0.0.1", port: int = 7878, log: Callable[[str], None] | None = None
) -> ThreadingHTTPServer:
    """An HTTP server (not started: call ``serve_forever``) answering from ``endpoint``; port 0
    picks a free port (``server.server_address`` says which)."""
    handler = type("Handler", (_Handler,), {"endpoint": endpoint, "log": staticmethod(log) if log else None})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
