"""The lean store: each sentence stated once as offsets into the document's text, shared by the
mentions and statements read in it, and every reader getting the words back from that text.

The story is invented; its first line puts accents and an emoji (a code point outside the
Basic Multilingual Plane) before every span, so the offsets Python wrote must be the ones
SPARQL's SUBSTR reads.
"""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg import catalog, evidence, profile, timeline
from kg.build import build
from kg.rdf.namespaces import KG, Iris
from kg.settings import Settings
from kg.store import GraphStore
from tests.conftest import write

pytestmark = pytest.mark.slow
ROLE = "Daniel Morgan, the executive director of the Northfield Rights Foundation, said the talks had failed."
ARREST = "Police detained Sarah Whitfield in Lisbon on March 3, 2031."
TEXT = f"Crème brûlée 🙂 and naïve café talk filled the morning.\n\n{ROLE}\n\n{ARREST}\n"
MORGAN = ox.NamedNode("https://newskg.example/person/daniel-morgan")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory):
    """The story built into its own store: (store, the document's stored text)."""
    directory = tmp_path_factory.mktemp("lean")
    settings = Settings(store=str(directory / "store"))
    path = write(directory, "story.jsonl", json.dumps({"id": "story", "text": TEXT}) + "\n")
    with GraphStore(settings.store) as store:
        report = build([path], store, settings)
        assert report.built == ["story"], report.failed
        yield store, catalog.document(store, "story").text


def test_mentions_read_back_their_words_and_sentence_from_the_text(story):
    store, text = story
    assert "🙂" in text and ROLE in text
    mentions = {m.surface_form: m for m in catalog.document(store, "story").mentions}
    for name, sentence in [("Daniel Morgan", ROLE), ("Northfield Rights Foundation", ROLE),
                           ("Sarah Whitfield", ARREST), ("Lisbon", ARREST)]:
        mention = mentions[name]
        assert text[mention.start:mention.end] == name
        assert mention.sentence == sentence and mention.sentence_start == text.index(sentence)
    [of_morgan] = catalog.mentions(store, entity=MORGAN, limit=None)
    assert (of_morgan.surface_form, of_morgan.sentence) == ("Daniel Morgan", ROLE)


def test_facts_read_back_their_sentence_and_span(story):
    store, text = story
    facts = evidence.about(store, MORGAN)
    assert {fact.predicate for fact in facts} >= {"https://schema.org/memberOf", "https://schema.org/creator"}
    for fact in facts:
        assert fact.sentence == ROLE and fact.sentence_start == text.index(ROLE)
        assert fact.sentence_start <= fact.start < fact.end <= fact.sentence_start + len(ROLE)
    [role] = [fact for fact in facts if fact.predicate == "https://schema.org/memberOf"]
    assert text[role.start:role.end].startswith("Daniel Morgan, the executive director")
    [quote] = profile.profile(store, MORGAN).quotes
    assert quote.sentence == ROLE
    [arrest] = timeline.events(store)
    assert arrest.sentence == ARREST and arrest.date == "2031-03-03"


def test_each_sentence_is_stated_once_and_shared_by_what_was_read_in_it(story):
    store, text = story
    sentences = {row["s"].value: (int(row["from"].value), int(row["to"].value)) for row in store.query(
        "SELECT ?s ?from ?to WHERE { ?s a kg:Sentence ; kg:startOffset ?from ; kg:endOffset ?to }")}
    assert sorted(text[start:end] for start, end in sentences.values()) == sorted([ROLE, ARREST])
    readers = store.query("SELECT ?s (COUNT(DISTINCT ?x) AS ?n) (SAMPLE(?kind) AS ?any) WHERE { "
                          "?x kg:inSentence ?s ; a ?kind } GROUP BY ?s")
    assert all(int(row["n"].value) > 1 for row in readers)
    with_mention_and_statement = store.query("""SELECT DISTINCT ?s WHERE {
        ?m a kg:Mention ; kg:inSentence ?s . ?st a rdf:Statement ; kg:inSentence ?s }""")
    assert {row["s"].value for row in with_mention_and_statement} == set(sentences)
    repeated = store.query("SELECT ?p WHERE { ?x ?p ?o FILTER(isLiteral(?o) && CONTAINS(STR(?o), 'executive director of'))}")
    assert [row["p"].value for row in repeated] == ["https://schema.org/text"]


def test_a_sentence_iri_is_located_in_its_document(story):
    store, text = story
    start = text.index(ARREST)
    node = Iris("https://newskg.example/").sentence("story", start, start + len(ARREST))
    found = catalog.locate(store, node)
    assert (found.kind, found.document, found.start, found.end) == ("sentence", "story", start, start + len(ARREST))
    assert next(store.triples(node, ox.NamedNode(KG + "inDocument"))).object.value == \
        catalog.document(store, "story").document.iri
