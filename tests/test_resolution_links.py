"""Citation links, external works, inferred paper-to-paper links, and how they travel through RDF."""

from __future__ import annotations

import importlib.util
import json

import pytest
import rdflib
from conftest import SHARED, need_shared
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

import papergraph
from papergraph.export.rdf import BASE, node_iri, turtle_text
from papergraph.export.rdf_load import from_rdf, load
from papergraph.graph import KnowledgeGraph
from papergraph.model import Edge, Entity, Evidence, ExternalWork, InferredLink, Merge, Paper
from papergraph.resolve.links import infer_links

PG = rdflib.Namespace("https://w3id.org/papergraph/ontology#")
CITO = rdflib.Namespace("http://purl.org/spar/cito/")
FABIO = rdflib.Namespace("http://purl.org/spar/fabio/")

FILLER = " We evaluate the approach on several benchmarks and analyse where it helps and where it does not."


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def parse(kg: KnowledgeGraph) -> rdflib.Graph:
    return rdflib.Graph().parse(data=turtle_text(kg), format="turtle")


# ---- citations ---------------------------------------------------------------------------------


@pytest.fixture()
def cited(tmp_path):
    records = [
        {
            "id": "a1",
            "arxiv_id": "2106.09685",
            "title": "LoRA: Low-Rank Adaptation of Large Language Models",
            "abstract": "We propose LoRA, a low-rank adapter for large models." + FILLER,
            "references": [
                "arXiv:2305.14314v1",  # paper B, by its arXiv id
                "10.1145/3442188.3445922",  # outside the input
                "Vaswani et al. Attention Is All You Need. NeurIPS 2017.",
            ],
        },
        {
            "id": "2305.14314",
            "title": "QLoRA: Efficient Finetuning of Quantized LLMs",
            "abstract": "We present QLoRA, which finetunes quantized models." + FILLER,
            "references": [
                "https://doi.org/10.1145/3442188.3445922",  # the same outside work, spelt differently
                # paper A, by its title inside a formatted reference
                "Hu et al. LoRA: Low-Rank Adaptation of Large Language Models. ICLR 2022.",
            ],
        },
        {
            "id": "c3",
            "title": "A Third Paper on Adapters",
            "abstract": "We study adapters for vision models." + FILLER,
            "references": ["a1", "a1", "c3"],  # a record id (twice), and itself
        },
    ]
    write_jsonl(tmp_path / "papers.jsonl", records)
    return papergraph.build([tmp_path])


def test_references_to_papers_in_the_graph_become_cites(cited):
    key = {p.title.split(":")[0]: p.key for p in cited.papers}
    cites = {(e.source, e.target) for e in cited.edges if e.relation == "cites"}
    assert (key["LoRA"], key["QLoRA"]) in cites  # arXiv id with a version
    assert (key["QLoRA"], key["LoRA"]) in cites  # a formatted reference holding the title
    assert (key["A Third Paper on Adapters"], key["LoRA"]) in cites  # a record id
    assert (key["A Third Paper on Adapters"], key["A Third Paper on Adapters"]) not in cites


def test_references_outside_the_graph_become_one_external_work_each(cited):
    assert len(cited.papers) == 3
    works = {w.key: w for w in cited.works}
    assert len(works) == 2
    doi = next(w for w in cited.works if "doi:10.1145/3442188.3445922" in w.identifiers)
    assert doi.key == "work/doi-10-1145-3442188-3445922"
    citing = {e.source for e in cited.edges if e.relation == "cites" and e.target == doi.key}
    assert len(citing) == 2  # both papers cite the one node
    vaswani = next(w for w in cited.works if w is not doi)
    assert vaswani.label == "Vaswani et al. Attention Is All You Need. NeurIPS 2017."
    assert vaswani.identifiers == ()


def test_external_works_are_papers_marked_as_not_in_the_input(cited):
    g = parse(cited)
    works = set(g.subjects(RDF.type, PG.ExternalWork))
    assert len(works) == 2
    assert len(set(g.subjects(RDF.type, PG.Paper)) - works) == 3  # the input's papers
    doi = node_iri("work/doi-10-1145-3442188-3445922")
    assert doi in works and (doi, RDF.type, PG.Paper) in g
    assert str(g.value(doi, DCTERMS.identifier)) == "doi:10.1145/3442188.3445922"
    assert len(set(g.subjects(CITO.cites, doi))) == 2


def test_external_work_keeps_its_arxiv_id(tmp_path):
    write_jsonl(
        tmp_path / "p.jsonl",
        [
            {
                "title": "One",
                "abstract": "We study things." + FILLER,
                "references": ["https://arxiv.org/abs/1706.03762"],
            }
        ],
    )
    kg = papergraph.build([tmp_path])
    (work,) = kg.works
    assert (work.key, work.arxiv_id, work.identifiers) == (
        "work/arxiv-1706-03762",
        "1706.03762",
        ("arXiv:1706.03762",),
    )
    g = parse(kg)
    assert str(g.value(node_iri(work.key), FABIO.hasArXivId)) == "1706.03762"


def test_cited_graph_round_trips(cited, tmp_path):
    for name in ("g.ttl", "g.nt", "g.jsonld"):
        path = {"g.ttl": cited.write_turtle, "g.nt": cited.write_ntriples, "g.jsonld": cited.write_jsonld}[
            name
        ](tmp_path / name)
        loaded = load(path)
        assert loaded.works == cited.works
        assert loaded.edges == cited.edges
        assert loaded.papers == cited.papers


# ---- inferred links ----------------------------------------------------------------------------


@pytest.fixture()
def linked(tmp_path):
    records = [
        {
            "title": "FooNet: Sparse Networks for Image Classification",
            "abstract": "We propose FooNet, a sparse convolutional network for image classification."
            + FILLER,
            "date": "2022-03-01",
        },
        {
            "title": "BarBench: A Benchmark for Robust Vision",
            "abstract": "We introduce BarBench, a benchmark of corrupted images for robustness." + FILLER,
            "date": "2022-05-01",
        },
        {
            "title": "Faster Sparse Training",
            "abstract": "We fine-tune FooNet on BarBench. Our model outperforms FooNet by two points."
            + FILLER,
            "date": "2023-01-10",
        },
    ]
    write_jsonl(tmp_path / "papers.jsonl", records)
    return papergraph.build([tmp_path])


def paper_key(kg, prefix):
    return next(p.key for p in kg.papers if p.title.startswith(prefix))


def test_inferred_links_name_the_relation_and_the_entity(linked):
    a, foo, bar = (paper_key(linked, t) for t in ("Faster", "FooNet", "BarBench"))
    ent = {e.label: e.key for e in linked.entities}
    links = {(i.source, i.relation, i.target, i.via) for i in linked.inferred}
    assert (a, "uses-method-in", foo, ent["FooNet"]) in links
    assert (a, "improves-on", foo, ent["FooNet"]) in links
    assert (a, "uses-data-from", bar, ent["BarBench"]) in links
    assert not [i for i in linked.inferred if i.source in (foo, bar)]
    asserted = {(e.source, e.relation, e.target) for e in linked.edges}
    assert {
        (a, "builds-on", foo),
        (a, "uses-method-in", foo),
        (a, "builds-on", bar),
        (a, "uses-data-from", bar),
    } <= asserted


def test_inferred_links_in_rdf_are_reified_not_paper_to_paper_relations(linked):
    g = parse(linked)
    a, foo = node_iri(paper_key(linked, "Faster")), node_iri(paper_key(linked, "FooNet"))
    papers = set(g.subjects(RDF.type, PG.Paper))
    for pred in (PG.proposes, PG.uses, PG.comparesTo, PG.improvesOn):
        assert not [o for o in g.objects(a, pred) if o in papers], pred
    assert (a, PG.buildsOn, foo) in g and (a, CITO.usesMethodIn, foo) in g
    nodes = [
        n for n in g.subjects(RDF.type, PG.InferredLink) if g.value(n, PG.inferredRelation) == PG.improvesOn
    ]
    assert len(nodes) == 1
    (node,) = nodes
    assert (g.value(node, PG.fromPaper), g.value(node, PG.toPaper)) == (a, foo)
    assert str(g.value(g.value(node, PG.viaEntity), RDFS.label)) == "FooNet"
    basis = set(g.objects(node, PG.basedOn))
    assert len(basis) == 2  # a's improves-on edge and foo's proposes edge, each with its sentence
    assert {g.value(b, RDF.predicate) for b in basis} == {PG.improvesOn, PG.proposes}
    assert all(g.value(b, URIRef("http://www.w3.org/ns/prov#value")) is not None for b in basis)


def test_inferred_links_do_not_change_what_the_scorer_counts(linked, tmp_path):
    """score.py counts a paper->paper pg:comparesTo / pg:improvesOn as an extra prediction."""
    path = need_shared(SHARED / "eval" / "score.py")
    spec = importlib.util.spec_from_file_location("score", path)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    ttl = linked.write_turtle(tmp_path / "g.ttl")
    _, preds = score.read_graph(str(ttl))
    for pred in preds.values():
        assert all(e["type"] != "Paper" for e in pred.entities.values())


def test_inferred_links_round_trip(linked, tmp_path):
    loaded = load(linked.write_turtle(tmp_path / "g.ttl"))
    assert loaded.inferred == linked.inferred and len(loaded.inferred) == 3


def unit_graph(proposal_sentence: str, entity: Entity, papers_proposing: int = 1, title: str = "Paper B"):
    papers = {"paper/a": Paper("paper/a", "A", "A", "We use it."), "paper/c": Paper("paper/c", "C", "C", "x")}
    edges = [Edge("paper/a", "uses", entity.key, Evidence("We use it.", 0, 2), "paper/a")]
    for i in range(papers_proposing):
        key = f"paper/b{i}"
        papers[key] = Paper(key, title, title, proposal_sentence)
        start = proposal_sentence.index(entity.label)
        ev = Evidence(proposal_sentence, len(title) + 1 + start, len(title) + 1 + start + len(entity.label))
        edges.append(Edge(key, "proposes", entity.key, ev, key))
    return edges, [entity], papers


def test_a_named_proposal_is_an_origin():
    foo = Entity("method/foonet", "Method", "FooNet")
    links = infer_links(*unit_graph("In this work we propose FooNet, a sparse network.", foo))
    assert [(i.source, i.relation, i.target) for i in links] == [("paper/a", "uses-method-in", "paper/b0")]
    links = infer_links(*unit_graph("Our framework, called FooNet, is sparse.", foo))
    assert len(links) == 1


@pytest.mark.parametrize(
    "sentence, entity, proposers",
    [
        (
            "Specifically, we propose a FooNet-based discriminator.",
            Entity("method/foonet", "Method", "FooNet"),
            1,
        ),
        (
            "We present adaptation results using FooNet and ViT.",
            Entity("method/foonet", "Method", "FooNet"),
            1,
        ),
        ("We propose FooNet, a sparse network.", Entity("method/foonet", "Method", "FooNet"), 2),
        ("We propose CLIP, a contrastive model.", Entity("method/clip", "Method", "CLIP"), 1),
        ("We introduce FooTask, a new problem.", Entity("task/footask", "Task", "FooTask"), 1),
    ],
    ids=["modifier", "not-after-the-cue", "two-proposers", "common-concept", "task"],
)
def test_weak_or_shared_proposals_give_no_inferred_link(sentence, entity, proposers):
    assert infer_links(*unit_graph(sentence, entity, proposers)) == []


def test_a_later_paper_is_not_the_origin_of_what_an_earlier_one_uses():
    edges, entities, papers = unit_graph("We propose FooNet.", Entity("method/foonet", "Method", "FooNet"))
    papers["paper/a"] = Paper("paper/a", "A", "A", "We use it.", date="2021-01-01")
    papers["paper/b0"] = Paper("paper/b0", "Paper B", "Paper B", "We propose FooNet.", date="2023-06-01")
    assert infer_links(edges, entities, papers) == []


# ---- merges in RDF -------------------------------------------------------------------------------


def small_graph() -> KnowledgeGraph:
    paper = Paper("paper/a", "Paper A", "Paper A", "We use Low-Rank Adaptation (LoRA).")
    lora = Entity("method/low-rank-adaptation", "Method", "Low-Rank Adaptation", ("LoRA", "Lora"))
    return KnowledgeGraph(
        papers=(paper, Paper("paper/b", "Paper B", "Paper B", "We propose FooNet.")),
        entities=(lora, Entity("method/foonet", "Method", "FooNet")),
        edges=(
            Edge(
                "paper/a", "uses", lora.key, Evidence("We use Low-Rank Adaptation (LoRA).", 15, 34), "paper/a"
            ),
            Edge("paper/a", "uses", "method/foonet", None, "paper/a"),
            Edge("paper/b", "proposes", "method/foonet", Evidence("We propose FooNet.", 19, 25), "paper/b"),
            Edge("paper/a", "cites", "work/doi-10-1-x"),
            Edge("paper/a", "builds-on", "paper/b", None, "paper/a"),
            Edge("paper/a", "uses-method-in", "paper/b", None, "paper/a"),
        ),
        merges=(
            Merge(lora.key, "Lora", "fuzzy", "LoRA", score=96.5, papers=("paper/a",)),
            Merge(
                lora.key, "LoRA", "acronym", "Low-Rank Adaptation", "paper/a", papers=("paper/a", "paper/b")
            ),
            Merge(lora.key, "Low-Rank Adaptation", "label", papers=("paper/a",)),
        ),
        works=(ExternalWork("work/doi-10-1-x", "Some reference", ("doi:10.1234/x",)),),
        inferred=(InferredLink("paper/a", "uses-method-in", "paper/b", "method/foonet"),),
    )


def test_merges_works_and_inferred_links_survive_every_format(tmp_path):
    kg = small_graph()
    expected_merges = tuple(sorted(kg.merges, key=lambda m: (m.entity, m.form)))
    for write, name in (
        (kg.write_turtle, "g.ttl"),
        (kg.write_ntriples, "g.nt"),
        (kg.write_jsonld, "g.jsonld"),
    ):
        loaded = load(write(tmp_path / name))
        assert loaded.merges == expected_merges
        assert loaded.works == kg.works
        assert loaded.inferred == kg.inferred
    assert from_rdf(kg.to_rdf()).merges == expected_merges


def test_surface_form_nodes_say_why_in_english():
    g = parse(small_graph())
    lora = node_iri("method/low-rank-adaptation")
    forms = {str(g.value(f, PG.literalForm)): f for f in g.objects(lora, PG.hasSurfaceForm)}
    assert set(forms) == {"Low-Rank Adaptation", "LoRA", "Lora"}
    acronym = forms["LoRA"]
    assert str(g.value(acronym, PG.mergeReason)) == "acronym"
    assert g.value(acronym, PG.mergedIn) == node_iri("paper/a")
    assert set(g.objects(acronym, PG.mentionedIn)) == {node_iri("paper/a"), node_iri("paper/b")}
    assert 'defined in "Paper A"' in str(g.value(acronym, RDFS.comment))
    assert float(g.value(forms["Lora"], PG.similarity)) == 96.5
    assert str(forms["LoRA"]).startswith(BASE + "form/")


def test_every_pg_term_written_for_resolution_is_declared():
    from test_ontology import ONTOLOGY_FILE

    onto = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    declared = set(onto.subjects())
    g = parse(small_graph())
    used = {t for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(str(PG))}
    assert {PG.SurfaceForm, PG.ExternalWork, PG.InferredLink, PG.basedOn} <= used
    assert not used - declared, sorted(used - declared)


def test_networkx_has_external_works_and_the_entities_behind_inferred_edges():
    g = small_graph().to_networkx()
    assert g.nodes["work/doi-10-1-x"]["type"] == "ExternalWork"
    for relation in ("builds-on", "uses-method-in"):
        assert g.edges["paper/a", "paper/b", relation]["via"] == ["method/foonet"]


def test_corpus_graph_still_holds_214_papers_and_its_inferred_links_are_explained(corpus_graph):
    assert len(corpus_graph.papers) == 214
    papers = {p.key for p in corpus_graph.papers}
    entities = {e.key for e in corpus_graph.entities}
    assert corpus_graph.inferred, "the reference corpus has at least one paper building on another"
    for link in corpus_graph.inferred:
        assert link.source in papers and link.target in papers and link.via in entities
        assert any(
            e.source == link.target and e.relation == "proposes" and e.target == link.via
            for e in corpus_graph.edges
        )
        assert any(
            e.source == link.source and e.target == link.target and e.relation == "builds-on"
            for e in corpus_graph.edges
        )
    pair = {
        (corpus_graph.nodes[i.source].label[:20], corpus_graph.nodes[i.target].label[:11])
        for i in corpus_graph.inferred
    }
    assert ("Regional Tiny Storie", "TinyStories") in pair


@pytest.mark.parametrize(
    "title, name, expected",
    [
        ("FooNet: Sparse Networks for Images", "FooNet", 1),
        ("Petri Nets: Properties, Analysis and Applications", "Petri Nets", 0),  # a topic, not a coinage
        ("Federated Learning: Challenges and Methods", "Federated Learning", 0),
    ],
)
def test_a_title_names_its_own_contribution_only_with_a_coined_name(title, name, expected):
    entity = Entity("method/x", "Method", name)
    papers = {
        "paper/a": Paper("paper/a", "A", "A", f"We use {name}."),
        "paper/b": Paper("paper/b", title, title, "An abstract."),
    }
    edges = [
        Edge("paper/a", "uses", "method/x", Evidence(f"We use {name}.", 9, 9 + len(name)), "paper/a"),
        Edge("paper/b", "proposes", "method/x", Evidence(title, 0, len(name)), "paper/b"),
    ]
    assert len(infer_links(edges, [entity], papers)) == expected
