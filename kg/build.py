"""The one entrypoint behind the CLI, the API and the tests: documents in, graphs in the store."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.documents import Document, load_documents
from kg.errors import DocumentError, InputError
from kg.extract import make_nlp
from kg.graphing import graph_in_processes, too_long
from kg.index import entry_of, synced
from kg.rdf.namespaces import Iris
from kg.settings import Settings
from kg.store import GraphStore, StoredDocument


# Graphs written before sentences were nodes of their own (each mention repeated its
# sentence as kg:sentence); the readers no longer understand them, so they are rebuilt.
BEFORE_SENTENCE_NODES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?m a kg:Mention ; kg:sentence ?sentence } }"


@dataclass
class BuildReport:
    """What a build did, for the summary a user reads and the tests check."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[DocumentError] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)  # stored under IRIs of an older version, not rebuilt
    entities: Counter = field(default_factory=Counter)
    mentions: int = 0
    quads: int = 0
    seconds: float = 0.0


def build(paths: Iterable[str | Path], store: GraphStore, settings: Settings,
          on_document: Callable[[str], None] | None = None,
          on_start: Callable[[int], None] | None = None) -> BuildReport:
    """Extract, resolve and store every changed document under ``paths``.

    A document whose content hash is already stored under its current IRIs is skipped; a
    changed one (or one stored under an older version's IRIs, or in the form before
    sentences were nodes) replaces its old graph; one
    that cannot be read, is too long for the model, or makes the extractor fail is
    reported in ``report.failed`` and the rest still build. Only the store failing (no
    space left, say) ends a build, with what was written so far kept.
    ``on_start`` gets the number of documents to extract, ``on_document`` each name done.
    """
    started = time.perf_counter()
    report = BuildReport()
    iris = Iris(settings.base_iri)
    documents = readable(load_documents(paths), report)
    old_form = {row["g"].value for row in store.query(BEFORE_SENTENCE_NODES)}
    stored = {document.name: document for document in store.documents()}
    index = synced(store, stored.values())  # each document goes into the search index right after the store
    owners = {document.graph: name for name, document in stored.items()}
    pending = []
    for document in documents:
        graph = iris.graph(document.name).value
        if current(stored.get(document.name), document, graph) and graph not in old_form:
            report.unchanged.append(document.name)
        elif owners.setdefault(graph, document.name) != document.name:
            report.failed.append(DocumentError(document.name, f"its graph IRI {graph} is taken by the document "
                                               f"{owners[graph]!r} (a digest collision); rename one"))
        else:
            pending.append(document)
    if pending:
        max_length = make_nlp(settings.model, settings.gazetteer).max_length
        pending = [document for document in pending if fits(document, max_length, report)]
    if on_start:
        on_start(len(pending))
    if pending:
        for graphed in graph_in_processes(pending, settings):
            name = graphed.document.name
            if graphed.error is not None:
                report.failed.append(graphed.error)
                continue
            previous = stored.get(name)
            store.replace_graph(iris.graph(name), graphed.quads,
                                replacing=ox.NamedNode(previous.graph) if previous else None)
            index.put(entry_of(store, StoredDocument(name, iris.graph(name).value, graphed.document.content_hash)))
            report.built.append(name)
            report.entities.update(graphed.entities)
            report.mentions += graphed.mentions
            report.quads += len(graphed.quads)
            if on_document:
                on_document(name)
        store.flush()
    index.close()
    built = set(report.built)
    report.outdated = sorted(name for name, document in stored.items()
                             if name not in built and document.graph != iris.graph(name).value)
    report.seconds = time.perf_counter() - started
    return report


def remove(store: GraphStore, names: Iterable[str]) -> Iterator[StoredDocument]:
    """Delete the named documents from the store and its search index, one by one (NotFoundError for an unknown name)."""
    with synced(store, store.documents()) as index:
        for name in names:
            removed = store.remove(name)
            index.remove(name)
            yield removed


def current(stored: StoredDocument | None, document: Document, graph: str) -> bool:
    """Whether the store holds this very content in ``graph``, the graph IRI this version mints for it."""
    return stored is not None and stored.content_hash == document.content_hash and stored.graph == graph


def fits(document: Document, max_length: int, report: BuildReport) -> bool:
    """Whether the model accepts the text; if not, report it."""
    error = too_long(document, max_length)
    if error is not None:
        report.failed.append(error)
    return error is None


def readable(loaded: Iterable[Document | DocumentError], report: BuildReport) -> list[Document]:
    """The documents that could be read, each name once; the rest go to ``report.failed``."""
    documents: dict[str, Document] = {}
    for item in loaded:
        if isinstance(item, DocumentError):
            report.failed.append(item)
        elif item.name in documents:
            report.failed.append(DocumentError(item.name, "a second document with this name in the same "
                                               "build; names identify documents, so rename one"))
        else:
            documents[item.name] = item
    if not documents and not report.failed:
        raise InputError("no documents found (supported: .txt, .html, .jsonl)")
    return list(documents.values())
