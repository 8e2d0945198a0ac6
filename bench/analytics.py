"""Our analytics path next to igraph's, on the same generated graphs, in one run.

    python bench/analytics.py [--nodes 50000] [--exact-nodes 5000] [--sample 50]

The graphs have planted communities (groups of 100 with a few links between groups) and
integer weights 1–5, like a co-mention graph. "Ours" is ``kg.analytics.metrics`` on a
networkx graph, as the CLI and the API run it; "igraph" is python-igraph on the same
graph, converted before timing. Prints times, the ratio ours/igraph (target ≤ 3 for
PageRank and communities), the exact-betweenness ratio, and for sampled betweenness its
time on the large graph and its Spearman rank correlation with the exact values: on the
exact graph always, and on the large graph with ``--exact-large``, where igraph computes
the exact values in a second process while the rest runs (over 5 minutes of CPU on our
2-core machine, which is why it is not the default).
If graphblas-algorithms is installed, PageRank through networkx's dispatch to it is
timed too, cold (converting the graph) and warm (networkx's cache of converted graphs).
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import time

import igraph as ig
import networkx as nx
from scipy.stats import spearmanr

from kg.analytics import metrics


def community_graph(nodes: int, seed: int, inside: float, outside: float) -> nx.Graph:
    """Groups of 100 nodes with ``inside`` neighbours in the group and ``outside`` elsewhere, on average."""
    rng = random.Random(seed)
    graph = nx.Graph()
    graph.add_nodes_from(range(nodes), label="")
    for _ in range(int(nodes * inside / 2)):
        u = rng.randrange(nodes)
        graph.add_edge(u, u - u % 100 + rng.randrange(100), weight=float(rng.randint(1, 5)))
    for _ in range(int(nodes * outside / 2)):
        graph.add_edge(rng.randrange(nodes), rng.randrange(nodes), weight=float(rng.randint(1, 5)))
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return graph


def to_igraph(graph: nx.Graph) -> ig.Graph:
    edges = list(graph.edges(data="weight"))
    return ig.Graph(n=graph.number_of_nodes(), edges=[(u, v) for u, v, _ in edges],
                    edge_attrs={"weight": [w for _, _, w in edges]})


def timed(function, rounds: int = 1) -> tuple[float, object]:
    """Median seconds over ``rounds`` calls, and the last result."""
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def exact_betweenness(edges: list[tuple[int, int]], nodes: int) -> list[float]:
    """igraph's exact betweenness, normalised as networkx does (run in a worker process)."""
    values = ig.Graph(n=nodes, edges=edges).betweenness()
    return [2 * v / ((nodes - 1) * (nodes - 2)) for v in values]


def line(name: str, ours: float, theirs: float | None = None, note: str = "") -> None:
    ratio = f"ratio {ours / theirs:6.2f}" if theirs else " " * 12
    reference = f"igraph {theirs:8.3f}s" if theirs else " " * 16
    print(f"{name:34s} ours {ours:8.3f}s  {reference}  {ratio}  {note}".rstrip(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=50_000, help="large graph (default 50000)")
    parser.add_argument("--exact-nodes", type=int, default=5_000, help="graph for exact betweenness (default 5000)")
    parser.add_argument("--sample", type=int, default=50, help="sources for sampled betweenness (default 50)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds for PageRank (median; default 3)")
    parser.add_argument("--exact-large", action="store_true",
                        help="also rank-correlate sampled betweenness with exact values on the large graph (slow)")
    args = parser.parse_args()
    started = time.perf_counter()

    sparse = community_graph(args.nodes, seed=3, inside=2, outside=1)
    pool = multiprocessing.get_context("spawn").Pool(1)
    exact_large = (pool.apply_async(exact_betweenness, (list(sparse.edges), sparse.number_of_nodes()))
                   if args.exact_large else None)

    large = community_graph(args.nodes, seed=1, inside=6, outside=1)
    large_ig = to_igraph(large)
    print(f"large graph  {large.number_of_nodes()} nodes, {large.number_of_edges()} edges (weighted, communities of 100)")
    ours, ranks = timed(lambda: metrics.centrality(large, "pagerank"), args.rounds)
    theirs, reference = timed(lambda: large_ig.pagerank(weights="weight"), args.rounds)
    agreement = max(abs(ranks[i] - reference[i]) for i in range(len(reference)))
    line("pagerank", ours, theirs, f"max |difference| {agreement:.1e}")
    graphblas_pagerank(large)

    ours, found = timed(lambda: metrics.communities(large, seed=0))
    theirs, clusters = timed(lambda: large_ig.community_multilevel(weights="weight"))
    ours_q = nx.community.modularity(large, [set(c) for c in found], weight="weight")
    line("communities (Louvain)", ours, theirs,
         f"{len(found)} vs {len(clusters)} communities, modularity {ours_q:.3f} vs {clusters.modularity:.3f}")

    small = community_graph(args.exact_nodes, seed=2, inside=3, outside=1)
    small_ig = to_igraph(small)
    print(f"exact graph  {small.number_of_nodes()} nodes, {small.number_of_edges()} edges")
    ours, exact = timed(lambda: metrics.centrality(small, "betweenness"))
    n = small.number_of_nodes()
    theirs, raw = timed(lambda: small_ig.betweenness())
    difference = max(abs(exact[i] - 2 * raw[i] / ((n - 1) * (n - 2))) for i in range(n))
    line("betweenness exact", ours, theirs, f"max |difference| {difference:.1e}")
    ours, sampled = timed(lambda: metrics.centrality(small, "betweenness", k=args.sample, seed=0))
    line(f"betweenness sampled (k={args.sample})", ours, None, f"Spearman rho vs exact {rank_correlation(sampled, exact):.3f}")

    print(f"sampled graph {sparse.number_of_nodes()} nodes, {sparse.number_of_edges()} edges")
    ours, sampled = timed(lambda: metrics.centrality(sparse, "betweenness", k=args.sample, seed=0))
    note = "no exact values (--exact-large computes them)"
    if exact_large is not None:
        waited = time.perf_counter()
        reference = dict(enumerate(exact_large.get()))
        note = (f"Spearman rho vs exact {rank_correlation(sampled, reference):.3f} "
                f"(igraph exact in a worker; waited {time.perf_counter() - waited:.0f}s more)")
    pool.close()
    line(f"betweenness sampled (k={args.sample})", ours, None, note)
    print(f"total {time.perf_counter() - started:.0f}s")


def rank_correlation(estimate: dict[int, float], exact: dict[int, float]) -> float:
    nodes = sorted(exact)
    return float(spearmanr([estimate[n] for n in nodes], [exact[n] for n in nodes]).statistic)


def graphblas_pagerank(graph: nx.Graph) -> None:
    """PageRank through networkx's backend dispatch to graphblas, when that backend is installed."""
    if "graphblas" not in nx.utils.backends.backends:
        print("pagerank via graphblas backend     not installed (pip install graphblas-algorithms)")
        return
    nx.config.warnings_to_ignore.add("cache")
    cold, _ = timed(lambda: nx.pagerank(graph, weight="weight", backend="graphblas"))
    warm, _ = timed(lambda: nx.pagerank(graph, weight="weight", backend="graphblas"), 3)
    line("pagerank via graphblas, cold", cold, None, "includes converting the graph")
    line("pagerank via graphblas, warm", warm, None, "converted graph cached by networkx")


if __name__ == "__main__":
    main()
