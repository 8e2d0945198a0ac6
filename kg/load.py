"""`kg load DIR`: the parts a Spark build wrote, into the embedded store or a remote Graph Store.

Only each document's current version is loaded (see ``kg.parts``). Into the embedded store,
documents it does not hold go through Oxigraph's bulk loader (into their graphs and the
merged default graph), a changed one replaces its graph and its share of the merge in one
transaction as `kg build` does, and an unchanged one is skipped; then the search index is
brought in step. Into a remote server, each
document's graph is PUT (replaced) and the default graph is PUT as the merge the Spark job
computed, so loading the same directory twice leaves the server as loading it once.
"""
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.index import synced
from kg.parts import MERGED, QUADS, RUNS, Entry, complete_runs, current, entries, graph_of, triple_of
from kg.remote import GraphStoreClient
from kg.store import GraphStore


@dataclass
class LoadReport:
    loaded: int = 0
    replaced: int = 0
    unchanged: int = 0
    quads: int = 0
    seconds: float = 0.0


def latest_documents(out: Path) -> tuple[list[Path], dict[str, Entry]]:
    runs = complete_runs(out)
    if not runs:
        raise InputError(f"no complete Spark build under {out}: run `kg build --engine spark INPUT --out {out}` first")
    return runs, current(entries(runs))


def load_into_store(out: Path, store: GraphStore) -> LoadReport:
    """Bulk-load new documents, replace changed ones, skip unchanged ones."""
    started = time.perf_counter()
    runs, latest = latest_documents(out)
    stored = {document.name: document for document in store.documents()}
    report = LoadReport()
    fresh, changed = [], []
    for entry in latest.values():
        before = stored.get(entry.name)
        if before is None:
            fresh.append(entry)
        elif before.content_hash != entry.hash or before.graph != entry.graph:
            changed.append(entry)
        else:
            report.unchanged += 1
    counted = Counted(quads_of(out, fresh))
    store.bulk_load(counted)
    report.loaded, report.quads = len(fresh), counted.count
    graphs = defaultdict(list)
    for quad in quads_of(out, changed):
        graphs[quad.graph_name.value].append(quad)
    for entry in changed:
        previous = stored[entry.name].graph
        store.replace_graph(ox.NamedNode(entry.graph), graphs[entry.graph],
                            replacing=ox.NamedNode(previous) if previous != entry.graph else None)
        report.quads += len(graphs[entry.graph])
    report.replaced = len(changed)
    store.flush()
    synced(store, store.documents()).close()  # the search index holds what was loaded, as after `kg build`
    report.seconds = time.perf_counter() - started
    return report


def load_over_gsp(out: Path, client: GraphStoreClient) -> LoadReport:
    """PUT each current document's graph, then the merged default graph of the latest run."""
    started = time.perf_counter()
    runs, latest = latest_documents(out)
    report = LoadReport()
    for graph, lines in document_lines(out, list(latest.values())):
        client.put(graph, "".join(triple_of(line) + "\n" for line in lines).encode("utf-8"))
        report.loaded += 1
        report.quads += len(lines)
    merged = b"".join(part.read_bytes() for part in sorted((runs[-1] / MERGED).glob("part-*")))
    client.put(None, merged)
    report.quads += merged.count(b"\n")
    report.seconds = time.perf_counter() - started
    return report


def quads_of(out: Path, wanted: list[Entry]) -> Iterator[ox.Quad]:
    """The quads of these documents' current versions, read from their parts."""
    for part, graphs in parts_of(out, wanted).items():
        for quad in ox.parse(path=str(part), format=ox.RdfFormat.N_QUADS):
            if quad.graph_name.value in graphs:
                yield quad


def document_lines(out: Path, wanted: list[Entry]) -> Iterator[tuple[str, list[str]]]:
    """Each of these documents' graph IRI with its N-Quads lines (a document's quads are contiguous in its part)."""
    for part, graphs in parts_of(out, wanted).items():
        lines: dict[str, list[str]] = defaultdict(list)
        with part.open(encoding="utf-8") as handle:
            for line in handle:
                graph = graph_of(line)
                if graph in graphs:
                    lines[graph].append(line)
        yield from lines.items()


def parts_of(out: Path, wanted: list[Entry]) -> dict[Path, set[str]]:
    parts: dict[Path, set[str]] = defaultdict(set)
    for entry in wanted:
        parts[out / RUNS / entry.run / QUADS / entry.part].add(entry.graph)
    return parts


class Counted:
    """An iterator that counts what passes through it (the bulk loader consumes the quads)."""

    def __init__(self, items: Iterator[ox.Quad]):
        self.items, self.count = items, 0

    def __iter__(self) -> Iterator[ox.Quad]:
        for item in self.items:
            self.count += 1
            yield item
