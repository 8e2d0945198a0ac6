"""The HTTP API: a Flask app made by ``create_app(settings, store)``, one blueprint per area.

Routes read the request, call ``kg`` and render; the store is handed in and never opened
here. SPARQL queries go to a pool of killable worker processes (kg.workers); the other
routes run in the request's thread: bounded lookups on the store, and analytics
(networkx over the projected graph, cached per documents and parameters).
"""
from __future__ import annotations

from flask import Flask

from api import analytics, documents, entities, errors, export, health, sparql
from api.context import Context
from kg.analytics import Analytics
from kg.settings import Settings
from kg.store import GraphStore
from kg.workers import QueryPool

BLUEPRINTS = (sparql.bp, entities.bp, documents.bp, analytics.bp, export.bp, health.bp)


def create_app(settings: Settings, store: GraphStore) -> Flask:
    """The app over ``store``; call ``app.extensions["newskg"].close()`` to stop its query workers."""
    app = Flask(__name__)
    app.json.sort_keys = False
    pool = QueryPool(store.path, workers=settings.query_workers, timeout=settings.query_timeout)
    app.extensions["newskg"] = Context(settings, store, pool, Analytics(store, settings.base_iri))

    @app.before_request
    def see_new_writes() -> None:
        store.refresh()

    errors.register(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
