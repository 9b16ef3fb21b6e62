"""Resolution: one paper per real paper, one entity per real entity, links between papers."""

from __future__ import annotations

from papergraph.extract import extract
from papergraph.model import Evidence, Mention, Record, Relation, SourceRef
from papergraph.resolve import arxiv_id, cluster_names, cluster_records, form_key, resolve, resolve_entities


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
    variants = ("LLaMA2-7B", "Llama2-7B", "LLAMA2-7B", "Llama 2 7B")
    assert len({roots[form_key(v)] for v in variants}) == 1
    assert roots["gpt3"] != roots["gpt4"]
    assert roots["resnet50"] != roots["resnet101"]
    assert roots["cifar10"] != roots["cifar100"]
    assert roots["llama2"] != roots["llama3"]
    assert roots[form_key("diffusion models")] == roots[form_key("Diffusion Model")]
    assert roots[form_key("Llama2")] != roots[form_key("LLaMA2-7B")]


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


# ---- entity resolution: hand-made cases ---------------------------------------------------------

import pytest  # noqa: E402

import papergraph.resolve.names as resolve_module  # noqa: E402
from papergraph.resolve.entities import resolve_entity_forms  # noqa: E402
from papergraph.resolve.names import BLOCK_CAP, WINDOW, same_expansion  # noqa: E402


def entity_of(found, form: str):
    """The entity (of a resolve_entity_forms result) that has ``form`` as label or alias."""
    hits = [e for e in found.entities if form in (e.label, *e.aliases)]
    assert len(hits) == 1, (form, [e.label for e in hits])
    return hits[0]


def merge_of(found, entity, form: str):
    return next(m for m in found.merges if m.entity == entity.key and m.form == form)


def test_form_key_ignores_separators_between_letters_not_between_numbers():
    assert form_key("Llama 2 7B") == form_key("LLaMA2-7B") == form_key("llama-2-7b")
    assert form_key("Mixture-of-Experts") == form_key("Mixture of Experts") == form_key("mixture of expert")
    assert form_key("Llama 3.1 8B") != form_key("Llama-3-18B")
    assert form_key("Qwen2.5-0.5B") != form_key("Qwen2.5-05B")
    assert form_key("GPT-3.5") != form_key("GPT-35")


@pytest.mark.parametrize(
    "forms",
    [
        ("LLaMA2-7B", "Llama2-7B", "LLAMA2-7B", "Llama 2 7B", "llama-2-7b"),
        ("Diffusion Models", "diffusion model", "Diffusion-Model"),
        ("Mixture-of-Experts", "Mixture of Experts", "mixture-of-experts"),
        ("Graph Neural Networks", "graph neural network"),
        ("GANs", "GAN"),
        ("miniIMageNet", "miniImagenNet"),  # a typo: rapidfuzz within a block
        ("TensorFlow", "TensorFLow"),
    ],
)
def test_surface_variants_are_one_entity(forms):
    found = resolve_entity_forms([(f"paper/{i}", rel(f)) for i, f in enumerate(forms)])
    assert len(found.entities) == 1, [e.label for e in found.entities]
    assert set(forms) == {found.entities[0].label, *found.entities[0].aliases}


@pytest.mark.parametrize(
    "a, b",
    [
        ("GPT-3", "GPT-4"),
        ("GPT-3", "GPT-3.5"),
        ("GPT-4", "GPT-4o"),
        ("Llama2", "Llama3"),
        ("Llama-2-7B", "Llama-2-70B"),
        ("Llama 3.1 8B", "Llama-3-18B"),
        ("ResNet-50", "ResNet-101"),
        ("CIFAR-10", "CIFAR-100"),
        ("ImageNet-1K", "ImageNet-21K"),
        ("Qwen2.5-0.5B", "Qwen2.5-1.5B"),
        ("T5-XL", "T5-XXL"),
        ("BERT-base", "BERT-large"),
        ("Tiny-ImageNet", "Tiny-ImageNet-R"),  # an added suffix is a variant, not a typo
        ("self-supervised learning", "semi-supervised learning"),
        ("Transformer encoder", "Transformer decoder"),
        ("pre-training", "post-training"),
    ],
)
def test_different_versions_sizes_and_words_stay_apart(a, b):
    found = resolve_entity_forms([("paper/1", rel(a)), ("paper/2", rel(b)), ("paper/3", rel(a))])
    assert len(found.entities) == 2
    assert found.by_key[form_key(a)] != found.by_key[form_key(b)]


def test_acronym_defined_in_one_paper_joins_its_uses_everywhere_and_says_why():
    found = resolve_entity_forms(
        [
            ("paper/a", rel("Low-Rank Adaptation", aliases=("LoRA",))),
            ("paper/b", rel("Low-Rank Adaption", aliases=("LoRA",))),  # the corpus's own typo
            ("paper/c", rel("LoRA")),
            ("paper/d", rel("low-rank adaptation")),
            ("paper/d", rel("Lora")),
        ],
        [("paper/a", "LoRA", "Low-Rank Adaptation"), ("paper/b", "LoRA", "Low-Rank Adaption")],
    )
    assert len(found.entities) == 1
    lora = found.entities[0]
    assert lora.label == "Low-Rank Adaptation"
    assert set(lora.aliases) == {"LoRA", "Low-Rank Adaption", "low-rank adaptation", "Lora"}
    why = {m.form: m for m in found.merges}
    assert why["Low-Rank Adaptation"].reason == "label"
    assert (why["LoRA"].reason, why["LoRA"].via, why["LoRA"].paper) == (
        "acronym",
        "Low-Rank Adaptation",
        "paper/a",
    )
    assert why["LoRA"].papers == ("paper/a", "paper/b", "paper/c")
    assert (why["Low-Rank Adaption"].reason, why["Low-Rank Adaption"].paper) == (
        "expansion-variant",
        "paper/b",
    )
    assert (why["low-rank adaptation"].reason, why["low-rank adaptation"].via) == (
        "normal-form",
        "Low-Rank Adaptation",
    )
    assert (why["Lora"].reason, why["Lora"].via) == ("normal-form", "LoRA")


def test_acronym_with_different_expansions_keeps_them_apart_and_each_keeps_its_acronym():
    found = resolve_entity_forms(
        [
            ("paper/a", rel("Self-Supervised Learning", aliases=("SSL",))),
            ("paper/b", rel("Semi-Supervised Learning", aliases=("SSL",))),
            ("paper/c", rel("SSL")),  # no definition in this paper: which SSL is unknown
        ],
        [("paper/a", "SSL", "Self-Supervised Learning"), ("paper/b", "SSL", "Semi-Supervised Learning")],
    )
    labels = sorted(e.label for e in found.entities)
    assert labels == ["SSL", "Self-Supervised Learning", "Semi-Supervised Learning"]
    self_sup = entity_of_label(found, "Self-Supervised Learning")
    semi_sup = entity_of_label(found, "Semi-Supervised Learning")
    assert "SSL" in self_sup.aliases and "SSL" in semi_sup.aliases
    m = merge_of(found, self_sup, "SSL")
    assert (m.reason, m.via, m.paper, m.papers) == (
        "acronym-in-paper",
        "Self-Supervised Learning",
        "paper/a",
        ("paper/a",),
    )
    assert found.by_key["ssl"] == entity_of_label(found, "SSL").key


def entity_of_label(found, label: str):
    return next(e for e in found.entities if e.label == label)


def test_a_definition_found_only_in_the_text_still_counts_as_a_second_meaning():
    """Paper c defines DL as "Decentralized Learning" in its text; extraction dropped the pair."""
    found = resolve_entity_forms(
        [("paper/a", rel("Deep Learning", aliases=("DL",))), ("paper/b", rel("DL"))],
        [("paper/a", "DL", "Deep Learning"), ("paper/c", "DL", "Decentralized Learning")],
    )
    assert found.by_key["dl"] != found.by_key["deeplearning"]


def test_expansions_are_the_same_meaning_only_when_one_word_is_inflected_or_misspelt():
    assert same_expansion("Low-Rank Adaptation", "low rank adaption")
    assert same_expansion("Mixture of Experts", "mixture-of-experts")
    assert not same_expansion("Self-Supervised Learning", "Semi-Supervised Learning")
    assert not same_expansion("Contrastive Language-Image Pretraining", "Clipped Linear Interpolation Policy")
    assert not same_expansion("Parameter-Efficient Fine-Tuning", "Parameter-Efficient Tuning")


def test_curated_abbreviation_merges_when_the_corpus_does_not_contradict_it():
    found = resolve_entity_forms([("paper/a", rel("CNN")), ("paper/b", rel("convolutional neural networks"))])
    assert len(found.entities) == 1
    cnn = found.entities[0]
    assert cnn.label == "convolutional neural networks"  # the full form is the label
    m = merge_of(found, cnn, "CNN")
    assert (m.reason, m.via) == ("curated", "convolutional neural networks")


def test_curated_abbreviation_is_not_applied_against_a_definition_in_the_corpus():
    found = resolve_entity_forms(
        [
            ("paper/a", rel("CNN")),
            ("paper/b", rel("convolutional neural networks")),
            ("paper/c", rel("Cellular Neural Network", aliases=("CNN",))),
        ],
        [("paper/c", "CNN", "Cellular Neural Network")],
    )
    # the corpus says CNN is a cellular neural network: that definition wins over the list
    assert found.by_key["cnn"] == found.by_key[form_key("Cellular Neural Network")]
    assert found.by_key["cnn"] != found.by_key[form_key("convolutional neural networks")]


def test_curated_abbreviation_must_be_spelt_as_listed():
    found = resolve_entity_forms(
        [("paper/a", rel("MAP", "Metric")), ("paper/b", rel("mean average precision", "Metric"))]
    )
    assert len(found.entities) == 2  # MAP (maximum a posteriori) is not mAP
    found = resolve_entity_forms(
        [("paper/a", rel("mAP", "Metric")), ("paper/b", rel("mean average precision", "Metric"))]
    )
    assert len(found.entities) == 1


def test_curated_list_can_be_switched_off():
    uses = [("paper/a", rel("CNN")), ("paper/b", rel("convolutional neural networks"))]
    assert len(resolve_entity_forms(uses, curated=False).entities) == 2


def test_fuzzy_merge_records_its_score():
    found = resolve_entity_forms([("paper/a", rel("miniIMageNet")), ("paper/b", rel("miniImagenNet"))])
    m = next(m for m in found.merges if m.reason == "fuzzy")
    assert m.score is not None and 95 <= m.score < 100
    assert {m.form, m.via} == {"miniIMageNet", "miniImagenNet"}


def test_label_is_the_most_frequent_full_form_and_capitals_for_emphasis_lose_ties():
    found = resolve_entity_forms(
        [("paper/a", rel("LLAMA2-7B")), ("paper/b", rel("Llama2-7B")), ("paper/c", rel("Llama-2-7B"))]
    )
    assert found.entities[0].label == "Llama-2-7B"


def test_a_numbered_key_never_takes_the_key_of_another_entity():
    """Two entities whose labels slug alike are numbered (zero, zero-2); a third whose own slug is
    zero-2 must not get that key too (found at 100,000 papers: one IRI, two labels)."""
    for forms in (["ZeRO++", "ZeRO", "ZeRO-2++"], ["ZeRO-3++", "ZeRO-3-2", "ZeRO-3"]):
        entities, _ = resolve_entities([rel(f) for f in forms])
        keys = [e.key for e in entities]
        assert len(entities) == 3 and len(set(keys)) == 3, keys
    assert keys == ["method/zero-3", "method/zero-3-2", "method/zero-3-2-2"]


def test_checkpoint_variant_points_to_its_base_checkpoint_else_its_family():
    entities, _ = resolve_entities(
        [rel("Llama2-7B-Chat"), rel("Llama2-7B"), rel("Llama2"), rel("Llama2-13B-Chat")]
    )
    by_label = {e.label: e for e in entities}
    assert by_label["Llama2-7B-Chat"].broader == by_label["Llama2-7B"].key
    assert by_label["Llama2-13B-Chat"].broader == by_label["Llama2"].key
    assert len(entities) == 4


def test_every_form_of_a_merged_entity_is_explained_and_single_forms_are_not():
    found = resolve_entity_forms(
        [("paper/a", rel("Low-Rank Adaptation", aliases=("LoRA",))), ("paper/b", rel("ImageNet", "Dataset"))],
        [("paper/a", "LoRA", "Low-Rank Adaptation")],
    )
    lora = entity_of(found, "LoRA")
    assert {m.form for m in found.merges if m.entity == lora.key} == {lora.label, *lora.aliases}
    assert not [m for m in found.merges if m.entity == entity_of(found, "ImageNet").key]


# ---- blocking ----------------------------------------------------------------------------------


def test_large_blocks_cost_linear_comparisons_and_still_find_typos(monkeypatch):
    """3,000 names share their first three letters and have no numbers: one block. All pairs would
    be 4.5 million comparisons; sorted neighbourhood makes at most 2 x WINDOW per name."""
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "lambda", "zeta"]
    names = [f"contrastive {a} {b} {c} {d}" for a in words for b in words for c in words for d in words]
    names = [*names[:2999], "contrastive alpha beta gmma alpha"]  # a typo of "… gamma alpha"
    calls = 0
    original = resolve_module._fuzzy_ok

    def counting(a, b, threshold):
        nonlocal calls
        calls += 1
        return original(a, b, threshold)

    monkeypatch.setattr(resolve_module, "_fuzzy_ok", counting)
    roots = cluster_names([rel(n) for n in names], curated=False)
    assert len(names) > BLOCK_CAP
    assert calls <= 2 * WINDOW * len(names)
    assert len({form_key(n)[:3] for n in names}) == 1
    typo, right = (
        form_key("contrastive alpha beta gmma alpha"),
        form_key("contrastive alpha beta gamma alpha"),
    )
    assert roots[typo] == roots[right]
    assert roots[form_key("contrastive alpha beta delta alpha")] != roots[right]
    assert len(set(roots.values())) == len(names) - 1


# ---- entity resolution on the reference corpus ---------------------------------------------------


def corpus_entity(kg, form: str):
    hits = [e for e in kg.entities if form in (e.label, *e.aliases)]
    assert len(hits) == 1, (form, [e.key for e in hits])
    return hits[0]


def test_corpus_lora_records_resolve_to_one_node_with_reasons(corpus):
    """Every corpus record that writes LoRA or low-rank adaptation, through extract and resolve."""
    from papergraph.resolve import resolve_graph
    from papergraph.sources import read_paths

    records = [
        r
        for r in read_paths([corpus]).records
        if "LoRA" in r.abstract or "low-rank adapt" in r.abstract.lower()
    ]
    assert len(records) >= 8
    found = resolve_graph([extract(r) for r in records])
    lora = next(e for e in found.entities if "LoRA" in (e.label, *e.aliases))
    assert lora.label == "Low-Rank Adaptation"
    assert {"LoRA", "Low-Rank Adaption", "low-rank adaptation"} <= set(lora.aliases)
    why = {m.form: m for m in found.merges if m.entity == lora.key}
    assert why["LoRA"].reason == "acronym" and why["LoRA"].paper in {p.key for p in found.papers}
    assert why["Low-Rank Adaption"].reason == "expansion-variant"
    assert len(why["LoRA"].papers) >= 5  # used by many papers, defined by a few
    # every edge to LoRA, whatever the spelling in the paper, reaches the one node
    assert not [e for e in found.entities if e.label in ("LoRA", "Low-Rank Adaption")]


def test_corpus_llama_checkpoints_merge_and_link_to_their_family(corpus_graph):
    ckpt = corpus_entity(corpus_graph, "Llama2-7B")
    assert {"LLAMA2-7B", "Llama-2-7B", "Llama2-7B"} <= {ckpt.label, *ckpt.aliases}
    family = corpus_entity(corpus_graph, "Llama2")
    assert ckpt.broader == family.key != ckpt.key
    for other in ("Llama-2-13B", "Llama-2-70B", "LLaMA-3.1-8B", "Llama3"):
        assert corpus_entity(corpus_graph, other).key not in (ckpt.key, family.key)
    assert corpus_entity(corpus_graph, "Llama-2-70B").broader == family.key


def test_corpus_versions_and_sizes_stay_apart(corpus_graph):
    keys = [
        corpus_entity(corpus_graph, f).key for f in ("CIFAR-10", "CIFAR-100", "GPT-3", "GPT-3.5", "GPT-4")
    ]
    assert len(set(keys)) == len(keys)
    assert corpus_entity(corpus_graph, "CIFAR10").key == corpus_entity(corpus_graph, "CIFAR-10").key


def test_corpus_mixture_of_experts_spellings_merge_but_its_variants_do_not(corpus_graph):
    moe = corpus_entity(corpus_graph, "Mixture of Experts")
    assert {"Mixture-of-Experts", "MoE"} <= {moe.label, *moe.aliases}
    for variant in (
        "Sparsely-gated Mixture-of-Experts",
        "Vision Mixture-of-Experts",
        "Emergent Mixture-of-Experts",
    ):
        assert corpus_entity(corpus_graph, variant).key != moe.key


def test_corpus_acronym_with_two_expansions_is_not_merged(corpus_graph):
    peft = [e for e in corpus_graph.entities if "PEFT" in (e.label, *e.aliases)]
    expansions = {form_key(e.label) for e in peft}
    assert {form_key("parameter-efficient fine-tuning"), form_key("parameter-efficient tuning")} <= expansions
    reasons = {m.reason for m in corpus_graph.merges if m.form == "PEFT"}
    assert reasons == {"acronym-in-paper"}


def test_corpus_merges_explain_every_form_with_papers(corpus_graph):
    paper_keys = {p.key for p in corpus_graph.papers}
    by_entity: dict[str, list] = {}
    for m in corpus_graph.merges:
        by_entity.setdefault(m.entity, []).append(m)
    for e in corpus_graph.entities:
        if not e.aliases:
            assert e.key not in by_entity
            continue
        merges = by_entity[e.key]
        assert sorted(m.form for m in merges) == sorted({e.label, *e.aliases})
        for m in merges:
            assert m.papers and set(m.papers) <= paper_keys, m
            assert (m.reason == "label") == (m.form == e.label)
            if m.reason != "label":
                assert m.via in (e.label, *e.aliases), m
            if m.reason == "fuzzy":
                assert m.score is not None and m.score >= 95
            if m.reason in ("acronym", "acronym-in-paper", "expansion-variant"):
                assert m.paper in paper_keys


# ---- papers: arXiv ids -------------------------------------------------------------------------

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/abs/2106.09685v2</id>
    <title>LoRA: Low-Rank Adaptation of Large Language Models</title>
    <summary>We propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model weights and
    injects trainable rank decomposition matrices into each layer of the Transformer.</summary>
    <published>2021-06-17T17:37:18Z</published>
    <author><name>Edward J. Hu</name></author>
  </entry>
</feed>
"""


def test_arxiv_ids_become_fabio_and_same_as_but_not_the_paper_iri(tmp_path):
    import json

    import rdflib

    import papergraph

    (tmp_path / "feed.xml").write_text(ATOM, encoding="utf-8")
    records = [
        {"id": "2305.14314", "title": "QLoRA: Efficient Finetuning of Quantized LLMs", "abstract": ABSTRACT},
        {
            "id": "p7",
            "arxiv_id": "2307.09288v2",
            "title": "Llama 2: Open Foundation Models",
            "abstract": ABSTRACT,
        },
        {
            "title": "Mamba: Linear-Time Sequence Modeling",
            "url": "https://huggingface.co/papers/2312.00752",
            "abstract": ABSTRACT,
        },
        {"title": "A paper without an arXiv id", "url": "https://example.org/x", "abstract": ABSTRACT},
    ]
    (tmp_path / "papers.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    kg = papergraph.build([tmp_path])
    by_title = {p.title: p for p in kg.papers}
    expected = {
        "LoRA: Low-Rank Adaptation of Large Language Models": "2106.09685",
        "QLoRA: Efficient Finetuning of Quantized LLMs": "2305.14314",
        "Llama 2: Open Foundation Models": "2307.09288",
        "Mamba: Linear-Time Sequence Modeling": "2312.00752",
    }
    for title, ax in expected.items():
        assert by_title[title].arxiv_id == ax
        assert not by_title[title].key.startswith("paper/arxiv-")  # the key comes from the title
        assert f"arXiv:{ax}" in by_title[title].identifiers
    assert by_title["A paper without an arXiv id"].arxiv_id is None
    g = rdflib.Graph().parse(data=kg.to_rdf().serialize(format="turtle"), format="turtle")
    fabio = rdflib.Namespace("http://purl.org/spar/fabio/")
    lora = by_title["LoRA: Low-Rank Adaptation of Large Language Models"].key
    iri = rdflib.URIRef(f"https://w3id.org/papergraph/id/{lora}")
    assert str(g.value(iri, fabio.hasArXivId)) == "2106.09685"
    assert (iri, rdflib.OWL.sameAs, rdflib.URIRef("https://arxiv.org/abs/2106.09685")) in g
    assert len(set(g.subjects(fabio.hasArXivId, None))) == 4


def test_forms_grouped_in_one_paper_merge_unless_their_numbers_differ():
    found = resolve_entity_forms(
        [
            ("paper/a", rel("ImageNet", "Dataset", aliases=("ImageNet benchmark",))),
            ("paper/b", rel("GPT-3", aliases=("GPT-3.5",))),  # an extraction slip must not merge versions
        ]
    )
    imagenet = entity_of(found, "ImageNet")
    assert merge_of(found, imagenet, "ImageNet benchmark").reason == "alias"
    gpt3 = entity_of(found, "GPT-3")
    assert "GPT-3.5" not in gpt3.aliases
    assert found.by_key.get(form_key("GPT-3.5")) != gpt3.key
