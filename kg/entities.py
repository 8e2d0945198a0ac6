"""Entities as a reader meets them: found by name, described on one page, seen with their neighbourhood.

Facts are listed generically (every triple in or out of the entity), so relations and
events the extractor adds later show up without a change here. User input reaches the
store as bindings or as pattern terms, never as query text.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from kg.catalog import Mention, label_of, mention_count, mentions
from kg.errors import NotFoundError
from kg.index import IndexMissing, SearchIndex
from kg.rdf.namespaces import KG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS
from kg.store import Store

TYPE = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")
ALT_LABEL = ox.NamedNode(SKOS + "altLabel")
SAME_AS = ox.NamedNode(OWL + "sameAs")
NAME = ox.NamedNode(SCHEMA + "name")
SHOWN_APART = {TYPE, LABEL, ALT_LABEL, ox.NamedNode(KG + "mentionOf"),
               ox.NamedNode(SCHEMA + "mentions"), ox.NamedNode(KG + "mentionsDate")}
# Bookkeeping a neighbourhood does not walk: types, mention records, their sentences and provenance.
NOT_WALKED = {TYPE, ox.NamedNode(KG + "mentionOf"), ox.NamedNode(KG + "inDocument"), ox.NamedNode(KG + "inSentence"),
              ox.NamedNode(PROV + "wasAttributedTo")}
EVIDENCE = {ox.NamedNode(KG + "Mention"), ox.NamedNode(RDF + "Statement"), ox.NamedNode(KG + "Sentence")}

Node = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class Value:
    """A term for JSON: an IRI or blank node (with its label if it has one), or a literal."""

    kind: str  # "iri", "blank" or "literal"
    value: str
    label: str | None = None
    datatype: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Match:
    iri: str
    label: str | None
    types: list[str]
    matched: str
    alias: bool
    documents: int


@dataclass(frozen=True)
class Fact:
    """One triple touching the entity: ``direction`` "out" (entity is subject) or "in" (object)."""

    direction: str
    predicate: str
    value: Value


@dataclass(frozen=True)
class EntityPage:
    iri: str
    label: str | None
    types: list[str]
    labels: list[str]
    aliases: list[str]
    same_as: list[str]
    facts: list[Fact]
    mention_count: int
    mentions: list[Mention]  # one page of them
    limit: int
    offset: int
    more_facts: bool  # whether facts stating the entity go on past this page


@dataclass(frozen=True)
class GraphNode:
    id: str
    label: str | None
    types: list[str]
    depth: int


@dataclass(frozen=True)
class Edge:
    source: str
    predicate: str
    target: str


@dataclass(frozen=True)
class Neighbourhood:
    centre: str
    depth: int
    truncated: bool
    nodes: list[GraphNode]
    edges: list[Edge]
    triples: list[ox.Triple]


def search(store: Store, text: str, *, rdf_type: ox.NamedNode | None, limit: int) -> list[Match]:
    """Entities with a label or alias whose words start with the words of ``text``, best first (see kg.index);
    with no words but a type, the type's entities most documents mention."""
    index = SearchIndex.of(store)
    return [Match(iri=hit.iri, label=index.label(hit.iri), types=index.types(hit.iri), matched=hit.name,
                  alias=hit.alias, documents=hit.documents)
            for hit in index.names(text, rdf_type=rdf_type.value if rdf_type else None, limit=limit)]


def page(store: Store, entity: ox.NamedNode, *, limit: int, offset: int = 0) -> EntityPage:
    """One entity: names, types, facts it states, and one page (``limit`` from ``offset``) of the facts
    stating it and of its mentions, with how many mentions there are in all (kept by the search index)."""
    outgoing = list(store.triples(entity))
    if not outgoing:
        raise NotFoundError(f"no entity {entity.value} in the store; GET /entities?q=NAME searches by name")
    stating = (t for t in store.triples(None, None, entity) if t.predicate not in SHOWN_APART)
    incoming = list(islice(stating, offset, offset + limit))
    labels: dict[str, str | None] = {}
    facts = [Fact("out", t.predicate.value, term_value(store, t.object, labels))
             for t in outgoing if t.predicate not in SHOWN_APART]
    facts += [Fact("in", t.predicate.value, term_value(store, t.subject, labels)) for t in incoming]
    return EntityPage(
        iri=entity.value,
        label=label_of(store, entity, labels),
        types=[t.object.value for t in outgoing if t.predicate == TYPE],
        labels=sorted(t.object.value for t in outgoing if t.predicate == LABEL),
        aliases=sorted(t.object.value for t in outgoing if t.predicate == ALT_LABEL),
        same_as=sorted(t.object.value for t in outgoing if t.predicate == SAME_AS),
        facts=facts,
        mention_count=counted_mentions(store, entity),
        mentions=mentions(store, entity=entity, limit=limit, offset=offset),
        limit=limit,
        offset=offset,
        more_facts=next(stating, None) is not None,
    )


def counted_mentions(store: Store, entity: ox.NamedNode) -> int:
    """The entity's mentions in all documents: the index's count, or a count in the store when it has no index."""
    try:
        return SearchIndex.of(store).mention_count(entity.value)
    except IndexMissing:
        return mention_count(store, entity)


def triples_of(store: Store, entity: ox.NamedNode) -> list[ox.Triple]:
    """The entity's RDF description: every triple with it as subject or object."""
    found = list(store.triples(entity)) + list(store.triples(None, None, entity))
    if not found:
        raise NotFoundError(f"no entity {entity.value} in the store")
    return found


def neighbourhood(store: Store, centre: ox.NamedNode, *, depth: int, limit: int,
                  types: set[ox.NamedNode] | None = None,
                  predicates: set[ox.NamedNode] | None = None) -> Neighbourhood:
    """The subgraph reachable from ``centre`` in ``depth`` steps, at most ``limit`` edges.

    Steps go along triples between IRIs or blank nodes either way, never onto mention or
    statement records (evidence, shown on entity pages) nor along rdf:type. ``predicates``
    limits which triples are followed, ``types`` which nodes are stepped onto.
    """
    if next(store.triples(centre), None) is None:
        raise NotFoundError(f"no entity {centre.value} in the store")
    reached: dict[Node, int] = {centre: 0}
    edges: dict[ox.Triple, None] = {}
    frontier, truncated = [centre], False
    for level in range(1, depth + 1):
        following: list[Node] = []
        for node in frontier:
            for triple in incident(store, node, predicates):
                other = triple.object if triple.subject == node else triple.subject
                if other not in reached:
                    if not steppable(store, other, types):
                        continue
                    reached[other] = level
                    following.append(other)
                edges[triple] = None
                if len(edges) >= limit:
                    truncated = True
                    break
            if truncated:
                break
        frontier = following
        if truncated:
            break
    return described(store, centre, depth, truncated, reached, list(edges))


def incident(store: Store, node: Node, predicates: set[ox.NamedNode] | None):
    """Triples linking ``node`` to another IRI or blank node, either direction."""
    for predicate in predicates or [None]:
        for triple in store.triples(node, predicate):
            if not isinstance(triple.object, ox.Literal) and triple.predicate not in NOT_WALKED:
                yield triple
        for triple in store.triples(None, predicate, node):
            if triple.predicate not in NOT_WALKED:
                yield triple


def steppable(store: Store, node: Node, types: set[ox.NamedNode] | None) -> bool:
    node_types = {t.object for t in store.triples(node, TYPE)}
    return not node_types & EVIDENCE and (types is None or bool(node_types & types))


def described(store: Store, centre: ox.NamedNode, depth: int, truncated: bool,
              reached: dict[Node, int], edges: list[ox.Triple]) -> Neighbourhood:
    """Nodes that ended up on an edge (plus the centre) with labels and types, as JSON parts and as RDF."""
    on_edges = {centre} | {t.subject for t in edges} | {t.object for t in edges}
    nodes, triples = [], list(edges)
    for node, level in reached.items():
        if node not in on_edges:
            continue
        node_types = list(store.triples(node, TYPE))
        names = list(store.triples(node, LABEL)) or list(store.triples(node, NAME))
        triples += node_types + names[:1]
        nodes.append(GraphNode(id=node_id(node), label=names[0].object.value if names else None,
                               types=sorted(t.object.value for t in node_types), depth=level))
    return Neighbourhood(centre=centre.value, depth=depth, truncated=truncated, nodes=nodes,
                         edges=[Edge(node_id(t.subject), t.predicate.value, node_id(t.object)) for t in edges],
                         triples=triples)


def types(store: Store, node: Node) -> list[str]:
    return sorted(t.object.value for t in store.triples(node, TYPE))


def node_id(node: Node) -> str:
    return node.value if isinstance(node, ox.NamedNode) else f"_:{node.value}"


def term_value(store: Store, term: ox.NamedNode | ox.BlankNode | ox.Literal,
               labels: dict[str, str | None]) -> Value:
    if isinstance(term, ox.Literal):
        language = term.language
        return Value("literal", term.value, datatype=None if language else term.datatype.value, language=language)
    kind = "iri" if isinstance(term, ox.NamedNode) else "blank"
    return Value(kind, node_id(term), label=label_of(store, term, labels))
