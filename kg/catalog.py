"""The documents in the store and what was extracted from each: metadata, entities, mentions with offsets.

Values reach the queries as bindings (GraphStore.query), never as query text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.rdf.namespaces import KG, RDFS, SCHEMA
from kg.store import GraphStore

LABEL = ox.NamedNode(RDFS + "label")

DOCUMENTS = """
SELECT ?doc ?name ?graph ?title ?published (COUNT(DISTINCT ?e) AS ?entities) WHERE {
  GRAPH ?graph { ?doc a schema:NewsArticle ; schema:identifier ?name .
    OPTIONAL { ?doc schema:name ?title } OPTIONAL { ?doc schema:datePublished ?published }
    OPTIONAL { ?doc schema:mentions ?e } }
} GROUP BY ?doc ?name ?graph ?title ?published ORDER BY ?name"""

MENTION_COUNTS = "SELECT ?doc (COUNT(?m) AS ?n) WHERE { ?m a kg:Mention ; kg:inDocument ?doc } GROUP BY ?doc"

# Mentions of one entity (?e bound), or every mention in one document (?doc bound; dates
# that could not be resolved have no kg:mentionOf).
MENTIONS = """
SELECT ?m ?e ?doc ?name ?title ?form ?start ?end ?sentence ?sentenceStart ?method ?resolution WHERE {{
  ?m a kg:Mention ; kg:inDocument ?doc ; kg:surfaceForm ?form ; kg:startOffset ?start ; kg:endOffset ?end .
  {link}
  ?doc schema:identifier ?name .
  OPTIONAL {{ ?doc schema:name ?title }}
  OPTIONAL {{ ?m kg:sentence ?sentence }} OPTIONAL {{ ?m kg:sentenceStart ?sentenceStart }}
  OPTIONAL {{ ?m kg:method ?method }} OPTIONAL {{ ?m kg:resolution ?resolution }}
}} ORDER BY ?name ?start ?end {limit}"""
OF_ENTITY = "?m kg:mentionOf ?e ."
IN_DOCUMENT = "OPTIONAL { ?m kg:mentionOf ?e }"


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    iri: str
    graph: str
    title: str | None
    published: str | None
    entities: int
    mentions: int


@dataclass(frozen=True)
class Mention:
    """One stretch of a document's text and the entity it was resolved to, with why."""

    iri: str
    document: str
    document_title: str | None
    surface_form: str
    start: int
    end: int
    sentence: str | None
    sentence_start: int | None
    method: str | None
    resolution: str | None
    entity: str | None
    entity_label: str | None


@dataclass(frozen=True)
class DocumentView:
    document: DocumentSummary
    text: str
    authors: list[str]
    mentions: list[Mention] = field(default_factory=list)


def documents(store: GraphStore, name: str | None = None) -> list[DocumentSummary]:
    """Every document in name order, or the one called ``name``."""
    bindings = {"name": ox.Literal(name)} if name is not None else None
    counts = {row["doc"].value: int(row["n"].value) for row in store.query(MENTION_COUNTS)}
    return [DocumentSummary(id=row["name"].value, iri=row["doc"].value, graph=row["graph"].value,
                            title=value(row["title"]), published=value(row["published"]),
                            entities=int(row["entities"].value), mentions=counts.get(row["doc"].value, 0))
            for row in store.query(DOCUMENTS, bindings=bindings)]


def document(store: GraphStore, name: str) -> DocumentView:
    """One document by its name (file name or JSONL id): metadata, text, authors and every mention."""
    summary = next(iter(documents(store, name)), None)
    if summary is None:
        raise NotFoundError(f"no document named {name!r}; GET /documents lists them")
    node = ox.NamedNode(summary.iri)
    text = next(store.triples(node, ox.NamedNode(SCHEMA + "text")), None)
    authors = [t.object.value for t in store.triples(node, ox.NamedNode(SCHEMA + "author"))]
    return DocumentView(summary, text.object.value if text else "", authors,
                        mentions(store, document=node, limit=None))


def mentions(store: GraphStore, *, entity: ox.NamedNode | None = None, document: ox.NamedNode | None = None,
             limit: int | None) -> list[Mention]:
    """Mentions of ``entity`` or in ``document`` (exactly one given), in document and text order."""
    bindings = {"e": entity} if entity is not None else {"doc": document}
    sparql = MENTIONS.format(link=OF_ENTITY if entity is not None else IN_DOCUMENT,
                             limit=f"LIMIT {int(limit)}" if limit is not None else "")
    labels: dict[str, str | None] = {}
    return [Mention(iri=row["m"].value, document=row["name"].value, document_title=value(row["title"]),
                    surface_form=row["form"].value, start=int(row["start"].value), end=int(row["end"].value),
                    sentence=value(row["sentence"]), sentence_start=integer(row["sentenceStart"]),
                    method=value(row["method"]), resolution=local_name(row["resolution"]),
                    entity=value(row["e"]), entity_label=label_of(store, row["e"], labels))
            for row in store.query(sparql, bindings=bindings)]


def mention_count(store: GraphStore, entity: ox.NamedNode) -> int:
    rows = store.query("SELECT ?e (COUNT(?m) AS ?n) WHERE { ?m kg:mentionOf ?e } GROUP BY ?e",
                       bindings={"e": entity})
    return next((int(row["n"].value) for row in rows), 0)


def label_of(store: GraphStore, node: ox.NamedNode | ox.BlankNode | None, cache: dict[str, str | None]) -> str | None:
    """A node's rdfs:label (the shortest when documents disagree), looked up once per node."""
    if node is None:
        return None
    if node.value not in cache:
        labels = sorted((t.object.value for t in store.triples(node, LABEL)), key=lambda s: (len(s), s))
        cache[node.value] = labels[0] if labels else None
    return cache[node.value]


def value(term: ox.NamedNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value


def integer(term: ox.Literal | None) -> int | None:
    return None if term is None else int(term.value)


def local_name(term: ox.NamedNode | None) -> str | None:
    """kg:SameLabel → 'SameLabel': the resolution reasons are terms of our vocabulary."""
    return None if term is None else term.value.removeprefix(KG)
