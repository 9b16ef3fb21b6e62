"""JSON records: JSON Lines, arrays, wrapper objects and single objects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS_FILES as CORPUS
from conftest import SCIREX, needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from papergraph.model import Problem, Record
from papergraph.sources import READERS, detect, json_records, read_file
from papergraph.sources.decoding import decode


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(text: str, path: str = "x.json") -> tuple[list[Record], list[Problem]]:
    items = list(json_records.read(text, path))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Problem)]


# --- the real SciREX dev file ------------------------------------------------------------------


@needs_shared(SCIREX)
def test_scirex_dev_reads_100_records():
    records, problems, fmt = read_file(SCIREX)
    assert fmt == "json"
    assert problems == []
    assert len(records) == 100
    assert all(r.id and r.id.startswith("scirex:") for r in records)
    assert len({r.id for r in records}) == 100
    assert all(r.title and r.abstract for r in records)
    assert all(r.source.format == "jsonl" for r in records)
    assert [r.source.line for r in records] == list(range(1, 101))
    first = json.loads(SCIREX.read_text(encoding="utf-8").split("\n", 1)[0])
    assert records[0].id == first["id"] and records[0].abstract == first["abstract"]
    extra = dict(records[0].extra)
    assert set(extra) == {"mentions", "salient"}
    assert json.loads(extra["mentions"]) == first["mentions"]


@needs_shared(SCIREX)
def test_scirex_dev_is_rejected_by_every_other_reader():
    text, _ = decode(SCIREX.read_bytes(), str(SCIREX))
    assert text is not None
    assert json_records.sniff(text, str(SCIREX))
    others = [r for r in READERS if r is not json_records]
    assert [r.NAME for r in others if r.sniff(text, str(SCIREX))] == []
    assert detect(text, str(SCIREX)) == "json"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_sniff_rejects_corpus_text_files(path: Path):
    text, _ = decode(path.read_bytes(), str(path))
    assert text is not None
    assert not json_records.sniff(text, str(path))


# --- sniff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"title": "A", "abstract": "x"}\n',
        '  \n[\n  {"abstract": "x"}\n]\n',
        "[]",
        '{"records": [',
    ],
)
def test_sniff_accepts_json(text: str):
    assert json_records.sniff(text, "data.txt")


@pytest.mark.parametrize(
    "text",
    [
        "title,abstract\nA,x\n",
        "@article{k, title = {A}}\n",
        '<feed xmlns="http://www.w3.org/2005/Atom"></feed>',
        "Abstract: We propose X.\n",
        "[1] Smith et al. A paper.\n",
        "{BERT} is a model.\n",
        "",
    ],
)
def test_sniff_rejects_other_text(text: str):
    assert not json_records.sniff(text, "data.json")


# --- JSON Lines --------------------------------------------------------------------------------


def test_jsonl_truncated_line_is_reported_and_reading_continues(tmp_path: Path):
    path = _write(
        tmp_path,
        "papers.txt",
        "\n".join(
            [
                '{"id": "a", "title": "First", "abstract": "We propose A."}',
                '{"id": "b", "title": "Second", "abstract": "We prop',
                "",
                '{"id": "c", "title": "Third", "abstract": "We propose C."}',
            ]
        )
        + "\n",
    )
    records, problems, fmt = read_file(path)
    assert fmt == "json"
    assert [(r.id, r.source.line, r.source.format) for r in records] == [("a", 1, "jsonl"), ("c", 4, "jsonl")]
    assert len(problems) == 1
    assert problems[0].line == 2
    assert "not valid JSON" in problems[0].message and "record 2" in problems[0].message


def test_jsonl_record_without_abstract(tmp_path: Path):
    text = '{"id": 1, "abstract": "x"}\n{"id": 2, "title": "T"}\n{"id": 3, "abstract": "  "}\n[1, 2]\n'
    records, problems = _read(text, "a.jsonl")
    assert [r.id for r in records] == ["1"]
    assert [(p.line, p.message) for p in problems] == [
        (2, "record 2 (id '2') has no abstract"),
        (3, "record 3 (id '3') has no abstract"),
        (4, "record 4 is not a JSON object (found list)"),
    ]


def test_jsonl_with_broken_first_line_is_still_json_lines():
    text = '{"id": "a", "abstract": \n{"id": "b", "abstract": "B"}\n{"id": "c", "abstract": "C"}\n'
    records, problems = _read(text)
    assert [(r.id, r.source.line) for r in records] == [("b", 2), ("c", 3)]
    assert [p.line for p in problems] == [1]


def test_single_line_jsonl_file_by_extension_hint():
    records, problems = _read('{"id": "a", "abstract": "A"}\n', "one.jsonl")
    assert problems == [] and records[0].source.format == "jsonl"
    records, _ = _read('{"id": "a", "abstract": "A"}\n', "one.json")
    assert records[0].source.format == "json"


# --- arrays and wrapper objects ----------------------------------------------------------------


ARRAY = """[
  {
    "id": "a",
    "title": "First",
    "abstract": "We propose A."
  },
  {
    "id": "b",
    "title": "Broken",
    "abstract": "We propose B.
  },
  {
    "id": "c",
    "authors": [{"name": "Ann Lee"}, {"name": "Bo Li"}],
    "abstract": "We propose C."
  }
]
"""


def test_array_with_a_broken_element_keeps_the_others(tmp_path: Path):
    path = _write(tmp_path, "papers.json", ARRAY)
    records, problems, fmt = read_file(path)
    assert fmt == "json"
    assert [(r.id, r.source.line, r.source.format) for r in records] == [("a", 2, "json"), ("c", 12, "json")]
    assert records[1].authors == ("Ann Lee", "Bo Li")
    assert len(problems) == 1
    assert problems[0].line == 7
    assert "record 2 is not valid JSON" in problems[0].message and "line 10" in problems[0].message


def test_truncated_array_keeps_the_records_before_the_cut():
    text = ARRAY.split('    "id": "c"')[0].replace('"We propose B.\n', '"We propose B."\n')
    records, problems = _read(text)
    assert [r.id for r in records] == ["a", "b"]
    assert [p.line for p in problems] == [12]
    assert "not valid JSON" in problems[0].message


def test_array_not_closed_after_last_record():
    records, problems = _read('[\n{"id": "a", "abstract": "A"},\n')
    assert [r.id for r in records] == ["a"]
    assert [(p.line, p.message) for p in problems] == [(1, "the JSON array is not closed (file truncated?)")]


@pytest.mark.parametrize("key", ["records", "papers", "data", "results"])
def test_wrapper_object(key: str):
    text = (
        f'{{"count": 2,\n "{key}": [\n  {{"id": 7, "abstract": "A"}},\n'
        '  {"id": 8, "title": "no abstract"}\n ]\n}\n'
    )
    records, problems = _read(text)
    assert [(r.id, r.source.line) for r in records] == [("7", 3)]
    assert [(p.line, p.message) for p in problems] == [(4, "record 2 (id '8') has no abstract")]


def test_broken_wrapper_object_keeps_the_records_before_the_break():
    text = '{\n "papers": [\n  {"id": 1, "abstract": "A"},\n  {"id": 2, "abstract": "B"},\n  {"id": 3, "abs'
    records, problems = _read(text)
    assert [r.id for r in records] == ["1", "2"]
    assert [p.line for p in problems] == [5]


def test_single_object_is_one_record():
    text = '{\n  "id": "x1",\n  "title": "T",\n  "abstract": "A",\n  "data": ["CIFAR-10"]\n}\n'
    records, problems = _read(text)
    assert problems == []
    assert len(records) == 1
    assert records[0].id == "x1" and records[0].source.line == 1
    assert records[0].extra == (("data", '["CIFAR-10"]'),)


def test_broken_single_object_is_one_problem():
    records, problems = _read('{\n  "id": "x1",\n  "abstract": "A"\n  "title": "T"\n}\n')
    assert records == []
    assert len(problems) == 1
    assert problems[0].line == 1 and "line 4" in problems[0].message


# --- fields ------------------------------------------------------------------------------------


def test_fields_are_mapped_and_unknown_fields_kept_in_extra():
    value = {
        "id": 42,
        "title": "  A  paper\n title ",
        "abstract": "We do X.",
        "authors": "Ann Lee; Bo Li",
        "published": "Jun 29, 2023",
        "url": "https://x.org/a",
        "references": [1, "arXiv:2401.01234", {"id": "p9"}],
        "venue": "ACL",
        "scores": {"b": 1, "a": [1, 2]},
        "doi": "10.1/abc",
        "empty": None,
    }
    records, problems = _read(json.dumps(value))
    assert problems == []
    (r,) = records
    assert r.id == "42"
    assert r.title == "A paper title"
    assert r.authors == ("Ann Lee", "Bo Li")
    assert r.date == "2023-06-29"
    assert r.url == "https://x.org/a"
    assert r.references == ("1", "arXiv:2401.01234", "p9")
    assert r.extra == (("doi", "10.1/abc"), ("scores", '{"b":1,"a":[1,2]}'), ("venue", "ACL"))


def test_doi_and_arxiv_id_stand_in_for_a_missing_id():
    records, _ = _read('[{"doi": "10.1/x", "abstract": "A"}, {"arxiv_id": "2401.01234v2", "abstract": "B"}]')
    assert [r.id for r in records] == ["10.1/x", "arXiv:2401.01234"]


def test_hugging_face_api_shape():
    value = [
        {
            "paper": {
                "id": "2401.01234",
                "summary": "We do X.",
                "upvotes": 12,
                "authors": [{"name": "Ann Lee"}],
                "publishedAt": "2024-01-02T18:00:00.000Z",
            },
            "title": "X",
        }
    ]
    (r,), problems = _read(json.dumps(value))
    assert problems == []
    assert (r.id, r.title, r.abstract, r.upvotes, r.authors, r.date) == (
        "2401.01234",
        "X",
        "We do X.",
        12,
        ("Ann Lee",),
        "2024-01-02",
    )


def test_year_field_and_unparseable_date():
    records, _ = _read('[{"abstract": "A", "date": "someday", "year": 2021}]')
    assert records[0].date == "2021"
    assert records[0].extra == (("date", "someday"),)


def test_read_never_raises_on_garbage():
    for text in ["[", "{", '[{"abstract": "A"} {"abstract": "B"}]', '{"a": 1} trailing', "[1, 2", '{"x"']:
        items = list(json_records.read(text, "g.json"))
        assert all(isinstance(i, Record | Problem) for i in items)
    records, problems = _read('[{"abstract": "A"} {"abstract": "B"}]')
    assert [r.abstract for r in records] == ["A"]
    assert [p.message for p in problems] == ["expected ',' or ']' after record 1"]


# --- robustness --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('{}[]",:\n abc1\\')), max_size=300))
def test_read_and_sniff_never_raise(text: str):
    json_records.sniff(text, "x")
    items = list(json_records.read(text, "x"))
    assert all(isinstance(i, Record | Problem) for i in items)


def test_every_truncation_of_the_sample_is_read_without_raising():
    lines = ARRAY.count("\n") + 1
    for cut in range(len(ARRAY)):
        items = list(json_records.read(ARRAY[:cut], "x"))
        assert all(
            isinstance(i, Record) or (isinstance(i, Problem) and 1 <= (i.line or 1) <= lines) for i in items
        )
