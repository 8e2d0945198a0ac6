"""Query workers never outlive the server, however it ends."""
from __future__ import annotations

import os
import signal
import time

import pytest

from tests.conftest import proc_stat
from tests.security.conftest import start_server

pytestmark = pytest.mark.slow


def parent_of(pid: int) -> int:
    return int(proc_stat(pid)[1])


def alive(pid: int) -> bool:
    try:
        state = proc_stat(pid)[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_and_their_forkserver_die_with_the_server(seeds_built, how):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--query-timeout", "60")
    workers = server.get("/health").json()["query_workers"]
    helpers = {parent_of(pid) for pid in workers} - {server.process.pid}
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    busy = os.fork()
    if busy == 0:  # a client keeps one worker at 100 % CPU while the server dies
        try:
            server.get("/sparql", params={"query": endless})
        finally:
            os._exit(0)
    time.sleep(1.0)
    server.process.send_signal(how)
    server.process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in [*workers, *helpers]) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.waitpid(busy, 0)
    assert not [pid for pid in [*workers, *helpers] if alive(pid)]
