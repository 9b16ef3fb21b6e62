"""Send a graph file to a triple store with the SPARQL 1.1 Graph Store Protocol.

``papergraph push GRAPH --endpoint URL`` uploads the graph into one named graph of an existing
store: ``PUT URL?graph=IRI`` replaces that graph (the default, so pushing again after a rebuild
leaves no stale triples), ``POST`` (``append``) adds to it. ``URL`` is the store's Graph Store
Protocol service: ``http://host:7878/store`` for Oxigraph server, ``http://host:3030/DATASET/data``
for Apache Jena Fuseki, ``http://host:7200/repositories/REPO/rdf-graphs/service`` for GraphDB,
``http://host:8890/sparql-graph-crud`` for Virtuoso. Turtle and N-Triples files are sent as they
are (streamed, not read into memory); JSON-LD is converted to N-Triples first.

A store behind authentication gets the credentials :func:`credentials` finds: a bearer token
(``PAPERGRAPH_PUSH_TOKEN``), or a user and password for basic auth (``user:password@`` in the URL,
``PAPERGRAPH_PUSH_USER`` / ``PAPERGRAPH_PUSH_PASSWORD``, or the netrc file's entry for the host).
They are never shown: messages give the URL without its user information (:func:`redact`).

>>> graph_url("http://localhost:7878/store", "urn:papergraph:graph")
'http://localhost:7878/store?graph=urn%3Apapergraph%3Agraph'
>>> default_graph_iri("exports/graph.ttl")
'urn:papergraph:graph'
>>> redact("https://ann:s3cret@store.example:7878/store")
'https://store.example:7878/store'
"""

from __future__ import annotations

import base64
import io
import netrc
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

from papergraph.export.formats import rdf_format_of

__all__ = [
    "Credentials",
    "PushError",
    "Pushed",
    "credentials",
    "default_graph_iri",
    "graph_url",
    "push",
    "redact",
]

#: The environment variables credentials are read from.
TOKEN_VARIABLE = "PAPERGRAPH_PUSH_TOKEN"
USER_VARIABLE = "PAPERGRAPH_PUSH_USER"
PASSWORD_VARIABLE = "PAPERGRAPH_PUSH_PASSWORD"

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


@dataclass(frozen=True)
class Credentials:
    """A bearer ``token``, or a ``user`` and ``password`` for basic auth; never shown by ``repr``."""

    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def header(self) -> dict[str, str]:
        """The ``Authorization`` header they make (none when empty)."""
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}


def redact(url: str) -> str:
    """``url`` without its user information (``user:password@``), to be shown."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def credentials(
    endpoint: str, *, environ: Mapping[str, str] | None = None, netrc_file: str | Path | None = None
) -> Credentials:
    """The credentials to send to ``endpoint``.

    Parameters
    ----------
    endpoint:
        The service URL, perhaps with ``user:password@``.
    environ:
        Where ``PAPERGRAPH_PUSH_TOKEN``, ``PAPERGRAPH_PUSH_USER`` and ``PAPERGRAPH_PUSH_PASSWORD``
        are read (default ``os.environ``).
    netrc_file:
        A netrc file to look the host up in; ``None``: ``~/.netrc`` when there is one.

    Returns
    -------
    Credentials
        The token from the environment; else the user and password of the URL or the environment
        (the password of one, the user of the other, may be combined); else the netrc entry of the
        host; else none. Raises ``ValueError`` when a token and a user are both given, or when
        the netrc file cannot be read (without quoting it).
    """
    environ = os.environ if environ is None else environ
    parts = urlsplit(endpoint)
    url_user = unquote(parts.username) if parts.username is not None else None
    url_password = unquote(parts.password) if parts.password is not None else None
    user = url_user if url_user is not None else environ.get(USER_VARIABLE)
    password = url_password if url_password is not None else environ.get(PASSWORD_VARIABLE)
    token = environ.get(TOKEN_VARIABLE)
    if token and user:
        raise ValueError(f"give either a token ({TOKEN_VARIABLE}) or a user, not both")
    if token:
        return Credentials(token=token)
    if user is not None:
        return Credentials(user, password)
    path = Path(netrc_file) if netrc_file is not None else Path.home() / ".netrc"
    if netrc_file is None and not path.is_file():
        return Credentials()
    try:
        entry = netrc.netrc(str(path)).authenticators(parts.hostname or "")
    except netrc.NetrcParseError as exc:
        raise ValueError(f"{path}: not a readable netrc file (line {exc.lineno})") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the netrc file: {exc.strerror or exc}") from None
    if entry is None:
        return Credentials()
    login, _, secret = entry
    return Credentials(login, secret)


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
    auth: Credentials | None = None,
) -> Pushed:
    """Upload ``graph`` into the named graph ``graph_iri`` (default :func:`default_graph_iri`) of the
    Graph Store Protocol service ``endpoint``; replace it unless ``append``.

    Parameters
    ----------
    graph:
        The graph file (Turtle, N-Triples or JSON-LD).
    endpoint:
        The service URL; ``user:password@`` in it is sent as basic auth, never shown.
    graph_iri:
        The named graph.
    append:
        ``POST`` (add) instead of ``PUT`` (replace).
    timeout:
        Seconds to wait for the store.
    auth:
        The credentials to send; ``None``: those :func:`credentials` finds for ``endpoint``.

    Returns
    -------
    Pushed
        What was sent where (the URL without user information) and the store's status. Raises
        :class:`PushError` with the server's answer (and the URL without user information) when
        the store does not accept it.
    """
    graph = Path(graph)
    if not graph.is_file():
        raise FileNotFoundError(f"no such graph file: {graph}")
    if not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"--endpoint must be an http(s) URL, not {redact(endpoint)!r}")
    if auth is None:
        auth = credentials(endpoint)
    url = graph_url(redact(endpoint), graph_iri or default_graph_iri(graph))
    method = "POST" if append else "PUT"
    body, size, media = _body(graph)
    headers = {"Content-Type": media, "Content-Length": str(size), **auth.header()}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with body, urllib.request.urlopen(request, timeout=timeout) as response:
            return Pushed(url, method, response.status, size, media)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", errors="replace").strip()
        hint = (
            " (give credentials: see papergraph push --help)"
            if exc.code == 401 and not headers.get("Authorization")
            else ""
        )
        raise PushError(
            f"{method} {url}: HTTP {exc.code} {exc.reason}{': ' + detail if detail else ''}{hint}"
        ) from exc
    except urllib.error.URLError as exc:
        raise PushError(f"{method} {url}: {exc.reason}") from exc
    except OSError as exc:  # a connection reset or a timeout while sending
        raise PushError(f"{method} {url}: {exc.strerror or exc}") from exc
