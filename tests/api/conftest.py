"""The real app on a real socket: waitress in a thread over the session's seeds store, one per session."""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import pytest
import requests
from waitress import create_server

from api import create_app
from kg.settings import Settings
from kg.store import GraphStore

QUERY_TIMEOUT = 3  # seconds; every query the tests mean to finish takes milliseconds on the seeds


@dataclass
class Live:
    url: str
    settings: Settings
    store: GraphStore

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=60, allow_redirects=False, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=60, **kwargs)


def serving(settings: Settings, store: GraphStore):
    """Start the app on a free port, wait until it answers, yield it, then stop server and workers."""
    app = create_app(settings, store)
    server = create_server(app, host="127.0.0.1", port=0, threads=6)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    live = Live(f"http://127.0.0.1:{server.effective_port}", settings, store)
    assert live.get("/health").status_code == 200
    try:
        yield live
    finally:
        server.close()
        app.extensions["newskg"].close()


@pytest.fixture(scope="session")
def live(seeds_built):
    settings, store, _ = seeds_built
    yield from serving(replace(settings, query_timeout=QUERY_TIMEOUT), store)
