"""The real app on a real socket over the session's seeds store, one server per session."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tests.api.live import serving

QUERY_TIMEOUT = 3  # seconds; every query the tests mean to finish takes milliseconds on the seeds


@pytest.fixture(scope="session")
def live(seeds_built):
    settings, store, _ = seeds_built
    yield from serving(replace(settings, query_timeout=QUERY_TIMEOUT), store)
