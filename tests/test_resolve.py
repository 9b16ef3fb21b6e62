"""Resolution: one paper per real paper, one entity per real entity, links between papers."""

from __future__ import annotations

from papergraph.extract import extract
from papergraph.model import Evidence, Mention, Record, Relation, SourceRef
from papergraph.resolve import arxiv_id, cluster_names, cluster_records, resolve, resolve_entities


def rec(abstract: str, title: str | None = None, path: str = "a.txt", line: int = 1, **kw) -> Record:
    return Record(SourceRef(path, line, "test"), abstract=abstract, title=title, **kw)


def rel(text: str, kind: str = "Method", aliases: tuple[str, ...] = (), relation: str = "uses") -> Relation:
    return Relation(relation, Mention(text, kind, 0, len(text)), Evidence(text, 0, len(text)), aliases)


ABSTRACT = "We study the problem of something important in machine learning research at length. " * 3


def test_same_title_modulo_case_and_punctuation_is_one_paper():
    groups = cluster_records(
        [
            rec(ABSTRACT, "JetMoE: Reaching Llama2"),
            rec(ABSTRACT + " More.", "jetmoe reaching LLAMA2!", path="b.txt"),
        ]
    )
    assert groups == [[0, 1]]


def test_near_identical_abstract_without_title_is_one_paper():
    edited = ABSTRACT.replace("important", "importnt", 1)
    groups = cluster_records([rec(ABSTRACT, "A Title"), rec(edited), rec("Something else entirely " * 5)])
    assert groups == [[0, 1], [2]]


def test_different_titles_with_similar_abstracts_stay_apart():
    assert cluster_records([rec(ABSTRACT, "Paper One"), rec(ABSTRACT, "Paper Two")]) == [[0], [1]]


def test_shared_identifier_is_one_paper():
    a = rec("First text about things. " * 4, "One", id="arXiv:2106.09685")
    b = rec("Other text about stuff. " * 4, "Other title", url="https://arxiv.org/abs/2106.09685v2")
    assert cluster_records([a, b]) == [[0, 1]]
    assert arxiv_id(b) == "2106.09685"


def test_surface_variants_merge_and_versions_do_not():
    roots = cluster_names(
        [
            rel("LLaMA2-7B"),
            rel("Llama2-7B"),
            rel("LLAMA2-7B"),
            rel("Llama 2 7B"),
            rel("GPT-3"),
            rel("GPT-4"),
            rel("ResNet-50"),
            rel("ResNet-101"),
            rel("CIFAR-10", "Dataset"),
            rel("CIFAR-100", "Dataset"),
            rel("Llama2"),
            rel("Llama3"),
            rel("diffusion models"),
            rel("Diffusion Model"),
        ]
    )
    assert len({roots[k] for k in ("llama27b", "llama27b")}) == 1
    assert roots["gpt3"] != roots["gpt4"]
    assert roots["resnet50"] != roots["resnet101"]
    assert roots["cifar10"] != roots["cifar100"]
    assert roots["llama2"] != roots["llama3"]
    assert roots["diffusionmodel"] == roots["diffusionmodel"]


def test_acronym_joins_its_expansion_across_papers():
    entities, by_norm = resolve_entities(
        [rel("Low-Rank Adaptation", aliases=("LoRA",)), rel("LoRA"), rel("LoRA"), rel("low-rank adaptation")]
    )
    assert len(entities) == 1
    lora = entities[0]
    assert lora.label == "Low-Rank Adaptation" and "LoRA" in lora.aliases
    assert by_norm["lora"] == by_norm["lowrankadaptation"] == lora.key == "method/low-rank-adaptation"


def test_acronym_with_different_expansions_is_not_merged():
    _, by_norm = resolve_entities(
        [
            rel("Contrastive Language-Image Pretraining", aliases=("CLIP",)),
            rel("Clipped Linear Interpolation Policy", aliases=("CLIP",)),
        ]
    )
    assert by_norm["contrastivelanguageimagepretraining"] != by_norm["clippedlinearinterpolationpolicy"]


def test_checkpoint_links_to_its_family():
    entities, _ = resolve_entities([rel("Llama2-7B"), rel("Llama2"), rel("Llama2-13B")])
    by_label = {e.label: e for e in entities}
    assert by_label["Llama2-7B"].broader == by_label["Llama2"].key
    assert by_label["Llama2-13B"].broader == by_label["Llama2"].key
    assert by_label["Llama2"].broader is None and len(entities) == 3


def test_resolve_links_papers_that_use_what_another_proposes():
    a = rec(
        "We propose FooNet, a sparse network for image classification.", "FooNet: Sparse Networks", "a.txt"
    )
    b = rec(
        "We fine-tune FooNet on ImageNet and report accuracy. Our model outperforms FooNet.",
        "Another Paper",
        "b.txt",
        id="p2",
        references=("p1",),
    )
    c = rec("We evaluate on ImageNet.", "Third", "c.txt", id="p1")
    papers, entities, edges = resolve([extract(a), extract(b), extract(c)])
    key = {p.title: p.key for p in papers}
    links = {(e.source, e.relation, e.target) for e in edges}
    assert (key["Another Paper"], "builds-on", key["FooNet: Sparse Networks"]) in links
    assert (key["Another Paper"], "uses-method-in", key["FooNet: Sparse Networks"]) in links
    assert (key["Another Paper"], "cites", key["Third"]) in links
    foonet = next(e for e in entities if e.label == "FooNet")
    assert (key["Another Paper"], "improves-on", foonet.key) in links
    assert (key["FooNet: Sparse Networks"], "proposes", foonet.key) in links
