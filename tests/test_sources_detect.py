"""Format recognition, decoding and folder reading across readers."""

from __future__ import annotations

import json

from conftest import CORPUS, SCIREX, need_shared

from papergraph.sources import decoding, detect, read_file, read_paths


def test_every_corpus_file_is_recognised(corpus):
    formats = {
        p.name[:3]: detect(p.read_text(encoding="utf-8"), str(p)) for p in sorted(CORPUS.glob("*.txt"))
    }
    assert formats == {
        "000": "abstract-lines",
        "001": "abstract-lines",
        "002": "hf-daily",
        "003": "hf-daily",
        "004": "hf-daily",
    }


def test_reference_corpus_has_224_records(corpus):
    result = read_paths([corpus])
    assert len(result.records) == 224 and result.problems == ()
    assert [f.records for f in result.files] == [10, 6, 58, 73, 77]


def test_scirex_jsonl_is_recognised():
    path = need_shared(SCIREX)
    records, problems, fmt = read_file(path)
    assert (len(records), problems, fmt) == (100, [], "json")


def test_decoding_latin1_utf16_and_binary():
    text, warning = decoding.decode("Abstract: café\r\n".encode("cp1252"), "f.txt")
    assert text == "Abstract: café\n" and warning is not None and warning.line == 1
    text, warning = decoding.decode("Abstract: naïve\n".encode("utf-16"), "f.txt")
    assert text == "Abstract: naïve\n" and warning is None
    text, error = decoding.decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "f.png")
    assert text is None and "binary" in error.message


def test_bad_files_are_reported_and_the_rest_is_read(tmp_path):
    (tmp_path / "a_good.txt").write_text("Abstract: We propose FooNet.\n", encoding="utf-8")
    (tmp_path / "b_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "c_binary.dat").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "d_prose.txt").write_text("Just a note to myself.\n", encoding="utf-8")
    (tmp_path / "e_records.jsonl").write_text(
        json.dumps({"id": "r1", "title": "T", "abstract": "We use BERT."}) + "\n{broken\n", encoding="utf-8"
    )
    result = read_paths([tmp_path, tmp_path / "missing.txt"])
    assert sorted(r.abstract for r in result.records) == ["We propose FooNet.", "We use BERT."]
    messages = {p.path.rsplit("/", 1)[-1]: p for p in result.problems}
    assert set(messages) == {"b_empty.txt", "c_binary.dat", "d_prose.txt", "e_records.jsonl", "missing.txt"}
    assert messages["e_records.jsonl"].line == 2
    assert "not recognised" in messages["d_prose.txt"].message
