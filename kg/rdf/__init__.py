"""RDF: namespaces and IRI minting (namespaces), sentences and statements, and the mapping of a resolved document to quads (mapping)."""
