"""Facts read back with their evidence: every reified statement as the fact it records and where it was read.

The extractor states each fact twice (kg/rdf/statements.py): plainly, and as an
``rdf:Statement`` with its sentence (a node the document's mentions share: where in the
text it lies), the span of the document's text the rule read, the rule and its
confidence. Readers want the second form (a fact with its proof), about one entity or
from one document; the sentence's words are read from the document's text.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg import catalog
from kg.catalog import DocumentSummary, DocumentView, label_of
from kg.entities import Value, term_value, types
from kg.rdf.sentences import words
from kg.store import Store

STATEMENTS = f"""
SELECT ?st ?s ?p ?o ?sentence ?sentenceStart ?start ?end ?method ?confidence ?name {{focus}} WHERE {{{{
  {{pattern}}
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inSentence ?in ;
      kg:startOffset ?start ; kg:endOffset ?end .
  ?in kg:inDocument ?doc ; kg:startOffset ?sentenceStart ; kg:endOffset ?sentenceEnd .
  ?doc schema:identifier ?name ; schema:text ?text .
  BIND({words("?text", "?sentenceStart", "?sentenceEnd")} AS ?sentence)
  OPTIONAL {{{{ ?st kg:method ?method }}}} OPTIONAL {{{{ ?st kg:confidence ?confidence }}}}
}}}} ORDER BY ?name ?start ?end ?st"""
ABOUT = "{ ?st rdf:subject ?e } UNION { ?st rdf:object ?e }"
FROM_DOCUMENT = "?st kg:inSentence/kg:inDocument ?doc ."


@dataclass(frozen=True)
class Stated:
    """One fact (subject, predicate, object) as read in one place: document, sentence (and where it starts), span, rule."""

    iri: str
    subject: Value
    predicate: str
    object: Value
    document: str
    sentence: str
    sentence_start: int
    start: int
    end: int
    method: str | None
    confidence: float | None


def about(store: Store, entity: ox.NamedNode) -> list[Stated]:
    """The facts with ``entity`` as their subject or object, in document and text order."""
    return read(store, ABOUT, "?e", {"e": entity})


def from_document(store: Store, document: DocumentSummary) -> list[Stated]:
    """The facts read in one document, in text order, from its own graph alone (see catalog.mentions)."""
    return read(store, FROM_DOCUMENT, "?doc", {"doc": ox.NamedNode(document.iri)}, graph=document.graph)


@dataclass(frozen=True)
class DocumentEvidence:
    """What a document's page shows beside its text: the facts read in it, and the classes and
    labels of the entities and authors it names (gathered in one job, so the page waits once)."""

    view: DocumentView
    facts: list[Stated]
    types: dict[str, list[str]]
    labels: dict[str, str | None]


def of_document(store: Store, name: str) -> DocumentEvidence:
    """A document (by name) with the facts read in it and what its page needs to show the entities it names."""
    view = catalog.document(store, name)
    named = {m.entity for m in view.mentions if m.entity} | set(view.authors)
    labels: dict[str, str | None] = {}
    for author in view.authors:
        label_of(store, ox.NamedNode(author), labels)
    return DocumentEvidence(view, from_document(store, view.document),
                            {iri: types(store, ox.NamedNode(iri)) for iri in named}, labels)


def read(store: Store, pattern: str, focus: str, bindings: dict[str, ox.NamedNode],
         graph: str | None = None) -> list[Stated]:
    labels: dict[str, str | None] = {}
    rows = store.query(STATEMENTS.format(pattern=pattern, focus=focus), bindings=bindings,
                       default_graphs=[graph] if graph is not None else None)
    return [Stated(iri=row["st"].value, subject=term_value(store, row["s"], labels), predicate=row["p"].value,
                   object=term_value(store, row["o"], labels), document=row["name"].value,
                   sentence=row["sentence"].value, sentence_start=int(row["sentenceStart"].value),
                   start=int(row["start"].value), end=int(row["end"].value),
                   method=row["method"].value if row["method"] else None,
                   confidence=float(row["confidence"].value) if row["confidence"] else None)
            for row in rows]
