"""`kg build --engine spark`: the embedded build's per-document work as a Spark job.

Stages, each a Spark transformation (nothing per document is gathered on the driver):
reading every input file (any Hadoop-compatible URI) into documents; one document per name,
as the embedded build keeps; skipping documents whose content hash the latest complete run
already built; graphing the rest in ``mapPartitions`` through ``kg.graphing.graph_documents``,
the code the embedded build runs, with the pipeline loaded once per executor process; and
the cross-document step. The embedded build resolves across documents by minting the same
IRI for the same entity in any document (its gazetteer entry, or its type and name) and
keeping the merged default graph: every triple any current document states, once. The
merge is here a ``distinct`` over the quads of every current document, written beside the
parts for `kg load`. See ``kg.parts`` for the layout.
"""
from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pyoxigraph as ox

from kg.documents import SUPPORTED_SUFFIXES, Document
from kg.documents.readers import documents_in
from kg.errors import ConfigError, DocumentError, InputError
from kg.extract import make_nlp
from kg.graphing import graph_documents, too_long
from kg.parts import DONE, MANIFEST, MERGED, OUTPUTS, QUADS, RUNS, Entry, graph_of, later, new_run, triple_of
from kg.rdf.namespaces import Iris
from kg.settings import Settings

DOCUMENTS_PER_PARTITION = 20  # small enough to balance the cores; the pipeline loads once per worker anyway


@dataclass
class SparkReport:
    run: str | None = None  # None: nothing was new or changed, no run written
    built: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)
    quads: int = 0
    merged_triples: int = 0
    seconds: float = 0.0


def spark_context(master: str):
    """The running SparkContext, or a new one on ``master`` (executors use this Python when local)."""
    try:
        from pyspark import SparkConf, SparkContext
    except ImportError as error:
        raise ConfigError("the Spark engine needs PySpark and a Java runtime: pip install 'newskg[spark]' "
                          "(and e.g. apt-get install openjdk-17-jre-headless)") from error
    conf = SparkConf().setAppName("newskg build").setMaster(master).set("spark.ui.enabled", "false") \
        .set("spark.ui.showConsoleProgress", "false")
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # this virtualenv's Python, not PATH's python3
    context = SparkContext.getOrCreate(conf)
    context.setLogLevel("WARN")
    return context


def build_with_spark(inputs: Iterable[str], out: str, settings: Settings, context=None) -> SparkReport:
    """Graph every new or changed document under ``inputs`` into a new run under ``out``."""
    started = time.perf_counter()
    sc = context or spark_context(settings.master)
    report = SparkReport()
    files = input_files(sc, inputs)
    earlier = complete_runs(sc, out)
    read = sc.binaryFiles(",".join(glob_escaped(uri) for uri in files),
                          minPartitions=sc.defaultParallelism).flatMap(read_documents).persist()
    errors = read.filter(lambda item: isinstance(item[1], str)).map(lambda item: item[1])
    by_name = read.filter(lambda item: isinstance(item[1], Document)).map(lambda item: (item[1].name, item))
    unique = by_name.groupByKey().flatMap(first_of_each_name)
    duplicates = unique.filter(lambda item: isinstance(item, str))
    documents = unique.filter(lambda item: isinstance(item, Document))
    if earlier:
        built_before = sc.textFile(",".join(glob_escaped(f"{run}/{MANIFEST}") for run in earlier)).map(Entry.from_json) \
            .filter(lambda entry: entry.error is None).map(lambda entry: (entry.name, entry)).reduceByKey(later) \
            .mapValues(lambda entry: entry.hash)
        joined = documents.map(lambda d: (d.name, d)).leftOuterJoin(built_before)
        pending = joined.filter(lambda pair: pair[1][0].content_hash != pair[1][1]).map(lambda pair: pair[1][0])
    else:
        pending = documents
    pending = pending.persist()
    total = documents.count()
    waiting = pending.count()
    report.unchanged = total - waiting
    failed_reading = errors.union(duplicates).collect()
    report.failed = failed_reading
    if waiting == 0:
        pending.unpersist()
        read.unpersist()
        report.seconds = time.perf_counter() - started
        return report
    run = new_run()
    report.run = run
    base = f"{out.rstrip('/')}/{RUNS}/{run}"
    partitions = max(sc.defaultParallelism, math.ceil(waiting / DOCUMENTS_PER_PARTITION))
    graphed = pending.repartition(partitions).mapPartitionsWithIndex(
        lambda index, docs: graph_partition(index, docs, settings, run)).persist()
    graphed.map(lambda pair: pair[1]).filter(bool).saveAsTextFile(f"{base}/{QUADS}")
    manifest = graphed.map(lambda pair: pair[0])
    manifest.map(Entry.to_json).saveAsTextFile(f"{base}/{MANIFEST}")
    report.built = manifest.filter(lambda entry: entry.error is None).count()
    report.quads = manifest.map(lambda entry: entry.quads).sum()
    report.failed += manifest.filter(lambda entry: entry.error is not None) \
        .map(lambda entry: f"{entry.name}: {entry.error}").collect()
    report.merged_triples = write_merged(sc, [*earlier, base], base)
    graphed.unpersist()
    pending.unpersist()
    read.unpersist()
    report.seconds = time.perf_counter() - started
    return report


def write_merged(sc, runs: list[str], base: str) -> int:
    """The merged default graph of every current document, written under ``base``; its triple count.

    A document built again in a later run is stale in the earlier one: its (graph, run) pair
    is left out (few: the documents that changed), then ``distinct`` keeps each triple once.
    """
    entries = sc.textFile(",".join(glob_escaped(f"{run}/{MANIFEST}") for run in runs)).map(Entry.from_json) \
        .filter(lambda entry: entry.error is None)
    newest = entries.map(lambda entry: (entry.name, entry)).reduceByKey(later).mapValues(lambda e: e.run)
    stale = set(entries.map(lambda entry: (entry.name, entry)).join(newest)
                .filter(lambda pair: pair[1][0].run != pair[1][1])
                .map(lambda pair: (pair[1][0].graph, pair[1][0].run)).collect())
    skip = sc.broadcast(stale)
    lines = sc.union([sc.textFile(glob_escaped(f"{run}/{QUADS}")).map(lambda line, name=run.rsplit('/', 1)[-1]: (name, line))
                      for run in runs])
    merged = lines.filter(lambda pair: (graph_of(pair[1]), pair[0]) not in skip.value) \
        .map(lambda pair: triple_of(pair[1])).distinct().persist()
    merged.saveAsTextFile(f"{base}/{MERGED}")
    count = merged.count()
    merged.unpersist()
    return count


# --- on the driver: which files --------------------------------------------------------------

def input_files(sc, inputs: Iterable[str]) -> list[str]:
    """Every supported file under ``inputs`` (local paths or Hadoop URIs), listed through Hadoop's FileSystem."""
    jvm, conf = sc._jvm, sc._jsc.hadoopConfiguration()
    files = []
    for given in inputs:
        root = jvm.org.apache.hadoop.fs.Path(str(given))
        filesystem = root.getFileSystem(conf)
        if not filesystem.exists(root):
            raise InputError(f"no such file or directory: {given}")
        root = filesystem.makeQualified(root)
        if not filesystem.getFileStatus(root).isDirectory():
            files.append(root.toString())
            continue
        listing, found = filesystem.listFiles(root, True), []
        while listing.hasNext():
            uri = listing.next().getPath().toString()
            relative = PurePosixPath(uri[len(root.toString()):].lstrip("/"))
            if relative.suffix.lower() in SUPPORTED_SUFFIXES and not any(p.startswith(".") for p in relative.parts):
                found.append(uri)
        files += sorted(found)
    if not files:
        raise InputError("no documents found (supported: .txt, .html, .jsonl)")
    return files


def complete_runs(sc, out: str) -> list[str]:
    """The URIs of the runs under ``out`` whose every output has _SUCCESS, oldest first."""
    jvm, conf = sc._jvm, sc._jsc.hadoopConfiguration()
    runs = jvm.org.apache.hadoop.fs.Path(f"{out.rstrip('/')}/{RUNS}")
    filesystem = runs.getFileSystem(conf)
    if not filesystem.exists(runs):
        return []
    found = sorted(status.getPath().toString() for status in filesystem.listStatus(runs) if status.isDirectory())
    return [run for run in found
            if all(filesystem.exists(jvm.org.apache.hadoop.fs.Path(f"{run}/{output}/{DONE}")) for output in OUTPUTS)]


def glob_escaped(uri: str) -> str:
    """A URI as one entry of Hadoop's comma-separated, globbing input list ('local[2]' is not a pattern)."""
    for special in "\\{}[]*?":
        uri = uri.replace(special, "\\" + special)
    return uri.replace(",", "?")  # a comma would split the list; '?' matches it


# --- on the executors ---------------------------------------------------------------------------

def read_documents(file: tuple[str, bytes]) -> Iterator[tuple[tuple[str, int], Document | str]]:
    """A file's documents with their place in the input (to keep the first of a name), or error texts."""
    uri, raw = file
    for number, item in enumerate(documents_in(PurePosixPath(uri).name, raw)):
        yield (uri, number), str(item) if isinstance(item, DocumentError) else item


def first_of_each_name(group: tuple[str, Iterable[tuple[tuple[str, int], Document]]]) -> Iterator[Document | str]:
    name, items = group
    ordered = sorted(items, key=lambda item: item[0])
    yield ordered[0][1]
    for _ in ordered[1:]:
        yield str(DocumentError(name, "a second document with this name in the same build; names identify "
                                      "documents, so rename one"))


def graph_partition(index: int, documents: Iterable[Document], settings: Settings,
                    run: str) -> Iterator[tuple[Entry, str]]:
    """Each document of a partition as its manifest entry and N-Quads text (empty when it failed)."""
    part = f"part-{index:05d}"
    iris = Iris(settings.base_iri)
    max_length = make_nlp(settings.model, settings.gazetteer).max_length
    fitting = []
    for document in documents:
        error = too_long(document, max_length)
        if error is None:
            fitting.append(document)
        else:
            yield entry(document, iris, run, error=error.reason), ""
    for graphed in graph_documents(fitting, settings):
        if graphed.error is not None:
            yield entry(graphed.document, iris, run, error=graphed.error.reason), ""
        else:
            text = ox.serialize(graphed.quads, format=ox.RdfFormat.N_QUADS).decode("utf-8").rstrip("\n")
            yield entry(graphed.document, iris, run, part=part, quads=len(graphed.quads)), text


def entry(document: Document, iris: Iris, run: str, **values: object) -> Entry:
    return Entry(name=document.name, hash=document.content_hash, graph=iris.graph(document.name).value,
                 run=run, **values)
