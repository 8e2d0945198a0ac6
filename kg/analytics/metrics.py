"""Centrality and communities on a projected graph, with networkx as the engine.

Weights are strengths (how much support an edge has), so the weighted measures are
degree, PageRank and eigenvector; betweenness and closeness count hops. Betweenness
is exact up to ``EXACT_BETWEENNESS_NODES`` nodes and sampled from ``k`` sources above
(seeded), and the run records which. Communities are networkx's Louvain, seeded, so
the same graph and seed give the same partition.
"""
from __future__ import annotations

from collections.abc import Callable

import networkx as nx

EXACT_BETWEENNESS_NODES = 5000
BETWEENNESS_SAMPLE = 1000


def betweenness_sample(nodes: int, k: int | None) -> int | None:
    """The number of sampled sources for betweenness, or None for the exact value."""
    if k is None:
        k = None if nodes <= EXACT_BETWEENNESS_NODES else BETWEENNESS_SAMPLE
    return None if k is None or k >= nodes else k


def centrality(graph: nx.Graph, metric: str, *, k: int | None = None, seed: int = 0) -> dict[str, float]:
    """One value per node; ``k`` is the betweenness sample size as from ``betweenness_sample``."""
    if graph.number_of_nodes() == 0:
        return {}
    measures: dict[str, Callable[[], dict]] = {
        "degree": lambda: dict(graph.degree()),
        "weighted_degree": lambda: dict(graph.degree(weight="weight")),
        "pagerank": lambda: nx.pagerank(graph, weight="weight"),
        "betweenness": lambda: nx.betweenness_centrality(graph, k=k, seed=seed if k else None),
        "eigenvector": lambda: nx.eigenvector_centrality(graph, weight="weight", max_iter=1000),
        "closeness": lambda: nx.closeness_centrality(graph),
    }
    return {node: float(value) for node, value in measures[metric]().items()}


def ranked(values: dict[str, float], label: Callable[[str], str]) -> list[tuple[str, float]]:
    """Nodes by value, highest first; equal values by label so the order is stable."""
    return sorted(values.items(), key=lambda item: (-item[1], label(item[0]), item[0]))


def communities(graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> list[list[str]]:
    """Louvain communities, largest first, each with its members by weighted degree."""
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    strength = dict(graph.degree(weight="weight"))
    members = [sorted(group, key=lambda n: (-strength[n], graph.nodes[n].get("label", n), n)) for group in found]
    return sorted(members, key=lambda group: (-len(group), group[0]))
