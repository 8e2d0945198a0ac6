"""RDF: namespaces, IRI minting, and the mapping of a resolved document to quads."""
from kg.rdf.mapping import document_quads
from kg.rdf.namespaces import PREFIXES, Iris

__all__ = ["PREFIXES", "Iris", "document_quads"]
