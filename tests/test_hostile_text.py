"""Every input string is data: records with arbitrary text (hypothesis) are built end to end from
JSON Lines, CSV and BibTeX files, and every output is read back.

- the build never crashes, and every record is a paper or a named problem;
- Turtle, N-Triples and JSON-LD re-parse (rdflib) to a graph isomorphic to the one written, with
  each paper's title and abstract as exact literals;
- GraphML reads back (networkx) with exactly the attributes written;
- the HTML page has the same element structure whatever the text, carries the text only inside
  its JSON data block (which parses back to it) and in escaped HTML text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import networkx
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from papergraph import build
from papergraph.export.html import render_html
from papergraph.export.networkx_graph import graphml_graph
from papergraph.export.rdf import node_iri

#: Text that has broken serialisers, parsers and pages somewhere.
NASTY = [
    '"',
    '"""',
    "'''",
    "\\",
    '\\"',
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u202e",
    "\ud800",
    "\udfff",
    "\U0001f600",
    "</script>",
    "<!--",
    "]]>",
    "<img src=x onerror=alert(1)>",
    "&amp;",
    "&#0;",
    "${x}",
    "{{x}}",
    "} ; DROP ALL ; {",
    "@prefix x: <y> .",
    "_:b0",
    "<http://x/>",
    "%00",
    "ü",
    "\u0301",
]

fragment = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
hostile = st.lists(fragment, max_size=6).map("".join)


@st.composite
def records(draw) -> list[dict]:
    """1-3 records whose every field is hostile text, around a name extraction picks up."""
    out = []
    for i in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(["FooNet", "BarNet", "LoRA"]))
        out.append(
            {
                "id": f"r{i}" + draw(hostile),
                "title": draw(hostile) + f" {name}: " + draw(hostile),
                "abstract": f"We propose {name}, which outperforms ResNet-50 on ImageNet. " + draw(hostile),
                "authors": [draw(hostile), draw(hostile)],
                "url": "https://example.org/" + draw(hostile),
                "date": draw(st.one_of(hostile, st.just("2024-05-01"))),
                "references": [draw(hostile)],
                "note": draw(hostile),
            }
        )
    return out


def _jsonl(recs: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in recs)  # ASCII: lone surrogates as \ud800 escapes


def _csv(recs: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)  # CRLF line ends (the default): fields holding CR or LF get quoted
    writer.writerow(["Title", "Abstract", "Authors", "DOI", "Note"])
    for r in recs:
        writer.writerow([r["title"], r["abstract"], "; ".join(r["authors"]), r["id"], r["note"]])
    return buf.getvalue()


def _bibtex(recs: list[dict]) -> str:
    return "".join(
        f"@article{{k{i},\n  title = {{{r['title']}}},\n  abstract = {{{r['abstract']}}},\n"
        f"  author = {{{' and '.join(r['authors'])}}}\n}}\n\n"
        for i, r in enumerate(recs)
    )


FILES = {"records.jsonl": _jsonl, "records.csv": _csv, "records.bib": _bibtex}


def _write_inputs(folder: Path, recs: list[dict]) -> None:
    for name, render in FILES.items():
        (folder / name).write_bytes(render(recs).encode("utf-8", "surrogatepass"))


def _rdf_round_trips(kg, folder: Path) -> None:
    written = kg.to_rdf()
    for name, fmt in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        path = getattr(kg, {"ttl": "write_turtle", "nt": "write_ntriples", "jsonld": "write_jsonld"}[name])(
            folder / f"graph.{name}"
        )
        parsed = rdflib.Graph().parse(path, format=fmt)
        assert isomorphic(parsed, written), name
        for paper in kg.papers:
            iri = node_iri(paper.key)
            if paper.abstract:  # a paper without abstract (a BibTeX entry with a title only) has none
                assert (iri, DCTERMS.abstract, rdflib.Literal(paper.abstract)) in parsed, name
            if paper.title:
                assert (iri, DCTERMS.title, rdflib.Literal(paper.title)) in parsed, name


def _graphml_round_trips(kg, folder: Path) -> None:
    path = kg.write_graphml(folder / "graph.graphml")
    back = networkx.read_graphml(path, force_multigraph=True)
    written = graphml_graph(kg)
    assert dict(back.nodes(data=True)) == dict(written.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True), key=repr) == sorted(
        written.edges(keys=True, data=True), key=repr
    )


class _Structure(HTMLParser):
    """Start tags with their attribute names, the text outside scripts, and the JSON data block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []
        self.data: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))
        self._in = "data" if ("id", "pg-data") in attrs else tag

    def handle_endtag(self, tag) -> None:
        self._in = None

    def handle_data(self, data) -> None:
        if self._in == "data":
            self.data = (self.data or "") + data
        elif self._in not in ("script", "style"):
            self.text.append(data)


def _page(kg, title: str) -> _Structure:
    parser = _Structure()
    parser.feed(render_html(kg, title=title))
    parser.close()
    return parser


BASELINE: list = []


def _html_is_inert(kg, recs: list[dict]) -> None:
    if not BASELINE:
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "a.txt").write_text("Abstract: We propose FooNet on ImageNet.\n")
            BASELINE.append(_page(build([folder]), "plain").tags)
    title = recs[0]["title"]
    page = _page(kg, title)
    assert page.tags == BASELINE[0]  # no element or attribute came from the input
    assert page.data is not None and "<" not in page.data
    data = json.loads(page.data)
    shown = json.dumps(data, ensure_ascii=False)
    for paper in kg.papers:
        assert json.dumps(paper.abstract, ensure_ascii=False)[1:-1] in shown
    # what the page may leave out of a text: C0 controls but tab and newlines, DEL, lone surrogates
    visible = re.sub("[\ud800-\udfff]", "\ufffd", re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", title))
    assert "".join(page.text).count(visible) >= 2  # in <title> and <h1>, as text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recs=records())
@example(
    recs=[
        {
            "id": "r0",
            "title": '<img src=x onerror=alert(1)> """ FooNet: \\ </script>',
            "abstract": 'We propose FooNet, which outperforms ResNet-50 on ImageNet. "} ; DROP ALL ; {"',
            "authors": ["A \x00 B", "\ud800"],
            "url": "https://example.org/\u2028",
            "date": "\n",
            "references": ["]]>"],
            "note": "\x1b[31m",
        }
    ]
)
@example(  # a small CSV whose one field is control bytes and a lone surrogate (written as UTF-8 with
    # surrogatepass) is still text: both were refused as binary, without a line
    recs=[
        {
            "id": "r0",
            "title": " FooNet: ",
            "abstract": "We propose FooNet, which outperforms ResNet-50 on ImageNet. ",
            "authors": ["", ""],
            "url": "https://example.org/",
            "date": "",
            "references": [""],
            "note": "\x00\ud800\x1f\x1f\x1f\x1f\x1f\x1f",
        }
    ]
)
def test_arbitrary_text_is_built_and_survives_every_output(recs: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        _write_inputs(folder, recs)
        kg = build([folder])
        jsonl = [f.records for f in kg.files if f.path.endswith(".jsonl")]
        assert jsonl == [len(recs)]  # JSON carries any text: nothing skipped
        assert not [p for p in kg.problems if p.skipped and p.path.endswith(".jsonl")]
        for p in kg.problems:  # the CSV and BibTeX files may lose records (NUL bytes, braces): named
            assert Path(p.path).name in FILES and p.line
        out = Path(tmp) / "out"
        _rdf_round_trips(kg, out)
        _graphml_round_trips(kg, out)
        if kg.papers:
            _html_is_inert(kg, recs)
