"""Web conventions over the real app on a real socket: every minted IRI dereferences (303 by Accept),
CORS, Vary: Accept, HEAD, /sparql/, SPARQLWrapper's format names, pages for browsers, the base check."""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import JSONLD, N3, RDFXML, TURTLE, SPARQLWrapper

from tests.api.live import cli_options, serving
from tests.api.test_sparql import in_process, in_process_graph

pytestmark = pytest.mark.slow
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"}
TURTLE_ACCEPT = {"Accept": "text/turtle"}
# One IRI of each kind the server mints, found in the store: kind → SPARQL pattern binding ?iri.
KINDS = {
    "person": "?iri a schema:Person",
    "organization": "?iri a schema:Organization",
    "place": "?iri a schema:Place",
    "date": "?iri a kg:CalendarDate",
    "role": "?iri a schema:OrganizationRole",
    "event in a document": "?iri a schema:Event FILTER(CONTAINS(STR(?iri), '-txt/'))",
    "named event": "?iri a schema:Event FILTER(!CONTAINS(STR(?iri), '-txt/'))",
    "quote": "?iri a schema:Quotation",
    "mention": "?iri a kg:Mention",
    "statement": "?iri a rdf:Statement",
    "document": "?iri a schema:NewsArticle",
    "graph": "GRAPH ?iri { ?d a schema:NewsArticle }",
    "extractor": "?iri a kg:Extractor",
}
PERSONS = "SELECT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name }"
CONSTRUCT = ("CONSTRUCT { ?p rdfs:label ?name ; a schema:Person } "
             "WHERE { ?p a schema:Person ; rdfs:label ?name }")


def one(store, pattern: str) -> str:
    return next(iter(store.query(f"SELECT ?iri WHERE {{ {pattern} }} ORDER BY ?iri LIMIT 1")))["iri"].value


def path_of(live, iri: str) -> str:
    assert iri.startswith(live.settings.base_iri)
    return "/" + iri.removeprefix(live.settings.base_iri)


@pytest.mark.parametrize("kind", KINDS)
def test_every_minted_iri_dereferences_to_a_page_and_to_rdf(live, kind):
    iri = one(live.store, KINDS[kind])
    page = live.get(path_of(live, iri), headers=BROWSER)
    assert page.status_code == 303 and "Accept" in page.headers["Vary"]
    shown = requests.get(live.url + page.headers["Location"].split("#")[0], headers=BROWSER, timeout=60)
    assert shown.status_code == 200 and shown.headers["Content-Type"].startswith("text/html")
    anchor = page.headers["Location"].partition("#")[2]
    if kind in ("mention", "statement"):  # the document's page, at the mention or the fact
        assert anchor and f'id="{anchor}"' in shown.text
    rdf = live.get(path_of(live, iri), headers=TURTLE_ACCEPT)
    assert rdf.status_code == 303 and rdf.headers["Location"] != page.headers["Location"]
    described = requests.get(live.url + rdf.headers["Location"], headers=TURTLE_ACCEPT, timeout=60)
    assert described.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=described.text, format="turtle")
    subjects = {str(s) for s in graph.subjects()} | {str(o) for o in graph.objects()}
    if kind == "graph":  # the graph's content: the document it holds
        assert one(live.store, f"GRAPH <{iri}> {{ ?iri a schema:NewsArticle }}") in subjects
    else:
        assert iri in subjects


def test_unknown_iris_and_foreign_paths_are_404(live):
    assert live.get("/person/nobody-at-all", headers=BROWSER).status_code == 404
    assert live.get("/mention/no-such-document/1-2").status_code == 404


def test_cors_lets_any_origin_read_without_credentials(live):
    origin = {"Origin": "https://notebook.example"}
    answer = live.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=origin)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer.headers
    preflight = requests.options(live.url + "/sparql", timeout=30, headers=origin | {
        "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    posted = requests.post(live.url + "/sparql", data="ASK { ?s ?p ?o }", timeout=30,
                           headers=origin | {"Content-Type": "application/sparql-query"})
    assert posted.json()["boolean"] is True and posted.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("origins, origin, allowed", [
    ("https://a.example https://b.example", "https://b.example", True),
    ("https://a.example", "https://evil.example", False),
    ("", "https://a.example", False),
])
def test_cors_origins_are_configurable(seeds_built, seeds_served, origins, origin, allowed):
    settings, store, _ = seeds_built
    server = serving(replace(settings, cors_origins=origins, query_workers=1), store, seeds_served)
    live = next(server)
    try:
        answer = live.get("/entities", params={"q": "iran"}, headers={"Origin": origin})
        assert answer.status_code == 200
        assert answer.headers.get("Access-Control-Allow-Origin") == (origin if allowed else None)
        if allowed:
            assert "Origin" in answer.headers["Vary"]
        assert "Access-Control-Allow-Credentials" not in answer.headers
    finally:
        server.close()


NEGOTIATED = ["/", "/entities?q=raj", "/entities/person/maryam-rajavi", "/documents",
              "/sparql?query=ASK%7B%7D", "/export", "/timeline", "/person/maryam-rajavi"]


@pytest.mark.parametrize("path", NEGOTIATED)
def test_responses_that_depend_on_accept_say_so(live, path):
    assert "Accept" in live.get(path).headers["Vary"]


def test_responses_that_do_not_depend_on_accept_do_not_say_so(live):
    assert "Accept" not in live.get("/health").headers.get("Vary", "")


@pytest.mark.parametrize("path", NEGOTIATED + ["/health", "/openapi.json", "/static/app.css",
                                               "/analytics/centrality", "/documents/000_bfe6de2612f73295.txt"])
def test_every_get_route_answers_head(live, path):
    get, head = live.get(path), requests.head(live.url + path, timeout=60, allow_redirects=False)
    assert head.status_code == get.status_code and head.content == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


def test_sparql_with_a_trailing_slash_is_the_same_endpoint(live):
    slash = live.get("/sparql/", params={"query": PERSONS}, headers={"Accept": "application/sparql-results+json"})
    assert slash.status_code == 200
    found = {(b["p"]["value"], b["name"]["value"]) for b in slash.json()["results"]["bindings"]}
    assert found == in_process(live.store, PERSONS)
    assert live.post("/sparql/", data={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.mark.parametrize("fmt, parser", [(RDFXML, "xml"), (JSONLD, "json-ld"), (N3, "n3"), (TURTLE, "turtle")])
def test_sparqlwrapper_format_names_on_construct(live, fmt, parser):
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(fmt)
    body = client.query().response.read()
    served = Graph().parse(data=body, format=parser)
    assert len(served) > 0 and isomorphic(served, in_process_graph(live.store, CONSTRUCT))


def test_a_select_opened_in_a_browser_is_a_page_with_the_rows(live):
    answer = live.get("/sparql", params={"query": PERSONS}, headers=BROWSER)
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in answer.headers
    cells = [unescape(c) for c in re.findall(r"<td>(?:<a href=\"[^\"]*\">)?([^<]*)", answer.text)]
    expected = in_process(live.store, PERSONS)
    assert len(cells) == 2 * len(expected)
    assert {name for _, name in expected} <= set(cells)
    for fmt in ("json", "xml", "csv", "tsv"):  # a download link for every results format
        assert f"format={fmt}" in answer.text


def test_the_store_built_under_another_base_is_reported_at_start(seeds_served):
    kg = Path(sys.executable).parent / "kg"
    result = subprocess.run([str(kg), "serve", *cli_options(seeds_served), "--query-workers", "1",
                             "--base-iri", "http://127.0.0.1:8000/", "--get", "/health"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "https://newskg.example/" in result.stderr and "http://127.0.0.1:8000/" in result.stderr
    same = subprocess.run([str(kg), "serve", *cli_options(seeds_served), "--query-workers", "1", "--get", "/health"],
                          capture_output=True, text=True, timeout=120)
    assert "minted under" not in same.stderr
