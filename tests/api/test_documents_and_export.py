"""Documents with their extractions, and the export: parsed back, re-parsed by rapper, compared to the store."""
from __future__ import annotations

import shutil
import subprocess

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

pytestmark = pytest.mark.slow


def store_graph(store, document_graph: str | None = None) -> Graph:
    """The store's content as one rdflib graph, read in-process (not through the API)."""
    where = f"GRAPH <{document_graph}> {{ ?s ?p ?o }}" if document_graph else "?s ?p ?o"
    triples = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def test_documents_list_every_stored_document(live):
    body = live.get("/documents").json()
    assert {d["id"] for d in body["documents"]} == {d.name for d in live.store.documents()}
    assert body["total"] == len(live.store.documents())
    assert all(d["mentions"] > 0 and d["entities"] > 0 for d in body["documents"])
    page = live.get("/documents", params={"limit": 2, "offset": 1}).json()["documents"]
    assert [d["id"] for d in page] == [d["id"] for d in body["documents"]][1:3]


def test_a_document_shows_its_text_and_every_mention_at_its_offsets(live):
    for listed in live.get("/documents").json()["documents"]:
        document = live.get(listed["url"]).json()
        mentions = document["mentions"]
        stored = next(iter(live.store.query(
            "SELECT ?name (COUNT(?m) AS ?n) WHERE { ?m a kg:Mention ; kg:inSentence/kg:inDocument ?d . "
            "?d schema:identifier ?name } GROUP BY ?name",
            bindings={"name": ox.Literal(listed["id"])})))["n"].value
        assert len(mentions) == int(stored) == listed["mentions"]
        for mention in mentions:
            assert document["text"][mention["start"]:mention["end"]] == mention["surface_form"]


def test_a_document_as_turtle_is_its_graph(live):
    document = live.store.documents()[0]
    response = live.get(f"/documents/{document.name}", headers={"Accept": "text/turtle"})
    assert isomorphic(Graph().parse(data=response.content, format="turtle"), store_graph(live.store, document.graph))
    assert live.get("/documents/no-such-document.txt").status_code == 404


def test_exported_turtle_reparsed_by_rapper_is_the_store(live, tmp_path):
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.fail("rapper (Debian raptor2-utils) is not installed; `make test` installs it")
    response = live.get("/export")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert response.headers["Content-Disposition"] == "attachment; filename=\"graph.ttl\"; filename*=UTF-8''graph.ttl"
    exported = tmp_path / "graph.ttl"
    exported.write_bytes(response.content)
    ntriples = subprocess.run([rapper, "-q", "-i", "turtle", "-o", "ntriples", str(exported)],
                              capture_output=True, check=True).stdout
    assert isomorphic(Graph().parse(data=ntriples, format="nt"), store_graph(live.store))


def test_export_of_one_document_and_in_dataset_formats(live):
    document = live.store.documents()[0]
    one = live.get("/export", params={"document": document.name, "format": "ntriples"})
    assert one.headers["Content-Disposition"].startswith(f'attachment; filename="{document.name}.nt"; filename*=')
    assert isomorphic(Graph().parse(data=one.content, format="nt"), store_graph(live.store, document.graph))
    for accept, fmt in (("application/n-quads", "nquads"), ("application/trig", "trig")):
        response = live.get("/export", headers={"Accept": accept})
        assert response.headers["Content-Type"].split(";")[0] == accept
        dataset = Dataset()
        dataset.parse(data=response.content, format=fmt)
        named = {str(g.identifier): g for g in dataset.graphs() if len(g)}
        assert set(named) >= {d.graph for d in live.store.documents()}
        assert isomorphic(named[document.graph], store_graph(live.store, document.graph))
    assert live.get("/export", params={"document": "missing.txt"}).status_code == 404
