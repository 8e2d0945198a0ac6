"""One JSON error shape for every error, with the library's typed errors mapped to statuses once.

    {"status": 400, "error": "QueryError", "title": "Bad Request", "detail": "malformed SPARQL: …"}
"""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from kg.errors import (ConfigError, DocumentError, FormatError, InputError, KGError, NotFoundError, QueryError,
                       QueryRefusedError, QueryTimeoutError, RequestError, StoreError)

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
}

log = logging.getLogger(__name__)


def status_of(error: KGError) -> int:
    return next(STATUS[cls] for cls in type(error).__mro__ if cls in STATUS)


def problem(status: int, error: str, detail: str) -> Response:
    response = jsonify(status=status, error=error, title=HTTP_STATUS_CODES.get(status, "Error"), detail=detail)
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(KGError)
    def library_error(error: KGError) -> Response:
        return problem(status_of(error), type(error).__name__, str(error))

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
