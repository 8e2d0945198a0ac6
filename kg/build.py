"""The one entrypoint behind the CLI, the API and the tests: documents in, graphs in the store."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.documents import Document, load_documents
from kg.errors import DocumentError, InputError
from kg.extract import extract, make_nlp, model_version
from kg.extract.gazetteer import load_gazetteer
from kg.facts import resolve_facts
from kg.rdf import Iris, document_quads
from kg.resolve import resolve
from kg.settings import Settings
from kg.store import GraphStore


@dataclass
class BuildReport:
    """What a build did, for the summary a user reads and the tests check."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[DocumentError] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    mentions: int = 0
    quads: int = 0
    seconds: float = 0.0


def build(paths: Iterable[str | Path], store: GraphStore, settings: Settings,
          on_document: Callable[[str], None] | None = None,
          on_start: Callable[[int], None] | None = None) -> BuildReport:
    """Extract, resolve and store every changed document under ``paths``.

    A document whose content hash is already stored is skipped; a changed one
    replaces its old graph; an unreadable one is reported and the rest still build.
    ``on_start`` gets the number of documents to extract, ``on_document`` each name done.
    """
    started = time.perf_counter()
    report = BuildReport()
    iris = Iris(settings.base_iri)
    documents = readable(load_documents(paths), report)
    stored_hashes = {stored.name: stored.content_hash for stored in store.documents()}
    pending = []
    for document in documents:
        if stored_hashes.get(document.name) == document.content_hash:
            report.unchanged.append(document.name)
        else:
            pending.append(document)
    if on_start:
        on_start(len(pending))
    if pending:
        gazetteer = load_gazetteer(settings.gazetteer)
        model = model_version(make_nlp(settings.model, settings.gazetteer))
        for extraction in extract(pending, model=settings.model, gazetteer=settings.gazetteer,
                                  processes=settings.processes, batch_size=settings.batch_size):
            resolved = resolve(extraction, gazetteer)
            facts = resolve_facts(extraction, resolved)
            quads = document_quads(resolved, facts, iris, model)
            store.replace_graph(iris.graph(extraction.document.name), quads)
            report.built.append(extraction.document.name)
            report.entities.update(e.kind for e in resolved.entities)
            report.mentions += len(resolved.links) + len(resolved.unresolved_dates)
            report.quads += len(quads)
            if on_document:
                on_document(extraction.document.name)
        store.flush()
    report.seconds = time.perf_counter() - started
    return report


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
