"""One JSON error shape for every error, with the library's typed errors mapped to statuses once.

    {"status": 400, "error": "QueryError", "title": "Bad Request", "detail": "malformed SPARQL: …"}
"""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from kg.errors import (BusyError, ConfigError, DocumentError, FormatError, InputError, KGError, NotFoundError,
                       QueryError, QueryRefusedError, QueryTimeoutError, RateLimitError, RequestError, StoreError)
from kg.workers import ClientGone

# The most specific class in an error's MRO decides.
STATUS: dict[type[KGError], int] = {
    KGError: 500,
    ConfigError: 500,
    DocumentError: 422,
    InputError: 400,
    RequestError: 400,
    QueryError: 400,
    QueryRefusedError: 403,
    NotFoundError: 404,
    FormatError: 406,
    QueryTimeoutError: 503,
    StoreError: 503,
    BusyError: 503,
    RateLimitError: 429,
}

log = logging.getLogger(__name__)


def status_of(error: KGError) -> int:
    return next(STATUS[cls] for cls in type(error).__mro__ if cls in STATUS)


def problem_body(status: int, error: str, detail: str) -> dict:
    """The one error shape, also for the errors the server answers before the app sees a request (api.server)."""
    return {"status": status, "error": error, "title": HTTP_STATUS_CODES.get(status, "Error"), "detail": detail}


def problem(status: int, error: str, detail: str) -> Response:
    response = jsonify(problem_body(status, error, detail))
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(KGError)
    def library_error(error: KGError) -> Response:
        response = problem(status_of(error), type(error).__name__, str(error))
        if error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(ClientGone)
    def client_gone(error: ClientGone) -> Response:  # nobody reads it: the client has left
        return problem(503, "ClientGone", str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = problem(error.code or 500, type(error).__name__, error.description or "")
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error")
        return problem(500, "InternalServerError", f"an unexpected {type(error).__name__}; see the server log")
