"""Entity search, entity pages (the IRIs dereference here) and neighbourhoods; pages for browsers."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, request, url_for

from api import pages
from api.context import context, work
from api.iris import minted, page_url
from api.negotiation import GRAPHS, HTML, JSON, one_of
from api.params import integer, search_text, iris, rdf_types
from api.rdf import rdf_response
from kg import entities
from kg.errors import RequestError

bp = Blueprint("entities", __name__)


@bp.get("/entities")
def search() -> dict | str:
    fmt = one_of(JSON, HTML)
    text = search_text(fmt, "part of a name or alias, e.g. /entities?q=raj")
    if not text and fmt == "html":
        return pages.search(text, [])
    types = rdf_types()
    if len(types) > 1:
        raise RequestError("give at most one type=")
    limit = integer("limit", 20, 1, context().settings.max_limit)
    matches = work(entities.search, text, rdf_type=types[0] if types else None, limit=limit)
    if fmt == "html":
        return pages.search(text, matches)
    return {"q": text, "type": types[0].value if types else None, "limit": limit,
            "results": [asdict(m) | {"url": page_url(m.iri)} for m in matches]}


@bp.get("/entities/<kind>/<name>")
@bp.get("/entities/<kind>/<group>/<name>")
def entity(kind: str, name: str, group: str | None = None) -> Response | dict | str:
    iri = minted(kind, group, name)
    fmt = one_of(JSON, HTML, GRAPHS)
    if fmt in GRAPHS.values():
        return rdf_response(work(entities.triples_of, iri), fmt)
    page = work(entities.page, iri, limit=integer("limit", 100, 1, context().settings.max_limit),
                offset=integer("offset", 0, 0, 10**9))
    links = {"neighbourhood": url_for(".neighbourhood", kind=kind, name=name) if group is None else None,
             **{f: url_for(".entity", kind=kind, group=group, name=name, format=f) for f in ("turtle", "jsonld")}}
    if fmt == "html":
        return pages.entity(page, links)
    body = asdict(page)
    for fact in body["facts"]:
        fact["value"]["url"] = page_url(fact["value"]["value"]) if fact["value"]["kind"] == "iri" else None
    return body | {"url": request.path, "links": links}


@bp.get("/entities/<kind>/<name>/neighbourhood")
def neighbourhood(kind: str, name: str) -> Response | dict:
    settings = context().settings
    found = work(entities.neighbourhood, minted(kind, None, name), depth=integer("depth", 1, 1, 3),
                 limit=integer("limit", 100, 1, settings.max_limit),
                 types=set(rdf_types()) or None, predicates=set(iris("predicate")) or None)
    fmt = one_of(JSON, GRAPHS)
    if fmt in GRAPHS.values():
        return rdf_response(found.triples, fmt)
    body = asdict(found)
    del body["triples"]
    for node in body["nodes"]:
        node["url"] = page_url(node["id"])
    return body
