"""Latency of cheap requests alone and beside query-of-death clients, measured with wrk against `kg serve`.

    python bench/load.py [--seconds 8]

Builds seeds/ into a temporary store and serves it with the default settings but a 5 s time
limit, so that every measurement includes query-of-death jobs killed and sent again. wrk (Debian's)
is the well-behaved client, from 127.0.0.1 with one connection: a cheap SPARQL query (one
entity's outgoing triples) and an entity page (JSON). Each is measured alone, then beside one
and beside two query-of-death clients: each such client (its own loopback address) loops
a cross join that only the time limit stops, in as many loops as its share of concurrent
requests, ignoring every 429. Prints p50/p99 and requests per second per case, the ratio of
p99 to the same request's p99 alone (target: <= 2), and the non-2xx answers and socket
errors wrk saw (target: none, no lockout). Bounded: a run takes about a minute and a half.
"""
from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import requests

from kg.build import build
from kg.settings import Settings
from kg.store import GraphStore

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
KG = Path(sys.executable).parent / "kg"
RAJAVI = f"{Settings().base_iri}person/maryam-rajavi"
TARGETS = {"cheap SPARQL": "/sparql?query=" + quote(f"SELECT ?p ?o WHERE {{ <{RAJAVI}> ?p ?o }}"),
           "entity page": "/entities/person/maryam-rajavi"}
DEATH = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
# Shorter than the default (30 s), so that each measurement sees query-of-death jobs killed at the
# time limit and sent again at once, with their workers replaced: a hostile client does not stop.
QUERY_TIMEOUT = 5


def query_of_death(port: int, address: str, stop: threading.Event, answers: list[int],
                   open_sockets: list[socket.socket]) -> None:
    """One loop of a hostile client: the cross join again and again, 429 or not, until ``stop``."""
    request = (f"GET /sparql?query={quote(DEATH)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").encode()
    while not stop.is_set():
        sock = socket.create_connection(("127.0.0.1", port), source_address=(address, 0))
        open_sockets.append(sock)
        try:
            sock.sendall(request)
            status = sock.recv(64).split(b" ")
            answers.append(int(status[1]) if len(status) > 1 else 0)
        except OSError:
            answers.append(0)
        finally:
            sock.close()


def wrk(url: str, seconds: int) -> dict[str, float]:
    """wrk's figures for one connection on ``url``: p50 and p99 in ms, requests/s, non-2xx and socket errors."""
    out = subprocess.run(["wrk", "-t1", "-c1", f"-d{seconds}s", "--latency", "--timeout", "30s", url],
                         capture_output=True, text=True, check=True).stdout
    percentiles = {int(p): float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    if 99 not in percentiles:
        raise SystemExit(f"wrk measured nothing on {url}:\n{out}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"p50": percentiles[50], "p99": percentiles[99],
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "non2xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
            "errors": sum(map(int, errors.groups())) if errors else 0}


def serve(store: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([str(KG), "serve", "--store", store, "--port", "0", "--query-timeout", str(QUERY_TIMEOUT)],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    first = process.stdout.readline()
    if not first.startswith("newskg API on "):
        raise SystemExit(f"kg serve did not start: {first}{process.stdout.read()}")
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, first.split()[3].rstrip("/")


def measure(base: str, clients: int, seconds: int, share: int) -> tuple[dict[str, dict[str, float]], list[int]]:
    """Both targets measured while ``clients`` query-of-death clients run (fresh addresses: fresh budgets).

    The hostile clients then hang up, which stops their workers (the server watches for it),
    and the next case starts once every worker is back.
    """
    stop, answers, open_sockets = threading.Event(), [], []
    port = int(base.rsplit(":", 1)[1])
    loops = [threading.Thread(target=query_of_death, daemon=True,
                              args=(port, f"127.0.0.{10 + 10 * clients + c}", stop, answers, open_sockets))
             for c in range(clients) for _ in range(share)]
    for loop in loops:
        loop.start()
    time.sleep(2 if clients else 0)
    figures = {name: wrk(base + path, seconds) for name, path in TARGETS.items()}
    stop.set()
    for sock in list(open_sockets):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    for loop in loops:
        loop.join(timeout=60)
    workers = Settings().query_workers
    deadline = time.monotonic() + 60
    while len(requests.get(base + "/health", timeout=30).json()["query_workers"]) < workers \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    return figures, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as work:
        settings = Settings(store=str(Path(work) / "store"))
        with GraphStore(settings.store) as store:
            build([SEEDS], store, settings)
        process, base = serve(settings.store)
        try:
            for path in TARGETS.values():  # warm every worker's caches
                for _ in range(20):
                    requests.get(base + path, timeout=30)
            results = {clients: measure(base, clients, args.seconds, settings.client_concurrency)
                       for clients in (0, 1, 2)}
        finally:
            process.terminate()
            process.wait(timeout=60)
    report(results)


def report(results: dict[int, tuple[dict[str, dict[str, float]], list[int]]]) -> None:
    alone = results[0][0]
    print(f"{'request':<14} {'beside':<8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'p99 / alone':>12} "
          f"{'non-2xx':>8} {'errors':>7}")
    for clients, (figures, _) in results.items():
        for name, f in figures.items():
            ratio = f["p99"] / alone[name]["p99"]
            verdict = "" if clients == 0 else ("  ok" if ratio <= 2 else "  over target")
            print(f"{name:<14} {clients} QoD    {f['p50']:>8.2f} {f['p99']:>8.2f} {f['rps']:>8.0f} {ratio:>11.2f}x"
                  f" {f['non2xx']:>8} {f['errors']:>7}{verdict}")
    for clients, (_, answers) in results.items():
        if clients:
            counts = {status: answers.count(status) for status in sorted(set(answers))}
            print(f"query-of-death answers beside {clients} client(s): {counts} (503: stopped at the time limit or no "
                  "worker free for them within 5 s, "
                  "429: past the client's share)")


if __name__ == "__main__":
    main()
