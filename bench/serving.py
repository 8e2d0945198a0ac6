"""`kg serve` beside the Oxigraph server on the same store, both driven by wrk, in one run.

    python bench/serving.py --store build/bench/store [--documents 5000] [--seconds 10]

The store at ``--store`` is reused when it exists (whatever its size: the run says how
many documents it holds); otherwise ``--documents`` documents are written by
bench/corpus.py and built into it with `kg build --processes 2` (about a second a
document a core: start it early, or build it apart and pass its path). Then, side by
side on the same files: `kg serve` (its time from start to answering /health is
"ready") and `oxigraph serve-read-only --location STORE` (pip package oxigraph).

wrk (8 connections, --latency) drives: a SPARQL point query (one entity's outgoing
triples) on both servers, giving req/s and their ratio; the entity page (JSON) and
neighbourhood of the most-mentioned entity, a document page, /search and /health on
`kg serve`, giving p99. A heavy query (mentions counted by entity type, a scan of every
mention) is timed on both, one request at a time, for the latency ratio. wrk is one
client, and one client's jobs may hold at most half the workers (kg.workers) with as many
more waiting: the run serves with 8 query workers and a share of 4, so that 8 connections
are all served (none refused) without changing how shares work. Targets: point query >= 1/10
of Oxigraph's req/s, heavy <= 1.3x, page p99 <= 150 ms, /health p99 <= 5 ms, ready <= 2 s.
"""
from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import requests

from kg.index import SearchIndex, index_path
from kg.rdf.namespaces import KG, RDFS, SCHEMA
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PREFIXES = f"PREFIX kg: <{KG}> PREFIX schema: <{SCHEMA}> PREFIX rdfs: <{RDFS}> "  # the Oxigraph server knows none
HEAVY = PREFIXES + "SELECT ?type (COUNT(?m) AS ?n) WHERE { ?m kg:mentionOf ?e . ?e a ?type } GROUP BY ?type"
SPARQL_JSON = "application/sparql-results+json"


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failed: int


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="store to reuse, or to build here when missing")
    parser.add_argument("--documents", type=int, default=5000, help="documents to build when the store is missing")
    parser.add_argument("--seconds", type=int, default=10, help="seconds each wrk run lasts")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not args.store.exists():
        build(args.store, args.documents)
    if not index_path(args.store).exists():
        subprocess.run([str(BIN / "kg"), "index", "rebuild", "--store", str(args.store)], check=True)
    with GraphStore(args.store) as store:  # a writable open folds a stopped build's log in: readers then open fast
        store.flush()
        index = SearchIndex.of(store)
        documents = index.document_count()
        (top, mentions), = index.most_mentioned(1)
    size = sum(f.stat().st_size for f in args.store.iterdir()) / 2**20
    print(f"store: {args.store}, {documents} documents, {size:,.0f} MiB; most mentioned: {top} ({mentions} mentions)")
    kg, base, ready = start_kg(args.store)
    oxigraph, reference = start_oxigraph(args.store)
    try:
        report(args, base, reference, top, ready)
    finally:
        for process in (kg, oxigraph):
            process.terminate()
            process.wait(timeout=30)


def build(store: Path, documents: int) -> None:
    corpus = store.parent / f"corpus-{documents}.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--documents", str(documents),
                        "--out", str(corpus)], check=True)
    subprocess.run(["nice", str(BIN / "kg"), "build", str(corpus), "--store", str(store), "--processes", "2",
                    "--quiet"], check=True)


def start_kg(store: Path) -> tuple[subprocess.Popen, str, float]:
    """`kg serve` on a free port with the client's share raised for wrk; its seconds from start to a /health answer."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN / "kg"), "serve", "--store", str(store), "--port", str(port),
                                "--query-workers", "8", "--client-concurrency", "4", "--client-budget", "1000000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/health")
    return process, base, time.perf_counter() - started


def start_oxigraph(store: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(store),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/query?query={urllib.parse.quote('ASK {}')}")
    return process, base


def report(args: argparse.Namespace, base: str, reference: str, top: str, ready: float) -> None:
    session = requests.Session()
    point = PREFIXES + f"SELECT ?p ?o WHERE {{ <{top}> ?p ?o }}"
    ours = wrk(f"{base}/sparql?query={urllib.parse.quote(point)}", SPARQL_JSON, args)
    theirs = wrk(f"{reference}/query?query={urllib.parse.quote(point)}", SPARQL_JSON, args)
    heavy_ours = latency(session, f"{base}/sparql", HEAVY)
    heavy_theirs = latency(session, f"{reference}/query", HEAVY)
    entity = page_path(session, base, top)
    document = first_document(session, base)
    word = search_word(session, base, entity)
    pages = {
        "entity page (JSON)": (f"{base}{entity}", "application/json"),
        "entity page (HTML, its profile)": (f"{base}{entity}", "text/html"),
        "neighbourhood": (f"{base}{entity}/neighbourhood", "application/json"),
        "document page (JSON)": (f"{base}/documents/{urllib.parse.quote(document)}", "application/json"),
        f"search ?q={word}": (f"{base}/search?q={urllib.parse.quote(word)}", "application/json"),
        "/health": (f"{base}/health", "application/json"),
    }
    print(f"\nkg serve ready in {ready:.2f} s (target <= 2 s)")
    print(f"SPARQL point query: kg serve {ours.requests_per_second:,.0f} req/s, oxigraph server "
          f"{theirs.requests_per_second:,.0f} req/s: {ours.requests_per_second / theirs.requests_per_second:.3f} "
          f"(target >= 0.1); p99 {ours.p99_ms:.1f} ms vs {theirs.p99_ms:.1f} ms{failures(ours, theirs)}")
    print(f"heavy query (mentions by type), median of single requests: kg serve {heavy_ours * 1000:.0f} ms, "
          f"oxigraph server {heavy_theirs * 1000:.0f} ms: {heavy_ours / heavy_theirs:.2f}x (target <= 1.3x)")
    print(f"\n{'route (wrk -c' + str(args.connections) + ')':<34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  target")
    for name, (url, accept) in pages.items():
        load = wrk(url, accept, args)
        target = "p99 <= 5 ms" if name == "/health" else "p99 <= 150 ms"
        print(f"{name:<34} {load.requests_per_second:>9,.0f} {load.p50_ms:>8.1f} {load.p99_ms:>8.1f}  {target}"
              f"{failures(load)}")


def page_path(session: requests.Session, base: str, iri: str) -> str:
    found = session.get(f"{base}/entities", params={"q": label(session, base, iri), "limit": 50}).json()["results"]
    return next(r["url"] for r in found if r["iri"] == iri)


def label(session: requests.Session, base: str, iri: str) -> str:
    query = PREFIXES + f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }} LIMIT 1"
    rows = session.get(f"{base}/sparql", params={"query": query}, headers={"Accept": SPARQL_JSON}).json()
    return rows["results"]["bindings"][0]["l"]["value"]


def first_document(session: requests.Session, base: str) -> str:
    return session.get(f"{base}/documents", params={"limit": 1}).json()["documents"][0]["id"]


def search_word(session: requests.Session, base: str, entity: str) -> str:
    """A word of the most-mentioned entity's name: a search with many hits among names and sentences."""
    name = session.get(f"{base}{entity}", headers={"Accept": "application/json"}).json()["label"]
    return name.split()[-1]


def wrk(url: str, accept: str, args: argparse.Namespace) -> Load:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s", "--latency",
                          "-H", f"Accept: {accept}", url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    failed = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed += sum(int(n) for n in errors.groups()) if errors else 0
    return Load(rate, percentile(out, "50%"), percentile(out, "99%"), failed)


def percentile(out: str, which: str) -> float:
    value, unit = re.search(rf"^\s+{re.escape(which)}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def failures(*loads: Load) -> str:
    failed = [load.failed for load in loads]
    return f"  ({' / '.join(map(str, failed))} failed requests)" if any(failed) else ""


def latency(session: requests.Session, url: str, query: str, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds + 1):
        started = time.perf_counter()
        response = session.get(url, params={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=600)
        response.raise_for_status()
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            if requests.get(url, timeout=5).ok:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.02)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()
