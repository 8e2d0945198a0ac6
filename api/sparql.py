"""The SPARQL 1.1 Protocol, queries only: GET, POST form, POST direct; dataset parameters; negotiation.

Updates are refused (the store changes only through `kg build` and `kg remove`); a query
runs in a worker process without network access (kg.sandbox), killed past the time limit;
an answer past max_result_rows or max_result_bytes is cut after a whole row and says so
(a ``Truncated`` header naming the limit; ``"truncated": true`` in JSON results).
Without a query, the endpoint describes itself (SPARQL 1.1 Service Description). A browser
(which prefers text/html) gets the query editor instead, and a query's answer as a page.
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.exceptions import UnsupportedMediaType

from api import pages
from api.context import context, work
from api.negotiation import GRAPHS, HTML, RESULTS, media_type, negotiate, one_of
from api.params import iris
from api.rdf import rdf_response
from kg.errors import RequestError
from kg.sparql import update_refused
from kg.workers import QueryJob, answer_query

bp = Blueprint("sparql", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


@bp.route("/sparql/", methods=["GET", "POST"])
@bp.route("/sparql", methods=["GET", "POST"])  # registered first: the URL url_for builds
def endpoint() -> Response | str:
    query = protocol_query()
    page = one_of(RESULTS, GRAPHS, HTML) == "html"
    if query is None:
        return pages.editor() if page else service_description()
    if page:
        name, body, cut = run(query, "json", "turtle")
        return pages.answer(query, name, body, cut)
    name, body, cut = run(query, *negotiate(RESULTS, GRAPHS))
    response = Response(body, mimetype=media_type(RESULTS if name in RESULTS.values() else GRAPHS, name))
    if cut:
        response.headers["Truncated"] = cut
    return response


def run(query: str, results_format: str | None, graph_format: str | None) -> tuple[str, bytes, str | None]:
    """The query's answer from a worker: (format name, bytes, the limit it was cut at or None), with the
    request's dataset."""
    source = request.form if request.mimetype == "application/x-www-form-urlencoded" else request.args
    default_graphs = [g.value for g in iris("default-graph-uri", source)]
    named_graphs = [g.value for g in iris("named-graph-uri", source)]
    settings = context().settings
    job = QueryJob(query, results_format, graph_format, base_iri=request.base_url,
                   default_graphs=tuple(default_graphs) if default_graphs or named_graphs else None,
                   named_graphs=tuple(named_graphs) if named_graphs else None,
                   max_rows=settings.max_result_rows, max_bytes=settings.max_result_bytes)
    return work(answer_query, job)


def protocol_query() -> str | None:
    """The one query the request carries, None for a plain GET (the description); refusals and 4xx otherwise."""
    if request.mimetype == "application/sparql-update" or "update" in request.args or "update" in request.form:
        raise update_refused()
    if request.method in ("GET", "HEAD"):
        queries = request.args.getlist("query")
    elif request.mimetype == "application/x-www-form-urlencoded":
        queries = request.form.getlist("query")
    elif request.mimetype == "application/sparql-query":
        queries = [direct_body()]
    else:
        raise UnsupportedMediaType("POST a query as application/x-www-form-urlencoded (query=…) or as "
                                   f"application/sparql-query, not {request.mimetype or 'no media type'!r}")
    if len(queries) > 1:
        raise RequestError(f"{len(queries)} queries given; the protocol takes exactly one query= per request")
    if queries and not queries[0].strip():
        raise RequestError("the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if not queries and request.method == "POST":
        raise RequestError("no query: POST query=… (form) or the query itself (application/sparql-query)")
    return queries[0] if queries else None


def direct_body() -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"queries must be UTF-8, not {charset}")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise RequestError(f"the query is not valid UTF-8: {error}") from None


def service_description() -> Response:
    """What this endpoint is and does, as RDF in the format asked for (Turtle by default)."""
    fmt = one_of(GRAPHS)
    service, dataset, default = ox.NamedNode(request.base_url), ox.BlankNode(), ox.BlankNode()
    sd = lambda local: ox.NamedNode(SD + local)  # noqa: E731
    triples = [
        ox.Triple(service, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, sd("defaultGraph"), default),
        *(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name)) for name in RESULT_FORMAT_IRIS),
    ]
    for document in context().store.documents():
        graph = ox.BlankNode()
        triples += [ox.Triple(dataset, sd("namedGraph"), graph),
                    ox.Triple(graph, sd("name"), ox.NamedNode(document.graph))]
    return rdf_response(triples, fmt)
