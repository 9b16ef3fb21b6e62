"""arXiv API Atom feeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS_FILES as CORPUS
from conftest import SCIREX, needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from papergraph.model import Problem, Record
from papergraph.sources import atom, detect, read_file
from papergraph.sources.decoding import decode

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom">
  <link href="http://arxiv.org/api/query?search_query=all:lora" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=all:lora</title>
  <opensearch:totalResults>3</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/2106.09685v2</id>
    <updated>2021-10-16T21:02:12Z</updated>
    <published>2021-06-17T17:37:18Z</published>
    <title>LoRA: Low-Rank Adaptation of
  Large Language Models</title>
    <summary>  An important paradigm of natural language processing consists of large-scale
pretraining on general domain data and adaptation to particular tasks.
We propose Low-Rank Adaptation, or LoRA.
</summary>
    <author>
      <name>Edward J. Hu</name>
    </author>
    <author>
      <name>Yelong Shen</name>
    </author>
    <arxiv:comment>Draft V2 includes better baselines</arxiv:comment>
    <link href="http://arxiv.org/abs/2106.09685v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2106.09685v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9901001v1</id>
    <published>1999-01-04T12:00:00Z</published>
    <title>An old-style identifier</title>
    <summary>We study strings &amp; branes.</summary>
    <author><name>A. Physicist</name></author>
    <arxiv:doi>10.1000/xyz</arxiv:doi>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2401.01234v1</id>
    <published>2024-01-02T18:00:00Z</published>
    <title>No summary here</title>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/2402.00001v3</id>
    <published>2024-02-01T00:00:00Z</published>
    <title>Fourth</title>
    <summary>We propose D.</summary>
  </entry>
</feed>
"""


def _read(text: str, path: str = "feed.xml") -> tuple[list[Record], list[Problem]]:
    items = list(atom.read(text, path))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Problem)]


def test_arxiv_feed(tmp_path: Path):
    path = tmp_path / "query.txt"  # the extension does not matter
    path.write_text(FEED, encoding="utf-8")
    records, problems, fmt = read_file(path)
    assert fmt == "arxiv-atom"
    assert [(r.id, r.source.line, r.source.format) for r in records] == [
        ("arXiv:2106.09685", 7, "arxiv-atom"),
        ("arXiv:hep-th/9901001", 30, "arxiv-atom"),
        ("arXiv:2402.00001", 43, "arxiv-atom"),
    ]
    lora = records[0]
    assert lora.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert lora.abstract == (
        "An important paradigm of natural language processing consists of large-scale "
        "pretraining on general domain data and adaptation to particular tasks. "
        "We propose Low-Rank Adaptation, or LoRA."
    )
    assert lora.authors == ("Edward J. Hu", "Yelong Shen")
    assert lora.date == "2021-06-17"
    assert lora.url == "http://arxiv.org/abs/2106.09685v2"
    assert dict(lora.extra) == {
        "categories": "cs.CL,cs.AI",
        "comment": "Draft V2 includes better baselines",
        "pdf": "http://arxiv.org/pdf/2106.09685v2",
        "primary_category": "cs.CL",
        "updated": "2021-10-16T21:02:12Z",
    }
    old = records[1]
    assert (old.abstract, old.date, old.url) == (
        "We study strings & branes.",
        "1999-01-04",
        "http://arxiv.org/abs/hep-th/9901001v1",
    )
    assert dict(old.extra)["doi"] == "10.1000/xyz"
    assert [(p.line, p.message) for p in problems] == [
        (38, "entry 3 (http://arxiv.org/abs/2401.01234v1) has no summary (abstract)")
    ]


def test_broken_xml_keeps_entries_before_the_error():
    broken = FEED.replace("<title>Fourth</title>", "<title>Fourth</titel>")
    records, problems = _read(broken)
    assert [r.id for r in records] == ["arXiv:2106.09685", "arXiv:hep-th/9901001"]
    assert len(problems) == 2
    assert problems[0].line == 38  # the entry without a summary
    assert problems[1].line == 46 and problems[1].message.startswith("invalid XML: mismatched tag")


def test_truncated_feed():
    records, problems = _read(FEED[: FEED.index("<entry>", FEED.index("hep-th")) + 20])
    assert [r.id for r in records] == ["arXiv:2106.09685", "arXiv:hep-th/9901001"]
    assert len(problems) == 1
    assert problems[0].message.startswith("invalid XML: no element found")
    assert problems[0].line == 39  # where the file ends, inside the third entry


def test_doctype_and_entities_are_refused():
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE feed [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><summary>&lol2;</summary>'
        "</entry></feed>\n"
    )
    assert atom.sniff(laughs, "x.xml")
    records, problems = _read(laughs)
    assert records == []
    assert len(problems) == 1 and problems[0].line == 2
    assert "refused" in problems[0].message


def test_arxiv_api_error_entry_is_a_problem():
    error = (
        '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n'
        "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id>\n<title>Error</title>\n"
        "<summary>incorrect id format for 1234</summary>\n</entry>\n</feed>\n"
    )
    records, problems = _read(error)
    assert records == []
    assert [(p.line, p.message) for p in problems] == [
        (2, "the arXiv API reported an error: incorrect id format for 1234")
    ]


def test_non_arxiv_atom_entry_keeps_its_id():
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:uuid:1234</id>'
        "<title>T</title><summary>S</summary><updated>2020-05-06T00:00:00Z</updated></entry></feed>"
    )
    (r,), problems = _read(feed)
    assert problems == []
    assert (r.id, r.url, r.date) == ("urn:uuid:1234", None, "2020-05-06")


def test_empty_feed_has_no_records(tmp_path: Path):
    path = tmp_path / "empty.xml"
    path.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>Nothing</title></feed>\n')
    records, problems, fmt = read_file(path)
    assert (records, fmt) == ([], "arxiv-atom")
    assert [p.message for p in problems] == ["no paper records found (read as arxiv-atom)"]


@pytest.mark.parametrize(
    "text",
    [
        FEED,
        '<feed xmlns="http://www.w3.org/2005/Atom"/>',
        "\n<atom:feed xmlns:atom='http://www.w3.org/2005/Atom'></atom:feed>",
    ],
)
def test_sniff_accepts_atom(text: str):
    assert atom.sniff(text, "x.txt")
    assert detect(text, "x.txt") == "arxiv-atom"


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0"?><rss version="2.0"><channel><item><title>T</title></item></channel></rss>',
        "<html><body>http://www.w3.org/2005/Atom</body></html>",
        'title,abstract\nAtom feeds,<feed xmlns="http://www.w3.org/2005/Atom">\n',
        "We parse <feed> elements in the http://www.w3.org/2005/Atom namespace.\n",
        '{"abstract": "<feed xmlns=\\"http://www.w3.org/2005/Atom\\">"}',
    ],
)
def test_sniff_rejects_other_text(text: str):
    assert not atom.sniff(text, "feed.xml")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_sniff_rejects_corpus_text_files(path: Path):
    text, _ = decode(path.read_bytes(), str(path))
    assert text is not None and not atom.sniff(text, str(path))


@needs_shared(SCIREX)
def test_sniff_rejects_scirex_jsonl():
    text, _ = decode(SCIREX.read_bytes(), str(SCIREX))
    assert text is not None and not atom.sniff(text, str(SCIREX))


# --- robustness --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('<>/="\n &;!entry')), max_size=300))
def test_read_and_sniff_never_raise(text: str):
    atom.sniff(text, "x")
    items = list(atom.read(text, "x"))
    assert all(isinstance(i, Record | Problem) for i in items)


def test_every_truncation_of_the_sample_is_read_without_raising():
    lines = FEED.count("\n") + 1
    for cut in range(len(FEED)):
        items = list(atom.read(FEED[:cut], "x"))
        assert all(
            isinstance(i, Record) or (isinstance(i, Problem) and 1 <= (i.line or 1) <= lines) for i in items
        )
