"""No query reaches the network: every SERVICE, LOAD and FROM form, against a sentinel that counts hits."""
from __future__ import annotations

import multiprocessing
import socket

import pytest

from kg.sandbox import DENIED, confine

pytestmark = pytest.mark.slow


def service_forms(url: str) -> list[tuple[str, int]]:
    """(query, expected status): SERVICE spelt every way a client might, including the bare-CR comment."""
    port = url.rsplit(":", 1)[1]
    return [
        (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", 403),
        (f"SELECT * WHERE {{ # x\rSERVICE <{url}/> {{ ?a ?b ?c }} \n }}", 403),
        (f"SELECT * WHERE {{ #\rservice <{url}/> {{ ?a ?b ?c }} }}", 403),
        (f"SELECT * WHERE {{ SeRvIcE <http://localhost:{port}/> {{ ?a ?b ?c }} }}", 403),
        (f"SELECT * WHERE {{ SERVICE <http://[::1]:{port}/> {{ ?a ?b ?c }} }}", 403),
        (f"SELECT * WHERE {{ VALUES ?where {{ <{url}/> }} SERVICE ?where {{ ?a ?b ?c }} }}", 400),
        (f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }} }} LIMIT 1", 200),
        (f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{url}/> {{ ?a ?b ?c }} }} }}", 200),
        (f"ASK {{ SERVICE <{url}/> {{ ?a ?b ?c }} }}", 403),
        (f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{url}/> {{ ?a ?b ?c }} }}", 403),
        (f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", 200),
        ("SELECT * WHERE { SERVICE <http://169.254.169.254/latest/meta-data/> { ?a ?b ?c } }", 403),
    ]


def test_no_service_form_reaches_the_sentinel(server, sentinel):
    for query, status in service_forms(sentinel.url):
        for send in (lambda q: server.get("/sparql", params={"query": q}),
                     lambda q: server.post("/sparql", data=q.encode(),
                                           headers={"Content-Type": "application/sparql-query"})):
            response = send(query)
            assert response.status_code == status, (query, response.text)
            assert sentinel.marker not in response.text
            if status == 403:
                assert "SERVICE" in response.json()["detail"]
    assert sentinel.hits == []


def test_a_remote_store_is_sent_no_service_form(remote_server, sentinel):
    """The SPARQL server behind a RemoteStore has the network: every query naming SERVICE is refused before it
    is sent (even those the embedded store answers: SILENT, a variable endpoint), and so is a SERVICE spelt with
    \\u escapes, which SPARQL 1.1 parsers decode before reading the keyword."""
    forms = [query for query, _ in service_forms(sentinel.url) if "service" in query.lower()] + [
        f"SELECT * WHERE {{ SERVI\\u0043E <{sentinel.url}/> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o . \\u0073ervice silent <{sentinel.url}/> {{ ?a ?b ?c }} }} LIMIT 1"]
    for query in forms:
        response = remote_server.post("/sparql", data={"query": query})
        assert response.status_code == 403 and "SERVICE" in response.json()["detail"], (query, response.text)
    answered = remote_server.get("/sparql", params={"query": 'ASK { ?s ?p "secret service" }'})
    assert answered.status_code == 200, answered.text
    update = remote_server.post("/sparql", data={"update": f"LOAD <{sentinel.url}/data.ttl>"})
    assert update.status_code == 403
    assert sentinel.hits == []


def test_load_and_dataset_parameters_fetch_nothing(server, sentinel):
    attempts = [
        server.post("/sparql", data={"query": f"LOAD <{sentinel.url}/data.ttl>"}),
        server.post("/sparql", data={"update": f"LOAD <{sentinel.url}/data.ttl>"}),
        server.post("/sparql", data=f"LOAD SILENT <{sentinel.url}/x>".encode(),
                    headers={"Content-Type": "application/sparql-update"}),
        server.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"{sentinel.url}/g"}),
        server.get("/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": f"{sentinel.url}/g"}),
    ]
    assert [r.status_code for r in attempts] == [403, 403, 403, 200, 200]
    assert all(sentinel.marker not in r.text for r in attempts)
    assert sentinel.hits == []


def test_a_confined_process_cannot_open_any_socket(sentinel):
    """The guarantee itself, without Oxigraph: after confine() no connection, no lookup, no UDP."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=try_the_network, args=(sentinel.url, results))
    process.start()
    process.join(timeout=60)
    outcomes = [results.get(timeout=10) for _ in range(3)]
    assert outcomes == [DENIED, DENIED, DENIED]
    assert sentinel.hits == []


def try_the_network(url: str, results) -> None:
    confine()
    port = int(url.rsplit(":", 1)[1])
    for attempt in (lambda: socket.create_connection(("127.0.0.1", port), timeout=2),
                    lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
                    lambda: socket.socket(socket.AF_UNIX)):
        try:
            attempt()
            results.put("connected")
        except OSError as error:
            results.put(error.errno)


def test_deep_nesting_is_a_400_and_no_worker_dies(server):
    workers = server.get("/health").json()["query_workers"]
    for query in ("SELECT * WHERE " + "{" * 3000 + "}" * 3000,
                  "SELECT * WHERE { ?s ?p " + "[ ?p " * 150 + "1" + " ]" * 150 + " }",
                  "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
                  "SELECT * WHERE { # }}}}\n" + "{ # }\n" * 3000 + "}" * 3000):
        response = server.post("/sparql", data={"query": query})
        assert response.status_code == 400, response.text[:200]
        assert "nests brackets deeper" in response.json()["detail"]
    nested_service = "SELECT * WHERE " + "{" * 60 + " SERVICE <http://127.0.0.1:65000/> {} " + "}" * 60
    assert server.post("/sparql", data={"query": nested_service}).status_code == 403
    assert server.get("/health").json()["query_workers"] == workers
