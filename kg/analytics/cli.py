"""`kg analytics …`: thin commands that parse options, call ``Analytics`` and print.

Centrality and communities are saved into the store as runs (so SPARQL can read them);
a run already stored for the same task over the same documents is read, not recomputed.
"""
from __future__ import annotations

import csv
import functools
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import click

from kg.analytics import EDGE_KINDS, KINDS, METRICS, Analytics, as_json, projection_params
from kg.analytics.render import describe, rows
from kg.errors import StoreError
from kg.settings import Settings
from kg.store import GraphStore
from kg.terminal import aligned, reports_errors, settings_options

TABLE_WIDTH = 110


def projection_options(command: Callable) -> Callable:
    """The projection's options; the command receives a ``params`` argument."""
    @functools.wraps(command)
    def wrapper(types: tuple[str, ...], edges: tuple[str, ...], start: str | None, end: str | None,
                min_weight: float, **kwargs: object) -> object:
        return command(params=projection_params(types, edges, start, end, min_weight), **kwargs)

    options = [
        click.option("--type", "types", multiple=True, type=click.Choice(KINDS, case_sensitive=False),
                     help="Entity types to project (repeatable; default all)."),
        click.option("--edge", "edges", multiple=True, type=click.Choice(EDGE_KINDS, case_sensitive=False),
                     help="Edge kinds to project (repeatable; default all)."),
        click.option("--from", "start", default=None, metavar="YYYY-MM-DD",
                     help="Window start: keep facts dated on or after (event dates, else publication dates)."),
        click.option("--to", "end", default=None, metavar="YYYY-MM-DD", help="Window end (inclusive)."),
        click.option("--min-weight", type=float, default=1.0, show_default=True,
                     help="Drop edges with less support (sentences and statements)."),
        click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                     show_default=True),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def analytics_command(command: Callable) -> Callable:
    """Settings, projection options and typed errors around a command of the group."""
    return analytics.command()(reports_errors(projection_options(settings_options(command))))


@click.group()
def analytics() -> None:
    """Centrality, communities, paths and ego networks of the entity graph."""


@analytics_command
@click.option("--metric", type=click.Choice(METRICS), default="pagerank", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Rows to print.")
@click.option("--k", "k", type=click.IntRange(min=1), default=None,
              help="Betweenness: sample this many sources (default: exact up to 5000 nodes, else 1000).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of sampled betweenness.")
def centrality(params, metric: str, top: int, k: int | None, seed: int, fmt: str, settings: Settings) -> None:
    """Rank entities by a centrality metric; the full ranking is saved in the store."""
    with writable(settings) as store:
        service = Analytics(store, settings.base_iri)
        ranking = service.centrality(params, metric, k=k, seed=seed)
        service.save(ranking)
    emit(replace(ranking, scores=ranking.scores[:top]), fmt)


@analytics_command
@click.option("--seed", type=int, default=0, show_default=True, help="Louvain seed (same seed, same partition).")
@click.option("--resolution", type=float, default=1.0, show_default=True,
              help="Louvain resolution: above 1 gives smaller communities.")
def communities(params, seed: int, resolution: float, fmt: str, settings: Settings) -> None:
    """Group entities into Louvain communities; the partition is saved in the store."""
    with writable(settings) as store:
        service = Analytics(store, settings.base_iri)
        partition = service.communities(params, seed=seed, resolution=resolution)
        service.save(partition)
    emit(partition, fmt)


@analytics_command
@click.argument("source")
@click.argument("target")
@click.option("--k", "k", type=click.IntRange(min=1), default=1, show_default=True, help="Shortest paths to list.")
@click.option("--evidence", type=click.IntRange(min=0), default=2, show_default=True,
              help="Sentences to show per hop.")
def path(params, source: str, target: str, k: int, evidence: int, fmt: str, settings: Settings) -> None:
    """How SOURCE connects to TARGET (each an IRI, an IRI tail like person/maryam-rajavi, or a name)."""
    with GraphStore(settings.store, read_only=True) as store:
        found = Analytics(store, settings.base_iri).paths(params, source, target, k=k, evidence=evidence)
    if not found.paths and fmt == "table":
        click.echo(f"no path between {found.source.label} and {found.target.label} in this projection")
        return
    emit(found, fmt)


@analytics_command
@click.argument("center")
@click.option("--radius", type=click.IntRange(min=1), default=1, show_default=True, help="Hops from CENTER.")
def ego(params, center: str, radius: int, fmt: str, settings: Settings) -> None:
    """The entities within --radius hops of CENTER and the edges among them."""
    with GraphStore(settings.store, read_only=True) as store:
        network = Analytics(store, settings.base_iri).ego(params, center, radius=radius)
    emit(network, fmt)


@analytics.command()
@settings_options
@reports_errors
def refresh(settings: Settings) -> None:
    """Compute and store the standard runs the pages show (PageRank and communities over people and
    organisations; PageRank for each year the documents were published), so that nobody waits for them."""
    with writable(settings) as store:
        for result in refresh_runs(store, settings):
            click.echo(describe(result.run))


def refresh_runs(store: GraphStore, settings: Settings) -> Iterator:
    """The standard runs over ``store``, each saved in it as it is computed."""
    years = store.query("SELECT DISTINCT (YEAR(?date) AS ?year) WHERE { ?doc schema:datePublished ?date }")
    return Analytics(store, settings.base_iri).refresh(int(row["year"].value) for row in years if row["year"])


def writable(settings: Settings) -> GraphStore:
    """The store, opened for writing results; it must have been built."""
    if not Path(settings.store).exists():
        raise StoreError(f"no store at {settings.store}: run `kg build` first")
    return GraphStore(settings.store)


def emit(result, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(as_json(result), indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        header, body = rows(result)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows([header, *body])
        return
    if hasattr(result, "run"):
        click.echo(describe(result.run))
    click.echo(aligned(*rows(result, width=TABLE_WIDTH)))
