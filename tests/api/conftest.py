"""The real app on a real socket over the session's seeds store, one server per session and kind of store:
the embedded store, and an Oxigraph server holding the same quads (kg.remote)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tests.api.live import BACKENDS, served_by, serving

QUERY_TIMEOUT = 3  # seconds; every query the tests mean to finish takes milliseconds on the seeds
# One server answers every API test from one address: its worker-time budget would add up across
# unrelated tests (each time-limit test spends 3 s). Budgets are tested on servers of their own
# (tests/security/test_serving.py).
CLIENT_BUDGET = 3600


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which kind of store the app serves: every API test runs against both."""
    return request.param


@pytest.fixture(scope="session")
def seeds_served(seeds_built, backend):
    """The seeds as the app serves them: the session's store, or a server loaded with its quads."""
    settings, store, _ = seeds_built
    with served_by(backend, store, replace(settings, query_timeout=QUERY_TIMEOUT)) as served:
        yield served


@pytest.fixture(scope="session")
def live(seeds_built, seeds_served):
    settings, store, _ = seeds_built
    yield from serving(replace(settings, query_timeout=QUERY_TIMEOUT, client_budget=CLIENT_BUDGET), store, seeds_served)
