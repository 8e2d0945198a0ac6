"""/sparql with real clients (SPARQLWrapper, rdflib's SPARQLStore, plain HTTP); answers parsed back."""
from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.rdf.namespaces import SCHEMA

pytestmark = pytest.mark.slow
PERSONS = "SELECT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name }"
RAJAVI = URIRef("https://newskg.example/person/maryam-rajavi")
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def in_process(store, sparql: str) -> set[tuple[str, ...]]:
    """The same SELECT straight on the store: the reference the HTTP answers must equal."""
    results = store.query(sparql)
    names = [v.value for v in results.variables]
    return {tuple(row[n].value for n in names) for row in results}


def in_process_graph(store, construct: str) -> Graph:
    return Graph().parse(data=ox.serialize(store.query(construct), format=ox.RdfFormat.N_TRIPLES), format="nt")


def wrapper(live, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_sparqlwrapper_select_in_every_results_format_equals_the_store(live):
    expected = in_process(live.store, PERSONS)
    assert len(expected) >= 10
    as_json = wrapper(live, PERSONS, JSON).queryAndConvert()
    assert {(b["p"]["value"], b["name"]["value"]) for b in as_json["results"]["bindings"]} == expected
    assert rows(wrapper(live, PERSONS, XML).query().response.read(), "xml") == expected
    for fmt, header in ((CSV, "p,name"), (TSV, "?p\t?name")):
        body = wrapper(live, PERSONS, fmt).queryAndConvert()
        assert body.decode("utf-8").splitlines()[0] == header
        assert rows(body, fmt.lower()) == expected, fmt


def test_sparqlwrapper_ask_and_construct(live):
    assert wrapper(live, "ASK { ?p a schema:Person }", JSON).queryAndConvert()["boolean"] is True
    xml_answer = ET.fromstring(wrapper(live, "ASK { ?p a schema:Spaceship }", XML).query().response.read())
    assert xml_answer.find(f"{RESULTS_NS}boolean").text == "false"
    construct = f"CONSTRUCT {{ <{RAJAVI}> ?p ?o }} WHERE {{ <{RAJAVI}> ?p ?o }}"
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(construct)
    graph = client.queryAndConvert()  # SPARQLWrapper negotiates RDF and parses it with rdflib
    assert isinstance(graph, Graph) and len(graph) > 0
    assert isomorphic(graph, in_process_graph(live.store, construct))


def test_rdflib_sparqlstore_reads_the_graph(live):
    remote = Graph(store=SPARQLStore(live.url + "/sparql", returnFormat="json"))
    rows = {(str(r.p), str(r.name)) for r in remote.query(PERSONS)}
    assert rows == in_process(live.store, PERSONS)
    labels = set(remote.objects(RAJAVI, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert labels == {Literal("Maryam Rajavi")}
    assert (RAJAVI, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(SCHEMA + "Person")) in remote


def test_get_post_form_and_post_direct_give_the_same_answer(live):
    headers = {"Accept": "application/sparql-results+json"}
    answers = [
        live.get("/sparql", params={"query": PERSONS}, headers=headers),
        live.post("/sparql", data={"query": PERSONS}, headers=headers),
        live.post("/sparql", data=PERSONS.encode(), headers={**headers, "Content-Type": "application/sparql-query"}),
    ]
    parsed = []
    for response in answers:
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/sparql-results+json"
        parsed.append({(b["p"]["value"], b["name"]["value"]) for b in response.json()["results"]["bindings"]})
    assert parsed[0] == parsed[1] == parsed[2] == in_process(live.store, PERSONS)


CONSTRUCT = f"CONSTRUCT {{ <{RAJAVI}> ?p ?o }} WHERE {{ <{RAJAVI}> ?p ?o }}"
NEGOTIATION = [  # (Accept header, format=, query, Content-Type, rdflib format or results parser)
    ("application/sparql-results+json", None, PERSONS, "application/sparql-results+json", "json"),
    ("application/json", None, PERSONS, "application/sparql-results+json", "json"),
    ("application/sparql-results+xml", None, PERSONS, "application/sparql-results+xml", "xml"),
    ("text/csv", None, PERSONS, "text/csv", "csv"),
    ("text/tab-separated-values", None, PERSONS, "text/tab-separated-values", "tsv"),
    ("application/xml;q=0.9,*/*;q=0.8", None, PERSONS, "application/sparql-results+xml", "xml"),
    ("text/html", "json", PERSONS, "application/sparql-results+json", "json"),
    ("*/*", None, CONSTRUCT, "text/turtle", "turtle"),
    ("application/n-triples", None, CONSTRUCT, "application/n-triples", "nt"),
    ("application/ld+json", None, CONSTRUCT, "application/ld+json", "json-ld"),
    ("application/rdf+xml", None, CONSTRUCT, "application/rdf+xml", "xml"),
    ("text/turtle;q=0.5, application/rdf+xml", None, CONSTRUCT, "application/rdf+xml", "xml"),
    (None, "jsonld", CONSTRUCT, "application/ld+json", "json-ld"),
]


@pytest.mark.parametrize("accept, fmt, query, content_type, parser", NEGOTIATION)
def test_content_negotiation(live, accept, fmt, query, content_type, parser):
    params = {"query": query} | ({"format": fmt} if fmt else {})
    response = live.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == content_type
    if query is CONSTRUCT:
        graph = Graph().parse(data=response.content, format=parser)
        assert isomorphic(graph, in_process_graph(live.store, CONSTRUCT))
    else:
        assert rows(response.content, parser) == in_process(live.store, PERSONS)


def rows(body: bytes, fmt: str) -> set[tuple[str, ...]]:
    """SELECT results parsed back from any of the four formats, as tuples of values."""
    if fmt == "json":
        parsed = json.loads(body)
        return {tuple(b[v]["value"] for v in parsed["head"]["vars"]) for b in parsed["results"]["bindings"]}
    if fmt == "xml":
        return {tuple(b.find("*").text for b in r.findall(f"{RESULTS_NS}binding"))
                for r in ET.fromstring(body).iter(f"{RESULTS_NS}result")}
    if fmt == "tsv":  # terms in Turtle syntax: <iri>, "literal" (plain literals here)
        lines = body.decode("utf-8").splitlines()[1:]
        return {tuple(cell[1:-1] if cell.startswith("<") else json.loads(cell) for cell in line.split("\t"))
                for line in lines}
    return {tuple(row) for row in list(csv.reader(io.StringIO(body.decode("utf-8"))))[1:]}


def test_unacceptable_formats_are_406(live):
    assert live.get("/sparql", params={"query": PERSONS}, headers={"Accept": "image/png"}).status_code == 406
    graph_only = live.get("/sparql", params={"query": PERSONS}, headers={"Accept": "text/turtle"})
    assert graph_only.status_code == 406 and "SELECT/ASK" in graph_only.json()["detail"]
    assert live.get("/sparql", params={"query": PERSONS, "format": "yaml"}).status_code == 400


def test_a_malformed_query_is_a_400_saying_what_and_where(live):
    response = live.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?p }"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "QueryError" and "1:" in body["detail"]
    with pytest.raises(QueryBadFormed):
        wrapper(live, "SELECT ?x WHERE {", JSON).query()


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"update": "INSERT DATA { <http://x/s> <http://x/p> 1 }"}},
    {"data": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"data": {"query": "LOAD <http://example.org/data.ttl>"}},
    {"data": {"query": "CLEAR ALL"}},
])
def test_updates_are_refused_and_change_nothing(live, request_kwargs):
    before = in_process(live.store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    response = live.post("/sparql", **request_kwargs)
    assert response.status_code == 403
    assert response.json()["error"] == "QueryRefusedError" and "read-only" in response.json()["detail"]
    assert in_process(live.store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before


def test_from_in_the_query_is_honoured_and_the_protocol_dataset_overrides_it(live):
    documents = live.store.documents()
    first = documents[0].graph
    articles = "SELECT ?d {from} WHERE {{ ?d a schema:NewsArticle }}"
    get = lambda query, **params: {b["d"]["value"] for b in live.get(  # noqa: E731
        "/sparql", params={"query": query, **params}, headers={"Accept": "application/json"}).json()["results"]["bindings"]}
    assert len(get(articles.format(**{"from": ""}))) == len(documents)
    assert len(get(articles.format(**{"from": f"FROM <{first}>"}))) == 1
    second = documents[1].graph
    assert len(get(articles.format(**{"from": f"FROM <{first}>"}), **{"default-graph-uri": [first, second]})) == 2


def test_without_a_query_the_endpoint_describes_itself(live):
    response = live.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(live.url + "/sparql")
    assert (service, URIRef(sd + "endpoint"), service) in graph
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert names == {d.graph for d in live.store.documents()}


def test_a_query_past_the_timeout_is_killed_while_others_are_served(live):
    workers_before = set(live.get("/health").json()["query_workers"])
    served_meanwhile: list[int] = []

    def other_client() -> None:
        time.sleep(0.5)
        for _ in range(5):
            served_meanwhile.append(live.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code)
            served_meanwhile.append(live.get("/entities", params={"q": "iran"}).status_code)

    other = threading.Thread(target=other_client)
    other.start()
    started = time.monotonic()
    response = live.get("/sparql", params={"query": ENDLESS})
    elapsed = time.monotonic() - started
    other.join()
    assert response.status_code == 503 and response.json()["error"] == "QueryTimeoutError"
    assert live.settings.query_timeout <= elapsed < live.settings.query_timeout + 30
    assert served_meanwhile == [200] * 10
    deadline = time.monotonic() + 10  # the killed worker is replaced in the background
    while len(workers_after := set(live.get("/health").json()["query_workers"])) < len(workers_before) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    killed = workers_before - workers_after
    assert len(killed) == 1 and len(workers_after) == len(workers_before)
    for pid in killed:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert live.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
