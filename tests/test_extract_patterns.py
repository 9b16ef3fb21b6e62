"""Typical sentence patterns, pinned with real papers of the reference corpus (the example corpus).

Each case reads the real record, runs the extractor and checks what an expert reader draws from
the sentence named in the test: a proposal, an improvement claim, a comparison, an evaluation on a
data set with a metric.
"""

from __future__ import annotations

import pytest

from papergraph.extract import extract
from papergraph.model import Record
from papergraph.sources import read_paths


@pytest.fixture(scope="module")
def records(corpus) -> list[Record]:
    return list(read_paths([corpus]).records)


def find(records: list[Record], text: str) -> Record:
    """The record whose title or abstract contains ``text``."""
    return next(r for r in records if text in (r.title or "") or text in r.abstract)


def facts(record: Record) -> set[tuple[str, str, str]]:
    return {(r.relation, r.mention.type, r.mention.text) for r in extract(record).relations}


def evidence(record: Record, name: str) -> str:
    return next(r.evidence.sentence for r in extract(record).relations if r.mention.text == name)


# ---- proposals ----------------------------------------------------------------------------------


def test_termed_names_the_contribution(records):
    # "We reveal that it achieves top-quality edge language models, termed EfficientLLM, ..."
    rec = find(records, "termed EfficientLLM")
    assert ("proposes", "Method", "EfficientLLM") in facts(rec)
    assert "termed EfficientLLM" in evidence(rec, "EfficientLLM")


def test_dubbed_and_named_both_propose(records):
    # "we propose an efficient generative tuning framework, dubbed SCEdit, ... module named SC-Tuner."
    found = facts(find(records, "dubbed SCEdit"))
    assert ("proposes", "Method", "SCEdit") in found
    assert ("proposes", "Method", "SC-Tuner") in found


def test_termed_as(records):
    # "we propose a training-free Personalization approach for SAM, termed as PerSAM."
    found = facts(find(records, "termed as PerSAM"))
    assert ("proposes", "Method", "PerSAM") in found
    assert not any(rel == "proposes" and name == "SAM" for rel, _, name in found)


def test_we_introduce_an_abbreviated_method(records):
    # "we propose Condition Contrastive Alignment (CCA) to facilitate guidance-free AR visual generation"
    rec = find(records, "we propose Condition Contrastive Alignment (CCA)")
    proposed = [r for r in extract(rec).relations if r.relation == "proposes"]
    assert [(r.mention.text, r.aliases) for r in proposed] == [("Condition Contrastive Alignment", ("CCA",))]


def test_title_prefix_is_the_contribution_and_the_dataset_title_makes_a_dataset(records):
    assert ("proposes", "Method", "FuseCap") in facts(find(records, "FuseCap: Leveraging"))
    assert ("proposes", "Dataset", "Wake Vision") in facts(find(records, "Wake Vision: A Large-scale"))


def test_appositive_our_approach_name(records):
    # "Empirically, using easily-available external metrics, our proposed approach, Loki, gains up to 29..."
    assert ("proposes", "Method", "Loki") in facts(find(records, "our proposed approach, Loki"))


# ---- improvement and comparison ---------------------------------------------------------------


def test_outperforms_a_list_of_baselines(records):
    # "EfficientLLM significantly outperforms SoTA baselines ..., such as MobileLLM, SmolLM,
    #  Qwen2.5-0.5B, ..."
    found = facts(find(records, "termed EfficientLLM"))
    for baseline in ("MobileLLM", "SmolLM", "Qwen2.5-0.5B", "OLMo-1B", "Llama3.2-1B"):
        assert ("improves-on", "Method", baseline) in found


def test_outperforming_and_surpassing_named_models(records):
    # "with JetMoE-8B outperforming the Llama2-7B model and JetMoE-8B-Chat surpassing the
    #  Llama2-13B-Chat model"
    found = facts(find(records, "JetMoE-8B outperforming the Llama2-7B"))
    assert ("improves-on", "Method", "Llama2-7B") in found
    assert ("improves-on", "Method", "Llama2-13B-Chat") in found
    assert not any(rel == "improves-on" and name.startswith("JetMoE") for rel, _, name in found)


def test_outperforms_a_plain_capitalised_name(records):
    # "For example, GPT4Video outperforms Valley by 11.8% on the Video Question Answering task, and surpasses
    #  NExt-GPT by 2.3% ..."
    found = facts(find(records, "GPT4Video outperforms Valley"))
    assert ("improves-on", "Method", "Valley") in found
    assert ("improves-on", "Method", "NExt-GPT") in found


def test_compared_with_and_a_gain_is_an_improvement(records):
    # "... we observe a 1.71x increase in TFLOPS per GPU when compared with ZeRO++ up to 384 GCDs ..."
    found = facts(find(records, "when compared with ZeRO++"))
    assert ("improves-on", "Method", "ZeRO++") in found
    assert ("uses", "Metric", "TFLOPS") in found


def test_background_claims_are_not_the_papers_own(records):
    # "Neural Architecture Search (NAS) yields state-of-the-art neural networks that outperform their best
    #  manually-designed counterparts." is background: no improves-on from this paper
    rec = find(records, "yields state-of-the-art neural networks that outperform")
    assert not any(
        r.relation == "improves-on" and "Neural Architecture Search" in r.mention.text
        for r in extract(rec).relations
    )


# ---- evaluation on a data set with a metric ---------------------------------------------------


def test_experiments_on_a_benchmark(records):
    # "We conduct extensive experiments on GLUE to demonstrate the effectiveness of IncreLoRA."
    found = facts(find(records, "experiments on GLUE"))
    assert ("uses", "Dataset", "GLUE") in found
    assert ("proposes", "Method", "IncreLoRA") in found


def test_datasets_named_before_the_word_datasets(records):
    # "Extensive experiments on OPV2V-H and DAIR-V2X datasets show that HEAL surpasses SOTA methods ..."
    found = facts(find(records, "OPV2V-H and DAIR-V2X datasets"))
    assert ("uses", "Dataset", "OPV2V-H") in found
    assert ("uses", "Dataset", "DAIR-V2X") in found


def test_metric_on_a_dataset(records):
    # "In the OmniQuant pipeline, SpikeLLM significantly reduces 25.51% WikiText2 perplexity ..."
    found = facts(find(records, "WikiText2 perplexity"))
    assert ("uses", "Dataset", "WikiText2") in found
    assert ("uses", "Metric", "perplexity") in found
    assert ("proposes", "Method", "SpikeLLM") in found


def test_metric_after_improvement(records):
    # "... and outperforms MeshGraphNet by 52% on the all-rollout RMSE, while having a similar
    #  training speed."
    found = facts(find(records, "outperforms MeshGraphNet"))
    assert ("improves-on", "Method", "MeshGraphNet") in found
    assert ("uses", "Metric", "RMSE") in found


# ---- patterns from SciREX abstracts (../shared/eval/scirex_dev.jsonl) ---------------------------


def scirex_record(text: str) -> Record:
    """The SciREX dev record (read as JSON Lines input) whose abstract contains ``text``."""
    from conftest import SCIREX, need_shared

    return find(list(read_paths([need_shared(SCIREX)]).records), text)


def entities(record: Record) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {r.mention.text: (r.mention.type, r.aliases) for r in extract(record).relations}


def test_data_sets_listed_after_including_with_modifiers():
    # "... large-scale person ReID datasets, including the image-based Market1501, CUHK03 and
    # sequence-based MARS datasets, show that ..."
    found = entities(scirex_record("including the image-based Market1501"))
    assert {found[n][0] for n in ("Market1501", "CUHK03", "MARS")} == {"Dataset"}


def test_the_validation_set_of_a_named_collection_is_data():
    # "... on the validation set of Static Facial Expressions in the Wild (SFEW 2.0) and on the
    # validation set of Real-World Affective Faces (RAF) Database."
    found = entities(scirex_record("validation set of Static Facial Expressions"))
    assert found["Static Facial Expressions in the Wild"][0] == "Dataset"


def test_an_environment_named_with_its_kind_is_data_and_keeps_that_form():
    # "ALE provides an interface to hundreds of Atari 2600 game environments, each one different"
    atari = entities(scirex_record("Atari 2600 game environments"))["Atari 2600"]
    assert atari == ("Dataset", ("Atari 2600 game environments",))


def test_a_metric_written_with_score_keeps_that_form_as_alias():
    # "... we obtain a BLEU score of ..." style: the form with its kind word is an alias, never the label
    rec = Record(
        title="",
        abstract="Our model reaches a BLEU score of 41.0 on WMT 2014, and the BLEU points hold.",
        source=scirex_record("Atari 2600").source,
    )
    kind, aliases = entities(rec)["BLEU"]
    assert kind == "Metric" and "BLEU score" in aliases


def test_debris_after_the_abstract_gives_no_entities():
    # affiliations glued by PDF extraction: "... TomSercu ChristianPuhrsch BrianKingsbury ..."
    rec = scirex_record("TomSercu")
    names = {r.mention.text for r in extract(rec).relations}
    assert not any("University" in n or "Center" in n or "Sercu" in n for n in names)


def test_a_metric_keeps_what_it_measures_as_alias():
    # "... evaluating how they affect face recognition accuracy on the IJB-A and IJB-B benchmarks"
    kind, aliases = entities(scirex_record("affect face recognition accuracy"))["accuracy"]
    assert kind == "Metric" and "face recognition accuracy" in aliases


def test_adverbs_and_dimensions_stay_inside_terms():
    rec = scirex_record("6D Object Pose Estimation")
    assert any(n.startswith("6D") for n in entities(rec))
    text = "We study weakly supervised object detection. Weakly supervised object detection is hard."
    found = {m.text for m in extract(Record(title="", abstract=text, source=rec.source)).mentions}
    assert "weakly supervised object detection" in found


def test_a_sentence_opening_conjunction_is_not_part_of_a_name():
    # "Although SGD requires shuffling the training data between epochs, ..."
    assert "Although SGD" not in entities(scirex_record("Although SGD requires"))


def test_a_metric_defined_with_its_acronym_is_a_metric():
    # "... an Inception Score (IS) of 166.5 and Fréchet Inception Distance (FID) of 7.4, improving ..."
    found = entities(scirex_record("Fréchet Inception Distance (FID)"))
    assert found["Fréchet Inception Distance"][0] == "Metric"


def test_a_feature_map_is_not_mean_average_precision():
    rec = Record(title="", abstract="Each feature map is upscaled. Feature map sizes vary.", source=None)
    assert not [m for m in extract(rec).mentions if m.type == "Metric"]


def test_a_title_in_capitals_gives_no_names():
    # "SINGLE IMAGE SUPER-RESOLUTION WITH DILATED CONVOLUTION BASED MULTI-SCALE INFORMATION LEARNING
    # INCEPTION MODULE": case no longer tells names from words
    rec = scirex_record("WITH DILATED CONVOLUTION BASED")
    title_end = len(rec.title or "")
    assert rec.title and rec.title.isupper()
    assert not [m for m in extract(rec).mentions if m.start < title_end and m.text.isupper()]


def test_a_data_set_keeps_the_split_it_was_evaluated_on_as_alias():
    # "... the proposed model achieves 41.6 mAP on COCO test-dev set which surpasses ..."
    kind, aliases = entities(scirex_record("41.6 mAP on COCO test-dev set"))["COCO"]
    assert kind == "Dataset" and "COCO test-dev set" in aliases


def test_a_latex_macro_glued_to_a_word_is_not_a_name():
    # SciREX abstracts keep LaTeX debris: "\color{black}Ensemble" becomes "blackEnsemble"
    names = {r.mention.text for r in extract(scirex_record("blackEnsemble")).relations}
    assert "blackEnsemble" not in names


def test_a_dash_used_as_punctuation_ends_a_name(records):
    # "... Mistral tokenizer ... Language Model-the ..." : the dash is not part of the name
    names = {m.text for r in records for m in extract(r).mentions if m.text.endswith("-the")}
    assert not names


def test_a_possessive_stays_inside_a_name():
    # "... the CNN and Daily Mail news data and the Children ’s Book Test."
    found = entities(scirex_record("Children ’s Book Test"))
    assert found["Children ’s Book Test"][0] == "Dataset"


def test_a_to_b_before_a_task_noun_is_part_of_the_term():
    # "... AMR-to-text generation ...": "AMR-to-text" alone is not a name
    rec = Record(
        title="",
        abstract="We study AMR-to-text generation. Our AMR-to-text generation model beats GPT-2.",
        source=None,
    )
    assert "AMR-to-text" not in {m.text for m in extract(rec).mentions}


def test_a_checkpoint_size_in_brackets_is_kept_as_alias(records):
    # "Models with around 125M parameters such as GPT-Neo (small) or GPT-2 (small) can rarely ..."
    found = {r.mention.text: r.aliases for r in extract(find(records, "GPT-2 (small)")).relations}
    assert "GPT-2 (small)" in found["GPT-2"] and "GPT-Neo (small)" in found["GPT-Neo"]


def test_a_track_of_a_challenge_is_data(records):
    # "We describe our team's contribution to the STRICT-SMALL track of the BabyLM Challenge."
    found = facts(find(records, "STRICT-SMALL track"))
    assert ("uses", "Dataset", "STRICT-SMALL") in found


def test_a_dimension_opens_the_name_it_qualifies():
    rec = Record(
        title="", abstract="We extend the 3D U-Net architecture. 3D Object detection is hard.", source=None
    )
    names = {m.text for m in extract(rec).mentions}
    assert "3D U-Net" in names and "3D Object" not in names


def test_an_evaluative_adjective_is_not_part_of_a_metric():
    rec = Record(title="", abstract="Poor image quality hurts. We report high quality samples.", source=None)
    assert not {m.text for m in extract(rec).mentions} & {"poor image quality", "high quality"}


def test_a_network_written_with_its_kind_keeps_that_form():
    # "... stacked ... C-LSTM Neural Network ..." and "VGG nets"
    rec = Record(title="", abstract="We train the C-LSTM neural network and compare VGG nets.", source=None)
    found = {r.mention.text: r.aliases for r in extract(rec).relations}
    assert "C-LSTM neural network" in found["C-LSTM"] and "VGG nets" in found["VGG"]


def test_a_metric_qualifier_alias_is_cut_from_the_text_as_written():
    # words apart by more than one space (a line break in the source): the alias is the text itself
    rec = Record(title="", abstract="It improves face\n recognition accuracy by 3 points.", source=None)
    assert entities(rec)["accuracy"] == ("Metric", ("face\n recognition accuracy",))
