"""Run a query (a named one too) on any SPARQL 1.1 endpoint, as papergraph runs it on its own store.

The text sent is the one the embedded store runs: the parameters bound as a ``VALUES`` block of
RDF terms (:func:`papergraph.query.store.bind`), so any endpoint answers the same rows. The query
goes as ``POST`` of ``application/sparql-query``; ``graph`` names the default graph
(``default-graph-uri``: where ``papergraph push`` wrote the graph); credentials come as for push
(:func:`papergraph.query.push.credentials`). The answer, SPARQL 1.1 JSON results (or Turtle for
CONSTRUCT/DESCRIBE), is parsed back, so ``render`` shows it as it shows a local result.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from papergraph.query.push import Credentials, redact
from papergraph.query.store import Result, bind

__all__ = ["RemoteError", "run_remote"]

_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


class RemoteError(Exception):
    """The endpoint could not be reached, or refused the query (the message says which)."""


def run_remote(
    endpoint: str,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    graph: str | None = None,
    auth: Credentials | None = None,
    timeout: float = 60.0,
) -> Result:
    """Run ``sparql`` with ``bindings`` on the endpoint at ``endpoint``.

    Parameters
    ----------
    endpoint : str
        The query service URL (``http://localhost:7878/sparql``); ``user:password@`` in it is sent
        as basic auth and never shown.
    sparql : str
        The query; ``bindings`` are bound as in :func:`papergraph.query.store.run`.
    graph : str, optional
        The default graph to query (``default-graph-uri``).
    auth : Credentials, optional
        Sent as the ``Authorization`` header.
    timeout : float
        Seconds to wait for the answer.

    Returns
    -------
    QuerySolutions, QueryBoolean or QueryTriples
        As the embedded store returns them.
    """
    parts = urlsplit(endpoint)
    netloc = parts.netloc.rpartition("@")[2]
    url = urlunsplit(parts._replace(netloc=netloc))
    if graph:
        url += ("&" if parts.query else "?") + urlencode({"default-graph-uri": graph})
    headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": _ACCEPT}
    if auth is not None:
        headers.update(auth.header())
    data = bind(sparql, bindings).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise RemoteError(f"{redact(endpoint)} answered HTTP {exc.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise RemoteError(f"cannot reach {redact(endpoint)}: {getattr(exc, 'reason', exc)}") from None
    if media in ("application/sparql-results+json", "application/json"):
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if media == "text/turtle":  # a CONSTRUCT or DESCRIBE: its triples, as a local query gives them
        store = ox.Store()
        store.load(body, format=ox.RdfFormat.TURTLE)
        return store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    raise RemoteError(f"{redact(endpoint)} answered {media or 'no media type'}, not SPARQL results")
