"""A real `kg serve` subprocess over the seeds store, and a sentinel that records who reaches it."""
from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.api.live import cli_options, served_by

KG = Path(sys.executable).parent / "kg"  # the installed command, as a user runs it


class FromAddress(HTTPAdapter):
    """Connections from another loopback address (all of 127.0.0.0/8 is this machine): another client, to the server."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


def client(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def get(self, path: str, *, source: str = "127.0.0.1", **kwargs) -> requests.Response:
        return client(source).get(self.url + path, **{"timeout": 60, "allow_redirects": False, **kwargs})

    def post(self, path: str, *, source: str = "127.0.0.1", **kwargs) -> requests.Response:
        return client(source).post(self.url + path, **{"timeout": 60, **kwargs})

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def start_server(store: str, *options: str) -> Server:
    """`kg serve` on a free port; returns once it printed its address."""
    process = subprocess.Popen([str(KG), "serve", "--store", store, "--port", "0", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = process.stdout.readline()
    if not first.startswith("newskg API on "):
        process.kill()
        raise AssertionError(f"kg serve did not start: {first}{process.stdout.read()}")
    threading.Thread(target=process.stdout.read, daemon=True).start()  # keep its pipe drained
    return Server(first.split()[3].rstrip("/"), process)


@pytest.fixture(scope="session")
def server(seeds_built) -> Iterator[Server]:
    settings, _, _ = seeds_built
    running = start_server(settings.store, "--query-timeout", "5")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def remote_server(seeds_built) -> Iterator[Server]:
    """`kg serve --sparql-endpoint` over an Oxigraph server holding the seeds: a store that has the network."""
    settings, store, _ = seeds_built
    with served_by("remote", store, settings) as remote:
        running = start_server(settings.store, "--query-timeout", "5", *cli_options(remote))
        yield running
        running.stop()


@dataclass
class Sentinel:
    """An HTTP server on localhost that answers every request with a marker and remembers it."""

    url: str
    marker: str = "SENTINEL-REPLY-7d1f"
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def sentinel() -> Iterator[Sentinel]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (http.server's naming)
            self.answer()

        def do_POST(self) -> None:  # noqa: N802
            self.answer()

        def answer(self) -> None:
            hits.append(f"{self.command} {self.path}")
            body = Sentinel.marker.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Sentinel(f"http://127.0.0.1:{httpd.server_address[1]}", hits=hits)
    httpd.shutdown()
    httpd.server_close()
