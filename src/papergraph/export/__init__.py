"""Outputs: the graph written as RDF (Turtle, N-Triples, JSON-LD), GraphML, HTML."""
