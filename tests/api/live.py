"""A live server for the tests: the real app under the server `kg serve` runs, on a free port, in a thread,
over the embedded store or over an Oxigraph server subprocess holding the same quads (kg.remote)."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
import requests
from api import create_app
from api.server import create
from kg.remote import Endpoints, RemoteStore
from kg.settings import Settings
from kg.store import GraphStore, Store

OXIGRAPH = Path(sys.executable).parent / "oxigraph"  # the server binary the `oxigraph` PyPI package installs
BACKENDS = ("embedded", "remote")


@dataclass
class Live:
    url: str
    settings: Settings
    store: GraphStore  # what the tests read expectations from, in-process
    served: Store  # what the app serves: that store, or a server holding the same quads

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=60, allow_redirects=False, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=60, **kwargs)


def serving(settings: Settings, store: GraphStore, served: Store | None = None):
    """Start the app over ``served`` (default: ``store``) on a free port, wait until it answers, yield it,
    then stop server and workers."""
    served = served or store
    app = create_app(settings, served)
    server = create(app, replace(settings, host="127.0.0.1", port=0))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    live = Live(f"http://127.0.0.1:{server.effective_port}", settings, store, served)
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


@contextlib.contextmanager
def served_by(backend: str, store: GraphStore, settings: Settings) -> Iterator[Store]:
    """``store`` itself ("embedded"), or ("remote") an Oxigraph server subprocess loaded with all its quads."""
    if backend == "embedded":
        yield store
        return
    with tempfile.TemporaryDirectory(prefix="oxigraph-") as location:
        port = free_port()
        process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(url, process)
            loaded = requests.post(f"{url}/store", data=ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS),
                                   headers={"Content-Type": "application/n-quads"}, timeout=120)
            assert loaded.status_code in (200, 204), loaded.text
            yield RemoteStore(Endpoints(f"{url}/query", f"{url}/update", f"{url}/store"),
                              timeout=settings.query_timeout, path=store.path)
        finally:
            process.terminate()
            process.wait(timeout=30)


def cli_options(served: Store) -> list[str]:
    """The `kg serve` options that serve ``served``."""
    if isinstance(served, RemoteStore):
        return ["--sparql-endpoint", served.endpoints.query, "--update-endpoint", served.endpoints.update,
                "--gsp-endpoint", served.endpoints.gsp]
    return ["--store", served.location]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the Oxigraph server exited with {process.returncode}"
        with contextlib.suppress(requests.ConnectionError):
            requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=5)
            return
        time.sleep(0.1)
    raise TimeoutError(f"the Oxigraph server at {url} did not answer within {seconds} s")
