"""The OWL ontology (installed with the package; ontologies/papergraph.ttl is its copy for reading)
and its documentation (ontologies/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery

from papergraph.ontology import ontology_file, queries_folder

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ontology_file()
README_FILE = ROOT / "ontologies" / "README.md"



PG = Namespace("https://w3id.org/papergraph/ontology#")
ONTOLOGY = URIRef("https://w3id.org/papergraph/ontology")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
# a plain Namespace: rdflib's closed XSD namespace warns when pytest probes module attributes
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

ENTITY_CLASSES = (PG.Method, PG.Dataset, PG.Metric, PG.Task)
CLASSES = (PG.Paper, PG.Entity, *ENTITY_CLASSES, PG.Evidence, PG.SourceRecord)
RELATIONS = (PG.proposes, PG.uses, PG.comparesTo, PG.improvesOn)
OBJECT_PROPERTIES = (*RELATIONS, PG.relatesTo, PG.buildsOn, PG.hasSource)
DATATYPE_PROPERTIES = {
    PG.start: XSD.integer,
    PG.end: XSD.integer,
    PG.extractedBy: XSD.string,
    PG.authorCount: XSD.integer,
    PG.byline: XSD.string,
    PG.upvotes: XSD.integer,
    PG.sourceFile: XSD.string,
    PG.sourceLine: XSD.integer,
    PG.sourceFormat: XSD.string,
}
DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def readme() -> str:
    return README_FILE.read_text(encoding="utf-8")


def fenced_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}[ \t]*\n(.*?)^```[ \t]*$", markdown, flags=re.MULTILINE | re.DOTALL)


def pg_terms(graph: Graph) -> set[URIRef]:
    """Every pg: IRI mentioned anywhere in ``graph``."""
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(str(PG))}


def union_members(graph: Graph, node) -> set:
    assert isinstance(node, BNode), f"expected an anonymous class, got {node!r}"
    members = graph.value(node, OWL.unionOf)
    assert members is not None, "expected an owl:unionOf class"
    return set(Collection(graph, members))


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [
        o
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == "en" and str(o).strip()
    ]


# ---- header ------------------------------------------------------------------------------------


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert (ONTOLOGY, DCTERMS.license, URIRef("https://www.apache.org/licenses/LICENSE-2.0")) in onto
    assert english(onto, ONTOLOGY, DCTERMS.title)
    assert english(onto, ONTOLOGY, DCTERMS.description)


def test_prefixes(onto: Graph) -> None:
    text = ONTOLOGY_FILE.read_text(encoding="utf-8")
    declared = dict(re.findall(r"^@prefix\s+(\w*):\s*<([^>]*)>\s*\.", text, flags=re.MULTILINE))
    assert declared == {
        "pg": str(PG),
        "owl": str(OWL),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
        "dcterms": str(DCTERMS),
        "skos": str(SKOS),
        "prov": str(PROV),
        "cito": str(CITO),
        "fabio": str(FABIO),
        "foaf": str(FOAF),
        "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    }


# ---- contract terms ----------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLASSES, ids=lambda t: t.fragment)
def test_class_declared(onto: Graph, cls: URIRef) -> None:
    assert (cls, RDF.type, OWL.Class) in onto


@pytest.mark.parametrize("prop", OBJECT_PROPERTIES, ids=lambda t: t.fragment)
def test_object_property_declared(onto: Graph, prop: URIRef) -> None:
    assert (prop, RDF.type, OWL.ObjectProperty) in onto


@pytest.mark.parametrize("prop", list(DATATYPE_PROPERTIES), ids=lambda t: t.fragment)
def test_datatype_property_declared(onto: Graph, prop: URIRef) -> None:
    assert (prop, RDF.type, OWL.DatatypeProperty) in onto
    assert onto.value(prop, RDFS.range) == DATATYPE_PROPERTIES[prop]


def test_class_hierarchy(onto: Graph) -> None:
    for cls in ENTITY_CLASSES:
        assert (cls, RDFS.subClassOf, PG.Entity) in onto
    assert (PG.Entity, RDFS.subClassOf, SKOS.Concept) in onto
    assert (PG.Paper, RDFS.subClassOf, FABIO.ScholarlyWork) in onto
    assert (PG.Evidence, RDFS.subClassOf, RDF.Statement) in onto
    assert (PG.Evidence, RDFS.subClassOf, PROV.Entity) in onto


def test_relation_hierarchy(onto: Graph) -> None:
    assert (PG.improvesOn, RDFS.subPropertyOf, PG.comparesTo) in onto
    for prop in (PG.proposes, PG.uses, PG.comparesTo):
        assert (prop, RDFS.subPropertyOf, PG.relatesTo) in onto
    # improvesOn reaches relatesTo through comparesTo
    assert PG.relatesTo in set(onto.transitive_objects(PG.improvesOn, RDFS.subPropertyOf))


@pytest.mark.parametrize("prop", (*RELATIONS, PG.relatesTo), ids=lambda t: t.fragment)
def test_relation_domain_and_range_are_paper_or_entity(onto: Graph, prop: URIRef) -> None:
    for axis in (RDFS.domain, RDFS.range):
        values = list(onto.objects(prop, axis))
        assert len(values) == 1, f"{prop.fragment} needs exactly one {axis}"
        assert union_members(onto, values[0]) == {PG.Paper, PG.Entity}


def test_builds_on(onto: Graph) -> None:
    assert onto.value(PG.buildsOn, RDFS.domain) == PG.Paper
    assert onto.value(PG.buildsOn, RDFS.range) == PG.Paper
    assert (PG.buildsOn, RDFS.subPropertyOf, CITO.cites) not in onto
    assert (CITO.usesMethodIn, RDFS.subPropertyOf, PG.buildsOn) in onto
    assert (CITO.usesDataFrom, RDFS.subPropertyOf, PG.buildsOn) in onto
    assert "inferred" in str(english(onto, PG.buildsOn, RDFS.comment)[0]).lower()


def test_source_records(onto: Graph) -> None:
    assert onto.value(PG.hasSource, RDFS.domain) == PG.Paper
    assert onto.value(PG.hasSource, RDFS.range) == PG.SourceRecord
    for prop in (PG.sourceFile, PG.sourceLine, PG.sourceFormat):
        assert onto.value(prop, RDFS.domain) == PG.SourceRecord


def test_offsets_document_the_text_they_index(onto: Graph) -> None:
    for prop in (PG.start, PG.end):
        assert onto.value(prop, RDFS.domain) == PG.Evidence
        comment = " ".join(english(onto, prop, RDFS.comment))
        assert "title" in comment
        assert "abstract alone" in comment
        assert "no title" in comment


def test_alignments_are_annotations(onto: Graph) -> None:
    assert (PG.uses, SKOS.closeMatch, CITO.usesMethodIn) in onto
    assert (PG.comparesTo, SKOS.closeMatch, CITO.discusses) in onto
    assert (SKOS.closeMatch, RDF.type, OWL.AnnotationProperty) in onto
    # no logical alignment axioms from pg: relations to CiTO
    for prop in RELATIONS:
        for axis in (RDFS.subPropertyOf, OWL.equivalentProperty):
            assert not [o for o in onto.objects(prop, axis) if o.startswith(str(CITO))]


def test_disjointness(onto: Graph) -> None:
    disjoint: set[frozenset] = set()
    for group in onto.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(onto, onto.value(group, OWL.members)))
        disjoint |= {frozenset((a, b)) for a in members for b in members if a != b}
    for a, b in onto.subject_objects(OWL.disjointWith):
        disjoint.add(frozenset((a, b)))
    for a in (PG.Paper, *ENTITY_CLASSES):
        for b in (PG.Paper, *ENTITY_CLASSES):
            if a != b:
                assert frozenset((a, b)) in disjoint, f"{a.fragment} and {b.fragment} are not disjoint"


# ---- every pg: term is declared and documented ---------------------------------------------------


def test_pg_terms_are_declared_and_documented(onto: Graph) -> None:
    terms = pg_terms(onto)
    assert set(CLASSES) | set(OBJECT_PROPERTIES) | set(DATATYPE_PROPERTIES) <= terms
    for term in sorted(terms):
        name = term.fragment
        assert any((term, RDF.type, t) in onto for t in DECLARATION_TYPES), f"pg:{name} is not declared"
        assert english(onto, term, RDFS.label), f"pg:{name} has no English rdfs:label"
        assert english(onto, term, RDFS.comment), f"pg:{name} has no English rdfs:comment"
        assert (term, RDFS.isDefinedBy, ONTOLOGY) in onto, f"pg:{name} lacks rdfs:isDefinedBy"


def test_external_properties_are_declared(onto: Graph) -> None:
    expected = {
        OWL.AnnotationProperty: (
            DCTERMS.title,
            DCTERMS.description,
            DCTERMS.license,
            DCTERMS.abstract,
            DCTERMS.identifier,
            DCTERMS.date,
            SKOS.altLabel,
        ),
        OWL.ObjectProperty: (
            DCTERMS.creator,
            SKOS.broader,
            PROV.wasDerivedFrom,
            FOAF.page,
            CITO.cites,
            CITO.usesMethodIn,
            CITO.usesDataFrom,
        ),
        OWL.DatatypeProperty: (PROV.value, FABIO.hasArXivId),
    }
    for kind, props in expected.items():
        for prop in props:
            assert (prop, RDF.type, kind) in onto, f"{prop} should be declared {kind}"


def test_no_term_has_two_owl_kinds(onto: Graph) -> None:
    """OWL 2 DL forbids an IRI being e.g. both an annotation and an object property."""
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for subject in set(onto.subjects(RDF.type, None)):
        declared = [k for k in kinds if (subject, RDF.type, k) in onto]
        assert len(declared) <= 1, f"{subject} is declared as {declared}"


# ---- README ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(readme: str) -> Graph:
    blocks = fenced_blocks(readme, "turtle")
    assert len(blocks) == 1, "README should hold one Turtle example"
    return Graph().parse(data=blocks[0], format="turtle")


def test_readme_has_three_sparql_queries(readme: str) -> None:
    assert len(fenced_blocks(readme, "sparql")) == 3


@pytest.mark.parametrize("index", range(3))
def test_readme_query_parses_and_runs(readme: str, onto: Graph, example: Graph, index: int) -> None:
    query = fenced_blocks(readme, "sparql")[index]
    prepared = prepareQuery(query)
    list((onto + example).query(prepared))


def test_readme_example_uses_only_declared_terms(onto: Graph, example: Graph) -> None:
    undeclared = pg_terms(example) - pg_terms(onto)
    assert not undeclared, f"README example uses undeclared terms: {sorted(undeclared)}"


def test_readme_example_evidence_offsets(example: Graph) -> None:
    evidence = list(example.subjects(RDF.type, PG.Evidence))
    assert evidence
    for ev in evidence:
        assert (ev, RDF.type, RDF.Statement) in example
        paper = example.value(ev, PROV.wasDerivedFrom)
        assert paper == example.value(ev, RDF.subject)
        target = example.value(ev, RDF.object)
        predicate = example.value(ev, RDF.predicate)
        assert (paper, predicate, target) in example, "the evidenced edge must also be asserted"
        title = example.value(paper, DCTERMS.title)
        abstract = str(example.value(paper, DCTERMS.abstract))
        text = f"{title}\n{abstract}" if title is not None else abstract
        start, end = example.value(ev, PG.start).toPython(), example.value(ev, PG.end).toPython()
        mention = text[start:end]
        names = {str(n) for p in (RDFS.label, SKOS.altLabel) for n in example.objects(target, p)}
        assert mention in names
        assert mention in str(example.value(ev, PROV.value))


def test_every_pg_term_the_exporter_writes_is_declared(tmp_path):
    """A graph that exercises every optional field: its pg: terms all appear in the ontology."""
    from papergraph.export.rdf import turtle_text
    from papergraph.graph import KnowledgeGraph
    from papergraph.model import Edge, Entity, Evidence, Paper, SourceRef

    paper = Paper(
        key="paper/x",
        label="X",
        title="X",
        abstract="We propose LoRA.",
        identifiers=("b", "a"),
        sources=(SourceRef("f.txt", 2, "t"), SourceRef("e.txt", 1, "t")),
        authors=("Ann", "Bob"),
        author_count=2,
        byline="Org",
        date="2024-01-02",
        url="https://example.org/x",
        upvotes=3,
        arxiv_id="2401.00001",
    )
    kg = KnowledgeGraph(
        papers=(paper,),
        entities=(
            Entity("method/lora", "Method", "LoRA", aliases=("b", "a"), broader="method/lo"),
            Entity("method/lo", "Method", "Lo"),
        ),
        edges=(
            Edge(
                "paper/x",
                "proposes",
                "method/lora",
                Evidence("We propose LoRA.", 13, 17),
                "paper/x",
                (("confidence", "0.9"),),
            ),
            Edge("paper/x", "uses", "method/lo", None, "paper/x", (("confidence", "0.5"),)),
        ),
    )
    data = Graph().parse(data=turtle_text(kg), format="turtle")
    onto = Graph().parse(ONTOLOGY_FILE, format="turtle")
    declared = set(onto.subjects())
    used = {t for triple in data for t in triple if isinstance(t, URIRef) and str(t).startswith(str(PG))}
    assert used and not used - declared, sorted(used - declared)


def test_the_repository_copies_agree_with_the_installed_ontology_and_queries():
    """``ontologies/`` is the copy people browse; the package's files are the ones papergraph reads."""
    installed = {"papergraph.ttl": ontology_file()} | {
        f"queries/{p.name}": p for p in sorted(queries_folder().glob("*.rq"))
    }
    copies = {"papergraph.ttl": ROOT / "ontologies" / "papergraph.ttl"} | {
        f"queries/{p.name}": p for p in sorted((ROOT / "ontologies" / "queries").glob("*.rq"))
    }
    assert sorted(copies) == sorted(installed), "ontologies/ and src/papergraph/ontology/ hold other files"
    for name, path in installed.items():
        assert copies[name].read_bytes() == path.read_bytes(), (
            f"ontologies/{name} differs from the installed src/papergraph/ontology/{name}: "
            "edit the package's file and copy it to ontologies/"
        )



def test_no_named_query_holds_a_word_clients_take_for_an_update():
    """SPARQLWrapper (and other clients) decide that a text is an update when it holds INSERT,
    DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE or ADD anywhere, comments included ("under load"
    made one named query an update): no named query holds any of them."""
    import re

    update_words = re.compile(r"\b(insert|delete|load|clear|create|drop|copy|move|add)\b", re.IGNORECASE)
    for path in sorted(queries_folder().glob("*.rq")):
        found = update_words.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found}"
