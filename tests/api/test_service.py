"""One error shape everywhere, the OpenAPI description matching the routes, health, `kg serve`, reload after writes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner
from flask import Flask
from openapi_spec_validator import validate

from api import BLUEPRINTS
from kg.cli import main
from kg.settings import Settings
from kg.store import GraphStore
from tests.api.live import cli_options, served_by, serving

pytestmark = pytest.mark.slow
ERRORS = [  # (method, path, request kwargs, status)
    ("GET", "/no/such/page/here", {}, 404),
    ("GET", "/entities/person/nobody", {}, 404),
    ("GET", "/documents/nothing.txt", {}, 404),
    ("GET", "/entities", {}, 400),
    ("GET", "/entities?q=x&limit=abc", {}, 400),
    ("GET", "/sparql?query=SELECT", {}, 400),
    ("GET", "/sparql?query=ASK{}&query=ASK{}", {}, 400),
    ("GET", "/sparql?query=ASK{}&default-graph-uri=not%20an%20iri", {}, 400),
    ("POST", "/sparql", {"data": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
    ("POST", "/sparql", {"data": {"update": "CLEAR ALL"}}, 403),
    ("DELETE", "/sparql", {}, 405),
    ("GET", "/sparql?query=ASK{}", {"headers": {"Accept": "image/png"}}, 406),
    ("GET", "/export?format=yaml", {}, 400),
]


@pytest.mark.parametrize("method, path, kwargs, status", ERRORS)
def test_every_error_has_the_one_shape(live, method, path, kwargs, status):
    response = requests.request(method, live.url + path, timeout=30, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "error", "title", "detail"}
    assert body["status"] == status and body["detail"] and body["title"]


def test_the_openapi_description_is_valid_and_covers_every_route(live):
    spec = live.get("/openapi.json").json()
    validate(spec)
    app = Flask("routes")  # the app's blueprints, without starting query workers
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            path = rule.rule.replace("<path:", "{").replace("<", "{").replace(">", "}")
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(path, method) for path, item in spec["paths"].items() for method in item}


def test_health_reports_the_store_and_live_workers(live):
    body = live.get("/health").json()
    assert body["status"] == "ok" and body["documents"] == len(live.store.documents())
    assert len(body["query_workers"]) == live.settings.query_workers
    for pid in body["query_workers"]:
        os.kill(pid, 0)  # alive


def test_kg_serve_get_answers_without_a_socket(seeds_served):
    result = CliRunner().invoke(main, ["serve", *cli_options(seeds_served), "--get", "/health"])
    assert result.exit_code == 0, result.output
    assert '"status":"ok"' in result.output
    missing = CliRunner().invoke(main, ["serve", *cli_options(seeds_served), "--get", "/entities/person/nobody"])
    assert missing.exit_code == 1


def test_kg_serve_runs_waitress_prints_the_urls_and_stops_its_workers(seeds_served):
    kg = Path(sys.executable).parent / "kg"  # the installed command, as a user runs it
    process = subprocess.Popen([str(kg), "serve", *cli_options(seeds_served), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("newskg API on http://127.0.0.1:"), first
        base = first.split()[3].rstrip("/")
        urls = [process.stdout.readline().split()[0] for _ in range(6)]
        assert f"{base}/sparql" in urls and f"{base}/entities?q=raj" in urls
        health = requests.get(base + "/health", timeout=30)
        assert health.headers["Server"] == "waitress"
        workers = health.json()["query_workers"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_what_is_written_after_the_server_started_shows_up(tmp_path, backend):
    """The server holds the store read-only (as `kg serve` does); a writer adds a graph meanwhile (to the
    remote server, through its update endpoint)."""
    settings = Settings(store=str(tmp_path / "store"), query_timeout=10)
    person = ox.NamedNode("https://newskg.example/person/ada-quill")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    with GraphStore(settings.store) as writer:
        writer.replace_graph(ox.NamedNode("https://newskg.example/graph/a"),
                             [ox.Quad(ox.NamedNode("https://newskg.example/person/bo-reed"), label, ox.Literal("Bo"))])
        writer.flush()
        with GraphStore(settings.store, read_only=True) as reader, served_by(backend, reader, settings) as served:
            server = serving(settings, reader, served)
            live = next(server)
            ask = {"query": f"ASK {{ {person} ?p ?o }}"}
            assert live.get("/sparql", params=ask).json()["boolean"] is False
            writer = writer if backend == "embedded" else served
            writer.replace_graph(ox.NamedNode("https://newskg.example/graph/b"),
                                 [ox.Quad(person, label, ox.Literal("Ada Quill"))])
            writer.flush()
            assert live.get("/sparql", params=ask).json()["boolean"] is True
            page = live.get("/entities/person/ada-quill", headers={"Accept": "application/json"})
            assert page.status_code == 200 and page.json()["label"] == "Ada Quill"
            server.close()
