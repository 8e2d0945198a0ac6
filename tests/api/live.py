"""A live server for the tests: the real app under the server `kg serve` runs, on a free port, in a thread."""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import requests
from api import create_app
from api.server import create
from kg.settings import Settings
from kg.store import GraphStore


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
    server = create(app, replace(settings, host="127.0.0.1", port=0))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    live = Live(f"http://127.0.0.1:{server.effective_port}", settings, store)
    assert live.get("/health").status_code == 200
    try:
        yield live
    finally:
        stop(server, thread)
        app.extensions["newskg"].close()


def stop(server, thread: threading.Thread) -> None:
    """Close the server from its own loop thread: closing it from here races the loop's select()
    on the closed socket (EBADF in the loop thread once the fixture ends before the session).

    Seen about once in ten full runs: the trigger's pipe is already closed when the test ends
    (EBADF on the write), and the server is then closed from here.
    """
    try:
        server.trigger.pull_trigger(server.close)
    except OSError:
        server.close()
    thread.join(timeout=10)
    server.task_dispatcher.shutdown()
