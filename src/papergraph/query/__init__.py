"""Querying a built graph: the SPARQL store, named queries, the local endpoint, push."""
