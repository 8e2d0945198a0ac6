"""The store over a SPARQL 1.1 server (Oxigraph server, QLever, Apache Jena Fuseki, Virtuoso): ``RemoteStore``.

It is the ``kg.store.Store`` the kg functions already read, spoken over the SPARQL 1.1
Protocol: the same SPARQL texts (our prefixes written out in front, bindings as a VALUES
block opening the WHERE clause), answers parsed back into Oxigraph's own term and result
types. The server must hold the layout `kg build` writes: one named graph per document and
their merge as the real default graph (not a union of the named graphs).

Query workers have no network (kg.sandbox), and keep none here: a worker's RemoteStore sends
its requests through its pipe to the pool, which sends them to the configured endpoints and
nowhere else (``RemoteStore.relay``), within the time the job has left. A worker can still be
killed at its time limit, and a query cannot make the pool call another address. Because the
server itself may follow SERVICE, every query is screened first with Oxigraph's parser
(kg.sparql.uses_service), inside the worker when the text is a client's.

The search index (kg.index) stays on this machine: a RemoteStore given ``path`` keeps it
beside that path, as the embedded store does beside its directory.

``GraphStoreClient`` is the one place newskg speaks the Graph Store Protocol to write
(`kg load --gsp-endpoint`): ``PUT`` replaces a graph (so writing the same graph twice leaves
the server as once), ``GET`` reads one back. Graphs travel as N-Triples.
"""
from __future__ import annotations

import http.client
import math
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError, QueryError, QueryTimeoutError, StoreError
from kg.rdf.namespaces import PREFIXES
from kg.settings import Settings
from kg.sparql import query_form, service_refused, substituted, uses_service
from kg.store import Store, Term

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
READ_CHUNK = 2**16
# An answer read from a SPARQL server may be this many times max_result_bytes: room for a verbose
# format (JSON results) and for a page's own queries, while a query for everything cannot fill memory.
ANSWER_ALLOWANCE = 4
ERROR_EXCERPT = 300  # characters of a server's error message passed on
# On the query's first line, so that a server's error names the line the client wrote.
PROLOGUE = "".join(f"PREFIX {name}: <{iri}> " for name, iri in PREFIXES.items())


@dataclass(frozen=True)
class Endpoints:
    """Where the server answers: SPARQL query, update and Graph Store Protocol URLs (the last two optional)."""

    query: str
    update: str = ""
    gsp: str = ""
    timeout_parameter: str = "timeout={seconds}"
    max_answer_bytes: int = ANSWER_ALLOWANCE * Settings.max_result_bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> "Endpoints":
        return cls(settings.sparql_endpoint, settings.update_endpoint, settings.gsp_endpoint, settings.remote_timeout,
                   ANSWER_ALLOWANCE * settings.max_result_bytes)


@dataclass(frozen=True)
class Request:
    """One HTTP request to an endpoint named by kind: a form POSTed to "query" or "update", or the parameters
    of a GET from "gsp" (the Graph Store Protocol); and what to accept."""

    kind: str
    form: tuple[tuple[str, str], ...]
    accept: str = "*/*"


class RemoteStore(Store):
    """The store behind a SPARQL 1.1 server.

    ``send`` carries a Request there and returns the answer's body: over HTTP within ``timeout``
    seconds by default, through the pipe to its pool in a query worker.
    """

    def __init__(self, endpoints: Endpoints, send: Callable[[Request], bytes] | None = None, *,
                 timeout: float = 30.0, path: str | Path | None = None):
        self.endpoints = endpoints
        self.path = Path(path) if path is not None else None  # beside which the search index lives
        self.read_only = not endpoints.update
        self._send = send or partial(self.relay, timeout=timeout)

    @property
    def location(self) -> str:
        return self.endpoints.query

    def in_worker(self) -> Callable[[Any], "RemoteStore"]:
        return partial(through_pipe, self.endpoints, self.path)

    def relay(self, request: Request, timeout: float) -> bytes:
        """The body of the endpoint's 2xx answer to ``request``; a KGError saying what went wrong otherwise."""
        return fetch(self.endpoints, request, timeout)

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              base_iri: str | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None):
        if uses_service(sparql, prefixes=PREFIXES, base_iri=base_iri):  # the text as its author wrote it
            raise service_refused()
        text = (f"BASE <{base_iri}> " if base_iri else "") + PROLOGUE + substituted(sparql, bindings or {})
        try:
            form = query_form(text)
        except SyntaxError as error:
            raise QueryError(f"malformed SPARQL: {error}") from error
        dataset = [("default-graph-uri", iri) for iri in default_graphs or ()] + \
                  [("named-graph-uri", iri) for iri in named_graphs or ()]
        triples = form is ox.QueryTriples
        body = self._send(Request("query", (("query", text), *dataset), N_TRIPLES if triples else RESULTS_JSON))
        try:
            if triples:
                return [quad.triple for quad in ox.parse(body, ox.RdfFormat.N_TRIPLES)]
            return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        except SyntaxError as error:
            raise StoreError(f"the SPARQL server at {self.location} sent an answer that does not parse: {error}") \
                from error

    def quads(self, subject: Term | None = None, predicate: ox.NamedNode | None = None, obj: Term | None = None,
              graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]:
        if isinstance(graph, ox.NamedNode) and self.endpoints.gsp and subject is predicate is obj is None:
            body = self._send(Request("gsp", (("graph", graph.value),), N_TRIPLES))  # a whole graph, unparsed
            yield from (ox.Quad(q.subject, q.predicate, q.object, graph) for q in ox.parse(body, ox.RdfFormat.N_TRIPLES))
            return
        bindings = {name: term for name, term in (("s", subject), ("p", predicate), ("o", obj)) if term is not None}
        if isinstance(graph, ox.DefaultGraph):
            where = "?s ?p ?o"
        elif graph is None:
            where = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        else:
            where, bindings["g"] = "GRAPH ?g { ?s ?p ?o }", graph
        for row in self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}", bindings=bindings):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"] or ox.DefaultGraph())

    def quad_count(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        return int(next(iter(rows))["n"].value)

    def _write(self, update: str | None) -> None:
        if update is None:  # the server makes its own writes durable
            return
        if self.read_only:
            raise StoreError(f"the SPARQL server at {self.location} was given no update endpoint: it is read-only here")
        self._send(Request("update", (("update", PROLOGUE + update),)))


def through_pipe(endpoints: Endpoints, path: Path | None, pipe: Any) -> RemoteStore:
    """A query worker's RemoteStore: its requests go through ``pipe`` to the pool, which has the network."""

    def send(request: Request) -> bytes:
        pipe.send(("fetch", request))
        reply = pipe.recv()
        if isinstance(reply, KGError):
            raise reply
        return reply

    return RemoteStore(endpoints, send, path=path)


def fetch(endpoints: Endpoints, request: Request, timeout: float) -> bytes:
    """Send ``request`` to its endpoint and read the answer within ``timeout`` s (passed on to the server too).

    http.client rather than urllib: half the time per request, which counts for the entity
    pages' many small queries.
    """
    url = {"query": endpoints.query, "update": endpoints.update, "gsp": endpoints.gsp}[request.kind]
    parameters = urllib.parse.urlencode([*request.form, *time_left(endpoints, request, timeout)])
    if request.kind == "gsp":  # a GET naming the graph
        method, target, body = "GET", url + ("&" if "?" in url else "?") + parameters, None
    else:
        method, target, body = "POST", url, parameters.encode()
    parts = urllib.parse.urlsplit(target)
    connect = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connect(parts.netloc, timeout=timeout)
    deadline = time.monotonic() + timeout
    try:
        connection.request(method, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body=body,
                           headers={"Accept": request.accept, "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        answer = read_until(response, deadline, endpoints.max_answer_bytes)
    except AnswerTooLarge:
        raise QueryError(f"the SPARQL server at {url} sent more than {endpoints.max_answer_bytes:,} bytes "
                         f"({ANSWER_ALLOWANCE} x max_result_bytes) and was cut off; narrow the query "
                         "(LIMIT, more specific patterns) or raise max_result_bytes") from None
    except (TimeoutError, socket.timeout):
        raise QueryTimeoutError(f"the SPARQL server at {url} did not answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as error:
        raise StoreError(f"cannot reach the SPARQL server at {url}: {error}") from None
    finally:
        connection.close()
    if response.status == 404 and request.kind == "gsp":  # no such graph: no quads
        return b""
    if response.status >= 300:
        detail = answer.decode("utf-8", "replace").strip()[:ERROR_EXCERPT]
        failure = QueryError if response.status == 400 else StoreError
        raise failure(f"the SPARQL server at {url} answered {response.status}: {detail or response.reason}")
    return answer


def time_left(endpoints: Endpoints, request: Request, timeout: float) -> list[tuple[str, str]]:
    """A query's ``remote_timeout`` parameter: the time the job has left, in the server's unit."""
    if request.kind != "query" or not endpoints.timeout_parameter:
        return []
    name, _, value = endpoints.timeout_parameter.partition("=")
    return [(name, value.format(seconds=math.ceil(timeout), milliseconds=math.ceil(timeout * 1000)))]


class AnswerTooLarge(Exception):
    """A server's answer ran past the bytes we read from it."""


def read_until(response: Any, deadline: float, limit: int) -> bytes:
    """The whole body; TimeoutError once ``deadline`` passes (a socket timeout bounds each read only),
    AnswerTooLarge past ``limit`` bytes, read no further."""
    chunks, size = [], 0
    while chunk := response.read(READ_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise AnswerTooLarge
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(chunks)


class GraphStoreClient:
    """Named graphs (``graph`` an IRI) and the default graph (``graph`` None) of one GSP endpoint."""

    def __init__(self, endpoint: str, timeout: float = 600.0):
        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"a Graph Store Protocol endpoint is an http(s) URL, got {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout

    def put(self, graph: str | None, ntriples: bytes) -> None:
        """Replace the graph with these triples."""
        self._send("PUT", graph, ntriples, {"Content-Type": N_TRIPLES})

    def get(self, graph: str | None) -> bytes:
        """The graph's triples as N-Triples."""
        return self._send("GET", graph, None, {"Accept": N_TRIPLES})

    def url(self, graph: str | None) -> str:
        query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
        return f"{self.endpoint}{'&' if '?' in self.endpoint else '?'}{query}"

    def _send(self, method: str, graph: str | None, body: bytes | None, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(self.url(graph), data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:300].decode("utf-8", "replace")
            raise StoreError(f"the Graph Store at {self.endpoint} answered {method} "
                             f"{graph or 'default graph'} with {error.code}: {detail}") from error
        except (urllib.error.URLError, OSError) as error:
            raise StoreError(f"cannot reach the Graph Store at {self.endpoint}: "
                             f"{getattr(error, 'reason', error)}") from error
