"""Validators keyed by the store's version: a client (or cache) that holds an answer asks again with
If-None-Match and, while nothing was written, gets a 304 before any store work is done.

The ETag is the store's version with the Accept header the answer was negotiated from, so each
variant of a URL has its own; /health is always answered afresh (it reports live workers).
"""
from __future__ import annotations

import hashlib

from flask import Flask, Response, request

from kg.store import Store

LIVE = {"health.health"}


def register(app: Flask, store: Store) -> None:
    @app.before_request
    def unchanged() -> Response | None:
        if not cacheable(store) or tag(store) not in request.if_none_match:
            return None
        response = Response(status=304)
        response.set_etag(tag(store))
        response.vary.add("Accept")
        return response

    @app.after_request
    def validated(response: Response) -> Response:
        if cacheable(store) and response.status_code == 200:
            response.set_etag(tag(store))
        return response


def cacheable(store: Store) -> bool:
    """GETs of a store whose version is known (a remote server's is not: its answers are never validated)."""
    return request.method in ("GET", "HEAD") and request.endpoint not in LIVE and store.version is not None


def tag(store: Store) -> str:
    return hashlib.sha256(f"{store.version} {request.headers.get('Accept', '')}".encode()).hexdigest()[:24]
