"""Documents in, each document's graph out: the one code path of every build engine.

The embedded build (in one process or a pool of them) and the Spark engine's executors all
call ``graph_documents``: the spaCy pipeline with our components, then resolution, facts and
the mapping to quads. The pipeline loads once per process (``make_nlp`` is cached), so a
pool worker or a Spark executor pays its start-up once and then streams documents.
"""
from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.documents import Document
from kg.errors import DocumentError
from kg.extract import Extraction, extract, make_nlp, model_version
from kg.extract.gazetteer import load_gazetteer
from kg.facts import resolve_facts
from kg.rdf.mapping import document_quads
from kg.rdf.namespaces import Iris
from kg.resolve import resolve
from kg.settings import Settings


@dataclass
class Graphed:
    """One document's outcome: its quads (in its named graph) and counts, or why it has none."""

    document: Document
    quads: list[ox.Quad] = field(default_factory=list)
    error: DocumentError | None = None
    entities: Counter = field(default_factory=Counter)
    mentions: int = 0


def graph_documents(documents: Sequence[Document], settings: Settings) -> Iterator[Graphed]:
    """Each document's graph, in order; a document the extractor or mapping fails on carries its error."""
    iris = Iris(settings.base_iri)
    nlp = make_nlp(settings.model, settings.gazetteer)
    gazetteer = load_gazetteer(settings.gazetteer)
    model = model_version(nlp)
    for item in extractions(documents, settings):
        if isinstance(item, Graphed):
            yield item
            continue
        try:
            resolved = resolve(item, gazetteer)
            quads = document_quads(resolved, resolve_facts(item, resolved), iris, model)
        except Exception as error:  # noqa: BLE001  one document's failure must not end the build
            yield Graphed(item.document, error=DocumentError(item.document.name, f"cannot be turned into RDF: {error!r}"))
            continue
        yield Graphed(item.document, quads, entities=Counter(e.kind for e in resolved.entities),
                      mentions=len(resolved.links) + len(resolved.unresolved_dates))


def too_long(document: Document, max_length: int) -> DocumentError | None:
    """Why the model refuses the text (spaCy refuses texts over nlp.max_length), or None if it fits."""
    if len(document.text) <= max_length:
        return None
    return DocumentError(document.name, f"{len(document.text):,} characters, over the model's "
                         f"limit of {max_length:,} (spaCy's nlp.max_length); split it")


def extractions(documents: Sequence[Document], settings: Settings) -> Iterator[Extraction | Graphed]:
    """Each document's extraction in order, or a failed ``Graphed`` for one the extractor fails on.

    Documents go through spaCy in batches, and an error ends a batch without saying which
    document caused it, so the documents of the failed batch are retried one at a time.
    """
    options = {"model": settings.model, "gazetteer": settings.gazetteer}
    done = 0
    while done < len(documents):
        try:
            for extraction in extract(documents[done:], batch_size=settings.batch_size, **options):
                done += 1
                yield extraction
        except Exception:  # noqa: BLE001  retried below, one document at a time
            for document in documents[done:done + settings.batch_size]:
                done += 1
                try:
                    yield from extract([document], **options)
                except Exception as error:  # noqa: BLE001
                    yield Graphed(document, error=DocumentError(document.name, f"the extractor failed: {error!r}"))


# --- several processes ------------------------------------------------------------------

def graph_in_processes(documents: Sequence[Document], settings: Settings) -> Iterator[Graphed]:
    """``graph_documents`` over ``settings.processes`` worker processes, results in document order.

    Each worker loads the pipeline once and takes chunks of ``batch_size`` documents; the
    quads come back as N-Quads (one serialisation, parsed in Rust), so the parent only
    writes. On Linux the workers fork from a parent that has the pipeline loaded already.
    """
    if settings.processes == 1 or len(documents) <= settings.batch_size:
        yield from graph_documents(documents, settings)
        return
    chunks = [documents[i:i + settings.batch_size] for i in range(0, len(documents), settings.batch_size)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(settings.processes, initializer=_load_pipeline, initargs=(settings,)) as pool:
        for results in pool.imap(_graph_chunk, [(chunk, settings) for chunk in chunks]):
            for graphed, nquads in results:
                graphed.quads = list(ox.parse(nquads, ox.RdfFormat.N_QUADS)) if nquads else []
                yield graphed


def _load_pipeline(settings: Settings) -> None:
    make_nlp(settings.model, settings.gazetteer)


def _graph_chunk(job: tuple[Sequence[Document], Settings]) -> list[tuple[Graphed, bytes]]:
    chunk, settings = job
    results = []
    for graphed in graph_documents(chunk, settings):
        nquads = ox.serialize(graphed.quads, format=ox.RdfFormat.N_QUADS) if graphed.quads else b""
        graphed.quads = []
        results.append((graphed, nquads))
    return results
