"""Facts through the whole chain: a short text written for the test → build → the real store → SPARQL.

One test per construction the extractor reads; each asserts the triples in the store.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kg.build import build
from kg.settings import Settings
from kg.store import GraphStore
from tests.conftest import write


def built(tmp_path: Path, settings: Settings, store: GraphStore, text: str, published: str | None = None) -> GraphStore:
    record = {"id": "story", "text": text, **({"published": published} if published else {})}
    path = write(tmp_path, "story.jsonl", json.dumps(record) + "\n")
    report = build([path], store, settings)
    assert report.built == ["story"], report.failed
    return store


def rows(store: GraphStore, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(term.value if term is not None else None for term in row) for row in store.query(sparql)]


def roles(store: GraphStore) -> set[tuple[str, str, str]]:
    return set(rows(store, """
        SELECT ?person ?role ?org WHERE {
          ?p a schema:Person ; rdfs:label ?person ; schema:memberOf ?r .
          ?r a schema:OrganizationRole ; schema:roleName ?role ; schema:memberOf ?o .
          ?o rdfs:label ?org }"""))


def events(store: GraphStore) -> list[dict[str, object]]:
    """Every event with its trigger, class, date, places, organisers and attendees."""
    found = {}
    for node, trigger, cls, date, predicate, value in rows(store, """
            SELECT ?e ?trigger ?class ?date ?p ?label WHERE {
              ?e kg:trigger ?trigger ; a ?class . FILTER(?class != schema:Event)
              OPTIONAL { ?e schema:startDate ?date }
              OPTIONAL { ?e ?p ?x . ?x rdfs:label ?label
                         FILTER(?p IN (schema:location, schema:organizer, schema:attendee, schema:performer)) } }"""):
        event = found.setdefault(node, {"trigger": trigger, "class": cls.rsplit("#", 1)[-1], "date": date})
        if predicate:
            event.setdefault(predicate.rsplit("/", 1)[-1], set()).add(value)
    return list(found.values())


def event(store: GraphStore, trigger: str) -> dict[str, object]:
    matches = [e for e in events(store) if e["trigger"] == trigger]
    assert len(matches) == 1, events(store)
    return matches[0]


# --- affiliations -------------------------------------------------------------------------

@pytest.mark.parametrize("text, role", [
    pytest.param("Roham Alvandi, a history professor at the London School of Economics, said the talks had failed.",
                 ("Roham Alvandi", "history professor", "London School of Economics"), id="apposition"),
    pytest.param("Alex Vatanka, director of the Iran Program at the Middle East Institute, spoke on Monday.",
                 ("Alex Vatanka", "director of the Iran Program", "Middle East Institute"),
                 id="a chain of organisations keeps the inner one in the role"),
    pytest.param("Guests included Mr. Bashar Alhakim (deputy chair of the National Coalition) and other figures.",
                 ("Bashar Alhakim", "deputy chair", "National Coalition"), id="bracketed apposition"),
    pytest.param("The NCRI's president Maryam Rajavi spoke in Paris.",
                 ("Maryam Rajavi", "president", "National Council of Resistance of Iran"),
                 id="possessive title before a name"),
    pytest.param("Secretary General of NATO Jens Stoltenberg met reporters in Erbil.",
                 ("Jens Stoltenberg", "Secretary General", "NATO"), id="title of organisation before a name"),
    pytest.param("Masih Alinejad spoke in New York. Alex Vatanka is the director at the Middle East Institute.",
                 ("Alex Vatanka", "director", "Middle East Institute"), id="copula"),
    pytest.param("Amnesty International's secretary general Agnès Callamard called for an inquiry.",
                 ("Agnès Callamard", "secretary general", "Amnesty International"),
                 id="a title that is a role noun stays in the role"),
])
def test_roles_in_organisations(tmp_path, settings, store, text, role):
    built(tmp_path, settings, store, text)
    assert role in roles(store)


def test_a_role_without_an_organisation_gives_no_affiliation(tmp_path, settings, store):
    built(tmp_path, settings, store, "Several figures such as the actor Taraneh Alidoosti are still in detention.")
    assert roles(store) == set()
    assert rows(store, "SELECT ?p WHERE { ?p schema:memberOf ?x }") == []


def test_founder_through_its(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "Groups like the Constitutional Party of Iran lean on the pedigree of its founder, "
          "the late Dr. Daryoush Homayoun.")
    assert rows(store, """SELECT ?org ?person WHERE { ?o schema:founder ?p .
                          ?o rdfs:label ?org . ?p rdfs:label ?person }""") == [
        ("Constitutional Party of Iran", "Daryoush Homayoun")]


def test_family_relation(tmp_path, settings, store):
    built(tmp_path, settings, store, "Reza Pahlavi, son of Mohammad Reza Pahlavi, spoke in Washington.")
    assert rows(store, """SELECT ?child ?parent WHERE { ?c schema:parent ?p .
                          ?c rdfs:label ?child . ?p rdfs:label ?parent }""") == [
        ("Reza Pahlavi", "Mohammad Reza Pahlavi")]


# --- places -------------------------------------------------------------------------------

CONTAINED = """SELECT ?place ?in WHERE { ?p schema:containedInPlace ?c . ?p rdfs:label ?place .
               ?c rdfs:label ?in }"""


@pytest.mark.parametrize("text, pair", [
    ("Girls marched in Pakdasht, located in Tehran Province, on Tuesday.", ("Pakdasht", "Tehran Province")),
    ("The Friday prayer imam in Qom, central Iran, said the MEK is the enemy.", ("Qom", "Iran")),
    ("Demonstrators gathered in Zahedan, the capital of Sistan-Baluchestan province, on Friday.",
     ("Zahedan", "Sistan-Baluchestan province")),
])
def test_place_containment(tmp_path, settings, store, text, pair):
    built(tmp_path, settings, store, text)
    assert pair in set(rows(store, CONTAINED))


def test_a_list_of_cities_is_not_containment(tmp_path, settings, store):
    built(tmp_path, settings, store, "Rallies were held in Malmö, Gothenburg, Stockholm, Paris and London.")
    assert rows(store, CONTAINED) == []


# --- events ---------------------------------------------------------------------------------

TIMELINE = """Activities in 2023

January 2023

January 6 – Supporters of the National Council of Resistance of Iran (NCRI) organized rallies in Berlin and Paris.

January 25 – The Friends of a Free Iran Intergroup in the European Parliament convened to discuss Iran. \
Mrs. Maryam Rajavi, President of the NCRI, addressed the meeting.
"""


def test_timeline_paragraphs_date_their_events(tmp_path, settings, store):
    built(tmp_path, settings, store, TIMELINE)
    rallies = event(store, "rallies")
    assert rallies["class"] == "Rally" and rallies["date"] == "2023-01-06"
    assert rallies["location"] == {"Berlin", "Paris"}
    assert rallies["organizer"] == {"National Council of Resistance of Iran"}
    meeting = event(store, "convened")
    assert meeting["class"] == "Meeting" and meeting["date"] == "2023-01-25"
    assert meeting["location"] == {"European Parliament"}
    assert meeting["organizer"] == {"Friends of a Free Iran Intergroup"}
    assert meeting["performer"] == {"Maryam Rajavi"}, "'addressed the meeting' refers back to the event"


def test_relative_dates_resolve_against_publication(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "The International Convention for the Future of Iran was launched last year. "
          "In November, the Iran National Front will hold a conference in Washington.",
          published="2020-10-27")
    launch = event(store, "launched")
    assert (launch["class"], launch["date"]) == ("Founding", "2019")
    assert launch["organizer"] == {"International Convention for the Future of Iran"}
    conference = event(store, "conference")
    assert (conference["date"], conference["location"]) == ("2020-11", {"Washington"})
    assert conference["organizer"] == {"Iran National Front"}


def test_a_bare_month_takes_the_year_beside_it(tmp_path, settings, store):
    built(tmp_path, settings, store, "During the bloody October protests in 2019 in Iran, 1,500 people were killed.",
          published="2020-10-27")
    assert event(store, "bloody October protests")["date"] == "2019-10"


def test_anniversaries_date_the_event_they_commemorate(tmp_path, settings, store):
    built(tmp_path, settings, store, "January 2023\n\nJanuary 6 – On the third anniversary of the missile attack "
                                     "by the IRGC on flight PS752, rallies were held in Toronto.\n")
    attack = event(store, "missile attack")
    assert (attack["class"], attack["date"]) == ("Attack", "2020-01-06")
    assert attack["attendee"] == {"Islamic Revolutionary Guard Corps"}
    assert event(store, "rallies")["date"] == "2023-01-06"


def test_named_events_are_instances_of_one_recurring_event(tmp_path, settings, store):
    built(tmp_path, settings, store, "The Free Iran Global Summit was held in Paris in July 2018.")
    assert rows(store, """SELECT ?date ?named WHERE { ?e schema:superEvent ?n ; schema:startDate ?date .
                          ?n rdfs:label ?named }""") == [("2018-07", "Free Iran Global Summit")]


def test_conjoined_verbs_give_organisers_and_attendees(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "Last month, thousands of people rallied in Berlin. The rally was organized by the Woman Life Freedom "
          "Collective and attended by Masih Alinejad.", published="2022-11-20")
    rally = event(store, "rallied")
    assert (rally["class"], rally["date"], rally["location"]) == ("Rally", "2022-10", {"Berlin"})
    assert rally["organizer"] == {"Woman Life Freedom Collective"} and rally["attendee"] == {"Masih Alinejad"}


def test_only_verbs_that_frame_an_event_lend_it_their_date(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "On Monday, the United Nations Human Rights Council held a special session in Geneva. "
          "Germany and Iceland had requested the session in October.", published="2022-11-20")
    assert [(e["trigger"], e["date"], e["location"]) for e in events(store)] == [
        ("special session", "2022-11-14", {"Geneva"})]


def test_a_place_inside_a_phrase_after_in_is_where_it_happened(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "Security forces killed at least five protesters in the Kurdish city of Mahabad on Saturday.",
          published="2022-11-20")
    killing = event(store, "killed")
    assert (killing["class"], killing["date"], killing["location"]) == ("Killing", "2022-11-19", {"Mahabad"})
    assert rows(store, "SELECT ?n WHERE { ?e kg:reportedCount ?n }") == [("five protesters",)]


def test_a_gathering_for_an_event_lends_it_place_and_date(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "Thousands of exiles gathered in Paris on Saturday for the annual Free Iran rally, organised by the "
          "National Council of Resistance of Iran. Mike Pence, who addressed the rally by video, called for sanctions.",
          published="2023-07-03")
    rally = event(store, "Free Iran rally")
    assert (rally["date"], rally["location"]) == ("2023-07-01", {"Paris"})
    assert rally["organizer"] == {"National Council of Resistance of Iran"}
    assert rally["performer"] == {"Mike Pence"}, "'who addressed the rally' stands for Mike Pence"


def test_an_including_list_outside_a_place_phrase_is_not_where_it_happened(tmp_path, settings, store):
    built(tmp_path, settings, store, "Khamenei blamed the unrest in Tehran on Iran's enemies, including the "
                                     "United States and Israel.")
    assert event(store, "unrest")["location"] == {"Tehran"}


def test_a_trigger_with_nothing_attached_is_not_an_event(tmp_path, settings, store):
    built(tmp_path, settings, store, "People are tired of protests and of speeches.")
    assert events(store) == []


# --- quotes -----------------------------------------------------------------------------------

def test_quote_attribution_through_a_pronoun(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "“The grievances are real,” said Alex Vatanka, director of the Iran Program at the Middle East Institute.\n\n"
          "“But the regime blames the Islamic Revolutionary Guard Corps,” he told i24NEWS.")
    quoted = set(rows(store, """SELECT ?speaker ?text ?to WHERE { ?q a schema:Quotation ; schema:text ?text ;
                     schema:creator/rdfs:label ?speaker OPTIONAL { ?q schema:recipient/rdfs:label ?to } }"""))
    assert ("Alex Vatanka", "The grievances are real,", None) in quoted
    assert ("Alex Vatanka", "But the regime blames the Islamic Revolutionary Guard Corps,", "i24NEWS") in quoted
    about = rows(store, """SELECT ?speaker WHERE { ?q schema:about gz-irgc: ; schema:creator/rdfs:label ?speaker }"""
                 .replace("gz-irgc:", "<https://newskg.example/organization/irgc>"))
    assert about == [("Alex Vatanka",)]


# --- evidence ---------------------------------------------------------------------------------

def test_every_fact_has_its_evidence(tmp_path, settings, store):
    text = "Roham Alvandi, a history professor at the London School of Economics, said the talks had failed."
    built(tmp_path, settings, store, text)
    evidence = rows(store, """
        SELECT ?from ?to ?start ?end ?method ?confidence ?text WHERE {
          ?p rdfs:label "Roham Alvandi" ; schema:memberOf ?role .
          ?st rdf:subject ?p ; rdf:predicate schema:memberOf ; rdf:object ?role ; kg:inSentence ?sentence ;
              kg:startOffset ?start ; kg:endOffset ?end ; kg:method ?method ; kg:confidence ?confidence .
          ?sentence kg:inDocument ?doc ; kg:startOffset ?from ; kg:endOffset ?to .
          ?doc schema:text ?text }""")
    assert len(evidence) == 1
    first, last, start, end, method, confidence, document_text = evidence[0]
    assert document_text[int(first):int(last)] == text
    assert document_text[int(start):int(end)] == "Roham Alvandi, a history professor at the London School of Economics"
    assert method.startswith("rule:") and Decimal("0") < Decimal(confidence) <= Decimal("1")
    unproven = rows(store, """SELECT ?s ?p ?o WHERE {
        ?s ?p ?o . FILTER(?p IN (schema:memberOf, schema:location, schema:organizer, schema:startDate,
                                 schema:containedInPlace, schema:creator, schema:founder))
        FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:inSentence ?x } }""")
    assert unproven == []
