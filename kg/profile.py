"""What the graph says about one entity, as a reader wants it on its page.

Roles with the organisation they are in ("President" of the National Council of
Resistance of Iran) and, for an organisation, the people holding roles in it; the
events it took part in; what it said and what was said about it; and every other fact
with the sentence it was read from. Each fact appears once: a statement shown as a
role, an event or a quote is not repeated among the relations.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg import evidence, timeline
from kg.catalog import label_of
from kg.evidence import Stated
from kg.rdf.namespaces import SCHEMA
from kg.rdf.sentences import words
from kg.store import Store
from kg.timeline import Entry, Ref

MEMBER_OF = SCHEMA + "memberOf"
ROLES = """
SELECT ?e ?person ?role ?name ?org WHERE {
  ?person schema:memberOf ?role . ?role a schema:OrganizationRole ; schema:roleName ?name ; schema:memberOf ?org .
  FILTER(?person = ?e || ?org = ?e) } ORDER BY ?name ?role"""
QUOTES = f"""
SELECT ?e ?q ?text ?speaker ?audience (GROUP_CONCAT(DISTINCT STR(?topic); SEPARATOR=" ") AS ?topics)
       (SAMPLE(?st) AS ?statement) (SAMPLE(?said) AS ?sentence) (SAMPLE(?at) AS ?start)
       (SAMPLE(?name) AS ?document) WHERE {{
  ?q a schema:Quotation ; schema:text ?text ; schema:creator ?speaker .
  {{ ?q schema:creator ?e }} UNION {{ ?q schema:about ?e }} UNION {{ ?q schema:recipient ?e }}
  OPTIONAL {{ ?q schema:recipient ?audience }} OPTIONAL {{ ?q schema:about ?topic }}
  OPTIONAL {{ ?st rdf:subject ?q ; rdf:predicate schema:creator ; kg:startOffset ?at ; kg:inSentence ?in .
             ?in kg:inDocument ?doc ; kg:startOffset ?from ; kg:endOffset ?to .
             ?doc schema:identifier ?name ; schema:text ?docText .
             BIND({words("?docText", "?from", "?to")} AS ?said) }}
}} GROUP BY ?e ?q ?text ?speaker ?audience ORDER BY ?document ?start"""


@dataclass(frozen=True)
class Role:
    name: str
    iri: str
    person: Ref
    organization: Ref
    evidence: Stated | None


@dataclass(frozen=True)
class Quote:
    iri: str
    text: str
    speaker: Ref
    audience: Ref | None
    about: list[Ref]
    document: str | None
    statement: str | None  # the statement recording who said it, with the sentence
    sentence: str | None
    start: int | None


@dataclass(frozen=True)
class Profile:
    roles: list[Role]        # roles the entity holds
    members: list[Role]      # roles held in the entity (an organisation)
    events: list[Entry]
    quotes: list[Quote]
    relations: list[Stated]  # every other fact about it, with its evidence
    stated: list[Stated]     # all the facts about it that carry evidence (the above come from these)


def profile(store: Store, entity: ox.NamedNode) -> Profile:
    labels: dict[str, str | None] = {}
    stated = evidence.about(store, entity)
    by_triple = {(s.subject.value, s.predicate, s.object.value): s for s in stated}
    held, members = [], []
    for row in store.query(ROLES, bindings={"e": entity}):
        person, role, org = row["person"], row["role"], row["org"]
        found = Role(row["name"].value, role.value, ref(store, person, labels), ref(store, org, labels),
                     by_triple.get((person.value, MEMBER_OF, role.value))
                     or by_triple.get((role.value, MEMBER_OF, org.value)))
        (held if person == entity else members).append(found)
    events = timeline.events(store, involving=entity.value)
    quotes = [quote(store, row, labels) for row in store.query(QUOTES, bindings={"e": entity})]
    shown = {r.iri for r in held + members} | {e.iri for e in events} | {q.iri for q in quotes}
    relations = [s for s in stated if s.subject.value not in shown and s.object.value not in shown]
    return Profile(held, members, events, quotes, relations, stated)


def quote(store: Store, row, labels: dict[str, str | None]) -> Quote:
    topics = row["topics"].value.split() if row["topics"] else []  # Oxigraph leaves it unbound when none
    about = [ref(store, ox.NamedNode(iri), labels) for iri in topics]
    return Quote(iri=row["q"].value, text=row["text"].value, speaker=ref(store, row["speaker"], labels),
                 audience=ref(store, row["audience"], labels) if row["audience"] else None, about=about,
                 document=row["document"].value if row["document"] else None,
                 statement=row["statement"].value if row["statement"] else None,
                 sentence=row["sentence"].value if row["sentence"] else None,
                 start=int(row["start"].value) if row["start"] else None)


def ref(store: Store, node: ox.NamedNode, labels: dict[str, str | None]) -> Ref:
    return Ref(node.value, label_of(store, node, labels))
