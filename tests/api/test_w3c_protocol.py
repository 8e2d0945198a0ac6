"""The W3C SPARQL 1.1 Protocol manifest, run case by case against a live server.

Cases are read from ``../shared/w3c/sparql11-protocol/manifest.ttl`` with rdflib, not
retyped. Query cases must pass as the manifest says. Our endpoint is read-only, so an
update the manifest expects to succeed must instead be refused (403) and change nothing:
a follow-up ASK that would see its effect answers false. Bad requests must get a 4xx.
"""
from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pyoxigraph as ox
import pytest
import requests
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from kg.settings import Settings
from kg.store import GraphStore
from tests.api.live import served_by, serving
from tests.conftest import SHARED

MANIFEST = SHARED / "w3c" / "sparql11-protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
STATUS_CLASS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULT_TYPES = {"boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
                "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                            "text/csv", "text/tab-separated-values"},
                "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"}}


@dataclass
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # acceptable status classes: 2, 3, 4
    result_format: str | None
    boolean: bool | None

    @property
    def is_update(self) -> bool:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        form = urllib.parse.parse_qs((self.body or b"").decode("utf-8", "replace"))
        return (self.headers.get("content-type", "").startswith("application/sparql-update")
                or "update" in query or (self.headers.get("content-type") == "application/x-www-form-urlencoded"
                                         and "update" in form))


@dataclass
class Case:
    name: str
    title: str
    exchanges: list[Exchange]
    graphs: dict[str, str] = field(default_factory=dict)  # graph IRI → data file name


def load_cases() -> list[Case]:
    if not MANIFEST.is_file():
        return []
    graph = Graph().parse(MANIFEST, format="turtle")
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    return [case(graph, test) for test in Collection(graph, graph.value(manifest, MF.entries))]


def case(graph: Graph, test: URIRef) -> Case:
    action = graph.value(test, MF.action)
    exchanges = [exchange(graph, r) for r in Collection(graph, graph.value(action, HT.requests))]
    graphs = {str(graph.value(d, RDFS_LABEL)): graph.value(d, UT.graph).split("/")[-1]
              for d in graph.objects(test, UT.graphData)}
    return Case(str(test).split("#")[-1], str(graph.value(test, MF.name)), exchanges, graphs)


def exchange(graph: Graph, request) -> Exchange:
    headers = {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
               for h in Collection(graph, graph.value(request, HT.headers) or RDF.nil)}
    body_node = graph.value(request, HT.body)
    body = None
    if body_node is not None:
        body = str(graph.value(body_node, CNT.chars)).encode(str(graph.value(body_node, CNT.characterEncoding)))
    response = graph.value(request, HT.resp)
    statuses = {int(str(s).removeprefix(STATUS_CLASS)[0]) for s in graph.objects(response, MF.expectedStatus)}
    result_format = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    return Exchange(str(graph.value(request, HT.methodName)), str(graph.value(request, HT.absolutePath)),
                    headers, body, statuses, str(result_format) if result_format else None,
                    boolean.toPython() if boolean is not None else None)


CASES = load_cases()
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CASES, reason=f"no W3C manifest at {MANIFEST} (../shared beside the checkout)")]


@pytest.fixture(scope="module")
def w3c_live(tmp_path_factory, backend):
    """A store holding every graph the manifest's cases name, served like the real one (or from a server)."""
    settings = Settings(store=str(tmp_path_factory.mktemp("w3c") / "store"), query_timeout=10)
    graphs = {iri: name for c in CASES for iri, name in c.graphs.items()}
    with GraphStore(settings.store) as store:
        for iri, name in graphs.items():
            triples = ox.parse(path=MANIFEST.parent / name, format=ox.RdfFormat.N_TRIPLES)
            store.replace_graph(ox.NamedNode(iri), [ox.Quad(t.subject, t.predicate, t.object) for t in triples])
        store.flush()
        with served_by(backend, store, settings) as served:
            yield from serving(settings, store, served)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol_case(w3c_live, case: Case):
    refused_update = False
    for step in case.exchanges:
        response = requests.request(step.method, w3c_live.url + step.path.replace("/sparql/", "/sparql", 1),
                                    headers=step.headers, data=step.body, timeout=60)
        if step.is_update and 2 in step.statuses:
            assert response.status_code == 403, f"{case.name}: read-only endpoint must refuse the update"
            assert response.json()["error"] == "QueryRefusedError"
            refused_update = True
            continue
        assert response.status_code // 100 in step.statuses, f"{case.name}: {response.status_code} {response.text}"
        if step.result_format:
            media_type = response.headers["Content-Type"].split(";")[0]
            assert media_type in RESULT_TYPES[step.result_format], media_type
            parsed = parse(response.content, media_type)
            if step.boolean is not None:
                assert parsed is (step.boolean and not refused_update), case.name


def parse(body: bytes, media_type: str) -> object:
    """A boolean for ASK results, a row count for SELECT results, a Graph for RDF: parsed, never compared as text."""
    if media_type == "application/sparql-results+json":
        answer = json.loads(body)
        return answer["boolean"] if "boolean" in answer else len(answer["results"]["bindings"])
    if media_type == "application/sparql-results+xml":
        root = ET.fromstring(body)
        boolean = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
        return boolean.text == "true" if boolean is not None else len(root.findall(".//{*}result"))
    if media_type in ("text/csv", "text/tab-separated-values"):
        return len(body.decode("utf-8").splitlines()) - 1
    return Graph().parse(data=body, format={"text/turtle": "turtle", "application/n-triples": "nt",
                                            "application/rdf+xml": "xml"}[media_type])


def test_every_protocol_test_in_the_manifest_is_a_case():
    graph = Graph().parse(MANIFEST, format="turtle")
    declared = {str(t).split("#")[-1] for t in graph.subjects(RDF.type, MF.ProtocolTest)}
    assert sorted(c.name for c in CASES) == sorted(declared)
    assert all(c.exchanges for c in CASES)
