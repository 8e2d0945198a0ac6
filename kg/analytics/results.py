"""Analytics runs as RDF: each run in its own named graph, so SPARQL can sort and filter by it.

A run's graph is named by the run's IRI, ``<base>analytics/<id>``, with ``id`` a digest
of the task (metric, projection parameters, sample, seed, resolution): recomputing a
task replaces its graph. The run node carries the task as provenance and the content
hash of every document it was computed from (``kg:usedContentHash``); one node per
entity carries ``kg:entity``, ``kg:rank`` and the value (``kg:pagerank``, …,
``kg:community``). A run is stale when the stored documents' hashes differ from its own.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from kg.analytics.model import Run, Task
from kg.rdf.namespaces import KG, PROV, RDF, SCHEMA, XSD, term
from kg.store import Store

A = term(RDF, "type")
GENERATED_BY = term(PROV, "wasGeneratedBy")
PREDICATES = {"degree": "degree", "weighted_degree": "weightedDegree", "pagerank": "pagerank",
              "betweenness": "betweenness", "eigenvector": "eigenvector", "closeness": "closeness",
              "communities": "community"}


def run_iri(base_iri: str, task: Task) -> str:
    params = task.params
    key = json.dumps([task.metric, task.k, task.seed, task.resolution, params.types, params.edge_kinds,
                      str(params.start), str(params.end), params.min_weight])
    return f"{base_iri}analytics/{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def run_quads(run: Run, values: list[tuple[str, int | float]]) -> list[Quad]:
    """The run's graph: its provenance and, in rank order, (entity IRI, value) of every node."""
    node = NamedNode(run.iri)
    triples = [*provenance(node, run)]
    predicate = term(KG, PREDICATES[run.task.metric])
    for rank, (entity, value) in enumerate(values, start=1):
        result = NamedNode(f"{run.iri}/{rank}")
        triples += [(result, GENERATED_BY, node), (result, term(KG, "entity"), NamedNode(entity)),
                    (result, term(KG, "rank"), Literal(rank)), (result, predicate, Literal(value))]
    return [Quad(s, p, o, node) for s, p, o in triples]


def provenance(node: NamedNode, run: Run) -> Iterator[tuple]:
    task, params = run.task, run.task.params
    yield node, A, term(KG, "AnalyticsRun")
    yield node, term(KG, "metric"), Literal(task.metric)
    yield from ((node, term(KG, "entityType"), term(SCHEMA, kind)) for kind in params.types)
    yield from ((node, term(KG, "edgeKind"), Literal(kind)) for kind in params.edge_kinds)
    for name, day in (("windowStart", params.start), ("windowEnd", params.end)):
        if day is not None:
            yield node, term(KG, name), Literal(day.isoformat(), datatype=term(XSD, "date"))
    yield node, term(KG, "minWeight"), Literal(float(params.min_weight))
    yield node, term(KG, "seed"), Literal(task.seed)
    if task.metric == "communities":
        yield node, term(KG, "communityResolution"), Literal(float(task.resolution))
    if run.sampled is not None:
        yield node, term(KG, "sampleSize"), Literal(run.sampled)
    yield node, term(KG, "nodeCount"), Literal(run.nodes)
    yield node, term(KG, "edgeCount"), Literal(run.edges)
    yield from ((node, term(KG, "usedContentHash"), Literal(h)) for h in run.content_hashes)
    yield node, term(PROV, "generatedAtTime"), Literal(run.computed_at, datatype=term(XSD, "dateTime"))


def stored_run(store: Store, iri: str, task: Task) -> tuple[Run, list[tuple[str, float]]] | None:
    """The stored run of ``task`` and its (entity, value) pairs in rank order; None if never stored."""
    facts: dict[str, list[str]] = {}
    for row in store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{iri}> {{ <{iri}> ?p ?o }} }}"):
        facts.setdefault(row["p"].value.removeprefix(KG), []).append(row["o"].value)
    if not facts:
        return None
    sampled = facts.get("sampleSize")
    run = Run(iri=iri, task=task, sampled=int(sampled[0]) if sampled else None,
              nodes=int(facts["nodeCount"][0]), edges=int(facts["edgeCount"][0]),
              content_hashes=tuple(sorted(facts.get("usedContentHash", []))),
              computed_at=facts[PROV + "generatedAtTime"][0])
    rows = store.query(f"""SELECT ?e ?value WHERE {{ GRAPH <{iri}> {{
        ?r prov:wasGeneratedBy <{iri}> ; kg:entity ?e ; kg:rank ?rank ; kg:{PREDICATES[task.metric]} ?value }}
        }} ORDER BY ?rank""")
    return run, [(row["e"].value, float(row["value"].value)) for row in rows]


def stale_runs(store: Store, content_hashes: tuple[str, ...]) -> list[NamedNode]:
    """Runs computed from other documents than those stored now."""
    current = set(content_hashes)
    used: dict[str, set[str]] = {}
    for row in store.query("SELECT ?run ?hash WHERE { ?run a kg:AnalyticsRun OPTIONAL { ?run kg:usedContentHash ?hash } }"):
        used.setdefault(row["run"].value, set()).update([row["hash"].value] if row["hash"] else [])
    return [NamedNode(run) for run, hashes in sorted(used.items()) if hashes != current]
