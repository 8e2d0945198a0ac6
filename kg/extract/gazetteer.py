"""The gazetteer in ontology/gazetteer.ttl, read into plain records for the pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, Namespace
from rdflib.namespace import OWL, SKOS

from kg.errors import ConfigError

SCHEMA = Namespace("https://schema.org/")
KG = Namespace("https://newskg.example/ns#")
GAZETTEER_NS = "https://newskg.example/gazetteer/"

# The schema.org (or our) class of an entry → the spaCy label the pipeline uses.
LABEL_OF_CLASS = {
    "Person": "PERSON",
    "Organization": "ORG", "GovernmentOrganization": "ORG", "NGO": "ORG", "PoliticalParty": "ORG",
    "NewsMediaOrganization": "ORG", "EducationalOrganization": "ORG", "ArmedForce": "ORG",
    "Country": "GPE", "City": "GPE", "AdministrativeArea": "GPE", "Place": "GPE",
    "Continent": "LOC", "Region": "LOC", "CivicStructure": "FAC",
    "Event": "EVENT",
}


@dataclass(frozen=True)
class Entry:
    """One known actor or place: its key (the IRI's last segment), class and names."""

    key: str
    rdf_class: str
    label: str
    aliases: tuple[str, ...]
    same_as: tuple[str, ...]

    @property
    def ner_label(self) -> str:
        return LABEL_OF_CLASS[self.rdf_class]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Gazetteer:
    """Known actors and places, plus the domain words the rules read with the parse."""

    entries: tuple[Entry, ...]
    titles: tuple[str, ...]
    event_triggers: dict[str, str] = field(default_factory=dict)  # noun lemma → event class (kg: local name)
    verb_triggers: dict[str, str] = field(default_factory=dict)  # verb lemma → event class
    role_nouns: frozenset[str] = frozenset()
    role_verbs: dict[str, str] = field(default_factory=dict)  # verb lemma → the role it states ('lead' → 'leader')

    def by_key(self) -> dict[str, Entry]:
        return entries_by_key(self.entries)


@lru_cache(maxsize=4)
def entries_by_key(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    """Built once per gazetteer: the rules look entries up for every place they read."""
    return {entry.key: entry for entry in entries}


@lru_cache(maxsize=4)
def load_gazetteer(path: str) -> Gazetteer:
    """Entries and titles from a Turtle file; a clear error if it is missing or malformed."""
    if not Path(path).is_file():
        raise ConfigError(f"gazetteer not found: {path}")
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises several parser-specific types
        raise ConfigError(f"gazetteer {path} is not valid Turtle: {error}") from error
    entries = []
    for subject in sorted(graph.subjects(SKOS.prefLabel, None)):
        rdf_class = next((str(c).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for c in graph.objects(subject, RDF.type)), None)
        if rdf_class not in LABEL_OF_CLASS:
            raise ConfigError(f"gazetteer entry {subject} has no class we know ({rdf_class})")
        entries.append(Entry(
            key=str(subject).removeprefix(GAZETTEER_NS),
            rdf_class=rdf_class,
            label=str(graph.value(subject, SKOS.prefLabel)),
            aliases=tuple(sorted(str(a) for a in graph.objects(subject, SKOS.altLabel))),
            same_as=tuple(sorted(str(s) for s in graph.objects(subject, OWL.sameAs))),
        ))
    titles = word_list(graph, KG.Title)
    return Gazetteer(tuple(entries), tuple(sorted(titles, key=lambda t: (-len(t), t))),
                     event_triggers=triggers(graph, verbs=False), verb_triggers=triggers(graph, verbs=True),
                     role_nouns=frozenset(w.lower() for w in word_list(graph, KG.RoleNoun)),
                     role_verbs={str(word).lower(): str(graph.value(subject, KG.roleName))
                                 for subject in graph.subjects(RDF.type, KG.RoleVerb)
                                 for word in graph.objects(subject, SKOS.altLabel)})


def triggers(graph: Graph, verbs: bool) -> dict[str, str]:
    """Lemma → event class of the kg:EventTrigger lists for verbs (kg:partOfSpeech "VERB") or nouns."""
    return {str(word).lower(): str(graph.value(subject, KG.eventClass)).removeprefix(str(KG))
            for subject in graph.subjects(RDF.type, KG.EventTrigger)
            if (str(graph.value(subject, KG.partOfSpeech) or "") == "VERB") == verbs
            for word in graph.objects(subject, SKOS.altLabel)}


def word_list(graph: Graph, rdf_class: object) -> set[str]:
    """Every skos:altLabel of the subjects typed ``rdf_class`` (titles, role nouns)."""
    return {str(word) for subject in graph.subjects(RDF.type, rdf_class)
            for word in graph.objects(subject, SKOS.altLabel)}
