"""One SPARQL 1.1 Protocol operation on a store: a query or an update, answered as HTTP would.

The endpoint (:mod:`papergraph.query.serve`) reads the request; a worker process
(:mod:`papergraph.query.workers`) calls :func:`answer` with it as a :class:`Job` and sends the
:class:`Answer` back: a status, a media type and the body, SPARQL results in the format the
``Accept`` header asks for (JSON by default, XML, CSV or TSV; CONSTRUCT/DESCRIBE graphs as Turtle by
default, N-Triples or RDF/XML). A result is serialised into a buffer that refuses to grow past a
limit, so a query that matches too much costs the limit, not the memory of the whole answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

import pyoxigraph as ox

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "Answer", "Job", "answer", "negotiate"]

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
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class Job:
    """A query or an update as the endpoint received it (plain data: it crosses a pipe).

    ``update`` says which; ``default_graphs`` and ``named_graphs`` are the protocol's
    ``default-graph-uri`` and ``named-graph-uri`` (queries only); ``accept`` the ``Accept`` header.
    """

    text: str
    update: bool = False
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    accept: str | None = None


@dataclass(frozen=True)
class Answer:
    """What the endpoint sends back: an HTTP status, the body and its media type."""

    status: int
    body: bytes
    media: str = "text/plain; charset=utf-8"

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        """A plain-text error answer."""
        return cls(status, (message.rstrip() + "\n").encode("utf-8"))


class TooLarge(Exception):
    """The result grew past the limit."""


class _Bounded:
    """A binary file that keeps what is written to it and raises :class:`TooLarge` past ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


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
        if not neg_q < 0:  # q=0, or not a number
            break
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            for o in offered:
                if media == "*/*" or o.startswith(prefix + "/"):
                    return o
        elif media in offered:
            return media
    return None


def answer(store: ox.Store, job: Job, max_result: int) -> Answer:
    """Run ``job`` on ``store`` and answer it: 200 with the results (204 for an update), 400 for a
    bad query, 406 when no result format is acceptable, 422 when the serialised result would pass
    ``max_result`` bytes.

    Parameters
    ----------
    store:
        The store to run on (read-only for queries; an update changes it).
    job:
        The query or update, with the protocol's dataset and the ``Accept`` header.
    max_result:
        The most bytes a serialised result may have.

    Returns
    -------
    Answer
        The status, body and media type to send.
    """
    if job.update:
        try:
            store.update(job.text)
        except (SyntaxError, ValueError) as exc:
            return Answer.error(HTTPStatus.BAD_REQUEST, f"bad update: {exc}")
        return Answer(HTTPStatus.NO_CONTENT, b"", "text/plain")
    try:
        result = store.query(
            job.text,
            default_graph=[ox.NamedNode(n) for n in job.default_graphs] or None,
            named_graphs=[ox.NamedNode(n) for n in job.named_graphs] or None,
        )
    except (SyntaxError, ValueError) as exc:
        return Answer.error(HTTPStatus.BAD_REQUEST, f"bad query: {exc}")
    out = _Bounded(max_result)
    try:
        if isinstance(result, ox.QueryTriples):
            media = negotiate(job.accept, list(GRAPH_TYPES))
            if media is None:
                return Answer.error(
                    HTTPStatus.NOT_ACCEPTABLE, f"graphs are served as {', '.join(GRAPH_TYPES)}"
                )
            ox.serialize(result, out, format=GRAPH_TYPES[media])
        else:
            media = negotiate(job.accept, list(RESULT_TYPES))
            if media is None:
                return Answer.error(
                    HTTPStatus.NOT_ACCEPTABLE, f"results are served as {', '.join(RESULT_TYPES)}"
                )
            result.serialize(out, format=RESULT_TYPES[media])
    except TooLarge:
        return Answer.error(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            f"the result is over the limit of {max_result:,} bytes (--max-result): "
            "ask for less (LIMIT, fewer variables)",
        )
    except (SyntaxError, ValueError) as exc:  # an error found while evaluating
        return Answer.error(HTTPStatus.BAD_REQUEST, f"bad query: {exc}")
    charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
    return Answer(HTTPStatus.OK, b"".join(out.parts), media + charset)
