"""Facts read back with their evidence: every reified statement as the fact it records and where it was read.

The extractor states each fact twice (kg/rdf/statements.py): plainly, and as an
``rdf:Statement`` with the sentence, the span of the document's text the rule read, the
rule and its confidence. Readers want the second form (a fact with its proof), about one
entity or from one document.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.entities import Value, term_value
from kg.store import GraphStore

STATEMENTS = """
SELECT ?st ?s ?p ?o ?sentence ?start ?end ?method ?confidence ?name {focus} WHERE {{
  {pattern}
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inDocument ?doc ;
      kg:sentence ?sentence ; kg:startOffset ?start ; kg:endOffset ?end .
  ?doc schema:identifier ?name .
  OPTIONAL {{ ?st kg:method ?method }} OPTIONAL {{ ?st kg:confidence ?confidence }}
}} ORDER BY ?name ?start ?end ?st"""
ABOUT = "{ ?st rdf:subject ?e } UNION { ?st rdf:object ?e }"
FROM_DOCUMENT = "?st kg:inDocument ?doc ."


@dataclass(frozen=True)
class Stated:
    """One fact (subject, predicate, object) as read in one place: document, sentence, span, rule."""

    iri: str
    subject: Value
    predicate: str
    object: Value
    document: str
    sentence: str
    start: int
    end: int
    method: str | None
    confidence: float | None


def about(store: GraphStore, entity: ox.NamedNode) -> list[Stated]:
    """The facts with ``entity`` as their subject or object, in document and text order."""
    return read(store, ABOUT, "?e", {"e": entity})


def from_document(store: GraphStore, document: ox.NamedNode) -> list[Stated]:
    """The facts read in one document (by its IRI), in text order."""
    return read(store, FROM_DOCUMENT, "?doc", {"doc": document})


def read(store: GraphStore, pattern: str, focus: str, bindings: dict[str, ox.NamedNode]) -> list[Stated]:
    labels: dict[str, str | None] = {}
    rows = store.query(STATEMENTS.format(pattern=pattern, focus=focus), bindings=bindings)
    return [Stated(iri=row["st"].value, subject=term_value(store, row["s"], labels), predicate=row["p"].value,
                   object=term_value(store, row["o"], labels), document=row["name"].value,
                   sentence=row["sentence"].value, start=int(row["start"].value), end=int(row["end"].value),
                   method=row["method"].value if row["method"] else None,
                   confidence=float(row["confidence"].value) if row["confidence"] else None)
            for row in rows]
