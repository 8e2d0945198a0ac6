"""The one entrypoint of analytics behind the CLI, the API and the tests.

``Analytics(store, base_iri)`` answers centrality, communities, paths and ego networks
as dataclasses. It caches projections and results in memory, keyed on the content
hashes of the stored documents plus the parameters, so a changed, added or removed
document invalidates them. Centrality and communities are also kept in the store
(``save``): a later process finds a stored run of the same task over the same
documents and reads it instead of recomputing; ``save`` drops the runs that are stale.
Saving is separate from computing because a read-only store (the API's) cannot write.
"""
from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import TypeVar

import networkx as nx
from pyoxigraph import NamedNode

from kg.analytics import metrics, paths, results
from kg.analytics.lookup import find_entity
from kg.analytics.model import Community, Ego, Partition, Paths, Ranking, Run, Score, Task
from kg.analytics.params import ProjectionParams, metric_name, projection_params
from kg.analytics.projection import entity, entity_table, project
from kg.errors import NotFoundError, RequestError
from kg.store import Store

T = TypeVar("T")
CACHED = 16
ACTORS = ("Person", "Organization")  # the standard runs' projection: who acts, not where or when


class Analytics:
    """Graph analytics over one store; keep one per store to reuse its cache (threads may share it)."""

    def __init__(self, store: Store, base_iri: str):
        self.store = store
        self.base_iri = base_iri
        self._cache: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    # --- the questions ---------------------------------------------------------------------

    def centrality(self, params: ProjectionParams, metric: str, *, k: int | None = None,
                   seed: int = 0) -> Ranking:
        """Every node's value of ``metric``, highest first; ``k`` samples betweenness sources."""
        if k is not None and k < 1:
            raise RequestError(f"the betweenness sample k must be at least 1, got {k}")
        task = Task(params, metric_name(metric), k=k if metric_name(metric) == "betweenness" else None, seed=seed)
        return self._cached(("run", task), lambda: self._ranking(task))

    def communities(self, params: ProjectionParams, *, seed: int = 0, resolution: float = 1.0) -> Partition:
        """Louvain communities, largest first, members strongest first."""
        if resolution <= 0:
            raise RequestError(f"resolution must be positive, got {resolution}")
        task = Task(params, "communities", seed=seed, resolution=resolution)
        return self._cached(("run", task), lambda: self._partition(task))

    def paths(self, params: ProjectionParams, source: str, target: str, *, k: int = 1,
              evidence: int = 3) -> Paths:
        """The ``k`` shortest paths between two entities, each hop with up to ``evidence`` sentences."""
        if k < 1 or evidence < 0:
            raise RequestError(f"k must be at least 1 and evidence at least 0, got k={k}, evidence={evidence}")
        graph = self.projection(params)
        a, b = self._node(graph, source), self._node(graph, target)
        found = paths.shortest_paths(graph, a, b, k)
        return Paths(entity(graph, a), entity(graph, b), params,
                     tuple(paths.hops(self.store, graph, path, evidence) for path in found))

    def ego(self, params: ProjectionParams, center: str, *, radius: int = 1) -> Ego:
        """The entities within ``radius`` hops of ``center`` and the edges among them."""
        if radius < 1:
            raise RequestError(f"radius must be at least 1, got {radius}")
        graph = self.projection(params)
        node = self._node(graph, center)
        nodes, edges = paths.ego(graph, node, radius)
        return Ego(entity(graph, node), radius, params, tuple(entity(graph, n) for n in nodes),
                   tuple(paths.edge(self.store, graph, a, b) for a, b in edges))

    def refresh(self, years: Iterable[int]) -> Iterator[Ranking | Partition]:
        """Compute and save the standard runs, the ones pages ask for, so that nobody waits for them:
        PageRank and communities over people and organisations, and PageRank over each of ``years``."""
        actors = projection_params(ACTORS)
        standard = [lambda: self.centrality(actors, "pagerank"), lambda: self.communities(actors)]
        standard += [functools.partial(self.centrality, projection_params(ACTORS, start=f"{year}-01-01",
                                                                          end=f"{year}-12-31"), "pagerank")
                     for year in sorted(years)]
        for compute in standard:
            result = compute()
            self.save(result)
            yield result

    def save(self, result: Ranking | Partition) -> str:
        """Write a run into its own named graph and drop the stale runs; returns the run's IRI."""
        values = ([(s.entity.iri, s.value) for s in result.scores] if isinstance(result, Ranking) else
                  [(m.iri, c.index) for c in result.communities for m in c.members])
        self.store.replace_graph(NamedNode(result.run.iri), results.run_quads(result.run, values))
        self.store.drop_graphs(results.stale_runs(self.store, self._hashes()))
        self.store.flush()
        return result.run.iri

    # --- projection and cache --------------------------------------------------------------

    def projection(self, params: ProjectionParams) -> nx.Graph:
        return self._cached(("projection", params), lambda: project(self.store, params))

    def _hashes(self) -> tuple[str, ...]:
        return tuple(sorted(d.content_hash for d in self.store.documents()))

    def _cached(self, key: tuple, compute: Callable[[], T]) -> T:
        """The cached value of ``key`` or a fresh one; the lock guards the cache, not the computing,
        so a server's threads can share one instance and two may at worst compute the same value."""
        key = (self._hashes(), *key)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            self._cache.move_to_end(key)
            while len(self._cache) > CACHED:
                self._cache.popitem(last=False)
        return value

    def _node(self, graph: nx.Graph, text: str) -> str:
        iri = find_entity(self.store, text, self.base_iri)
        if iri not in graph:
            raise NotFoundError(f"{iri.removeprefix(self.base_iri)} has no edge in this projection "
                                "(check the types, edge kinds, window and min weight)")
        return iri

    # --- runs ------------------------------------------------------------------------------

    def _run(self, task: Task, graph: nx.Graph, sampled: int | None = None) -> Run:
        return Run(iri=results.run_iri(self.base_iri, task), task=task, sampled=sampled,
                   nodes=graph.number_of_nodes(), edges=graph.number_of_edges(), content_hashes=self._hashes(),
                   computed_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))

    def _fresh_stored(self, task: Task) -> tuple[Run, list[tuple[str, float]]] | None:
        stored = results.stored_run(self.store, results.run_iri(self.base_iri, task), task)
        return stored if stored and stored[0].content_hashes == self._hashes() else None

    def _ranking(self, task: Task) -> Ranking:
        stored = self._fresh_stored(task)
        if stored:
            run, values = stored
            entities = entity_table(self.store)
            return Ranking(run, tuple(Score(rank, entities[iri], value)
                                      for rank, (iri, value) in enumerate(values, start=1)))
        graph = self.projection(task.params)
        sampled = metrics.betweenness_sample(len(graph), task.k) if task.metric == "betweenness" else None
        values = metrics.centrality(graph, task.metric, k=sampled, seed=task.seed)
        ordered = metrics.ranked(values, lambda n: graph.nodes[n]["label"])
        return Ranking(self._run(task, graph, sampled), tuple(
            Score(rank, entity(graph, iri), value) for rank, (iri, value) in enumerate(ordered, start=1)))

    def _partition(self, task: Task) -> Partition:
        stored = self._fresh_stored(task)
        if stored:
            run, values = stored
            entities = entity_table(self.store)
            groups: dict[int, list] = {}
            for iri, index in values:
                groups.setdefault(int(index), []).append(entities[iri])
            return Partition(run, tuple(Community(i, tuple(m)) for i, m in sorted(groups.items())))
        graph = self.projection(task.params)
        found = metrics.communities(graph, seed=task.seed, resolution=task.resolution)
        return Partition(self._run(task, graph), tuple(
            Community(i, tuple(entity(graph, n) for n in group)) for i, group in enumerate(found)))


SHARED: dict[tuple[int, str], Analytics] = {}  # per process: one Analytics per store it opened


def in_worker(store: Store, base_iri: str, question: str, *args: object, **kwargs: object) -> object:
    """``Analytics(store, base_iri).<question>(*args, **kwargs)`` with one Analytics, and so one cache, per store
    in this process: what a server's worker processes run (kg.workers), where a stuck computation can be killed."""
    analytics = SHARED.get((id(store), base_iri))
    if analytics is None or analytics.store is not store:
        analytics = SHARED[(id(store), base_iri)] = Analytics(store, base_iri)
    return getattr(analytics, question)(*args, **kwargs)

