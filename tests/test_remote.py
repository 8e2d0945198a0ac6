"""The remote store's own parts: the SERVICE screen, bindings sent as values, the time passed on to the server.

The API suite (tests/api) runs every route against an Oxigraph server as well; this covers what it cannot
see from outside: which texts the screen passes, and what the server is sent.
"""
from __future__ import annotations

import multiprocessing
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from kg.errors import QueryError, QueryRefusedError, QueryTimeoutError
from kg.remote import Endpoints, RemoteStore
from kg.sandbox import confine
from kg.sparql import substituted, uses_service

REFUSED = [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * { ?s ?p ?o . sErViCe SILENT ?where { ?a ?b ?c } }",
    "ASK { { { SERVICE <http://example.org/> { } } } }",
    "SELECT * WHERE { SERVI\\u0043E <http://example.org/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o # a comment\rSERVICE <http://example.org/> { } \n }",
]
ANSWERED = [
    'SELECT * WHERE { ?s ?p "secret service" }',
    "SELECT ?t WHERE { ?s <https://schema.org/serviceType> ?t }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:of ?o }",
    "SELECT ?service WHERE { ?service a ?type }",
    "SELECT ?s WHERE { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/Service> }",
    "SELECT * WHERE { ?s ?p ?o }",
]


def test_the_screen_finds_service_however_it_is_spelt_and_lets_the_word_pass_elsewhere():
    """Screened in a confined process, as a query worker does: the screen's parser may evaluate an ASK."""
    for query in ANSWERED:
        ox.Store().query(query)  # queries Oxigraph parses
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        assert pool.apply(screened, (REFUSED,)) == [True] * len(REFUSED)
        assert pool.apply(screened, (ANSWERED,)) == [False] * len(ANSWERED)


def screened(queries: list[str]) -> list[bool]:
    confine()
    return [uses_service(query) for query in queries]


def test_bindings_open_the_where_group_so_that_its_filters_see_them():
    text = substituted("SELECT ?e ?n WHERE { ?e rdfs:label ?n FILTER(CONTAINS(?n, ?needle)) } GROUP BY ?e ?n",
                       {"needle": ox.Literal("Raj"), "e": ox.NamedNode("http://example.org/e")})
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/e"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Rajavi")))
    store.add(ox.Quad(ox.NamedNode("http://example.org/f"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Rajavi")))
    rows = list(store.query(text, prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}))
    assert [row["e"].value for row in rows] == ["http://example.org/e"]
    with pytest.raises(QueryError):
        substituted("SELECT * WHERE { ?s ?p ?o }", {"s": ox.BlankNode()})


class Recorder(BaseHTTPRequestHandler):
    """A SPARQL endpoint that remembers each form it is sent and answers an empty solution sequence."""

    forms: list[dict[str, list[str]]] = []
    flooded: list[int] = []  # bytes of each flood sent before the client hung up

    def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.forms.append(urllib.parse.parse_qs(body))
        if "flood" in body:
            self.flood()
            return
        if "slow" in body:
            threading.Event().wait(3)
        answer = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except BrokenPipeError:  # the client stopped waiting (the time limit test)
            pass

    def flood(self) -> None:
        """An answer of 200 MB of solutions, sent until the client stops reading."""
        row = b'{"s":{"type":"uri","value":"http://example.org/' + b"x" * 900 + b'"}},'
        sent = 0
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[')
            while sent < 200 * 2**20:
                self.wfile.write(row * 64)
                sent += len(row) * 64
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.flooded.append(sent)
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.forms.clear()
    Recorder.flooded.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()


def test_the_time_limit_goes_to_the_server_in_its_own_parameter_and_ends_the_wait(recorder):
    seconds = RemoteStore(Endpoints(recorder), timeout=1.5)
    assert list(seconds.query("SELECT ?s WHERE { ?s ?p ?o }")) == []
    milliseconds = RemoteStore(Endpoints(recorder, timeout_parameter="timeout={milliseconds}"), timeout=1.5)
    list(milliseconds.query("SELECT ?s WHERE { ?s ?p ?o }"))
    assert [form["timeout"] for form in Recorder.forms] == [["2"], ["1500"]]
    assert "PREFIX schema: <https://schema.org/>" in Recorder.forms[0]["query"][0]
    with pytest.raises(QueryTimeoutError):
        list(seconds.query('SELECT ?s WHERE { ?s ?p "slow" }'))


def test_nothing_naming_service_is_sent(recorder):
    """Only the author's text is screened: our prefixes (IRIs with '#') and values (a search for a word) are not."""
    store = RemoteStore(Endpoints(recorder))
    assert list(store.query("SELECT ?o WHERE { ?s rdfs:label ?o }", bindings={"o": ox.Literal("# service")})) == []
    assert len(Recorder.forms) == 1
    Recorder.forms.clear()
    with pytest.raises(QueryRefusedError):
        store.query(REFUSED[0])
    with pytest.raises(QueryError):
        store.query("CLEAR ALL")
    assert Recorder.forms == []


def test_an_answer_past_the_byte_allowance_is_cut_off_with_a_clear_error(recorder):
    store = RemoteStore(Endpoints(recorder, max_answer_bytes=2 * 2**20))
    with pytest.raises(QueryError, match=r"sent more than 2,097,152 bytes .* raise max_result_bytes"):
        store.query('SELECT ?s WHERE { ?s ?p "flood" }')
    deadline = time.monotonic() + 10
    while not Recorder.flooded and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Recorder.flooded and Recorder.flooded[0] < 20 * 2**20  # read no further than the allowance (and buffers)
    assert list(store.query("SELECT ?s WHERE { ?s ?p ?o }")) == []  # an answer within it passes
