"""``papergraph explain-entity GRAPH NAME``: an entity's forms, their papers, and why they merged."""

from __future__ import annotations

import pytest

from papergraph.cli import main


@pytest.fixture(scope="module")
def corpus_ttl(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("explain")
    assert main(["build", str(corpus), "--out", str(out), "--format", "ttl", "--quiet"]) == 0
    return str(out / "graph.ttl")


def explain(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["explain-entity", *args])
    printed = capsys.readouterr()
    return code, printed.out, printed.err


def test_lora_any_case_shows_label_type_key_forms_papers_and_reasons(corpus_ttl, capsys):
    code, out, err = explain(capsys, corpus_ttl, "lora")
    assert code == 0 and not err
    lines = out.splitlines()
    assert lines[0] == "Low-Rank Adaptation"
    assert "  type     Method" in lines
    assert "  key      method/low-rank-adaptation" in lines
    assert "  IRI      https://w3id.org/papergraph/id/method/low-rank-adaptation" in lines
    for form in ('"Low-Rank Adaptation"', '"LoRA"', '"Low-Rank Adaption"', '"low-rank adaptation"'):
        assert f"  {form}" in lines
    block = out[out.index('  "LoRA"') :]
    assert "acronym and expansion of" in block and "defined in" in block
    # papers are listed by label: the paper that misspells the expansion uses this form
    typo = out[out.index('  "Low-Rank Adaption"') :]
    assert "Train Small, Infer Large" in typo
    assert "expands the same acronym" in typo


def test_name_matches_aliases_and_other_spellings(corpus_ttl, capsys):
    code, out, _ = explain(capsys, corpus_ttl, "LLAMA2-7B")
    assert code == 0
    assert out.splitlines()[1] == "  type     Method"
    assert "broader  Llama-2 (its family; a separate node)" in out
    assert "same normal form as" in out
    code, again, _ = explain(capsys, corpus_ttl, "llama 2 7b")  # not written so anywhere: same normal form
    assert code == 0 and again == out


def test_an_acronym_with_several_meanings_lists_every_entity(corpus_ttl, capsys):
    code, out, _ = explain(capsys, corpus_ttl, "PEFT")
    assert code == 0
    heads = [block.splitlines()[0] for block in out.strip().split("\n\n")]
    assert len(heads) >= 2
    assert {"Parameter-efficient fine-tuning", "Parameter-Efficient Tuning"} <= set(heads)
    assert "other papers expand it differently" in out
    assert 'also   a form of "' in out


def test_a_family_lists_its_checkpoints(corpus_ttl, capsys):
    code, out, _ = explain(capsys, corpus_ttl, "Llama2")
    assert code == 0
    narrower = next(line for line in out.splitlines() if line.startswith("  narrower"))
    assert "llama-2-13b" in narrower.casefold() and "(checkpoints; separate nodes)" in narrower


def test_an_entity_with_one_form_says_nothing_was_merged(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text(
        "Abstract: We propose FooNet, which outperforms ResNet-50 on ImageNet in accuracy.\n"
        "Abstract: We fine-tune FooNet on CIFAR-10 and report accuracy.\n",
        encoding="utf-8",
    )
    assert main(["build", str(src), "--out", str(tmp_path / "o"), "--format", "ttl", "-q"]) == 0
    capsys.readouterr()
    code, out, _ = explain(capsys, str(tmp_path / "o" / "graph.ttl"), "foonet")
    assert code == 0
    assert out.splitlines()[0] == "FooNet"
    assert "forms (1)" in out and "nothing was merged" in out
    assert "papers   2 (proposes 1, uses 1)" in out


def test_unknown_name_is_a_clear_error_with_exit_2(corpus_ttl, capsys):
    code, out, err = explain(capsys, corpus_ttl, "Lowrank Adaptatoin Thing")
    assert code == 2 and not out
    assert err.startswith("papergraph: error: no entity named 'Lowrank Adaptatoin Thing'")
    assert "Traceback" not in err
    code, _, err = explain(capsys, corpus_ttl, "lor4")
    assert code == 2 and "closest:" in err and "LoRA" in err


def test_missing_graph_file_is_exit_2(tmp_path, capsys):
    code, _, err = explain(capsys, str(tmp_path / "nope.ttl"), "LoRA")
    assert code == 2 and "no such graph file" in err


def test_help_lists_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "explain-entity" in capsys.readouterr().out
