"""Content negotiation as tables: media type → format name, the first media type of a name its canonical one.

A ``format=`` parameter (for browsers) names the format outright; otherwise the Accept
header decides, werkzeug's parser ranking the offers, the first row the default for */*
(and for no Accept header, which means the same). Every response of a route that
negotiates says ``Vary: Accept`` (``register``), so caches keep its variants apart.
HTML is offered last: a browser, which asks for text/html first, gets a page; a client
that takes anything (``*/*``) gets the data.
"""
from __future__ import annotations

from flask import Flask, Response, g, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable

from kg.errors import RequestError

RESULTS = {  # SELECT and ASK; names are kg.store.RESULT_FORMATS
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPHS = {  # CONSTRUCT, DESCRIBE, entity descriptions; names are kg.store.GRAPH_FORMATS
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
DATASETS = {"application/n-quads": "nquads", "application/trig": "trig"}
JSON = {"application/json": "json"}
HTML = {"text/html": "html"}
# Other names clients give format= (SPARQLWrapper sends its return format, e.g. format=rdf+xml, with every
# query, and json / xml where only graphs can be given); a media type of a table also names its format.
GRAPH_ALIASES = {"json": "jsonld", "xml": "rdfxml", "rdf+xml": "rdfxml", "rdf": "rdfxml", "json-ld": "jsonld",
                 "n3": "turtle", "ttl": "turtle", "nt": "ntriples"}


def negotiate(*tables: dict[str, str]) -> list[str | None]:
    """One format name per table (None where that table has nothing acceptable); 406 if none has."""
    g.negotiated = True
    wanted = request.args.get("format")
    if wanted is not None:
        chosen = [named(table, wanted) for table in tables]
        if not any(chosen):
            offered = sorted({name for table in tables for name in table.values()})
            raise RequestError(f"format={wanted!r} is not offered here; use one of {', '.join(offered)}")
        return chosen
    accept = request.accept_mimetypes if "Accept" in request.headers else MIMEAccept([("*/*", 1)])
    chosen = [table.get(accept.best_match(list(table)) or "") for table in tables]
    if not any(chosen):
        offered = [media for table in tables for media in table]
        raise NotAcceptable(f"nothing here matches Accept: {request.headers.get('Accept')}; "
                            f"offered: {', '.join(offered)} (or format=)")
    return chosen


def named(table: dict[str, str], wanted: str) -> str | None:
    return next((name for name in (wanted, GRAPH_ALIASES.get(wanted), table.get(wanted))
                 if name in table.values()), None)


def one_of(*tables: dict[str, str]) -> str:
    """The single format to answer in, from tables merged in order of preference."""
    merged: dict[str, str] = {}
    for table in tables:
        merged.update(table)
    return negotiate(merged)[0]


def media_type(table: dict[str, str], name: str) -> str:
    return next(media for media, named in table.items() if named == name)


def register(app: Flask) -> None:
    @app.after_request
    def vary_on_accept(response: Response) -> Response:
        if g.get("negotiated"):
            response.vary.add("Accept")
        return response
