"""Caps with signals, and downloads whose names cannot break a header, against a real `kg serve`."""
from __future__ import annotations

import json
import re
import socket
import subprocess
from collections.abc import Iterator

import pytest
from rdflib import Graph
from werkzeug.http import parse_options_header

from tests.security.conftest import KG, Server, start_server

pytestmark = pytest.mark.slow
NAMES = ['evil"; filename="x.sh', "line\r\nSet-Cookie: a=b", "東京 report", "Ünïcödé—ok"]
STORY = "Negotiators from Valdora met Ines Carvalho in Lisbon on Tuesday. " * 100  # 6.6 kB of schema:text


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Documents with hostile names, served with small result caps."""
    work = tmp_path_factory.mktemp("names")
    (work / "docs.jsonl").write_text("".join(json.dumps({"id": name, "text": STORY}) + "\n" for name in NAMES))
    built = subprocess.run([str(KG), "build", str(work / "docs.jsonl"), "--store", str(work / "store"), "--quiet"],
                           capture_output=True, text=True, timeout=600)
    assert f"{len(NAMES)} built" in built.stdout, built.stderr
    server = start_server(str(work / "store"), "--max-result-rows", "50", "--max-result-bytes", "200000")
    yield server
    server.stop()


def is_problem(response, status: int) -> bool:
    body = response.json()
    return response.status_code == status and body["status"] == status and set(body) == {
        "status", "error", "title", "detail"}


def test_a_body_over_max_body_bytes_is_a_413_in_the_error_shape(capped):
    query = "ASK { ?s ?p ?o } #" + "x" * (2 * 2**20)
    response = capped.post("/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert is_problem(response, 413)


def test_a_url_over_max_url_bytes_is_a_414_in_the_error_shape(capped):
    response = capped.get("/sparql", params={"query": "ASK { ?s ?p ?o } #" + "x" * 20_000})
    assert is_problem(response, 414) and "POST" in response.json()["detail"]


def test_a_head_over_max_header_bytes_is_a_431_in_the_error_shape(capped):
    """Sent by hand: the 431 comes from the server before the app sees the request."""
    with socket.create_connection(("127.0.0.1", capped.port)) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"y" * 40_000 + b"\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, body = reply.split(b"\r\n\r\n", 1)
    assert head.split(b" ")[1] == b"431" and b"Content-Type: application/json" in head
    assert json.loads(body)["status"] == 431 and json.loads(body)["error"] == "RequestHeaderFieldsTooLarge"


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv", "application/sparql-results+xml"])
def test_a_result_over_max_result_rows_is_cut_and_says_so(capped, accept):
    response = capped.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Truncated"] == "max_result_rows=50"
    if accept.endswith("json"):
        assert response.json()["truncated"] is True and len(response.json()["results"]["bindings"]) == 50
    elif accept == "text/csv":
        assert len(response.text.strip().splitlines()) == 51


def test_triples_over_max_result_rows_and_answers_over_max_result_bytes_are_cut(capped):
    triples = capped.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
    assert triples.headers["Truncated"] == "max_result_rows=50"
    assert len(Graph().parse(data=triples.text, format="turtle")) == 50
    texts = capped.get("/sparql", params={"query": "SELECT ?t WHERE { ?d schema:text ?t } LIMIT 49"})
    assert "Truncated" not in texts.headers and texts.json().get("truncated") is None
    many = capped.get("/sparql", params={"query": "SELECT ?t WHERE { ?d schema:text ?t . ?x ?y ?z } LIMIT 49"})
    assert many.headers["Truncated"] == "max_result_bytes=200000" and many.json()["truncated"] is True
    assert len(many.content) <= 200_000 + 1000


def test_export_names_are_rfc_6266_with_an_ascii_fallback(capped):
    for name in NAMES:
        response = capped.get("/export", params={"document": name})
        assert response.status_code == 200, (name, response.text)
        header = response.headers["Content-Disposition"]
        value, options = parse_options_header(header)  # werkzeug decodes filename* (RFC 2231) over filename
        assert value == "attachment"
        assert options["filename"] == name.replace("\r", "_").replace("\n", "_") + ".ttl"
        fallback = re.fullmatch(r'attachment; filename="([^"]*)"; filename\*=\S+', header).group(1)
        assert fallback.isascii() and fallback.endswith(".ttl") and not set(fallback) & set('\\/;\r\n ')
        assert len(Graph().parse(data=response.text, format="turtle")) > 0
