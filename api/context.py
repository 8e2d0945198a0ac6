"""What every route reaches for: the settings, the store handed to the factory, the query workers,
and the one analytics service over that store (one, so its cache serves every request)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from kg.analytics import Analytics
from kg.settings import Settings
from kg.store import GraphStore
from kg.workers import QueryPool


@dataclass(frozen=True)
class Context:
    settings: Settings
    store: GraphStore
    pool: QueryPool
    analytics: Analytics

    def close(self) -> None:
        """Stop the query workers (the store belongs to whoever opened it)."""
        self.pool.close()


def context() -> Context:
    return current_app.extensions["newskg"]
