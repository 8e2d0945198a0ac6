"""The documents in the store and what was extracted from each: metadata, entities, mentions with offsets.

Values reach the queries as bindings (Store.query), never as query text.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import NotFoundError
from kg.rdf.namespaces import KG, RDFS, SCHEMA
from kg.rdf.sentences import words
from kg.store import Store

LABEL = ox.NamedNode(RDFS + "label")
NAME = ox.NamedNode(SCHEMA + "name")
IDENTIFIER = ox.NamedNode(SCHEMA + "identifier")

DOCUMENTS = """
SELECT ?doc ?name ?graph ?title ?published (COUNT(DISTINCT ?e) AS ?entities) WHERE {
  GRAPH ?graph { ?doc a schema:NewsArticle ; schema:identifier ?name .
    OPTIONAL { ?doc schema:name ?title } OPTIONAL { ?doc schema:datePublished ?published }
    OPTIONAL { ?doc schema:mentions ?e } }
} GROUP BY ?doc ?name ?graph ?title ?published ORDER BY ?name"""

# A document's mentions are all in its graph: counted there, no join through their sentences.
MENTION_COUNTS = "SELECT ?graph (COUNT(?m) AS ?n) WHERE { GRAPH ?graph { ?m a kg:Mention } } GROUP BY ?graph"
MENTIONS_IN_GRAPH = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kg:Mention }"

# One document, found first by its name (an index lookup): its IRI then goes into the text of
# this query, so that the store reads that one document rather than match the name in every graph.
ONE_DOCUMENT = """
SELECT ?doc ?name ?graph ?title ?published (COUNT(DISTINCT ?e) AS ?entities) WHERE {{
  GRAPH ?graph {{ {doc} a schema:NewsArticle ; schema:identifier ?name . BIND({doc} AS ?doc)
    OPTIONAL {{ {doc} schema:name ?title }} OPTIONAL {{ {doc} schema:datePublished ?published }}
    OPTIONAL {{ {doc} schema:mentions ?e }} }}
}} GROUP BY ?doc ?name ?graph ?title ?published"""

# Mentions of one entity (?e bound), or every mention in one document (?doc bound; dates
# that could not be resolved have no kg:mentionOf). The words of the mention and of its
# sentence are the document's text between their offsets.
MENTIONS = f"""
SELECT ?m ?e ?doc ?name ?title ?form ?start ?end ?sentence ?sentenceStart ?method ?resolution WHERE {{{{
  ?m a kg:Mention ; kg:inSentence ?s ; kg:startOffset ?start ; kg:endOffset ?end .
  ?s kg:inDocument ?doc ; kg:startOffset ?sentenceStart ; kg:endOffset ?sentenceEnd .
  {{link}}
  ?doc schema:identifier ?name ; schema:text ?text .
  BIND({words("?text", "?start", "?end")} AS ?form)
  BIND({words("?text", "?sentenceStart", "?sentenceEnd")} AS ?sentence)
  OPTIONAL {{{{ ?doc schema:name ?title }}}}
  OPTIONAL {{{{ ?m kg:method ?method }}}} OPTIONAL {{{{ ?m kg:resolution ?resolution }}}}
}}}} ORDER BY ?name ?start ?end {{limit}}"""
# A mention, a statement or a sentence: in which document, where in its text.
PLACED = """
SELECT ?iri ?type ?name ?start ?end WHERE {
  ?iri a ?type ; kg:inSentence?/kg:inDocument ?doc ; kg:startOffset ?start ; kg:endOffset ?end .
  ?doc schema:identifier ?name . FILTER(?type IN (kg:Mention, rdf:Statement, kg:Sentence)) }"""
PLACED_KINDS = {KG + "Mention": "mention", KG + "Sentence": "sentence"}
# One page of an entity's mentions is chosen first (in the store's own order), so a page costs
# what it holds however often the entity is mentioned; the page is then put in document order.
OF_ENTITY = "{{ SELECT ?m WHERE {{ ?m kg:mentionOf {entity} }} {page} }} BIND({entity} AS ?e)"
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
    url: str | None = None  # where it was published, when known


@dataclass(frozen=True)
class Located:
    """What a minted IRI names: a document, a document's graph, a mention, statement or sentence in one, or another node."""

    iri: str
    kind: str  # "document", "graph", "mention", "statement", "sentence" or "node"
    document: str | None = None  # the name of the document it is, or is in
    start: int | None = None
    end: int | None = None


def documents(store: Store, name: str | None = None) -> list[DocumentSummary]:
    """Every document in name order, or the one called ``name``."""
    if name is None:
        rows = list(store.query(DOCUMENTS))
        counts = {row["graph"].value: int(row["n"].value) for row in store.query(MENTION_COUNTS)}
    else:  # that one document, and its mentions counted in its own graph, not every document's
        named = [t.subject for t in store.triples(None, IDENTIFIER, ox.Literal(name))]
        rows = [row for doc in named for row in store.query(ONE_DOCUMENT.format(doc=doc)) if row["name"].value == name]
        counts = {row["graph"].value: int(next(iter(store.query(MENTIONS_IN_GRAPH, default_graphs=[
            row["graph"].value])))["n"].value) for row in rows}
    return [DocumentSummary(id=row["name"].value, iri=row["doc"].value, graph=row["graph"].value,
                            title=value(row["title"]), published=value(row["published"]),
                            entities=int(row["entities"].value), mentions=counts.get(row["graph"].value, 0))
            for row in rows]


def document(store: Store, name: str) -> DocumentView:
    """One document by its name (file name or JSONL id): metadata, text, authors and every mention."""
    summary = next(iter(documents(store, name)), None)
    if summary is None:
        raise NotFoundError(f"no document named {name!r}; GET /documents lists them")
    node = ox.NamedNode(summary.iri)
    text = next(store.triples(node, ox.NamedNode(SCHEMA + "text")), None)
    authors = [t.object.value for t in store.triples(node, ox.NamedNode(SCHEMA + "author"))]
    url = next(store.triples(node, ox.NamedNode(SCHEMA + "url")), None)
    return DocumentView(summary, text.object.value if text else "", authors,
                        mentions(store, document=summary, limit=None), url.object.value if url else None)


def mentions(store: Store, *, entity: ox.NamedNode | None = None, document: DocumentSummary | None = None,
             limit: int | None, offset: int = 0) -> list[Mention]:
    """Mentions in ``document``, in text order; or one page (``limit``, ``offset``) of the mentions of
    ``entity``, pages in a stable order and each in document and text order.

    A document's mentions are read from its own graph alone: Oxigraph applies a binding
    after evaluating the whole pattern, so over the merge the join would span every document.
    """
    if entity is not None:
        page = f"LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        rows = store.query(MENTIONS.format(link=OF_ENTITY.format(entity=entity, page=page), limit=""))
    else:
        sparql = MENTIONS.format(link=IN_DOCUMENT, limit=f"LIMIT {int(limit)}" if limit is not None else "")
        rows = store.query(sparql, bindings={"doc": ox.NamedNode(document.iri)}, default_graphs=[document.graph])
    labels: dict[str, str | None] = {}
    return [Mention(iri=row["m"].value, document=row["name"].value, document_title=value(row["title"]),
                    surface_form=row["form"].value, start=int(row["start"].value), end=int(row["end"].value),
                    sentence=value(row["sentence"]), sentence_start=integer(row["sentenceStart"]),
                    method=value(row["method"]), resolution=local_name(row["resolution"]),
                    entity=value(row["e"]), entity_label=label_of(store, row["e"], labels))
            for row in rows]


def mention_count(store: Store, entity: ox.NamedNode) -> int:
    rows = store.query("SELECT ?e (COUNT(?m) AS ?n) WHERE { ?m kg:mentionOf ?e } GROUP BY ?e",
                       bindings={"e": entity})
    return next((int(row["n"].value) for row in rows), 0)


def label_of(store: Store, node: ox.NamedNode | ox.BlankNode | None, cache: dict[str, str | None]) -> str | None:
    """A node's rdfs:label (the shortest when documents disagree), or its schema:name (a document's title),
    looked up once per node."""
    if node is None:
        return None
    if node.value not in cache:
        found = list(store.triples(node, LABEL)) or list(store.triples(node, NAME))
        labels = sorted((t.object.value for t in found), key=lambda s: (len(s), s))
        cache[node.value] = labels[0] if labels else None
    return cache[node.value]


def value(term: ox.NamedNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value


def integer(term: ox.Literal | None) -> int | None:
    return None if term is None else int(term.value)


def local_name(term: ox.NamedNode | None) -> str | None:
    """kg:SameLabel → 'SameLabel': the resolution reasons are terms of our vocabulary."""
    return None if term is None else term.value.removeprefix(KG)


def locate(store: Store, node: ox.NamedNode) -> Located:
    """Where ``node`` belongs; NotFoundError when the store knows nothing of it."""
    for summary in documents(store):
        if node.value in (summary.iri, summary.graph):
            return Located(node.value, "document" if node.value == summary.iri else "graph", summary.id)
    for row in store.query(PLACED, bindings={"iri": node}):
        kind = PLACED_KINDS.get(row["type"].value, "statement")
        return Located(node.value, kind, row["name"].value, int(row["start"].value), int(row["end"].value))
    if next(store.triples(node), None) is not None:
        return Located(node.value, "node")
    raise NotFoundError(f"no resource {node.value} in the store")


def minted_bases(store: Store) -> set[str]:
    """The base IRIs the store's documents were built under (their graphs are ``<base>graph/<name>``)."""
    return {document.graph.rpartition("graph/")[0] for document in store.documents()}


@dataclass(frozen=True)
class Piece:
    """A stretch of a document's text, the part of a mention it is (if any) and where it starts."""

    text: str
    start: int
    mention: Mention | None = None


@dataclass(frozen=True)
class Passage:
    """A sentence something was read from (``start`` is its offset), or the text between such sentences."""

    start: int | None
    pieces: list[Piece]


def annotated(text: str, mentions: list[Mention], sentences: Iterable[tuple[int, int]] = ()) -> list[Passage]:
    """The text cut into passages and pieces, so that a page can mark every mention and sentence.

    The sentences are those of the mentions plus ``sentences`` (start, end); where two
    overlap, the earlier wins, and a mention is cut at a passage's edge rather than lost.
    """
    spans = sorted(set(sentences) | {(m.sentence_start, m.sentence_start + len(m.sentence))
                                     for m in mentions if m.sentence is not None and m.sentence_start is not None})
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if start < end and (not kept or start >= kept[-1][1]):
            kept.append((start, end))
    marked: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if not marked or mention.start >= marked[-1].end:
            marked.append(mention)
    passages, position = [], 0
    for start, end in [*kept, (len(text), len(text))]:
        if position < start:
            passages.append(Passage(None, pieces(text, position, start, marked)))
        if start < end:
            passages.append(Passage(start, pieces(text, start, end, marked)))
        position = max(position, end)
    return passages


def pieces(text: str, start: int, end: int, mentions: list[Mention]) -> list[Piece]:
    found, position = [], start
    for mention in mentions:
        first, last = max(mention.start, start), min(mention.end, end)
        if first >= last:
            continue
        if position < first:
            found.append(Piece(text[position:first], position))
        found.append(Piece(text[first:last], first, mention))
        position = last
    if position < end:
        found.append(Piece(text[position:end], position))
    return found

