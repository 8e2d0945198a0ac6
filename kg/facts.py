"""Facts between entities: the extractor's relations, events and quotes, attached to nodes.

Resolution has decided which entity each mention names and what each date mention
means; this stage uses those decisions to turn mention-level facts into node-level
ones, and dates each event:

1. the date its clause gives ('rally in June 2018'; a bare month takes the year next
   to it: 'October protests in 2019');
2. for an event named as the object of an anniversary, the anniversary's day in the
   year the text gives ('anniversary of the release … in 1979', on January 20 →
   1979-01-20) or that many years before ('third anniversary of the attack' on
   2023-01-06 → 2020-01-06);
3. a year in the event's own name ('the 1988 massacre', 'Free Iran 2023');
4. the date of the timeline entry or heading its paragraph is under ('January 6 – …');
5. for the lead's own news, the publication date (confidence 0.5).

Clause dates are read against the event's anchor (the publication date, or its timeline
entry's day) in the clause's tense; an event that elaborates an earlier one of its class
has that one's date (confidence 0.5). An event of a kind that happens inside a country
whose clause names no place is placed at the lead's dateline, or else in the country
the document names most, at a low confidence: 'the nationwide uprising in January
2018' in an article about Iran happened in Iran.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from kg.dates import CalendarValue, normalise
from kg.extract import Extraction, Mention
from kg.extract.claims import EventFact, Evidence, Quote, Relation
from kg.rdf.namespaces import slug
from kg.resolve import ResolvedDocument


@dataclass(frozen=True)
class Role:
    """person → schema:OrganizationRole (roleName) → organisation."""

    key: str
    person: str
    organization: str
    name: str
    evidence: Evidence


@dataclass(frozen=True)
class Edge:
    """subject predicate object between entity keys (predicate: a schema.org term)."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence


@dataclass(frozen=True)
class DatedBy:
    value: CalendarValue
    evidence: Evidence


@dataclass
class Event:
    key: str
    event_class: str
    label: str
    trigger: str
    evidence: Evidence
    date: DatedBy | None = None
    named: str | None = None  # the key of the named (recurring) event this is an instance of
    arguments: list[Edge] = field(default_factory=list)  # location, attendee, performer, organizer
    count: str | None = None


@dataclass(frozen=True)
class Quotation:
    key: str
    speaker: str
    text: str
    evidence: Evidence
    audience: str | None = None
    about: tuple[str, ...] = ()
    date: CalendarValue | None = None


@dataclass
class DocumentFacts:
    roles: list[Role] = field(default_factory=list)
    links: list[Edge] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quotation] = field(default_factory=list)


DOMESTIC_CLASSES = {"Protest", "Killing", "Execution", "Arrest", "Release", "Election", "Coup", "Inauguration",
                    "Sentencing", "Trial", "Death", "Resignation", "Transfer"}
FOCUS_CONFIDENCE = 0.4
DATELINE_CONFIDENCE = 0.5
ARGUMENTS = {"places": "location", "attendees": "attendee", "performers": "performer",
             "organizers": "organizer"}
# The kinds of entity a relation may join (subject, object); others are not checked. An
# organisation the model often took for a person ('Rappler') may have been voted a person.
RELATION_KINDS = {"memberOf": ({"Person"}, {"Organization", "Person"}),
                  "founder": ({"Organization", "Person"}, {"Person"})}
YEAR_IN_NAME = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def resolve_facts(extraction: Extraction, resolved: ResolvedDocument) -> DocumentFacts:
    """Node-level facts for one document, from its mention-level ones."""
    keys = {link.mention: link.key for link in resolved.links if not link.key.startswith("date/")}
    values = date_values(resolved)
    labels = {entity.key: entity.label for entity in resolved.entities}
    facts = DocumentFacts()
    kinds = {entity.key: entity.kind for entity in resolved.entities}
    for relation in extraction.relations:
        attach_relation(relation, keys, kinds, facts)
    document = slug(extraction.document.name)
    focus = focus_country(resolved)
    for fact in extraction.events:
        event = make_event(fact, document, keys, labels)
        dateline = keys.get(fact.dateline_place) if fact.dateline_place else None
        if dateline and not any(a.predicate == "location" for a in event.arguments):
            proof = replace(fact.evidence, method="rule:dateline-place", confidence=DATELINE_CONFIDENCE)
            event.arguments.append(Edge(event.key, "location", dateline, proof))
        if focus and fact.event_class in DOMESTIC_CLASSES and not any(a.predicate == "location" for a in event.arguments):
            proof = replace(fact.evidence, method="rule:document-focus-country", confidence=FOCUS_CONFIDENCE)
            event.arguments.append(Edge(event.key, "location", focus, proof))
        facts.events.append(event)
    for quote in extraction.quotes:
        made = make_quote(quote, document, keys, values)
        if made is not None:
            facts.quotes.append(made)
    return facts


def focus_country(resolved: ResolvedDocument) -> str | None:
    """The country the document names most often (at least twice), if any."""
    countries = {e.key for e in resolved.entities if e.rdf_class == "Country"}
    counts = Counter(link.key for link in resolved.links if link.key in countries)
    if not counts:
        return None
    key, count = counts.most_common(1)[0]
    return key if count >= 2 else None


def date_values(resolved: ResolvedDocument) -> dict[Mention, CalendarValue]:
    by_key = {node.key: node.value for node in resolved.dates}
    return {link.mention: by_key[link.key] for link in resolved.links if link.key in by_key}


def attach_relation(relation: Relation, keys: dict[Mention, str], kinds: dict[str, str],
                    facts: DocumentFacts) -> None:
    """The relation between the entities its mentions resolved to, if they are of the kinds it joins.

    The rules accept a name the model mislabelled ('[Viasna]GPE lawyer X'); resolution has
    since decided from all of the document's mentions what each entity is, and a place or
    an event is no one's organisation.
    """
    subject, target = keys.get(relation.subject), keys.get(relation.object)
    if subject is None or target is None or subject == target:
        return
    expected = RELATION_KINDS.get(relation.predicate)
    if expected is not None and (kinds.get(subject) not in expected[0] or kinds.get(target) not in expected[1]):
        return
    organisation = {"memberOf": relation.object, "founder": relation.subject}.get(relation.predicate)
    if organisation is not None and organisation.label == "PERSON" and kinds.get(keys[organisation]) != "Organization":
        return  # "X, Trump's adviser": a person's possessive, unless the document calls it an organisation
    if relation.role:
        key = f"role/{tail(subject)}--{tail(target)}--{slug(relation.role)}"
        facts.roles.append(Role(key, subject, target, relation.role, relation.evidence))
    else:
        facts.links.append(Edge(subject, relation.predicate, target, relation.evidence))


def tail(key: str) -> str:
    return key.split("/", 1)[-1]


def make_event(fact: EventFact, document: str, keys: dict[Mention, str], labels: dict[str, str]) -> Event:
    event = Event(key=f"event/{document}/{fact.start}", event_class=fact.event_class, label=fact.trigger,
                  trigger=fact.trigger, evidence=fact.evidence, count=fact.count,
                  named=keys.get(fact.name) if fact.name else None)
    proofs = (fact.evidence, *fact.also)
    for role, predicate in ARGUMENTS.items():
        for mention in getattr(fact, role):
            key = keys.get(mention)
            if key is not None and key != event.named:
                event.arguments.append(Edge(event.key, predicate, key, proof_of(mention, proofs)))
    event.date = event_date(fact)
    event.label = event_label(event, labels)
    return event


def proof_of(mention: Mention, proofs: tuple[Evidence, ...]) -> Evidence:
    """The evidence whose sentence holds the mention (an argument may come from a later sentence)."""
    for proof in proofs:
        if proof.sentence_start <= mention.start < proof.sentence_start + len(proof.sentence):
            return proof
    return proofs[0]


def event_date(fact: EventFact) -> DatedBy | None:
    """The event's date: its clause's, read against its anchor; else as the module docstring lists."""
    tense = "future" if fact.future else ("past" if fact.timeline_date is None else None)
    read = [(m, v) for m in fact.dates if (v := normalise(m.text, fact.anchor, tense)) is not None]
    mentions, own = tuple(m for m, _ in read), [v for _, v in read]
    reference = fact.timeline_date
    if fact.anniversary is not None:
        value = anniversary_date(own, fact.anniversary, reference)
        return DatedBy(value, replace(fact.evidence, method="rule:anniversary-date", confidence=0.7)) if value else None
    if own and fact.elaborates:
        return DatedBy(combined(mentions, own), replace(fact.evidence, method="rule:elaborated-event-date",
                                                        confidence=0.5))
    if own:
        return DatedBy(combined(mentions, own), replace(fact.evidence, method="rule:event-clause-date", confidence=0.8))
    year = YEAR_IN_NAME.search(fact.name.text) if fact.name else None
    if year:
        return DatedBy(CalendarValue(year.group(1), "year"), replace(fact.evidence, method="rule:year-in-name", confidence=0.8))
    if reference is not None:
        return DatedBy(reference, replace(fact.evidence, method="rule:timeline-paragraph-date", confidence=0.7))
    if fact.in_lead and fact.anchor is not None:
        method = "rule:elaborated-event-date" if fact.elaborates else "rule:lead-dateline-date"
        return DatedBy(CalendarValue(fact.anchor.isoformat(), "day"), replace(fact.evidence, method=method,
                                                                              confidence=0.5))
    return None


def combined(mentions: tuple[Mention, ...], own: list[CalendarValue]) -> CalendarValue:
    """'October' (read against the publication year) + '2019' next to it → 2019-10."""
    if len(own) == 2 and own[1].precision == "year" and own[0].precision in ("month", "day") \
            and not re.search(r"\d", mentions[0].text):
        return CalendarValue(own[1].value + own[0].value[4:], own[0].precision)
    return own[0]


def anniversary_date(own: list[CalendarValue], years_ago: int,
                     anniversary: CalendarValue | None) -> CalendarValue | None:
    if anniversary is None or anniversary.precision != "day":
        return own[0] if own else None
    month_day = anniversary.value[4:]
    if own and own[0].precision == "year":
        return CalendarValue(own[0].value + month_day, "day")
    if own:
        return own[0]
    if years_ago > 0:
        return CalendarValue(f"{anniversary.year - years_ago:04d}{month_day}", "day")
    return None


def event_label(event: Event, labels: dict[str, str]) -> str:
    """'press conference, 2023-01-10, Brussels Press Club': what a reader needs to tell events apart."""
    parts = [event.trigger]
    if event.date:
        parts.append(event.date.value.value)
    places = [labels[a.object] for a in event.arguments if a.predicate == "location" and a.object in labels]
    parts.extend(places[:2])
    return ", ".join(parts)


def make_quote(quote: Quote, document: str, keys: dict[Mention, str],
               values: dict[Mention, CalendarValue]) -> Quotation | None:
    speaker = keys.get(quote.speaker)
    if speaker is None:
        return None
    date = values.get(quote.date) if quote.date else None
    about = tuple(dict.fromkeys(k for k in (keys.get(m) for m in quote.about) if k and k != speaker))
    return Quotation(key=f"quote/{document}/{quote.start}", speaker=speaker, text=quote.text,
                     evidence=quote.evidence, audience=keys.get(quote.audience) if quote.audience else None,
                     about=about, date=date)
