"""The store: what the kg functions and the API use of one (``Store``), and its embedded kind, an on-disk
Oxigraph database (``GraphStore``, the default). ``kg.remote.RemoteStore`` is the other kind, the same
surface over a SPARQL 1.1 server (for graphs past one machine).

Each document is one named graph; the default graph holds their merge, each triple
once, and is what queries read. (Oxigraph's own union-of-graphs option repeats a
triple once per graph that states it: counts come out inflated and aggregates slow.)
Replacing a document retires from the merge what only its old graph stated, swaps the
graph and merges the new content, all in one SPARQL update that Oxigraph applies as
one transaction: a build killed midway leaves every document either as it was or
fully replaced, and the merge in step with the graphs.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import pyoxigraph as ox

from kg.errors import FormatError, NotFoundError, QueryError, StoreError
from kg.rdf.namespaces import PREFIXES, SCHEMA
from kg.sparql import substituted

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"nquads", "trig"}
GRAPH_FORMATS = [name for name in FORMATS if name not in DATASET_FORMATS]
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
Term = ox.NamedNode | ox.BlankNode | ox.Literal
T = TypeVar("T")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
REOPEN_ATTEMPTS = 5
# Take out of the merged default graph what only ``{graph}`` states, before it goes.
RETIRE = """DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph}) }} }}"""
MERGE = "INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"


@dataclass(frozen=True)
class StoredDocument:
    name: str
    graph: str
    content_hash: str


class Store(ABC):
    """What the kg functions and the API use of a store holding one named graph per document and their merge.

    Two kinds: ``GraphStore`` (embedded Oxigraph, the default) and ``kg.remote.RemoteStore`` (a
    SPARQL 1.1 server). What the kg functions call is written once here over the few primitives
    each kind provides: ``query``, ``quads`` (a pattern), ``quad_count``, ``_write`` (an update)
    and ``in_worker`` (how a query worker opens its own handle). So a SPARQL text means the same
    on either kind, and no kg function knows which one it reads.
    """

    read_only: bool
    path: Path | None  # a local directory: the search index lives beside it (kg.index); None for no index

    @property
    def version(self) -> str | None:
        """Changes whenever anyone writes the store, for caches' validators; None when it cannot be known."""
        return None

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the graph is (a directory or a URL), for messages."""

    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              base_iri: str | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None) -> ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]:
        """Run a SPARQL query over the merged graph (each triple once), with our prefixes predeclared.

        ``GRAPH ?g`` reaches each document's own graph; a query's FROM replaces the merge.
        ``bindings`` give variables values as a VALUES block opening the WHERE group
        (kg.sparql.substituted), never pasted into the patterns. ``default_graphs`` and
        ``named_graphs`` are the SPARQL protocol's dataset and replace both the merge and the
        query's FROM. SELECT and ASK give Oxigraph's QuerySolutions and QueryBoolean,
        CONSTRUCT and DESCRIBE an iterable of triples.
        """

    @abstractmethod
    def quads(self, subject: Term | None = None, predicate: ox.NamedNode | None = None, obj: Term | None = None,
              graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]:
        """Quads matching a pattern; ``graph`` None matches every graph, the merged default one included."""

    @abstractmethod
    def quad_count(self) -> int:
        """Quads in all graphs, the merged default one included."""

    @abstractmethod
    def _write(self, update: str | None) -> None:
        """Run a SPARQL update as one transaction (or make past writes durable, for None)."""

    @abstractmethod
    def in_worker(self) -> Callable[[Any], "Store"]:
        """How a query worker (kg.workers) opens its own handle on this store: a picklable callable, called
        in the worker once it has lost the network, with the worker's pipe to its pool."""

    def relay(self, request: Any, timeout: float) -> Any:
        """Carry out, within ``timeout`` s, a request that a worker's handle cannot (it has no network)."""
        raise StoreError(f"the store at {self.location} takes no requests from its workers")

    def refresh(self) -> bool:
        """Catch up with what others wrote since the store was opened; True if it had to."""
        return False

    def close(self) -> None:
        """Release what the store holds open."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- documents ---------------------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        rows = self.query(
            "SELECT ?g ?name ?hash WHERE { GRAPH ?g { ?d a schema:NewsArticle ; schema:identifier ?name ; "
            "kg:contentHash ?hash } } ORDER BY ?name")
        return [StoredDocument(r["name"].value, r["g"].value, r["hash"].value) for r in rows]

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad], *,
                      replacing: ox.NamedNode | None = None) -> None:
        """Swap a named graph for new content, and the merge with it, in one transaction.

        ``replacing`` is the graph the same document had under another IRI (a store built
        by an older version); it goes in the same transaction.
        """
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        old = [f"{RETIRE.format(graph=replacing)} ;\nDROP SILENT GRAPH {replacing} ;\n"] \
            if replacing is not None and replacing != graph else []
        self._write("".join(old) + f"{RETIRE.format(graph=graph)} ;\nDROP SILENT GRAPH {graph} ;\n"
                    f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }} ;\n{MERGE.format(graph=graph)}")

    def remove(self, name: str) -> StoredDocument:
        """Delete one document's facts; NotFoundError if the store has no document of that name."""
        match = next((d for d in self.documents() if d.name == name), None)
        if match is None:
            raise NotFoundError(f"no document named {name!r} in {self.location}")
        self.drop_graphs([ox.NamedNode(match.graph)])
        return match

    def drop_graphs(self, graphs: Iterable[ox.NamedNode]) -> None:
        """Delete whole named graphs and what only they stated from the merge, in one transaction."""
        statements = [f"{RETIRE.format(graph=graph)} ;\nDROP SILENT GRAPH {graph}" for graph in graphs]
        if statements:
            self._write(" ;\n".join(statements))

    def flush(self) -> None:
        self._write(None)

    # --- reading --------------------------------------------------------------------------

    def answer(self, sparql: str, *, results_format: str | None, graph_format: str | None,
               max_rows: int | None = None, max_bytes: int | None = None,
               **options: object) -> tuple[str, bytes, str | None]:
        """Run a query and serialise what it returns: (format name, bytes, what was cut or None).

        Solutions and booleans come in ``results_format`` (a RESULT_FORMATS name), triples
        in ``graph_format`` (a GRAPH_FORMATS name); None means the client accepts no such
        format, a FormatError if the query turns out to need it. At most ``max_rows``
        solutions or triples are kept, and no more than about ``max_bytes``; past either,
        the answer is cut after a whole row (a JSON answer then has ``"truncated": true``)
        and the third value says where. ``options`` as for query().
        """
        results = self.query(sparql, **options)
        try:
            if not isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)):
                if graph_format is None:
                    raise FormatError("this query returns triples (CONSTRUCT/DESCRIBE); ask for one of "
                                      + ", ".join(GRAPH_FORMATS))
                triples, cut = capped(results, lambda t: len(str(t)) + 3, max_rows, max_bytes)
                return graph_format, serialize(triples, graph_format), cut
            if results_format is None:
                raise FormatError("this query returns solutions or a boolean (SELECT/ASK); ask for one of "
                                  + ", ".join(RESULT_FORMATS))
            if isinstance(results, ox.QueryBoolean):
                return results_format, results.serialize(format=RESULT_FORMATS[results_format]), None
            names = [variable.value for variable in results.variables]
            rows, cut = capped((json.dumps(solution_json(row, names), separators=(',', ':')).encode() for row in results), len,
                               max_rows, max_bytes)
            return results_format, solutions_in(results_format, names, rows, cut), cut
        except OSError as error:
            raise StoreError(f"reading the store at {self.location} failed: {error}") from error

    def triples(self, subject: Term | None = None, predicate: ox.NamedNode | None = None,
                obj: Term | None = None) -> Iterator[ox.Triple]:
        """Triples of the merged graph matching a pattern."""
        for quad in self.quads(subject, predicate, obj, ox.DefaultGraph()):
            yield quad.triple

    def export(self, output: BinaryIO | str | Path, fmt: str = "turtle", document: str | None = None) -> None:
        """Serialise the graph (or one document's graph) to a file or binary stream.

        Triple formats get the merged graph; N-Quads and TriG get each named graph with
        its name (the merge is theirs to recompute).
        """
        if fmt not in FORMATS:
            raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        graph = None
        if document is not None:
            match = next((d for d in self.documents() if d.name == document), None)
            if match is None:
                raise NotFoundError(f"no document named {document!r} in {self.location}")
            graph = ox.NamedNode(match.graph)
        if fmt in DATASET_FORMATS:
            quads = (q for q in self.quads(None, None, None, graph) if not isinstance(q.graph_name, ox.DefaultGraph))
            ox.serialize(quads, output, FORMATS[fmt], prefixes=PREFIXES)
            return
        triples = (q.triple for q in self.quads(None, None, None, graph or ox.DefaultGraph()))
        ox.serialize(triples, output, FORMATS[fmt], prefixes=PREFIXES)

    def stats(self) -> dict[str, object]:
        """Counts a user checks after a build: documents, entities by type, mentions, triples."""
        by_type = {
            row["type"].value.removeprefix(SCHEMA): int(row["n"].value)
            for row in self.query(
                "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d schema:mentions ?e . ?e a ?type "
                "FILTER(?type IN (schema:Person, schema:Organization, schema:Place, schema:Event)) } GROUP BY ?type")
        }
        dates = int(next(iter(self.query(
            "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:CalendarDate }")))["n"].value)
        mentions = int(next(iter(self.query(
            "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kg:Mention }")))["n"].value)
        return {
            "documents": len(self.documents()),
            "entities": {t: by_type.get(t, 0) for t in ("Person", "Organization", "Place", "Event")},
            "dates": dates,
            "mentions": mentions,
            "triples": int(next(iter(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value),
            "quads": self.quad_count(),
        }


class GraphStore(Store):
    """A persistent Oxigraph store holding one named graph per document."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path}: run `kg build` first")
        self._files = files_state(self.path)
        self._store = self._open()
        self._merge_older_store()

    @property
    def location(self) -> str:
        return str(self.path)

    def in_worker(self) -> Callable[[Any], "GraphStore"]:
        return partial(open_read_only, str(self.path))

    def _open(self) -> ox.Store:
        """Open the database; a read-only open retries while a writer is swapping files under it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(REOPEN_ATTEMPTS if self.read_only else 1):
            try:
                return ox.Store.read_only(str(self.path)) if self.read_only else ox.Store(str(self.path))
            except (OSError, RuntimeError) as error:  # RocksDB reports a file compacted away as RuntimeError
                failure = error
                time.sleep(0.05 * (attempt + 1))
        raise StoreError(f"cannot open the store at {self.path}: {why(failure, self.path)}") from failure

    def _merge_older_store(self) -> None:
        """A store written before the merged default graph existed gets it on its first writable open."""
        if self._store.query("ASK { ?s ?p ?o }") or not self._store.query("ASK { GRAPH ?g { ?s ?p ?o } }"):
            return
        if self.read_only:
            raise StoreError(f"the store at {self.path} predates the merged default graph: open it once for "
                             "writing (e.g. `kg build` or `kg stats` without a server running) to upgrade it")
        self._write("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def refresh(self) -> bool:
        """Reopen a read-only store whose files changed on disk; True if it did.

        A read-only Oxigraph store sees the database as it was when opened. A server
        calls this before each request so that what `kg build` wrote meanwhile shows up;
        a writable store sees its own writes and never needs it.
        """
        if not self.read_only:
            return False
        files = files_state(self.path)
        if files == self._files:
            return False
        self._store = self._open()
        self._files = files
        return True

    @property
    def version(self) -> str:
        """Changes whenever anyone writes the store (as far as this reader has refreshed): for caches' validators."""
        return hashlib.sha256(repr(sorted(self._files)).encode()).hexdigest()[:20]

    def close(self) -> None:
        """Release the database lock (the store closes when garbage-collected otherwise)."""
        self.__dict__.pop("_store", None)

    def bulk_load(self, quads: Iterable[ox.Quad]) -> None:
        """Load many quads fast (benchmarks, imports): into their graphs and the merge.

        Not one transaction (Oxigraph's bulk loader writes directly): for loads that can
        simply be repeated from scratch if interrupted.
        """
        self._store.bulk_extend(q for quad in quads for q in (quad, ox.Quad(quad.subject, quad.predicate, quad.object)))

    def _write(self, update: str | None) -> None:
        """Run an update (or flush, for None); a failure says why in terms a user can act on."""
        try:
            self._store.update(update) if update is not None else self._store.flush()
        except OSError as error:
            raise StoreError(f"cannot write to the store at {self.path}: {why(error, self.path)}") from error

    # --- reading --------------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              base_iri: str | None = None, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None):
        dataset: dict[str, object] = {}
        if default_graphs is not None:
            dataset["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
        if named_graphs is not None:
            dataset["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        values = {name: term for name, term in (bindings or {}).items() if not isinstance(term, ox.BlankNode)}
        blank = {ox.Variable(name): node for name, node in (bindings or {}).items() if name not in values}
        try:  # a blank node is this store's own: it can only be substituted, not written into the text
            return self._store.query(substituted(sparql, values), prefixes=PREFIXES, base_iri=base_iri,
                                     substitutions=blank or None, **dataset)
        except SyntaxError as error:
            raise QueryError(f"malformed SPARQL: {error}") from error

    def quads(self, subject: Term | None = None, predicate: ox.NamedNode | None = None, obj: Term | None = None,
              graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(subject, predicate, obj, graph)

    def quad_count(self) -> int:
        return len(self._store)


def open_read_only(path: str, _pipe: object = None) -> GraphStore:
    """A query worker's own handle on an embedded store (it needs nothing from its pipe)."""
    return GraphStore(path, read_only=True)


def why(error: Exception, path: Path) -> str:
    """The cause of a failed open or write: no space left, another writer's lock, or RocksDB's own words."""
    text = str(error)
    if "No space left" in text or getattr(error, "errno", None) == errno.ENOSPC:
        usage = shutil.disk_usage(path if path.exists() else path.parent)
        return (f"no space left on the device holding it ({usage.free / 2**20:.1f} MiB free of "
                f"{usage.total / 2**20:.1f} MiB); free some space and run the command again (every document "
                "written before stays whole)")
    if "LOCK" in text:
        return f"another process has it open for writing (another `kg build`, `kg remove` or `kg analytics`?): {text}"
    return text


def capped(items: Iterable[T], size: Callable[[T], int], max_items: int | None,
           max_bytes: int | None) -> tuple[list[T], str | None]:
    """The first items up to ``max_items`` and ``max_bytes`` (by ``size``), and which limit cut them, if one did."""
    kept: list[T] = []
    total = 0
    for item in items:
        if max_items is not None and len(kept) >= max_items:
            return kept, f"max_result_rows={max_items}"
        total += size(item)
        if max_bytes is not None and total > max_bytes:
            return kept, f"max_result_bytes={max_bytes}"
        kept.append(item)
    return kept, None


def solution_json(solution: ox.QuerySolution, names: list[str]) -> dict:
    """One solution as a SPARQL 1.1 JSON results binding."""
    return {name: term_json(solution[name]) for name in names if solution[name] is not None}


def term_json(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject), "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    if term.datatype.value != XSD_STRING:
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    return {"type": "literal", "value": term.value}


def solutions_in(fmt: str, names: list[str], rows: list[bytes], cut: str | None) -> bytes:
    """Solutions (each a JSON binding) in a RESULT_FORMATS format: JSON as is, the others by Oxigraph's serialisers."""
    head = b'{"head":{"vars":%s},"results":{"bindings":[%s]}' % (json.dumps(names).encode(), b",".join(rows))
    if fmt == "json":
        return head + (b',"truncated":true}' if cut else b"}")
    return ox.parse_query_results(head + b"}", ox.QueryResultsFormat.JSON).serialize(format=RESULT_FORMATS[fmt])


def serialize(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """Triples as bytes in one of GRAPH_FORMATS, with our prefixes where the format has them."""
    return ox.serialize(triples, format=FORMATS[fmt], prefixes=PREFIXES)


def files_state(path: Path) -> frozenset[tuple[str, int, int]]:
    """Name, size and modification time of the store's data files: they change when anyone writes.

    RocksDB's info logs (LOG*) are left out: opening a store read-only rewrites them. A file
    a writer deletes while we look is simply not there.
    """
    if not path.is_dir():
        return frozenset()
    state = set()
    for entry in os.scandir(path):
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue
        if not entry.name.startswith("LOG"):
            state.add((entry.name, stat.st_size, stat.st_mtime_ns))
    return frozenset(state)
