"""newskg: news documents → entities and facts → RDF in an embedded Oxigraph store."""

__version__ = "0.1.0"
