"""Events in time: when, what kind, where, who took part, read from which documents.

The timeline page lists them in date order and filters them by actor, type and place (a
place takes in the places it contains: filtering on a country keeps an event in one of
its cities); the home page shows the latest; entity pages those an entity took part in.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.catalog import label_of
from kg.rdf.namespaces import KG, RDF, RDFS, SCHEMA
from kg.rdf.sentences import words
from kg.store import Store

EVENT = SCHEMA + "Event"
ACTOR_ROLES = {SCHEMA + "organizer": "organizer", SCHEMA + "performer": "speaker", SCHEMA + "attendee": "attendee"}
PROPERTIES = """
SELECT DISTINCT ?e ?p ?o WHERE {{ {scope} ?e a schema:Event ; ?p ?o .
  FILTER(?p IN (rdf:type, rdfs:label, schema:startDate, schema:location, schema:organizer, schema:performer,
                schema:attendee, schema:superEvent, kg:inDocument)) }}"""
SENTENCES = f"""
SELECT ?e (MIN(?sentence) AS ?first) WHERE {{{{ {{scope}}
  ?st rdf:subject ?e ; rdf:predicate kg:inDocument ; kg:inSentence ?in .
  ?in kg:inDocument/schema:text ?text ; kg:startOffset ?start ; kg:endOffset ?end .
  BIND({words("?text", "?start", "?end")} AS ?sentence) }}}} GROUP BY ?e"""
# the events ?x took part in, hosted (as their place, or a place containing it) or groups (as their series)
INVOLVING = """{ ?e schema:organizer|schema:performer|schema:attendee|schema:superEvent|schema:location ?x }
  UNION { ?e schema:location/schema:containedInPlace+ ?x }"""
DOCUMENT_NAMES = "SELECT ?doc ?name WHERE { ?doc a schema:NewsArticle ; schema:identifier ?name }"
CONTAINERS = "SELECT ?place ?larger WHERE { ?place schema:containedInPlace+ ?larger }"


@dataclass(frozen=True)
class Ref:
    iri: str
    label: str | None


@dataclass(frozen=True)
class Actor:
    role: str  # organizer, speaker or attendee
    iri: str
    label: str | None


@dataclass
class Entry:
    iri: str
    label: str | None = None
    types: list[str] = field(default_factory=list)  # the specific classes (kg:Rally), schema:Event if none
    date: str | None = None
    places: list[Ref] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    part_of: list[Ref] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    sentence: str | None = None
    within: set[str] = field(default_factory=set, repr=False)  # its places and the places containing them

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None


@dataclass(frozen=True)
class Facet:
    value: str
    label: str | None
    count: int


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry]
    undated: list[Entry]
    actors: list[Facet]
    types: list[Facet]
    places: list[Facet]


def events(store: Store, *, involving: str | None = None) -> list[Entry]:
    """Every event, or those ``involving`` an entity (that it organised, spoke at, attended, hosted as their
    place or groups as their series): dated ones first in date order, then the undated by label.

    An entity's events are chosen in the query, not among all events: its page must not
    cost what the whole timeline costs.
    """
    scope, bindings = (INVOLVING, {"x": ox.NamedNode(involving)}) if involving else ("", {})
    labels: dict[str, str | None] = {}
    found: dict[str, Entry] = {}
    names = {row["doc"].value: row["name"].value for row in store.query(DOCUMENT_NAMES)}
    for row in store.query(PROPERTIES.format(scope=scope), bindings=bindings):
        entry = found.setdefault(row["e"].value, Entry(row["e"].value))
        predicate, value = row["p"].value, row["o"]
        if predicate == RDF + "type" and value.value != EVENT:
            entry.types.append(value.value)
        elif predicate == RDFS + "label":
            entry.label = min(filter(None, (entry.label, value.value)), key=lambda s: (len(s), s))
        elif predicate == SCHEMA + "startDate":
            entry.date = value.value
        elif predicate == SCHEMA + "location":
            entry.places.append(Ref(value.value, label_of(store, value, labels)))
        elif predicate in ACTOR_ROLES:
            entry.actors.append(Actor(ACTOR_ROLES[predicate], value.value, label_of(store, value, labels)))
        elif predicate == SCHEMA + "superEvent":
            entry.part_of.append(Ref(value.value, label_of(store, value, labels)))
        elif predicate == KG + "inDocument" and value.value in names:
            entry.documents.append(names[value.value])
    sentences = {row["e"].value: row["first"].value
                 for row in store.query(SENTENCES.format(scope=scope), bindings=bindings)}
    containers: dict[str, set[str]] = {}
    for row in store.query(CONTAINERS):
        containers.setdefault(row["place"].value, set()).add(row["larger"].value)
    for entry in found.values():
        entry.types = sorted(entry.types) or [EVENT]
        entry.sentence = sentences.get(entry.iri)
        entry.within = {p.iri for p in entry.places} | {c for p in entry.places for c in containers.get(p.iri, ())}
    return sorted(found.values(), key=lambda e: (e.date is None, e.date or "", e.label or "", e.iri))


def timeline(store: Store, *, actor: str | None = None, rdf_type: str | None = None,
             place: str | None = None) -> Timeline:
    """The events an actor took part in, of a type, in a place (each optional), with the values to filter on."""
    every = events(store)
    kept = [e for e in every if (actor is None or actor in {a.iri for a in e.actors})
            and (rdf_type is None or rdf_type in e.types) and (place is None or place in e.within)]
    labels: dict[str, str | None] = {}
    return Timeline(entries=[e for e in kept if e.date], undated=[e for e in kept if not e.date],
                    actors=facet((pair for e in every for pair in {a.iri: a.label for a in e.actors}.items()),
                                 by_count=True),
                    types=facet((t, None) for e in every for t in e.types),
                    places=facet((iri, label_of(store, ox.NamedNode(iri), labels)) for e in every for iri in e.within))


def latest(store: Store, limit: int) -> list[Entry]:
    """The ``limit`` most recent dated events, newest first."""
    return [e for e in reversed(events(store)) if e.date][:limit]


def facet(values: Iterable[tuple[str, str | None]], by_count: bool = False) -> list[Facet]:
    """Distinct values with how many events have them: by label, or most frequent first."""
    counts: Counter = Counter(values)
    facets = [Facet(value, label, n) for (value, label), n in counts.items()]
    return sorted(facets, key=lambda f: ((-f.count if by_count else 0), (f.label or f.value).lower()))
