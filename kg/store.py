"""The only module that reads and writes the store: an on-disk Oxigraph database.

Each document is one named graph. Replacing a document drops its graph and inserts
the new one in a single SPARQL update, which Oxigraph applies as one transaction:
a build killed midway leaves every document either as it was or fully replaced.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import NotFoundError, QueryError, StoreError
from kg.rdf.namespaces import PREFIXES, SCHEMA

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"nquads", "trig"}


@dataclass(frozen=True)
class StoredDocument:
    name: str
    graph: str
    content_hash: str


class GraphStore:
    """A persistent Oxigraph store holding one named graph per document."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path}: run `kg build` first")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
        except OSError as error:
            raise StoreError(f"cannot open the store at {self.path}: {error} "
                             "(is another `kg` process writing to it?)") from error

    def close(self) -> None:
        """Release the database lock (the store closes when garbage-collected otherwise)."""
        self.__dict__.pop("_store", None)

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- documents ---------------------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        rows = self._store.query(
            "SELECT ?g ?name ?hash WHERE { GRAPH ?g { ?d a schema:NewsArticle ; schema:identifier ?name ; "
            "kg:contentHash ?hash } } ORDER BY ?name", prefixes=PREFIXES)
        return [StoredDocument(r["name"].value, r["g"].value, r["hash"].value) for r in rows]

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """Swap a document's graph for new content in one transaction."""
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        self._store.update(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")

    def remove(self, name: str) -> StoredDocument:
        """Delete one document's facts; NotFoundError if the store has no document of that name."""
        match = next((d for d in self.documents() if d.name == name), None)
        if match is None:
            raise NotFoundError(f"no document named {name!r} in {self.path}")
        self._store.update(f"DROP GRAPH <{match.graph}>")
        return match

    def drop_graphs(self, graphs: Iterable[ox.NamedNode]) -> None:
        """Delete whole named graphs (derived results such as analytics runs) in one transaction."""
        statements = [f"DROP SILENT GRAPH {graph}" for graph in graphs]
        if statements:
            self._store.update(" ;\n".join(statements))

    def flush(self) -> None:
        self._store.flush()

    # --- reading --------------------------------------------------------------------------

    def query(self, sparql: str):
        """Run a SPARQL query over the union of all document graphs, with our prefixes predeclared."""
        try:
            return self._store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QueryError(f"malformed SPARQL: {error}") from error

    def export(self, output: BinaryIO | str | Path, fmt: str = "turtle", document: str | None = None) -> None:
        """Serialise the graph (or one document's graph) to a file or binary stream.

        Triple formats get the union of all graphs; N-Quads and TriG keep each
        document's graph name.
        """
        if fmt not in FORMATS:
            raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        graph = None
        if document is not None:
            match = next((d for d in self.documents() if d.name == document), None)
            if match is None:
                raise NotFoundError(f"no document named {document!r} in {self.path}")
            graph = ox.NamedNode(match.graph)
        if fmt in DATASET_FORMATS:
            quads = self._store.quads_for_pattern(None, None, None, graph)
            ox.serialize(quads, output, FORMATS[fmt], prefixes=PREFIXES)
            return
        where = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        triples = self._store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
        ox.serialize(triples, output, FORMATS[fmt], prefixes=PREFIXES)

    def stats(self) -> dict[str, object]:
        """Counts a user checks after a build: documents, entities by type, mentions, triples."""
        by_type = {
            row["type"].value.removeprefix(SCHEMA): int(row["n"].value)
            for row in self.query(
                "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d schema:mentions ?e . ?e a ?type "
                "FILTER(?type IN (schema:Person, schema:Organization, schema:Place, schema:Event)) } GROUP BY ?type")
        }
        dates = int(next(iter(self.query(
            "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:CalendarDate }")))["n"].value)
        mentions = int(next(iter(self.query(
            "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kg:Mention }")))["n"].value)
        return {
            "documents": len(self.documents()),
            "entities": {t: by_type.get(t, 0) for t in ("Person", "Organization", "Place", "Event")},
            "dates": dates,
            "mentions": mentions,
            "quads": len(self._store),
        }



