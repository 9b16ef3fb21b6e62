"""The SPARQL 1.1 Service Description of ``papergraph serve``: what ``GET /sparql`` without a
query answers, so that clients and catalogues can learn what the endpoint speaks.

>>> text = describe("http://127.0.0.1:7878/sparql", triples=12, update=False, federation=False)
>>> "sd:supportedLanguage sd:SPARQL11Query" in text and "SPARQL11Update" not in text
True
"""

from __future__ import annotations

__all__ = ["describe"]

#: The W3C format IRIs of the media types the endpoint answers in (http://www.w3.org/ns/formats/).
_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)


def describe(endpoint: str, *, triples: int, update: bool, federation: bool) -> str:
    """The service description of the endpoint at ``endpoint``, as Turtle.

    Parameters
    ----------
    endpoint : str
        The endpoint's IRI (``http://host:port/sparql``).
    triples : int
        How many triples its default graph holds (``void:triples``).
    update, federation : bool
        Whether it accepts SPARQL Update (on an in-memory copy) and ``SERVICE``/``LOAD``.

    Returns
    -------
    str
        Turtle, deterministic for the same arguments.
    """
    languages = ["sd:SPARQL11Query", *(["sd:SPARQL11Update"] if update else [])]
    features = ["sd:UnionDefaultGraph"] + (["sd:BasicFederatedQuery"] if federation else [])
    formats = ",\n        ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in _FORMATS)
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n\n"
        f"<{endpoint}> a sd:Service ;\n"
        f"    sd:endpoint <{endpoint}> ;\n"
        '    dcterms:description "papergraph serve: a knowledge graph of research papers" ;\n'
        f"    sd:supportedLanguage {', '.join(languages)} ;\n"
        f"    sd:feature {', '.join(features)} ;\n"
        f"    sd:resultFormat {formats} ;\n"
        "    sd:defaultDataset [ a sd:Dataset ;\n"
        f"        sd:defaultGraph [ a sd:Graph, void:Dataset ; void:triples {triples} ] ] .\n"
    )
