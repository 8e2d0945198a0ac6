"""Entity search, entity pages with content negotiation, neighbourhoods: checked against the store and the texts."""
from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.rdf.namespaces import SCHEMA

pytestmark = pytest.mark.slow
RAJAVI = "https://newskg.example/person/maryam-rajavi"
PAGE = "/entities/person/maryam-rajavi"


def labels_and_aliases(store) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for row in store.query("SELECT ?e ?n WHERE { ?d schema:mentions ?e . { ?e rdfs:label ?n } UNION "
                           "{ ?e skos:altLabel ?n } }"):
        names.setdefault(row["e"].value, set()).add(row["n"].value)
    return names


def words(name: str) -> list[str]:
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower())


@pytest.mark.parametrize("text", ["raj", "NCRI", "iran", "tehran", "a", "maryam raj"])
def test_search_finds_every_entity_with_a_label_or_alias_whose_words_start_with_the_words_typed(live, text):
    typed = words(text)
    expected = {e for e, names in labels_and_aliases(live.store).items()
                if any(all(any(w.startswith(t) for w in words(n)) for t in typed) for n in names)}
    found = live.get("/entities", params={"q": text, "limit": 1000}).json()["results"]
    assert expected and {r["iri"] for r in found} == expected
    assert all(all(any(w.startswith(t) for w in words(r["matched"])) for t in typed) for r in found)


def test_search_ranks_whole_names_first_and_filters_by_type(live):
    found = live.get("/entities", params={"q": "Iran"}).json()["results"]
    assert found[0]["matched"].lower() == "iran"
    countries = live.get("/entities", params={"q": "ira", "type": "Country"}).json()["results"]
    assert countries and all(SCHEMA + "Country" in r["types"] for r in countries)
    assert len(live.get("/entities", params={"q": "a", "limit": 3}).json()["results"]) == 3


def test_the_entity_page_in_json_lists_names_facts_and_mentions_with_their_sentences(live):
    page = live.get(PAGE, headers={"Accept": "application/json"}).json()
    assert page["iri"] == RAJAVI and page["label"] == "Maryam Rajavi" and SCHEMA + "Person" in page["types"]
    texts = {d.name: text_of(live.store, d.name) for d in live.store.documents()}
    assert page["mention_count"] == len(page["mentions"]) > 0
    for mention in page["mentions"]:
        text = texts[mention["document"]]
        assert text[mention["start"]:mention["end"]] == mention["surface_form"]
        start = mention["sentence_start"]
        assert text[start:start + len(mention["sentence"])] == mention["sentence"]
    outgoing = {(f["predicate"], f["value"]["value"]) for f in page["facts"] if f["direction"] == "out"}
    stored = {(t.predicate.value, t.object.value) for t in live.store.triples(ox.NamedNode(RAJAVI))}
    assert outgoing and outgoing <= stored


def text_of(store, name: str) -> str:
    rows = store.query("SELECT ?t ?name WHERE { ?d schema:identifier ?name ; schema:text ?t }",
                       bindings={"name": ox.Literal(name)})
    return next(iter(rows))["t"].value


@pytest.mark.parametrize("accept, fmt, rdflib_format", [
    ("text/turtle", None, "turtle"), ("application/ld+json", None, "json-ld"),
    ("application/n-triples", None, "nt"), (None, "rdfxml", "xml")])
def test_the_entity_as_rdf_is_every_triple_in_and_out(live, accept, fmt, rdflib_format):
    response = live.get(PAGE, headers={"Accept": accept} if accept else {}, params={"format": fmt} if fmt else {})
    assert response.status_code == 200
    served = Graph().parse(data=response.content, format=rdflib_format)
    construct = f"CONSTRUCT {{ <{RAJAVI}> ?p ?o . ?s ?q <{RAJAVI}> }} WHERE {{ {{ <{RAJAVI}> ?p ?o }} UNION {{ ?s ?q <{RAJAVI}> }} }}"
    reference = Graph().parse(data=ox.serialize(live.store.query(construct), format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(served, reference)


def test_a_browser_gets_an_html_page_and_the_iri_dereferences_to_it(live):
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    html = live.get(PAGE, headers=browser)
    assert html.status_code == 200 and html.headers["Content-Type"].startswith("text/html")
    assert "Maryam Rajavi" in html.text and "<mark>Maryam Rajavi</mark>" in html.text
    redirect = live.get("/person/maryam-rajavi", headers=browser)
    assert redirect.status_code == 303 and redirect.headers["Location"].endswith(PAGE)
    assert live.get("/person/nobody-at-all").status_code == 404


def test_the_neighbourhood_is_a_graph_of_nodes_and_edges_from_the_store(live):
    body = live.get(PAGE + "/neighbourhood", params={"depth": 2}).json()
    ids = {n["id"] for n in body["nodes"]}
    assert RAJAVI in ids and body["edges"]
    for edge in body["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
        triple = ox.Triple(ox.NamedNode(edge["source"]), ox.NamedNode(edge["predicate"]), ox.NamedNode(edge["target"]))
        assert next(live.store.triples(triple.subject, triple.predicate, triple.object), None) == triple
    depth_one = {n["id"] for n in live.get(PAGE + "/neighbourhood").json()["nodes"]}
    mentioning = {r["d"].value for r in live.store.query(f"SELECT ?d WHERE {{ ?d schema:mentions <{RAJAVI}> }}")}
    assert mentioning <= depth_one < ids


def test_neighbourhood_filters_limits_and_rdf(live):
    people_and_articles = live.get(PAGE + "/neighbourhood", params={
        "depth": 2, "type": ["Person", "NewsArticle"], "predicate": "schema:mentions"}).json()
    allowed = {SCHEMA + "Person", SCHEMA + "NewsArticle"}
    assert all(set(n["types"]) & allowed for n in people_and_articles["nodes"])
    assert {e["predicate"] for e in people_and_articles["edges"]} == {SCHEMA + "mentions"}
    capped = live.get(PAGE + "/neighbourhood", params={"depth": 3, "limit": 5}).json()
    assert len(capped["edges"]) == 5 and capped["truncated"] is True
    turtle = live.get(PAGE + "/neighbourhood", params={"depth": 2}, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.content, format="turtle")
    edges = live.get(PAGE + "/neighbourhood", params={"depth": 2}).json()["edges"]
    assert all((URIRef(e["source"]), URIRef(e["predicate"]), URIRef(e["target"])) in graph for e in edges)


@pytest.mark.parametrize("params", [{"depth": 0}, {"depth": 4}, {"depth": "two"}, {"limit": 0},
                                    {"limit": 10**6}, {"predicate": "not an iri"},
                                    {"predicate": "> } ; DROP ALL #"}, {"type": "bad type!"}])
def test_neighbourhood_parameters_are_validated(live, params):
    response = live.get(PAGE + "/neighbourhood", params=params)
    assert response.status_code == 400 and response.json()["error"] == "RequestError"


def test_an_entity_page_comes_a_page_at_a_time_and_the_pages_hold_every_mention_once(live):
    iran = "https://newskg.example/place/iran"
    stored = {row["m"].value for row in live.store.query(f"SELECT ?m WHERE {{ ?m kg:mentionOf <{iran}> }}")}
    assert len(stored) > 6
    seen, offset = [], 0
    while offset < len(stored) + 3:
        page = live.get("/entities/place/iran", params={"limit": 3, "offset": offset},
                        headers={"Accept": "application/json"}).json()
        assert page["mention_count"] == len(stored) and page["offset"] == offset and len(page["mentions"]) <= 3
        assert [(m["document"], m["start"]) for m in page["mentions"]] == \
            sorted((m["document"], m["start"]) for m in page["mentions"])
        seen += [m["iri"] for m in page["mentions"]]
        offset += 3
    assert sorted(seen) == sorted(stored)
