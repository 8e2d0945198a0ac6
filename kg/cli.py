"""The `kg` command: thin commands that parse options, call the library and print.

Every setting in ``kg.settings`` is an option of every command (and a ``KG_*``
environment variable); typed errors become one-line messages and exit codes.
"""
from __future__ import annotations

import json
import sys

import click
import pyoxigraph as ox

from kg.analytics.cli import analytics
from kg.errors import ConfigError
from kg.rdf.namespaces import PREFIXES
from kg.remote import Endpoints, RemoteStore
from kg.settings import Settings
from kg.store import FORMATS, RESULT_FORMATS, GraphStore
from kg.terminal import aligned, reports_errors, settings_options


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newskg")
def main() -> None:
    """Build and query a knowledge graph of news articles."""


main.add_command(analytics)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--analytics", "with_analytics", is_flag=True,
              help="Then compute and store the standard analytics runs (as `kg analytics refresh`).")
@click.option("--out", default=None, help="With --engine spark: the directory (or Hadoop URI) the parts and "
                                          "manifest go to, for `kg load`.")
@settings_options
@reports_errors
def build(paths: tuple[str, ...], quiet: bool, with_analytics: bool, out: str | None, settings: Settings) -> None:
    """Extract entities from PATHS (files or directories of .txt, .html, .jsonl) into the store.

    With --engine spark, PATHS may be any Hadoop-compatible URIs and the graph goes to --out.
    """
    if settings.engine == "spark":
        spark_build(paths, out, settings)
        return
    from tqdm import tqdm

    from kg.build import build as run_build

    bar: dict[str, tqdm] = {}

    def start(total: int) -> None:
        bar["b"] = tqdm(total=total, unit="doc", desc="extracting", disable=quiet or total == 0, file=sys.stderr)

    def done(name: str) -> None:
        bar["b"].update(1)

    with GraphStore(settings.store) as store:
        report = run_build(paths, store, settings, on_document=done, on_start=start)
        if with_analytics:
            from kg.analytics.cli import refresh_runs

            for result in refresh_runs(store, settings):
                click.echo(f"stored {result.run.task.metric} over {result.run.nodes} nodes", err=True)
    if "b" in bar:
        bar["b"].close()
    for error in report.failed:
        click.echo(f"skipped {error}", err=True)
    if report.outdated:
        click.echo(f"note: {len(report.outdated)} stored documents keep the graph IRIs of an older version, "
                   f"which could let names differing only in case or punctuation overwrite each other; build "
                   f"their sources again to move them to the current IRIs: {', '.join(report.outdated[:5])}"
                   + (", …" if len(report.outdated) > 5 else ""), err=True)
    entities = ", ".join(f"{n} {kind}" for kind, n in sorted(report.entities.items())) or "none"
    click.echo(f"documents  {len(report.built)} built, {len(report.unchanged)} unchanged, {len(report.failed)} failed")
    click.echo(f"entities   {entities}")
    click.echo(f"mentions   {report.mentions}")
    click.echo(f"quads      {report.quads} written")
    click.echo(f"seconds    {report.seconds:.1f}")
    click.echo(f"store      {settings.store}")
    if report.failed and not report.built and not report.unchanged:
        sys.exit(3)


def spark_build(paths: tuple[str, ...], out: str | None, settings: Settings) -> None:
    """`kg build --engine spark`: a Spark run under ``out`` and its summary."""
    from kg.spark import build_with_spark, spark_context

    if not out:
        raise ConfigError("--engine spark writes N-Quads parts for `kg load`: give --out DIR")
    context = spark_context(settings.master)
    try:
        report = build_with_spark(paths, out, settings, context)
    finally:
        context.stop()
    for failure in report.failed:
        click.echo(f"skipped {failure}", err=True)
    click.echo(f"documents  {report.built} built, {report.unchanged} unchanged, {len(report.failed)} failed")
    click.echo(f"quads      {report.quads} written, {report.merged_triples} triples in the merged default graph")
    click.echo(f"seconds    {report.seconds:.1f}")
    click.echo(f"run        {report.run or 'none (nothing new or changed)'} under {out}")
    if report.failed and not report.built and not report.unchanged:
        sys.exit(3)


@main.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@settings_options
@reports_errors
def load(directory: str, settings: Settings) -> None:
    """Load the parts `kg build --engine spark --out DIRECTORY` wrote into the store (or --gsp-endpoint)."""
    from pathlib import Path

    from kg.load import load_into_store, load_over_gsp
    from kg.remote import GraphStoreClient

    if settings.gsp_endpoint:
        report = load_over_gsp(Path(directory), GraphStoreClient(settings.gsp_endpoint))
        target = settings.gsp_endpoint
    else:
        with GraphStore(settings.store) as store:
            report = load_into_store(Path(directory), store)
        target = settings.store
    click.echo(f"documents  {report.loaded} loaded, {report.replaced} replaced, {report.unchanged} unchanged")
    click.echo(f"quads      {report.quads} in {report.seconds:.1f} s ({report.quads / max(report.seconds, 1e-9):.0f}/s)")
    click.echo(f"into       {target}")


@main.command()
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="File to write (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="turtle", show_default=True)
@click.option("--document", default=None, help="Export only this document's graph (its file name or JSONL id).")
@settings_options
@reports_errors
def export(out: str | None, fmt: str, document: str | None, settings: Settings) -> None:
    """Write the graph as Turtle (default), N-Quads, TriG, JSON-LD, N-Triples or RDF/XML."""
    with GraphStore(settings.store, read_only=True) as store:
        if out is None:
            store.export(sys.stdout.buffer, fmt, document)
        else:
            store.export(out, fmt, document)
            click.echo(f"wrote {out}", err=True)


@main.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output for SELECT results; CONSTRUCT/DESCRIBE print Turtle.")
@settings_options
@reports_errors
def query(sparql: str, fmt: str, settings: Settings) -> None:
    """Run a SPARQL query over all documents (prefixes schema:, kg:, rdfs:, skos:, … are predeclared)."""
    with GraphStore(settings.store, read_only=True) as store:
        results = store.query(sparql)
        if isinstance(results, ox.QueryBoolean):
            click.echo("true" if bool(results) else "false")
        elif isinstance(results, ox.QueryTriples):
            sys.stdout.buffer.write(ox.serialize(results, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
        elif fmt == "table":
            click.echo(render_table(results))
        else:
            sys.stdout.buffer.write(results.serialize(format=RESULT_FORMATS[fmt]))


def render_table(solutions: ox.QuerySolutions) -> str:
    """SELECT results as an aligned text table, IRIs shortened with the known prefixes."""
    names = [v.value for v in solutions.variables]
    return aligned(names, [[compact(row[name]) for name in names] for row in solutions])


def compact(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


@main.command()
@settings_options
@reports_errors
def stats(settings: Settings) -> None:
    """Counts: documents, entities by type, dates, mentions, triples (merged) and quads (all graphs)."""
    with GraphStore(settings.store, read_only=True) as store:
        counts = store.stats()
    click.echo(json.dumps(counts, indent=2))


@main.command()
@click.argument("names", nargs=-1, required=True)
@settings_options
@reports_errors
def remove(names: tuple[str, ...], settings: Settings) -> None:
    """Delete the facts of the named documents (file names or JSONL ids), and their search index entries."""
    from kg.build import remove as remove_documents

    with GraphStore(settings.store) as store:
        for removed in remove_documents(store, names):
            click.echo(f"removed {removed.name}")


@main.group()
def index() -> None:
    """The search index beside the store (names, aliases, sentences), which `kg build` keeps up to date."""


@index.command()
@settings_options
@reports_errors
def rebuild(settings: Settings) -> None:
    """Index every stored document again (for a store built before the index existed)."""
    from kg.index import index_path, synced

    with GraphStore(settings.store) as store:
        stored = store.documents()
        synced(store, stored, everything=True).close()
    click.echo(f"indexed {len(stored)} documents into {index_path(settings.store)}")


@main.command()
@settings_options
@reports_errors
def documents(settings: Settings) -> None:
    """List the documents in the store with their content hashes."""
    with GraphStore(settings.store, read_only=True) as store:
        for document in store.documents():
            click.echo(f"{document.name}\t{document.content_hash[:12]}")


@main.command()
@click.option("--get", "path", default=None, metavar="PATH",
              help="Answer one GET request for PATH (e.g. /health) on stdout and exit, without opening a socket.")
@settings_options
@reports_errors
def serve(path: str | None, settings: Settings) -> None:
    """Serve the HTTP API (SPARQL endpoint, entities, documents, analytics, export) with waitress until interrupted.

    From the embedded store, or from a SPARQL 1.1 server given by --sparql-endpoint (kg.remote)."""
    from api import create_app  # the web front-end; the library itself never imports Flask

    served = RemoteStore(Endpoints.from_settings(settings), timeout=settings.query_timeout, path=settings.store) \
        if settings.sparql_endpoint else GraphStore(settings.store, read_only=True)
    with served as store:
        app = create_app(settings, store)
        try:
            if path is not None:
                response = app.test_client().get(path)
                sys.stdout.buffer.write(response.get_data())
                sys.exit(0 if response.status_code < 400 else 1)
            run_server(app, settings)
        finally:
            app.extensions["newskg"].close()


def warm(app: object) -> None:
    """Render the home page once before serving, so the first visitor does not wait for the imports,
    templates and analytics projection it needs."""
    app.test_client().get("/", headers={"Accept": "text/html"})


def run_server(app: object, settings: Settings) -> None:
    """Run the API's server (waitress, with deadlines and load shedding) on the configured address, printing the URLs."""
    import signal

    from api.server import create

    server = create(app, settings)
    base = f"http://{settings.host}:{server.effective_port}"
    click.echo(f"newskg API on {base}/  (Ctrl-C stops it)")
    for path, what in (("/entities?q=raj", "search entities by name"),
                       ("/documents", "documents and what was extracted from each"),
                       ("/sparql", "SPARQL 1.1 endpoint (query=…; without it, the service description)"),
                       ("/export", "the whole graph as Turtle"),
                       ("/openapi.json", "every endpoint described"),
                       ("/health", "liveness")):
        click.echo(f"  {base}{path:<18} {what}")
    warm(app)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
