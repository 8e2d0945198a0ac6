"""The RDF graph projected into an undirected, weighted, typed networkx graph.

Nodes are entities (IRIs) with their label and kind. An edge joins two entities that a
document connects: an explicit relation (affiliation, founder, family, event
participation, organiser, location, place containment, quotation) or a mention in the
same sentence (``comention``). Each edge keeps how often each kind supports it and the
documents it came from; its weight is the number of distinct supporting units (a
sentence for a co-mention, a document's statement for a relation).

A time window keeps a unit when its date meets the window: an event's ``schema:startDate``
for edges to that event, the document's ``schema:datePublished`` otherwise. Undated units
fall outside every window. Entities left without an edge are not nodes: they have no
position in the network to measure.
"""
from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import networkx as nx

from kg.analytics.params import ProjectionParams
from kg.rdf.namespaces import SCHEMA
from kg.store import Store

# Each explicit edge kind: graph patterns binding ?a and ?b inside one document's graph.
RELATIONS: dict[str, tuple[str, ...]] = {
    "affiliation": ("?a schema:memberOf ?role . ?role a schema:OrganizationRole ; schema:memberOf ?b",
                    "?a schema:memberOf|schema:worksFor|schema:affiliation ?b"),
    "founder": ("?a schema:founder ?b",),
    "family": ("?a schema:parent|schema:children|schema:spouse|schema:sibling|schema:relatedTo ?b",),
    "participation": ("?a schema:attendee|schema:performer ?b",),
    "organizer": ("?a schema:organizer ?b",),
    "location": ("?a schema:location ?b",),
    "containment": ("?a schema:containedInPlace ?b",),
    "quote": ("?q a schema:Quotation ; schema:creator ?a ; schema:about ?b",),
}
EVENT_KINDS = {"participation", "organizer", "location"}
Period = tuple[date, date]


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    kind: str


@dataclass(frozen=True)
class Article:
    name: str
    published: Period | None


def project(store: Store, params: ProjectionParams) -> nx.Graph:
    """The entity graph for ``params``; ``graph.graph['documents']`` maps document IRIs to names."""
    entities = entity_table(store)
    articles = article_table(store)
    events = event_periods(store) if params.windowed else {}
    nodes = {iri for iri, e in entities.items() if e.kind in params.types}
    units: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)
    for kind, a, b, doc, unit in supporting_units(store, params.edge_kinds):
        if a == b or a not in nodes or b not in nodes or doc not in articles:
            continue
        period = (events.get(a) or events.get(b)) if kind in EVENT_KINDS else None
        period = period or articles[doc].published
        if params.windowed and (period is None or not params.overlaps(*period)):
            continue
        units[min(a, b), max(a, b)].add((kind, doc, unit))
    graph = nx.Graph(documents={doc: article.name for doc, article in articles.items()})
    for (a, b), found in sorted(units.items()):
        if len(found) < params.min_weight:
            continue
        for iri in (a, b):
            if iri not in graph:
                graph.add_node(iri, label=entities[iri].label, kind=entities[iri].kind)
        graph.add_edge(a, b, weight=float(len(found)), kinds=dict(Counter(kind for kind, _, _ in found)),
                       documents=tuple(sorted({doc for _, doc, _ in found})))
    return graph


def entity(graph: nx.Graph, iri: str) -> Entity:
    return Entity(iri, graph.nodes[iri]["label"], graph.nodes[iri]["kind"])


def entity_table(store: Store) -> dict[str, Entity]:
    """Every entity with the label and kind most documents give it (ties: alphabetical)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, Counter] = defaultdict(Counter)
    rows = store.query("""SELECT ?e ?kind ?label (COUNT(DISTINCT ?g) AS ?n) WHERE {
        VALUES ?kind { schema:Person schema:Organization schema:Place schema:Event }
        GRAPH ?g { ?e a ?kind OPTIONAL { ?e rdfs:label ?label } } } GROUP BY ?e ?kind ?label""")
    for row in rows:
        iri, n = row["e"].value, int(row["n"].value)
        votes[iri][row["kind"].value.removeprefix(SCHEMA)] += n
        labels[iri][row["label"].value if row["label"] else iri.rsplit("/", 1)[-1]] += n
    return {iri: Entity(iri, most_common(labels[iri]), most_common(votes[iri])) for iri in votes}


def most_common(counts: Counter) -> str:
    return min(counts, key=lambda value: (-counts[value], value))


def article_table(store: Store) -> dict[str, Article]:
    rows = store.query("""SELECT ?doc ?name ?date WHERE {
        ?doc a schema:NewsArticle ; schema:identifier ?name OPTIONAL { ?doc schema:datePublished ?date } }""")
    return {row["doc"].value: Article(row["name"].value, parse_period(row["date"].value) if row["date"] else None)
            for row in rows}


def event_periods(store: Store) -> dict[str, Period]:
    rows = store.query("SELECT ?e ?date WHERE { ?e schema:startDate ?date }")
    return {row["e"].value: period for row in rows if (period := parse_period(row["date"].value))}


def parse_period(value: str) -> Period | None:
    """The days an xsd:date, xsd:gYearMonth or xsd:gYear value covers (a timezone is ignored)."""
    parts = value[:10].split("-")
    try:
        numbers = [int(p) for p in parts if p][:3]
        if len(numbers) == 3:
            day = date(*numbers)
            return day, day
        if len(numbers) == 2:
            year, month = numbers
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(numbers[0], 1, 1), date(numbers[0], 12, 31)
    except (ValueError, IndexError):
        return None


def supporting_units(store: Store, edge_kinds: tuple[str, ...]) -> Iterator[tuple[str, str, str, str, str]]:
    """(kind, a, b, document, unit) for every piece of support of the requested edge kinds."""
    if "comention" in edge_kinds:
        yield from comentions(store)
    for kind in edge_kinds:
        for pattern in RELATIONS.get(kind, ()):
            rows = store.query(f"SELECT DISTINCT ?a ?b ?doc WHERE {{ GRAPH ?g {{ ?doc a schema:NewsArticle . "
                               f"{pattern} }} }}")
            for row in rows:
                yield kind, row["a"].value, row["b"].value, row["doc"].value, kind


def comentions(store: Store) -> Iterator[tuple[str, str, str, str, str]]:
    """Pairs of entities mentioned in the same sentence; the unit is the sentence's offset."""
    sentences: dict[tuple[str, str], set[str]] = defaultdict(set)
    rows = store.query("""SELECT DISTINCT ?doc ?start ?e WHERE {
        ?m a kg:Mention ; kg:mentionOf ?e ; kg:inSentence ?in . ?in kg:inDocument ?doc ; kg:startOffset ?start }""")
    for row in rows:
        sentences[row["doc"].value, row["start"].value].add(row["e"].value)
    for (doc, start), members in sentences.items():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                yield "comention", a, b, doc, start
