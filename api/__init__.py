"""The HTTP API: a Flask app made by ``create_app(settings, store)``, one blueprint per area.

Routes read the request, call ``kg`` and render; the store is handed in and never opened
here. Whatever reads more than a few triples (SPARQL, search, entity and document pages,
analytics, exports) runs in a pool of killable worker processes under a time limit and
each client's share (kg.workers, kg.fairness); the request's thread only waits for it.
The same URLs answer browsers with pages (api/templates, api/static: our scripts and the
npm libraries `make setup` copies into api/static/vendor), everything else with data.
"""
from __future__ import annotations

import logging

from flask import Flask, request
from flask_cors import CORS
from werkzeug.exceptions import RequestURITooLarge

from api import analytics, caching, documents, entities, errors, export, health, iris, negotiation, pages, search, sparql
from api.context import Context
from kg.catalog import minted_bases
from kg.fairness import Shares
from kg.settings import Settings
from kg.store import Store
from kg.workers import QueryPool

BLUEPRINTS = (sparql.bp, search.bp, entities.bp, documents.bp, analytics.bp, export.bp, health.bp, pages.bp, iris.bp)
log = logging.getLogger(__name__)


def create_app(settings: Settings, store: Store) -> Flask:
    """The app over ``store``; call ``app.extensions["newskg"].close()`` to stop its query workers."""
    app = Flask(__name__)
    app.json.sort_keys = False
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    pool = QueryPool(store, workers=settings.query_workers, timeout=settings.query_timeout,
                     shares=Shares(settings.client_concurrency, settings.client_budget))
    app.extensions["newskg"] = Context(settings, store, pool)
    report_foreign_iris(settings, store)

    @app.before_request
    def refuse_long_urls() -> None:
        length = len(request.environ.get("PATH_INFO", "")) + len(request.environ.get("QUERY_STRING", ""))
        if length > settings.max_url_bytes:
            raise RequestURITooLarge(f"the request target has {length} bytes, more than max_url_bytes="
                                     f"{settings.max_url_bytes}; POST long SPARQL queries instead")

    @app.before_request
    def see_new_writes() -> None:
        store.refresh()

    caching.register(app, store)

    if settings.allowed_origins:  # every route is read-only; never with credentials
        CORS(app, origins=settings.allowed_origins, send_wildcard="*" in settings.allowed_origins,
             supports_credentials=False, methods=["GET", "HEAD", "POST", "OPTIONS"],
             allow_headers=["Accept", "Content-Type"], max_age=86400,
             expose_headers=["Content-Disposition", "Retry-After", "Truncated"])
    errors.register(app)
    negotiation.register(app)
    pages.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app


def report_foreign_iris(settings: Settings, store: Store) -> None:
    """Say at start-up when the store's IRIs were minted under another base: they would not dereference here."""
    foreign = sorted(minted_bases(store) - {settings.base_iri})
    if foreign:
        log.warning("the store's IRIs were minted under %s, not under this server's base %s: they will not "
                    "dereference here (serve with --base-iri %s)", ", ".join(foreign), settings.base_iri, foreign[0])
