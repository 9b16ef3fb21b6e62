"""The test a reader applies to a would-be node (``papergraph.extract.node_test``), on real sentences
of the example corpus that once gave false nodes."""

from __future__ import annotations

import pytest

from papergraph.extract import extract, extract_learned
from papergraph.extract.node_test import never_a_node
from papergraph.model import Record, SourceRef

SENTENCES = {  # sentence of the example corpus -> the false node it gave
    "For instance, EfficientQAT obtains a 2-bit Llama-2-70B model on a single A100-80GB GPU in 41 hours, "
    "with less than 3% accuracy degradation.": "A100-80GB",
    "Neither post-training reinforcement learning (GRPO) nor extra test-time compute rescues the "
    "reasoning deficit of overly sparse models.": "Neither post-training reinforcement learning",
    "We address these challenges by analysing temperature anomalies in Euclid's telemetry from February "
    "to August 2024, focusing on eleven temperature parameters and 35 covariates.": "August 2024",
    "The Euclid space telescope, in its survey phase since February 2024, exemplifies this shift.": (
        "February 2024"
    ),
    "Our method has achieved well on-line accuracy near fp16/bf16 on the 2-bit quantization of large "
    "speech models in ByteDance.": "ByteDance",
    "Experimental results show that models pre-trained on ProX-curated data outperform either original "
    "data or data filtered by other selection methods by more than 2% across various downstream "
    "benchmarks.": "ProX-curated",
    "It scales self-supervised pre-training to 7B parameters to learn robust speech representations and "
    "introduces an encoder-decoder architecture designed for zero-shot generalization, leveraging a "
    "LLM-inspired decoder.": "LLM-inspired",
}


@pytest.mark.parametrize(("sentence", "false_node"), SENTENCES.items())
@pytest.mark.parametrize("extractor", [extract, extract_learned], ids=["rules", "learned"])
def test_a_false_node_of_the_example_corpus_is_no_node(sentence, false_node, extractor):
    record = Record(SourceRef("x", 1, "test"), abstract=f"We study model compression. {sentence}")
    names = {n for r in extractor(record).relations for n in (r.mention.text, *r.aliases)}
    assert false_node not in names


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("August 2024", "a date"),
        ("2023-06", "a date"),
        ("80GB", "a number or quantity"),
        ("1.5B", "a number or quantity"),
        ("GeV", "a unit"),
        ("RTX 4090", "a hardware model"),
        ("Jetson Nano", "a hardware model"),
        ("TPU v4", "a hardware model"),
        ("NeurIPS 2023", "a venue"),
        ("EMNLP2017", "a venue"),
        ("Neither post-training", "a fragment"),
        ("robustness of", "a fragment"),
        ("ByteDance", "an organisation"),
        ("Google DeepMind", "an organisation"),
        ("Elsevier Ireland Ltd", "an organisation"),
        ("Eco-Vector LLC", "an organisation"),
        ("University of Rostock", "an organisation"),
        ("Max Planck Institute", "an organisation"),
        ("J. R. Smith", "a person"),
        ("Vaswani et al.", "a person"),
        ("TBK1-dependent", "an adjective"),
        ("TNFR1-mediated", "an adjective"),
        ("CLIP-empowered", "an adjective"),
        ("Petri Net-based", "an adjective"),
        ("T1-weighted", "an adjective"),
        ("Training-Free", "an adjective"),
    ],
)
def test_labels_that_are_never_nodes(label, reason):
    assert never_a_node(label) == reason


@pytest.mark.parametrize(
    "label",
    [
        "FLOPs",
        "FPS",
        "TFLOPS",
        "IJB-A",
        "virtual try-on",
        "Llama-2-70B",
        "GPT-4",
        "mAP@50",
        "A2C",
        "Meta-learning",
        "Google Scholar",
        "institute-level data",
        "E. coli growth",
        "Positive-Unlabeled",
        "Retrieval-Augmented Generation",
        "test-bed",
    ],
)
def test_names_and_measures_that_look_alike_stay(label):
    assert never_a_node(label) is None
