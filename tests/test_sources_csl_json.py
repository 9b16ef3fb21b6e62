"""CSL-JSON on real files (tests/data/exports/real, see its SOURCES.md): a Zotero + Better BibTeX
export and an item of PubMed's citation exporter; and the JSON formats read before it still are."""

from __future__ import annotations

from pathlib import Path

import pytest

from papergraph.cli import main
from papergraph.sources import csl_json, detect, read_file
from papergraph.sources.decoding import decode

REAL = Path(__file__).parent / "data" / "exports" / "real"
EXPORTS = REAL.parent
BBT = "bbt_Pandoc_Citation.csl.json"
MANUBOT = "manubot_pubmed-scihub-study.csl.json"


@pytest.mark.parametrize("name", [BBT, MANUBOT])
def test_detected_from_content(name: str) -> None:
    text, _ = decode((REAL / name).read_bytes(), name)
    assert detect(text, "renamed.dat") == "csl-json"


def test_crossref_and_generic_json_are_not_taken() -> None:
    for name in ("crossref_work.json", "crossref_list.json"):
        assert detect((EXPORTS / name).read_text(encoding="utf-8")) == "crossref"
    assert detect('[{"id": "p1", "title": "T", "abstract": "We do X.", "type": "article"}]') == "json"


def test_better_bibtex_export() -> None:
    records, problems, fmt = read_file(REAL / BBT)
    assert (fmt, len(records), problems) == ("csl-json", 4, [])  # SOURCES.md: 4 items, none with abstract
    assert all(r.abstract == "" for r in records)
    first = records[0]
    assert first.title == "The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru"
    assert first.id is None and first.identifiers == ()  # "Adams2001" is the file's own key
    assert ("csl_id", "Adams2001") in first.extra and ("source", "Bulletin of Volcanology") in first.extra
    assert first.authors[:2] == ("Nancy K Adams", "Shanaka L DeSilva") and len(first.authors) == 7
    assert first.date == "2014-12-31"  # the first date of an issued range
    second = records[1]
    assert second.identifiers == ("doi:10.1484/j.se.2.303788",) and second.date == "1994"
    assert second.title == (
        "Skizze zur Auslegungsgeschichte der Bücher Prouerbia und Ecclesiastes in der abendländischen Kirche"
    )
    assert "(g_1)" in records[3].title and records[3].authors == ()  # an editor is no author


def test_pubmed_csl_item() -> None:
    records, problems, fmt = read_file(REAL / MANUBOT)
    assert (fmt, len(records), problems) == ("csl-json", 1, [])
    r = records[0]
    assert r.identifiers == ("doi:10.7554/elife.32822", "pmid:29424689")
    assert r.date == "2018-03-01" and r.authors[0] == "Daniel S Himmelstein"
    assert r.title == "Sci-Hub provides access to nearly all scholarly literature."
    assert (
        "<ext-link" not in r.abstract and "browser at https://greenelab.github.io/scihub allows" in r.abstract
    )
    assert ("pmcid", "PMC5832410") in r.extra and ("csl_id", "IJbk7Kpe") in r.extra


def test_json_lines_with_a_broken_line_literal_names_and_raw_dates() -> None:
    text = (
        '{"id": "a", "type": "article-journal", "title": "A", "author": [{"literal": "WHO"}],'
        ' "issued": {"raw": "2019-05"}, "keyword": "x; y", "URL": "https://arxiv.org/abs/2106.09685v2"}\n'
        '{"id": "b", "type": "book", "title": "B",\n'
        '{"id": "c", "type": "book", "issued": {"date-parts": [["2001"]]}}\n'
        '{"id": "d", "type": "book", "title": "D", "author": [{"given": "Ludwig", "non-dropping-particle":'
        ' "van", "family": "Beethoven"}]}\n'
    )
    assert detect(text) == "csl-json"
    out = [str(x) if not hasattr(x, "title") else x for x in csl_json.read(text, "lib.jsonl")]
    assert (
        out[0].authors == ("WHO",)
        and out[0].date == "2019-05"
        and out[0].identifiers == ("arXiv:2106.09685",)
    )
    assert ("keywords", "x") in out[0].extra and ("keywords", "y") in out[0].extra
    assert out[1].startswith("lib.jsonl:2: line 2 is not valid JSON")
    assert out[2] == "lib.jsonl:3: CSL-JSON item 'c' has neither a title nor an abstract"
    assert out[3].authors == ("Ludwig van Beethoven",)


def test_build_of_a_real_csl_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(REAL / MANUBOT), "--out", str(out), "--format", "ttl"]) == 0
    assert "1 file: 1 records, 1 distinct papers" in capsys.readouterr().out
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert 'dcterms:identifier "doi:10.7554/elife.32822", "pmid:29424689"' in turtle
    assert 'dcterms:title "Sci-Hub provides access to nearly all scholarly literature."' in turtle
