"""Hostile clients against a real `kg serve`: slow senders, non-readers, heavy and departing clients.

"Others" connect from other loopback addresses (127.0.0.0/8 is all this machine), as other
clients would: the server keeps each address's share apart.
"""
from __future__ import annotations

import json
import random
import select
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests

from kg.store import GraphStore
from tests.conftest import proc_stat
from tests.graphs import IRIS, Doc
from tests.security.conftest import Server, client, start_server

pytestmark = pytest.mark.slow
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def large_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """1,000 people co-mentioned in 2,600 sentences: exact betweenness takes many seconds, N-Quads ~6 MB."""
    path = tmp_path_factory.mktemp("large") / "store"
    chooser = random.Random(7)
    doc = Doc("large.txt", published="2024-01-01")
    people = [f"person/p{i}" for i in range(1000)]
    for key in people:
        doc.entity(key, "Person", key.replace("person/p", "Person "))
    for _ in range(2600):
        doc.together(*chooser.sample(people, 2))
    graph = IRIS.graph(doc.name)
    with GraphStore(path) as store:
        store.bulk_load(ox.Quad(t.subject, t.predicate, t.object, graph)
                        for t in ox.parse(doc.turtle(), format=ox.RdfFormat.TURTLE))
    return str(path)


def timed_get(server: Server, path: str, source: str, **kwargs) -> tuple[int, float]:
    started = time.monotonic()
    response = server.get(path, source=source, timeout=30, **kwargs)
    return response.status_code, time.monotonic() - started


def slow_sender(port: int) -> socket.socket:
    """A connection that sends a request head one header line at a time, never finishing it."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
    return sock


def trickle(socks: list[socket.socket], seconds: float) -> None:
    """Keep every connection busy with a header line a second, as a slowloris client does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for sock in socks:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                pass
        time.sleep(1)


def answered_at_once(socks: list[socket.socket], expected: int, deadline: float = 15) -> list[bytes]:
    """What the server answered on any of these connections (it answers only those it refuses): waits until
    ``expected`` have answered (or ``deadline`` seconds), then a second more for any beyond them."""
    replies: dict[socket.socket, bytes] = {}
    until = time.monotonic() + deadline
    while len(replies) < expected and time.monotonic() < until:
        readable, _, _ = select.select([s for s in socks if s not in replies], [], [], 0.2)
        replies.update((sock, sock.recv(4096)) for sock in readable)
    readable, _, _ = select.select([s for s in socks if s not in replies], [], [], 1)
    replies.update((sock, sock.recv(4096)) for sock in readable)
    return list(replies.values())


def test_150_slow_header_connections_lock_nobody_out(seeds_built):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--receive-timeout", "4")
    try:
        socks = [slow_sender(server.port) for _ in range(150)]
        refused = answered_at_once(socks, 150 - 64)
        assert len(refused) == 150 - 64  # one address keeps max_client_connections
        assert all(reply.startswith(b"HTTP/1.1 429 ") and b"Retry-After: " in reply for reply in refused)
        assert json.loads(refused[0].split(b"\r\n\r\n", 1)[1])["error"] == "RateLimitError"
        attacker = threading.Thread(target=trickle, args=(socks, 8))
        attacker.start()
        others = [timed_get(server, "/health", "127.0.0.2") for _ in range(10)]
        attacker.join()
        assert all(status == 200 and seconds < 2 for status, seconds in others), others
        dropped = sum(1 for sock in socks if closed_by_server(sock))
        assert dropped == 150  # past receive_timeout, however busy the trickle kept them
    finally:
        server.stop()


def closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(2)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except (TimeoutError, OSError):
        return False
    finally:
        sock.close()


def test_past_max_connections_new_ones_get_a_503_not_a_closed_door(seeds_built):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--receive-timeout", "3", "--max-connections", "100",
                          "--max-client-connections", "500")
    try:
        socks = [slow_sender(server.port) for _ in range(150)]
        replies = answered_at_once(socks, 50)
        assert len(replies) == 50 and all(r.startswith(b"HTTP/1.1 503 ") for r in replies)
        # told at once: left waiting in the backlog, it would be served (200) once the slow ones are dropped
        assert timed_get(server, "/health", "127.0.0.2")[0] == 503
        time.sleep(4.5)  # the slow ones are dropped at receive_timeout
        assert timed_get(server, "/health", "127.0.0.2")[0] == 200
        for sock in socks:
            sock.close()
    finally:
        server.stop()


def non_reader(port: int, source: str) -> socket.socket:
    """A client that asks for the whole graph as N-Quads and never reads a byte of it."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(b"GET /export?format=nquads HTTP/1.1\r\nHost: localhost\r\n\r\n")
    return sock


def test_clients_that_never_read_an_export_leave_the_server_reachable(large_store):
    """Four connections ask for a 6 MB export and read nothing: those that get their turn are dropped at
    send_timeout (the worker was free once the file was written), the others get a 429 after waiting."""
    server = start_server(large_store, "--send-timeout", "4", "--query-timeout", "10")
    try:
        full = len(server.get("/export", params={"format": "nquads"}).content)
        assert full > 5 * 2**20  # more than the socket buffers hold
        socks = [non_reader(server.port, "127.0.0.10") for _ in range(4)]
        time.sleep(1)
        others = [timed_get(server, "/sparql", "127.0.0.2", params={"query": CHEAP}) for _ in range(5)]
        others += [timed_get(server, "/export", "127.0.0.3", params={"format": "turtle"})]
        assert all(status == 200 for status, _ in others), others
        answers = [answer_started(sock, deadline=time.monotonic() + 60) for sock in socks]
        assert {status for status, _ in answers} <= {b"200", b"429"} and b"200" in dict(answers), answers
        time.sleep(max(0.0, max(seen for _, seen in answers) + 4 + 3 - time.monotonic()))  # past send_timeout
        received = [drain(sock) for sock in socks]
        assert all(size < full for _, size in received), (received, full)  # dropped before the end
        assert len(server.get("/health").json()["query_workers"]) == 4
    finally:
        server.stop()


def answer_started(sock: socket.socket, deadline: float) -> tuple[bytes, float]:
    """The answer's status and when it began to arrive, peeked at without reading any of it."""
    while time.monotonic() < deadline:
        try:
            status = sock.recv(12, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            status = b""
        if len(status) == 12:
            return status[9:12], time.monotonic()
        time.sleep(0.1)
    return b"none", time.monotonic()


def drain(sock: socket.socket) -> tuple[bytes, int]:
    """The status line's start and how many bytes the server had sent before it closed (what a reset leaves)."""
    sock.settimeout(5)
    data = bytearray()
    try:
        while chunk := sock.recv(1 << 20):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    sock.close()
    return bytes(data[:13]), len(data)


def heavy_client(server: Server, source: str, seconds: float, statuses: list[int], retry: list[str]) -> None:
    session = client(source)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = session.get(server.url + "/sparql", params={"query": ENDLESS}, timeout=60)
        statuses.append(response.status_code)
        if response.status_code == 429:
            retry.append(response.headers.get("Retry-After", ""))
            time.sleep(0.2)


def test_two_looping_heavy_clients_do_not_starve_the_others(seeds_built):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--query-timeout", "4")
    try:
        statuses: list[int] = []
        retry: list[str] = []
        heavy = [threading.Thread(target=heavy_client, args=(server, f"127.0.0.{20 + i // 5}", 10, statuses, retry))
                 for i in range(10)]  # two clients, five loops each: 2 run, 2 wait their turn, 1 is refused
        for thread in heavy:
            thread.start()
        time.sleep(1)
        others = [timed_get(server, "/sparql", "127.0.0.2", params={"query": CHEAP}) for _ in range(20)]
        others += [timed_get(server, "/entities/person/maryam-rajavi", "127.0.0.3") for _ in range(5)]
        for thread in heavy:
            thread.join()
        assert all(status == 200 for status, _ in others), others
        # starved, they would wait for a heavy query's worker to be killed at the time limit (4 s)
        assert max(seconds for _, seconds in others) < 4, others
        assert 429 in statuses and set(statuses) <= {429, 503}  # refused past their share; stopped or told to wait
        assert all(value.isdigit() for value in retry)
    finally:
        server.stop()


def test_a_client_past_its_worker_time_budget_gets_429_with_retry_after(seeds_built):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--query-timeout", "2", "--client-budget", "3")
    try:
        assert server.get("/sparql", source="127.0.0.30", params={"query": ENDLESS}).status_code == 503
        assert server.get("/sparql", source="127.0.0.30", params={"query": ENDLESS}).status_code == 503
        refused = server.get("/sparql", source="127.0.0.30", params={"query": CHEAP})
        assert refused.status_code == 429 and refused.json()["error"] == "RateLimitError"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert server.get("/sparql", source="127.0.0.31", params={"query": CHEAP}).status_code == 200
    finally:
        server.stop()


def test_a_client_whose_query_ran_out_of_time_never_takes_the_last_free_worker(seeds_built):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--query-timeout", "3", "--query-workers", "2")
    try:
        stopped = server.get("/sparql", source="127.0.0.50", params={"query": ENDLESS})
        assert stopped.status_code == 503 and "give way to others" in stopped.json()["detail"]
        workers = server.get("/health").json()["query_workers"]
        ended: dict[str, float] = {}

        def ask(source: str, query: str) -> None:
            server.get("/sparql", source=source, params={"query": query})
            ended[source] = time.monotonic()

        heavy = threading.Thread(target=ask, args=("127.0.0.51", ENDLESS))  # holds one worker until its time is up
        heavy.start()
        deadline = time.monotonic() + 10
        while not any(state_of(pid) == "R" for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        suspect = threading.Thread(target=ask, args=("127.0.0.50", CHEAP))  # its query of death sent again would
        suspect.start()  # take the one free worker: it waits for a second one
        time.sleep(0.5)
        status, seconds = timed_get(server, "/sparql", "127.0.0.52", params={"query": CHEAP})
        assert status == 200 and seconds < 2  # well before the heavy query is stopped (3 s)
        heavy.join()
        suspect.join()
        assert ended["127.0.0.50"] > ended["127.0.0.51"]  # served once the heavy query's worker was back
    finally:
        server.stop()


def test_a_single_worker_serves_one_clients_concurrent_requests_in_turn(seeds_built):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--query-workers", "1")
    try:
        for _ in range(3):  # a page's parallel fetches: two run in turn, two wait for a turn
            with ThreadPoolExecutor(4) as fetches:
                answers = list(fetches.map(lambda _: timed_get(server, "/sparql", "127.0.0.60",
                                                                 params={"query": CHEAP}), range(4)))
            assert [status for status, _ in answers] == [200] * 4, answers
    finally:
        server.stop()


def test_the_worker_of_a_client_that_disconnects_is_stopped(seeds_built):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--query-timeout", "60", "--query-workers", "1")
    try:
        before = server.get("/health").json()["query_workers"]
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(f"GET /sparql?query={quote(ENDLESS)} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        time.sleep(1.5)
        sock.close()
        deadline = time.monotonic() + 10
        while (after := server.get("/health").json()["query_workers"]) in (before, []) \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert after != before and len(after) == 1  # the busy one was killed and replaced, long before 60 s
        assert not Path(f"/proc/{before[0]}").exists() or "Z" in Path(f"/proc/{before[0]}/stat").read_text().split()[2]
        assert server.get("/sparql", params={"query": CHEAP}).json()["boolean"] is True
    finally:
        server.stop()


def state_of(pid: int) -> str:
    return proc_stat(pid)[0]


def test_a_long_query_is_paused_while_quick_requests_run_and_continues_after(seeds_built):
    settings, _, _ = seeds_built
    server = start_server(settings.store, "--query-timeout", "8", "--query-workers", "2")
    try:
        workers = server.get("/health").json()["query_workers"]
        answers: list[requests.Response] = []
        heavy = threading.Thread(target=lambda: answers.append(
            server.get("/sparql", source="127.0.0.40", params={"query": ENDLESS})))
        heavy.start()
        deadline = time.monotonic() + 10
        while not (busy := [pid for pid in workers if state_of(pid) == "R"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(busy) == 1, [state_of(pid) for pid in workers]
        time.sleep(1.5)  # past its first second: a long job now

        states: list[str] = []
        quick_done = threading.Event()

        def watch() -> None:
            while not quick_done.is_set():
                states.append(state_of(busy[0]))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        session, statuses, until = client("127.0.0.41"), [], time.monotonic() + 2
        while time.monotonic() < until:
            statuses.append(session.get(server.url + "/sparql", params={"query": CHEAP}, timeout=30).status_code)
        quick_done.set()
        watcher.join()
        assert set(statuses) == {200}, statuses
        assert states.count("T") >= len(states) / 2, states  # stopped while the quick ones ran

        deadline = time.monotonic() + 5
        while state_of(busy[0]) == "T" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state_of(busy[0]) != "T"  # and running again once they stopped coming
        heavy.join(timeout=30)
        assert answers[0].status_code == 503 and "paused while quicker requests ran" in answers[0].json()["detail"]
    finally:
        server.stop()


def test_eight_concurrent_betweenness_requests_leave_health_fast(large_store):
    server = start_server(large_store, "--query-timeout", "3")
    try:
        def betweenness(i: int) -> int:
            return server.get("/analytics/centrality", source=f"127.0.0.{40 + i}",
                              params={"metric": "betweenness", "seed": i}).status_code

        with ThreadPoolExecutor(8) as pool:
            heavy = [pool.submit(betweenness, i) for i in range(8)]
            time.sleep(0.5)
            health = [timed_get(server, "/health", "127.0.0.2") for _ in range(10)]
            statuses = [future.result() for future in heavy]
        # behind the betweenness runs, /health would wait for their workers' time limit (3 s)
        assert all(status == 200 and seconds < 3 for status, seconds in health), health
        assert set(statuses) == {503}, statuses  # killed at the time limit, or told the workers are busy
    finally:
        server.stop()

