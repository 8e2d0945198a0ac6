"""RDF: namespaces and IRI minting, sentences and statements, and the mapping of a resolved
document to quads."""
