"""Typed errors of the library, each with the CLI exit code it maps to.

The API maps the same classes to HTTP statuses in one place; messages say what
failed and where.
"""
from __future__ import annotations


class KGError(Exception):
    """Base class: something the user can act on."""

    exit_code = 1
    retry_after: int | None = None  # seconds after which the same request may succeed (HTTP Retry-After)


class ConfigError(KGError):
    """A setting has a value we cannot use."""

    exit_code = 2


class DocumentError(KGError):
    """One input document could not be read; the rest of the batch still builds."""

    exit_code = 3

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class InputError(KGError):
    """The inputs as a whole are unusable (no such path, nothing to read)."""

    exit_code = 4


class StoreError(KGError):
    """The store cannot be opened or written (missing, locked, corrupt)."""

    exit_code = 5


class QueryError(KGError):
    """A SPARQL query is malformed or not allowed."""

    exit_code = 6


class NotFoundError(KGError):
    """A named document or entity is not in the store."""

    exit_code = 7


class RequestError(KGError):
    """A request parameter is missing, malformed or out of range (says which and what is allowed)."""

    exit_code = 8


class FormatError(KGError):
    """No serialisation the client accepts exists for this result (says which ones do)."""

    exit_code = 9


class QueryRefusedError(QueryError):
    """A query the read-only endpoint will not run: an update, LOAD, or SERVICE to another address."""


class QueryTimeoutError(QueryError):
    """A query ran past the time limit and was stopped (its worker process killed)."""


class BusyError(KGError):
    """The server is at a limit shared by everyone (workers, connections); the client may retry later."""

    exit_code = 10

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class RateLimitError(BusyError):
    """One client has used its share (concurrent requests, worker time, connections); it may retry later."""
