"""Entity search, entity pages (the IRIs dereference here) and neighbourhoods."""
from __future__ import annotations

from dataclasses import asdict

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request, url_for

from api.context import context, work
from api.negotiation import GRAPHS, HTML, JSON, one_of
from api.params import integer, iris, rdf_types
from api.rdf import rdf_response
from kg import entities
from kg.errors import NotFoundError, RequestError

bp = Blueprint("entities", __name__)


@bp.get("/entities")
def search() -> dict:
    text = request.args.get("q", "").strip()
    if not text:
        raise RequestError("q= is required: part of a name or alias, e.g. /entities?q=raj")
    types = rdf_types()
    if len(types) > 1:
        raise RequestError("give at most one type=")
    limit = integer("limit", 20, 1, context().settings.max_limit)
    matches = work(entities.search, text, rdf_type=types[0] if types else None, limit=limit)
    return {"q": text, "type": types[0].value if types else None, "limit": limit,
            "results": [asdict(m) | {"url": entity_url(m.iri)} for m in matches]}


@bp.get("/entities/<kind>/<name>")
def entity(kind: str, name: str) -> Response | dict | str:
    iri = entity_iri(kind, name)
    fmt = one_of(JSON, HTML, GRAPHS)
    if fmt in GRAPHS.values():
        return rdf_response(work(entities.triples_of, iri), fmt)
    page = work(entities.page, iri, limit=integer("limit", 100, 1, context().settings.max_limit))
    links = {"neighbourhood": url_for(".neighbourhood", kind=kind, name=name),
             **{f: url_for(".entity", kind=kind, name=name, format=f) for f in ("turtle", "jsonld")}}
    if fmt == "html":
        return render_template("entity.html", page=page, links=links, url=entity_url)
    body = asdict(page)
    for fact in body["facts"]:
        fact["value"]["url"] = entity_url(fact["value"]["value"]) if fact["value"]["kind"] == "iri" else None
    return body | {"url": request.path, "links": links}


@bp.get("/entities/<kind>/<name>/neighbourhood")
def neighbourhood(kind: str, name: str) -> Response | dict:
    settings = context().settings
    found = work(entities.neighbourhood, entity_iri(kind, name), depth=integer("depth", 1, 1, 3),
                 limit=integer("limit", 100, 1, settings.max_limit),
                 types=set(rdf_types()) or None, predicates=set(iris("predicate")) or None)
    fmt = one_of(JSON, GRAPHS)
    if fmt in GRAPHS.values():
        return rdf_response(found.triples, fmt)
    body = asdict(found)
    del body["triples"]
    for node in body["nodes"]:
        node["url"] = entity_url(node["id"])
    return body


@bp.get("/<kind>/<name>")
def dereference(kind: str, name: str) -> Response:
    """An entity IRI minted under a base this server answers for: 303 See Other to its page."""
    iri = entity_iri(kind, name)
    if next(context().store.triples(iri), None) is None:
        raise NotFoundError(f"no entity {iri.value} in the store")
    query = f"?{request.query_string.decode()}" if request.query_string else ""
    return redirect(url_for(".entity", kind=kind, name=name) + query, code=303)


def entity_iri(kind: str, name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(f"{context().settings.base_iri}{kind}/{name}")
    except ValueError as error:
        raise NotFoundError(f"{kind}/{name} is not an entity id ({error})") from None


def entity_url(iri: str) -> str | None:
    """Our page for an IRI minted under the base, None for others (Wikidata, blank nodes)."""
    base = context().settings.base_iri
    kind, _, name = iri.removeprefix(base).partition("/")
    if not iri.startswith(base) or not name or "/" in name:
        return None
    return url_for("entities.entity", kind=kind, name=name)
