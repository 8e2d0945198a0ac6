"""The same SPARQL queries through our HTTP endpoint, straight pyoxigraph and an rdflib in-memory graph, in one run.

    python bench/sparql.py [--triples 1000000] [--rounds 30]

Builds seeds/ once, then generates a graph of at least ``--triples`` distinct triples by
re-minting the seeds' documents, graphs and mentions under many copies (the entities
stay shared, as in a real corpus about the same actors), loads it into an on-disk
store with GraphStore.bulk_load (document graphs plus their merged default graph), and
times three queries on each engine:

- point lookup: one entity's outgoing triples;
- neighbourhood: entities co-mentioned with one entity (two hops through documents);
- aggregate: mentions counted by entity type (a scan of every mention).

HTTP is `kg serve` in its own process, asked with a keep-alive client for SPARQL JSON
results; straight pyoxigraph is Store.query plus serialising the same JSON (both sides
then parse the JSON to count rows), on the same store files; rdflib is Graph.query on
every distinct triple held in memory, its rows listed. Each median is over --rounds runs, fewer
(at least 3) once a query has used 15 s, one if its warm-up alone did; the server's
query timeout is raised to 900 s so that slow queries finish. Prints medians and ratios (targets: HTTP <= 1.5x
pyoxigraph on point lookups, pyoxigraph >= 30x faster than rdflib on the aggregate).
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import requests
from rdflib import Graph

from kg.build import build
from kg.rdf.namespaces import PREFIXES
from kg.settings import Settings
from kg.store import GraphStore

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
BASE = Settings().base_iri
RAJAVI = f"{BASE}person/maryam-rajavi"
QUERIES = {
    "point lookup": f"SELECT ?p ?o WHERE {{ <{RAJAVI}> ?p ?o }}",
    "neighbourhood": f"SELECT DISTINCT ?other WHERE {{ ?d schema:mentions <{RAJAVI}> , ?other }}",
    "aggregate": "SELECT ?type (COUNT(?m) AS ?n) WHERE { ?m kg:mentionOf ?e . ?e a ?type } GROUP BY ?type",
}
COPIED = tuple(f"{BASE}{kind}/" for kind in ("document", "graph", "mention"))
IDENTIFIER = ox.NamedNode("https://schema.org/identifier")


def seed_quads(work: Path) -> list[ox.Quad]:
    settings = Settings(store=str(work / "seeds"))
    with GraphStore(settings.store) as store:
        build([SEEDS], store, settings)
        buffer = io.BytesIO()
        store.export(buffer, "nquads")
    return list(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS))


def copy_of(quads: list[ox.Quad], n: int) -> Iterator[ox.Quad]:
    """The seeds' quads with their documents, graphs and mentions re-minted as copy ``n``."""
    def term(t):
        if isinstance(t, ox.NamedNode) and t.value.startswith(COPIED):
            kind, _, rest = t.value[len(BASE):].partition("/")
            return ox.NamedNode(f"{BASE}{kind}/c{n}/{rest}")
        return t

    for q in quads:
        obj = ox.Literal(f"c{n}/{q.object.value}") if q.predicate == IDENTIFIER else term(q.object)
        yield ox.Quad(term(q.subject), q.predicate, obj, term(q.graph_name))


def generate(work: Path, target: int) -> tuple[Path, bytes, int, int]:
    """The on-disk store (one graph per document) and its distinct triples as N-Triples (>= ``target``)."""
    quads = seed_quads(work)
    shared = {ox.Triple(q.subject, q.predicate, q.object) for q in quads
              if not any(isinstance(t, ox.NamedNode) and t.value.startswith(COPIED) for t in (q.subject, q.object))
              and q.predicate != IDENTIFIER}
    per_copy = len({ox.Triple(q.subject, q.predicate, q.object) for q in quads}) - len(shared)
    copies = -(-(target - len(shared)) // per_copy)
    path = work / "big"
    with GraphStore(path) as store:
        for n in range(copies):
            store.bulk_load(copy_of(quads, n))
        store.flush()
        buffer = io.BytesIO()
        store.export(buffer, "ntriples")
        quad_count = store.stats()["quads"]
    return path, buffer.getvalue(), copies, quad_count


def timed(run: Callable[[], int], rounds: int, budget: float = 15.0) -> tuple[float, int]:
    """Median seconds over ``rounds`` after one warm-up (fewer, at least 3, past ``budget`` s), and the row count.

    A query whose warm-up alone took longer than ``budget`` is timed by that one run.
    """
    start = time.perf_counter()
    rows = run()
    first = time.perf_counter() - start
    if first > budget:
        return first, rows
    times: list[float] = []
    while len(times) < rounds and (len(times) < 3 or sum(times) < budget):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def serve(path: Path) -> tuple[subprocess.Popen, str]:
    kg = Path(sys.executable).parent / "kg"
    process = subprocess.Popen([str(kg), "serve", "--store", str(path), "--port", "0", "--query-timeout", "900"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = process.stdout.readline().split()[3].rstrip("/")
    return process, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="distinct triples to generate (default 1M)")
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds for HTTP and pyoxigraph (default 30)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        started = time.perf_counter()
        path, triples, copies, quads = generate(Path(tmp), args.triples)
        graph = Graph().parse(data=triples, format="nt")
        print(f"graph: {len(graph)} distinct triples, {quads} quads ({copies} copies of seeds/), "
              f"generated and loaded in {time.perf_counter() - started:.0f} s")
        raw = ox.Store.read_only(str(path))
        process, url = serve(path)
        session = requests.Session()
        try:
            engines = {
                "http": lambda q: lambda: http(session, url, q),
                "pyoxigraph": lambda q: lambda: straight(raw, q),
                "rdflib": lambda q: lambda: len(list(graph.query(q, initNs=PREFIXES))),
            }
            print(f"{'query':<15}{'HTTP endpoint':>16}{'pyoxigraph':>14}{'rdflib memory':>16}"
                  f"{'HTTP/pyox':>11}{'rdflib/pyox':>13}   rows http/pyox/rdflib")
            for name, query in QUERIES.items():
                results = {engine: timed(make(query), args.rounds) for engine, make in engines.items()}
                (h, hr), (o, orows), (r, rr) = (results[e] for e in ("http", "pyoxigraph", "rdflib"))
                print(f"{name:<15}{h * 1000:>13.2f} ms{o * 1000:>11.2f} ms{r * 1000:>13.1f} ms"
                      f"{h / o:>10.2f}x{r / o:>12.1f}x   {hr}/{orows}/{rr}")
        finally:
            process.terminate()
            process.wait()
    print("targets: HTTP/pyox <= 1.5x on point lookup; rdflib/pyox >= 30x on aggregate")


def http(session: requests.Session, url: str, query: str) -> int:
    response = session.get(url + "/sparql", params={"query": query},
                           headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return len(response.json()["results"]["bindings"])


def straight(store: ox.Store, query: str) -> int:
    results = store.query(query, prefixes=PREFIXES)
    return len(json.loads(results.serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"])


if __name__ == "__main__":
    main()
