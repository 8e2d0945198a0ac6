"""What every route reaches for: the settings, the store handed to the factory, and the workers that do
the store work of requests, each request as its client's job (kg.workers, kg.fairness)."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import current_app, request

from kg.settings import Settings
from kg.store import Store
from kg.workers import Job, QueryPool


@dataclass(frozen=True)
class Context:
    settings: Settings
    store: Store
    pool: QueryPool

    def close(self) -> None:
        """Stop the workers (the store belongs to whoever opened it)."""
        self.pool.close()


def context() -> Context:
    return current_app.extensions["newskg"]


def work(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(store, *args, **kwargs)`` run in a worker, under the time limit and the client's share."""
    return context().pool.run(Job(function, args, kwargs), client=client(), cancelled=disconnected())


def stream(function: Callable[..., Any], **kwargs: Any) -> Iterator[bytes]:
    """What ``function(store, output=…, **kwargs)`` writes, from a worker, as it writes it.

    The first chunk is awaited here, so that an error before any byte (an unknown document,
    say) is an ordinary error response rather than a broken download.
    """
    chunks = context().pool.stream(Job(function, (), kwargs), client=client(), cancelled=disconnected())
    first = next(chunks, b"")
    return itertools.chain([first], chunks)


def client() -> str:
    """Who a request counts against: its peer address (a proxy in front would need to pass the real one on)."""
    return request.remote_addr or "unknown"


def disconnected() -> Callable[[], bool] | None:
    """Waitress tells whether the client has gone (it reads ahead on the connection); other servers cannot."""
    return request.environ.get("waitress.client_disconnected")
