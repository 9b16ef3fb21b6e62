"""A local SPARQL 1.1 Protocol endpoint over a graph file, with the HTML viewer beside it.

``papergraph serve GRAPH`` answers ``GET /sparql?query=...`` and ``POST /sparql`` (a form with
``query=``, or an ``application/sparql-query`` body) from the graph's Oxigraph store, in the format
the ``Accept`` header asks for (:mod:`papergraph.query.protocol`). ``GET /`` is the offline viewer
of the graph. What it does not do unless told:

* **reach out**: ``SERVICE`` and ``LOAD`` would make the machine fetch any URL; both are refused
  with 403 (:mod:`papergraph.query.guard`) unless ``allow_federation``;
* **change anything**: SPARQL Update (``update=`` or ``application/sparql-update``) is refused with
  403 unless ``allow_update``, and then changes in-memory copies only, never the graph file;
* **answer other host names**: the ``Host`` header must name this machine (``localhost``,
  ``127.0.0.1``, ``[::1]``, the bound address, or a name allowed) and the bound port, else 421,
  so that a web page cannot reach it by DNS rebinding;
* **run without bound**: every query runs in a worker process (:mod:`papergraph.query.workers`)
  that is killed at its timeout (503), or when the client goes away; results are limited in size
  (422), bodies in length (413), and a bad ``Content-Length`` is a 400;
* **hold a thread per connection**: connections are served by a bounded pool of threads, with a
  few hundred more waiting at most (503 beyond), each idle connection closed after
  ``idle_timeout`` seconds; the listen backlog is 128.

Every error is an HTTP answer with a plain-text message; the details of an unexpected one are
logged at debug level (logger ``papergraph.query.serve``), never printed.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from papergraph.query.guard import remote_access
from papergraph.query.protocol import GRAPH_TYPES, Answer, Job, negotiate
from papergraph.query.service_description import describe
from papergraph.query.store import open_store
from papergraph.query.workers import QueryPool

__all__ = ["Endpoint", "SparqlServer", "make_server", "negotiate"]

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # a query is text; a megabyte is plenty
#: Defaults of ``papergraph serve``.
TIMEOUT = 5.0
WORKERS = 2
MAX_RESULT = 64 << 20
MAX_MEMORY = 4 << 30
IDLE_TIMEOUT = 10.0
THREADS = 32
WAITING = 256
#: The names every endpoint answers to (with its port or none).
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


#: The methods the endpoint answers; the other methods of HTTP get 405 with this list.
_ALLOWED = "GET, HEAD, POST, OPTIONS"
_OTHER_METHODS = {"PUT", "DELETE", "PATCH", "TRACE", "CONNECT"}


@dataclass
class Endpoint:
    """What the server answers from: the pool of query workers, the viewer page, what is allowed."""

    pool: QueryPool
    viewer: bytes | None = None
    allow_update: bool = False
    allow_federation: bool = False
    graph_name: str = ""

    @property
    def triples(self) -> int:
        """How many triples the graph has (as the workers opened it)."""
        return self.pool.triples

    @classmethod
    def for_graph(
        cls,
        graph: str | Path,
        *,
        allow_update: bool = False,
        allow_federation: bool = False,
        viewer: bool = True,
        workers: int = WORKERS,
        timeout: float = TIMEOUT,
        max_result: int = MAX_RESULT,
        memory: int | None = MAX_MEMORY,
    ) -> Endpoint:
        """The endpoint of a graph file.

        Parameters
        ----------
        graph:
            The graph file.
        allow_update:
            Accept SPARQL Update, on in-memory copies (each worker holds one); else the persisted
            store is opened read-only.
        allow_federation:
            Let ``SERVICE`` and ``LOAD`` fetch URLs.
        viewer:
            Serve the viewer at ``/`` (the ``.html`` file beside the graph when newer, else made now).
        workers, timeout, max_result, memory:
            The query workers: how many, the seconds a query may run, the most bytes of a result,
            each worker's address-space limit in bytes (``None``: none).

        Returns
        -------
        Endpoint
            Its workers started; :meth:`close` stops them.
        """
        graph = Path(graph)
        if not allow_update:
            open_store(graph)  # builds the persisted store once, before the workers open it
        pool = QueryPool(
            str(graph),
            workers=workers,
            timeout=timeout,
            max_result=max_result,
            persist=not allow_update,
            memory=memory,
        )
        try:
            page = viewer_page(graph) if viewer else None
        except BaseException:
            pool.close()
            raise
        return cls(pool, page, allow_update, allow_federation, graph.name)

    def close(self) -> None:
        """Stop the workers."""
        self.pool.close()


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


class _Refused(Exception):
    """A request answered with an error before it reached the store."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def split_host(value: str) -> tuple[str, int | None]:
    """A ``Host`` header as its lower-case name and port (``None`` when not given).

    >>> split_host("LocalHost:7878"), split_host("[::1]"), split_host("[::1]:80")
    (('localhost', 7878), ('[::1]', None), ('[::1]', 80))
    """
    value = value.strip().lower()
    name, port = value, ""
    if value.startswith("["):
        end = value.find("]")
        if end > 0:
            name, port = value[: end + 1], value[end + 1 :]
            if port and not port.startswith(":"):
                raise ValueError(value)
            port = port[1:]
    elif ":" in value:
        name, _, port = value.rpartition(":")
    if not name or (port and not (port.isascii() and port.isdigit() and len(port) <= 5)):
        raise ValueError(value)
    return name, int(port) if port else None


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    hosts: frozenset[str] = frozenset(LOCAL_NAMES)
    server_version = "papergraph"
    default_request_version = "HTTP/1.0"  # errors in the request line still get a status line
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s: %(explain)s\n"
    timeout = IDLE_TIMEOUT
    log: Callable[[str], None] | None = None
    _answered = False

    # -- plumbing ------------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        if self.log is not None:
            self.log(f"{self.address_string()} {format % args}")

    def handle_one_request(self) -> None:
        """Read one request and answer it: ``BaseHTTPRequestHandler.handle_one_request``, but a
        connection silent for the idle timeout is answered with 408 and closed."""
        self.requestline, self.request_version, self.command = "", self.default_request_version, ""
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > 65536:
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
                return
            if not self.parse_request():
                return
            method = getattr(self, f"do_{self.command}", None)
            if method is None and self.command in _OTHER_METHODS:  # a method of HTTP, not served
                self._send(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    f"{self.command} is not allowed: this endpoint answers {_ALLOWED}\n".encode(),
                    "text/plain; charset=utf-8",
                    {"Allow": _ALLOWED},
                )
                return
            if method is None:
                self.send_error(HTTPStatus.NOT_IMPLEMENTED, f"Unsupported method ({self.command!r})")
                return
            method()
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True
            if not self._answered:
                with contextlib.suppress(OSError):
                    self.send_error(HTTPStatus.REQUEST_TIMEOUT, "the request did not come in time")

    def parse_request(self) -> bool:
        # as ``BaseHTTPRequestHandler`` splits it (str.split: "\x1c" to "\x1f" are white space too),
        # which gives up on a line of no words without answering
        if not self.raw_requestline.decode("iso-8859-1").split():
            self.send_error(HTTPStatus.BAD_REQUEST, "empty request line")
            return False
        return super().parse_request()

    def send_response(self, code: int, message: str | None = None) -> None:
        self._answered = True
        super().send_response(code, message)

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

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _safely(self, route: Callable[[], None]) -> None:
        """Run ``route``; any failure becomes an HTTP error (a 500 if nothing was sent yet)."""
        try:
            self._check_host()
            route()
        except _Refused as refused:
            self._error(refused.status, str(refused))
        except (ConnectionError, TimeoutError) as exc:
            self.close_connection = True
            log.debug("connection of %s lost: %r", self.address_string(), exc)
        except Exception as exc:
            self.close_connection = True
            log.debug("error answering %r", self.requestline, exc_info=True)
            if not self._answered:
                with contextlib.suppress(OSError):
                    self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(exc).__name__}")

    def _check_host(self) -> None:
        values = self.headers.get_all("Host") or []
        if not values:
            if self.request_version == "HTTP/1.0":
                return
            raise _Refused(HTTPStatus.BAD_REQUEST, "an HTTP/1.1 request needs a Host header")
        if len(values) > 1:
            raise _Refused(HTTPStatus.BAD_REQUEST, "more than one Host header")
        try:
            name, port = split_host(values[0])
        except ValueError:
            raise _Refused(HTTPStatus.BAD_REQUEST, f"not a host name: {values[0][:100]!r}") from None
        if name not in self.hosts or (port is not None and port != self.server.server_address[1]):
            raise _Refused(
                HTTPStatus.MISDIRECTED_REQUEST,
                f"this server answers to {', '.join(sorted(self.hosts))} on port "
                f"{self.server.server_address[1]}, not {values[0][:100]!r} (papergraph serve --allow-host)",
            )

    # -- routes --------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self._safely(self._get)

    def do_GET(self) -> None:
        self._safely(self._get)

    def do_POST(self) -> None:
        self._safely(self._post)

    def do_OPTIONS(self) -> None:
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain; charset=utf-8", {"Allow": _ALLOWED})

    def _get(self) -> None:
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
        form = _form(url.query)
        if "update" in form:
            self._refuse_update()
            raise _Refused(HTTPStatus.BAD_REQUEST, "SPARQL Update must be sent with POST")
        if "query" not in form:  # the service description (SPARQL 1.1 Service Description)
            self._describe()
            return
        self._sparql(form)

    def _describe(self) -> None:
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        endpoint = self.endpoint
        turtle = describe(
            f"http://{host}/sparql",
            triples=endpoint.triples,
            update=endpoint.allow_update,
            federation=endpoint.allow_federation,
        )
        media = negotiate(self.headers.get("Accept"), list(GRAPH_TYPES))
        if media is None:
            served = ", ".join(GRAPH_TYPES)
            raise _Refused(HTTPStatus.NOT_ACCEPTABLE, f"the description is served as {served}")
        if media == "text/turtle":
            body = turtle.encode()
        else:
            triples = ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)
            body = ox.serialize(triples, format=GRAPH_TYPES[media]) or b""
        self._send(HTTPStatus.OK, body, media, {"Vary": "Accept"})

    def _post(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._error(HTTPStatus.NOT_FOUND, "not found: the SPARQL endpoint is /sparql")
            return
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media not in (
            "application/x-www-form-urlencoded",
            "application/sparql-query",
            "application/sparql-update",
        ):
            raise _Refused(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a form (application/x-www-form-urlencoded), application/sparql-query or "
                "application/sparql-update",
            )
        body = self._body().decode("utf-8", errors="replace")
        form = _form(url.query)
        if media == "application/x-www-form-urlencoded":
            form.update(_form(body))
        elif media == "application/sparql-query":
            form["query"] = [body]
        else:
            form["update"] = [body]
        self._sparql(form)

    def _body(self) -> bytes:
        """The request body, its ``Content-Length`` checked (400, 411, 413)."""
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length, not chunked")
        values = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if not values:
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
        if len(values) > 1:
            raise _Refused(HTTPStatus.BAD_REQUEST, "Content-Length headers that disagree")
        text = values.pop()
        if not (text.isascii() and text.isdigit()):
            raise _Refused(
                HTTPStatus.BAD_REQUEST, f"Content-Length must be a number of bytes, not {text[:40]!r}"
            )
        if len(text) > 9 or int(text) > MAX_BODY:
            raise _Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is over the limit of {MAX_BODY:,} bytes"
            )
        length = int(text)
        try:
            data = self.rfile.read(length)
        except TimeoutError:
            raise _Refused(HTTPStatus.REQUEST_TIMEOUT, "the body did not come in time") from None
        if len(data) < length:
            raise _Refused(HTTPStatus.BAD_REQUEST, f"the body ended after {len(data)} of {length} bytes")
        return data

    def _refuse_update(self) -> None:
        if not self.endpoint.allow_update:
            raise _Refused(
                HTTPStatus.FORBIDDEN,
                "this endpoint is read-only: SPARQL Update is refused (papergraph serve --allow-update "
                "accepts it, on an in-memory copy)",
            )

    def _sparql(self, form: dict[str, list[str]]) -> None:
        if "update" in form:
            self._refuse_update()
            texts, update = form["update"], True
        else:
            texts, update = form.get("query") or [], False
        if len(texts) != 1:
            raise _Refused(
                HTTPStatus.BAD_REQUEST, f"give exactly one {'update' if update else 'query'} parameter"
            )
        keyword = remote_access(texts[0])
        if keyword and not self.endpoint.allow_federation:
            raise _Refused(
                HTTPStatus.FORBIDDEN,
                f"{keyword} is refused: it would make this server fetch a URL "
                "(papergraph serve --allow-federation allows it; a variable or prefix named "
                f"{keyword.lower()} counts too)",
            )
        job = Job(
            texts[0],
            update=update,
            default_graphs=tuple(form.get("default-graph-uri", ())),
            named_graphs=tuple(form.get("named-graph-uri", ())),
            accept=self.headers.get("Accept"),
        )
        reply: Answer = self.endpoint.pool.run(job, client=self.connection)
        if reply.status == 499:  # the client went away: nobody to answer
            self.close_connection = True
            return
        self._send(reply.status, reply.body, reply.media, {"Vary": "Accept"} if reply.status == 200 else None)


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=1000)
    except ValueError:
        raise _Refused(HTTPStatus.BAD_REQUEST, "more than 1,000 form fields") from None


class SparqlServer(HTTPServer):
    """An HTTP server whose connections are handled by a bounded pool of ``threads`` threads, with
    at most ``waiting`` more connections queued (others get 503 at once). Closing it stops the
    endpoint's workers."""

    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], *, threads: int, waiting: int
    ) -> None:
        super().__init__(address, handler)
        self.endpoint = handler.endpoint
        self._threads = ThreadPoolExecutor(threads, thread_name_prefix="papergraph-http")
        self._slots = threading.BoundedSemaphore(threads + waiting)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.settimeout(1)
                body = b"busy: too many connections\n"
                request.sendall(
                    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
                )
            self.shutdown_request(request)
            return
        try:
            self._threads.submit(self._work, request, client_address)
        except RuntimeError:  # shut down
            self._slots.release()
            self.shutdown_request(request)

    def _work(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("error serving %s", client_address, exc_info=True)

    def server_close(self) -> None:
        super().server_close()
        self._threads.shutdown(wait=False, cancel_futures=True)
        self.endpoint.close()


def make_server(
    endpoint: Endpoint,
    host: str = "127.0.0.1",
    port: int = 7878,
    log: Callable[[str], None] | None = None,
    *,
    allowed_hosts: tuple[str, ...] = (),
    threads: int = THREADS,
    waiting: int = WAITING,
    idle_timeout: float = IDLE_TIMEOUT,
) -> SparqlServer:
    """An HTTP server (not started: call ``serve_forever``) answering from ``endpoint``.

    Parameters
    ----------
    endpoint:
        What it answers from.
    host, port:
        The address to bind; port 0 picks a free port (``server.server_address`` says which).
    log:
        Called with a line per request, or ``None``.
    allowed_hosts:
        Host names the ``Host`` header may give besides localhost, 127.0.0.1, [::1] and ``host``.
    threads, waiting:
        Connections served at once, and the most waiting for a thread.
    idle_timeout:
        Seconds a connection may stay silent (while sending its request or reading the answer).

    Returns
    -------
    SparqlServer
        Bound and listening.
    """
    names = {*LOCAL_NAMES, *(h.lower() for h in allowed_hosts)}
    if host not in ("", "0.0.0.0", "::"):
        names.add(f"[{host.lower()}]" if ":" in host else host.lower())
    handler = type(
        "Handler",
        (_Handler,),
        {
            "endpoint": endpoint,
            "hosts": frozenset(names),
            "timeout": idle_timeout,
            "log": staticmethod(log) if log else None,
        },
    )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("Server", (SparqlServer,), {"address_family": family})
    return server_class((host, port), handler, threads=threads, waiting=waiting)
