"""The pages' content, read from the real app's HTML and checked against the store (the browser tests
in tests/browser drive the same pages in chromium); the text annotation on invented text."""
from __future__ import annotations

import re
from html import unescape

import pyoxigraph as ox
import pytest

from kg.catalog import Mention, annotated
from tests.api.test_web import BROWSER

RAJAVI = "/entities/person/maryam-rajavi"


def html(live, path: str, **params) -> str:
    response = live.get(path, headers=BROWSER, params=params)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    return unescape(re.sub(r"\s+", " ", response.text))


@pytest.mark.slow
def test_an_entity_page_names_each_role_with_its_organisation_and_evidence(live):
    rows = live.store.query("""SELECT ?name ?org ?sentence WHERE {
        <https://newskg.example/person/maryam-rajavi> schema:memberOf ?r . ?r schema:roleName ?name ;
        schema:memberOf/rdfs:label ?org . ?st rdf:object ?r ; kg:inSentence ?s .
        ?s kg:inDocument/schema:text ?text ; kg:startOffset ?from ; kg:endOffset ?to
        BIND(SUBSTR(?text, ?from + 1, ?to - ?from) AS ?sentence) }""")
    roles = [(r["name"].value, r["org"].value, r["sentence"].value) for r in rows]
    page = html(live, RAJAVI)
    assert roles
    for name, organisation, sentence in roles:
        assert re.search(rf"{re.escape(name)} of <a href=\"[^\"]+\">{re.escape(organisation)}</a>", page)
        assert " ".join(sentence.split()) in page


@pytest.mark.slow
def test_a_document_page_marks_every_mention_and_points_each_fact_at_its_sentence(live):
    name = live.store.documents()[-1].name
    view = live.get(f"/documents/{name}", headers={"Accept": "application/json"}).json()
    page = live.get(f"/documents/{name}", headers=BROWSER).text
    anchors = set(re.findall(r'<a class="mention [^"]*" id="(m-\d+-\d+)"', page))
    assert anchors == {f"m-{m['start']}-{m['end']}" for m in view["mentions"]}
    facts = live.store.query("SELECT ?name (COUNT(?st) AS ?n) WHERE { ?st a rdf:Statement ; kg:inSentence/kg:inDocument ?d . "
                             "?d schema:identifier ?name } GROUP BY ?name", bindings={"name": ox.Literal(name)})
    stated = int(next(iter(facts))["n"].value)
    assert stated > 0 and len(re.findall(r'<li id="st-', page)) == stated
    sentences = set(re.findall(r'<span class="sentence" id="(s-\d+)"', page))
    pointed = set(re.findall(r'<a href="#(s-\d+)">in this sentence</a>', page))
    assert pointed and pointed <= sentences
    text = re.sub(r"<[^>]+>", "", page.split('<article class="doc-text"', 1)[1].split(">", 1)[1].split("</article>")[0])
    assert unescape(text).strip() == view["text"].strip()


@pytest.mark.slow
def test_the_timeline_filters_by_actor_type_and_place(live):
    every = live.get("/timeline").json()
    rows = live.store.query("SELECT DISTINCT ?e WHERE { ?e a schema:Event ; schema:organizer|schema:attendee|"
                            "schema:performer <https://newskg.example/organization/ncri> }")
    by_ncri = live.get("/timeline", params={"actor": "organization/ncri"}).json()
    assert {e["iri"] for e in by_ncri["entries"] + by_ncri["undated"]} == {r["e"].value for r in rows}
    rally = live.get("/timeline", params={"type": "kg:Rally"}).json()
    assert rally["entries"] and all("https://newskg.example/ns#Rally" in e["types"] for e in rally["entries"])
    in_iran = live.get("/timeline", params={"place": "place/iran"}).json()["entries"]
    located = {r["e"].value for r in live.store.query(
        "SELECT ?e WHERE { ?e schema:location/schema:containedInPlace* <https://newskg.example/place/iran> }")}
    assert {e["iri"] for e in in_iran} == located & {e["iri"] for e in every["entries"]}
    dates = [e["date"] for e in every["entries"]]
    assert dates == sorted(dates)


def test_the_timeline_form_left_at_any_filters_nothing(live):
    """The filter form sends its 'any' choices as empty values."""
    every = live.get("/timeline").json()
    assert live.get("/timeline", params={"actor": "", "type": "", "place": ""}).json() == every


@pytest.mark.slow
def test_the_editor_offers_every_readme_query_and_a_type_lists_its_entities(live):
    page = unescape(live.get("/sparql", headers=BROWSER).text)
    readme = open("README.md", encoding="utf-8").read()
    for query in re.findall(r"```sparql\n(.*?)```", readme, re.DOTALL):
        assert f'data-query="{query.strip()}"' in page
    persons = {r["p"].value for r in live.store.query("SELECT DISTINCT ?p WHERE { ?d schema:mentions ?p . "
                                                      "?p a schema:Person ; rdfs:label ?l }")}
    listed = html(live, "/entities", type="schema:Person")
    assert len(re.findall(r'<tr><td><a href="/entities/person/', listed)) == len(persons)


def mention(start: int, end: int, sentence_start: int, sentence: str) -> Mention:
    return Mention(iri=f"m{start}", document="d", document_title=None, surface_form="", start=start, end=end,
                   sentence=sentence, sentence_start=sentence_start, method=None, resolution=None,
                   entity="e", entity_label=None)


def test_annotated_text_keeps_every_character_and_marks_each_mention_once():
    text = "Ada Quill met Bo Reed in Lisbon. Nothing else happened.\nThen Ada left for Porto."
    first, last = "Ada Quill met Bo Reed in Lisbon.", "Then Ada left for Porto."
    spans = [(0, 9), (14, 21), (25, 31), (text.index("Ada", 40), text.index("Ada", 40) + 3),
             (text.index("Porto"), text.index("Porto") + 5)]
    mentions = [mention(s, e, 0 if s < 40 else text.index(last), first if s < 40 else last) for s, e in spans]
    overlapping = mention(4, 9, 0, first)  # inside "Ada Quill": left out rather than nested
    passages = annotated(text, mentions + [overlapping], sentences=[(text.index("Nothing"), text.index("\n"))])
    assert "".join(p.text for passage in passages for p in passage.pieces) == text
    marked = [p for passage in passages for p in passage.pieces if p.mention]
    assert [(p.start, p.start + len(p.text)) for p in marked] == spans
    assert [p.start for p in passages if p.start is not None] == [0, text.index("Nothing"), text.index(last)]
