"""Events as news writes them: one test per construction, on texts written for the test.

Each text goes through the whole chain (pipeline → build → the real store) and the
test reads the events back with SPARQL.
"""
from __future__ import annotations

import pytest

from tests.test_facts import built, event, events

pytestmark = pytest.mark.slow


# --- timelines ------------------------------------------------------------------------------

HEADED_TIMELINE = """Timeline of the crisis

March 3, 2019

Thousands protest in the port city of Valdoria against fuel prices. Police respond with tear gas.

June 9, 2019

Soldiers overthrow President Arlen Voss after weeks of unrest.

Transport workers begin a nationwide strike.
"""


def test_date_headings_date_the_paragraphs_below_them(tmp_path, settings, store):
    built(tmp_path, settings, store, HEADED_TIMELINE)
    assert (event(store, "protest")["date"], event(store, "protest")["location"]) == ("2019-03-03", {"Valdoria"})
    assert event(store, "overthrow")["date"] == "2019-06-09"
    assert event(store, "nationwide strike")["date"] == "2019-06-09", "a heading holds until the next one"


def test_a_single_date_line_is_no_timeline(tmp_path, settings, store):
    built(tmp_path, settings, store, "Morning news\n\nMay 2, 2020\n\nProtesters marched in Valdoria.\n")
    assert event(store, "marched")["date"] is None


ENTRY_TIMELINE = """Key moments

Feb. 2, 2021 — The army arrests Prime Minister Tomas Brel in Valdoria.

Feb. 10 — Brel is sworn in again after a court order.

Feb. 12 — The new cabinet meets in Valdoria on Friday.
"""


def test_timeline_entries_without_a_year_take_it_from_the_entry_before(tmp_path, settings, store):
    built(tmp_path, settings, store, ENTRY_TIMELINE)
    assert event(store, "arrests")["date"] == "2021-02-02"
    assert (event(store, "sworn")["class"], event(store, "sworn")["date"]) == ("Inauguration", "2021-02-10")
    assert event(store, "meets")["date"] == "2021-02-12", "'on Friday' is read against the entry's own day"


# --- dates read against the publication date ---------------------------------------------------

def test_a_weekday_in_the_future_tense_is_the_coming_one(tmp_path, settings, store):
    built(tmp_path, settings, store, "The Valdorian parliament will vote on the bill on Thursday. "
                                     "Police detained two organisers in Valdoria on Monday.",
          published="2024-05-08")
    assert event(store, "detained")["date"] == "2024-05-06"
    assert [e["date"] for e in events(store) if e["class"] == "Vote"] in ([], ["2024-05-09"])


# --- verbs and nouns of each class --------------------------------------------------------------

@pytest.mark.parametrize("text, trigger, event_class, date", [
    pytest.param("A military court in Valdoria sentenced the journalist Ana Morel to four years on Monday.",
                 "sentenced", "Sentencing", "2024-05-06", id="sentence"),
    pytest.param("The verdict against Ana Morel was handed down in Valdoria on Monday.",
                 "verdict", "Sentencing", "2024-05-06", id="verdict"),
    pytest.param("Ana Morel died in police custody in Valdoria in March 2023.",
                 "died", "Death", "2023-03", id="death"),
    pytest.param("The government and the rebels signed a ceasefire in Valdoria on Tuesday.",
                 "ceasefire", "Agreement", "2024-05-07", id="agreement"),
    pytest.param("Tomas Brel resigned as prime minister on Sunday.",
                 "resigned", "Resignation", "2024-05-05", id="resignation"),
    pytest.param("The opposition leader Maria Santos returned to Lisbon in December after a decade abroad.",
                 "returned", "Travel", "2023-12", id="a month after publication is last year's"),
    pytest.param("Guards transferred Ana Morel to a prison hospital in Valdoria on Friday.",
                 "transferred", "Transfer", "2024-05-03", id="transfer"),
])
def test_trigger_classes(tmp_path, settings, store, text, trigger, event_class, date):
    built(tmp_path, settings, store, text, published="2024-05-08")
    found = event(store, trigger)
    assert (found["class"], found["date"]) == (event_class, date)


def test_a_noun_sense_is_not_a_verb_trigger(tmp_path, settings, store):
    built(tmp_path, settings, store, "The ministry released a report on Monday about prisons in Valdoria.",
          published="2024-05-08")
    assert [e for e in events(store) if e["class"] == "Release"] == []


# --- the lead: the news of the dateline -----------------------------------------------------------

def test_the_lead_sentence_reports_the_news_of_the_publication_day(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "Opposition leader detained\n\n"
          "LISBON - Police arrested the opposition leader Maria Santos outside the Supreme Court in Lisbon, "
          "her lawyers said, after she had marched with supporters through the city.\n\n"
          "Santos was detained again by the secret police, her party said later.\n",
          published="2024-05-08")
    lead = event(store, "arrested")
    assert (lead["date"], lead["location"]) == ("2024-05-08", {"Lisbon", "Supreme Court"})
    assert [e["date"] for e in events(store) if e["trigger"] == "marched"] in ([], [None]), \
        "a pluperfect clause is earlier news"


def test_background_in_a_subordinate_clause_of_the_lead_is_not_dated(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "The government announced the arrest of Maria Santos, who took power after the former president "
          "Tomas Brel resigned under pressure from the army.\n", published="2024-05-08")
    assert event(store, "announced")["date"] == "2024-05-08"
    assert [e["date"] for e in events(store) if e["trigger"] == "resigned"] in ([], [None])
    assert [e["date"] for e in events(store) if e["trigger"] == "arrest"] in ([], [None]), \
        "a noun the lead's verb does not frame keeps its own date"


def test_a_compound_noun_trigger(tmp_path, settings, store):
    built(tmp_path, settings, store, "A court in Lisbon handed jail terms of ten years to Maria Santos on Monday.",
          published="2024-05-08")
    terms = event(store, "jail terms")
    assert (terms["class"], terms["date"], terms["location"]) == ("Sentencing", "2024-05-06", {"Lisbon"})


def test_an_event_inside_a_country_is_placed_in_the_country_the_document_is_about(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "France held a general election on Sunday. Turnout in France was low, officials said.",
          published="2024-05-08")
    assert event(store, "general election")["location"] == {"France"}


def test_the_dateline_places_the_lead_news(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "Lisbon, May 7 (Reuters) - Police arrested the opposition leader Maria Santos on Sunday, her party said.\n",
          published="2024-05-08")
    arrest = event(store, "arrested")
    assert (arrest["date"], arrest["location"]) == ("2024-05-05", {"Lisbon"}), "the dateline's date is the report's"


def test_a_later_report_of_the_same_kind_of_event_tells_more_of_it(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "Police on Friday detained two leaders of the Green Party, officials said.\n\n"
          "Maria Santos was detained at her home in Porto, while Tomas Brel was detained in Braga.\n\n"
          "Santos had been detained in 2019 as well.\n",
          published="2024-05-08")
    dated = {(e["date"], frozenset(e.get("location", ()))) for e in events(store) if e["class"] == "Arrest"}
    assert ("2024-05-03", frozenset({"Porto"})) in dated
    assert all(date in ("2024-05-03", "2019", None) for date, _ in dated), "the pluperfect keeps its own date"


def test_a_weekday_does_not_borrow_a_year_from_another_phrase(tmp_path, settings, store):
    built(tmp_path, settings, store, "The new prime minister was sworn in on Tuesday, the first since the "
                                     "2024 uprising.", published="2026-02-17")
    assert event(store, "sworn")["date"] == "2026-02-17"
