"""What every route reaches for: the settings, the store handed to the factory, the query workers."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from kg.settings import Settings
from kg.store import GraphStore
from kg.workers import QueryPool


@dataclass(frozen=True)
class Context:
    settings: Settings
    store: GraphStore
    pool: QueryPool

    def close(self) -> None:
        """Stop the query workers (the store belongs to whoever opened it)."""
        self.pool.close()


def context() -> Context:
    return current_app.extensions["newskg"]
