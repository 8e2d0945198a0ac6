"""Liveness, the link index (the home page for browsers) and the OpenAPI description."""
from __future__ import annotations

from flask import Blueprint, url_for

from api import openapi, pages
from api.context import context
from api.negotiation import HTML, JSON, one_of
from kg import __version__
from kg.index import indexed_documents

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> dict:
    """Liveness without touching the store: the document count is the search index's (None without one)."""
    ctx = context()
    return {"status": "ok", "version": __version__, "store": ctx.store.location,
            "documents": indexed_documents(ctx.store), "query_workers": ctx.pool.pids(),
            "query_timeout": ctx.settings.query_timeout}


@bp.get("/")
def index() -> dict | str:
    if one_of(JSON, HTML) == "html":
        return pages.home()
    return {"name": "newskg", "version": __version__, "links": {
        "sparql": url_for("sparql.endpoint"), "entities": url_for("entities.search", q="raj"),
        "documents": url_for("documents.listing"), "centrality": url_for("analytics.centrality"),
        "communities": url_for("analytics.communities"),
        "paths": url_for("analytics.paths", **{"from": "person/maryam-rajavi", "to": "organization/ncri"}),
        "ego": url_for("analytics.ego", center="person/maryam-rajavi"), "export": url_for("export.export"),
        "timeline": url_for("pages.timeline"), "health": url_for("health.health"),
        "openapi": url_for("health.openapi_json")}}


@bp.get("/openapi.json")
def openapi_json() -> dict:
    return openapi.spec(__version__, context().settings)
