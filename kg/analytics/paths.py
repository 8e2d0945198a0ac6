"""How two entities connect: the k shortest paths by hops, each hop with its evidence.

A hop's evidence is the sentences that support it in the documents of its edge: for a
co-mention, the sentences naming both entities; for an explicit relation, the sentence
of its reified statement (``rdf:Statement`` with ``kg:inSentence``), through an
intermediate role or quotation node where the contract has one.
"""
from __future__ import annotations

from itertools import islice

import networkx as nx

from kg.analytics.model import Edge, Evidence
from kg.analytics.projection import entity
from kg.rdf.namespaces import SCHEMA
from kg.rdf.sentences import words
from kg.store import Store

# The predicate of a reified statement → the edge kind it supports.
STATEMENT_KINDS = {
    **{SCHEMA + p: "affiliation" for p in ("memberOf", "worksFor", "affiliation")},
    SCHEMA + "founder": "founder",
    **{SCHEMA + p: "family" for p in ("parent", "children", "spouse", "sibling", "relatedTo")},
    **{SCHEMA + p: "participation" for p in ("attendee", "performer")},
    SCHEMA + "organizer": "organizer",
    SCHEMA + "location": "location",
    SCHEMA + "containedInPlace": "containment",
    **{SCHEMA + p: "quote" for p in ("creator", "about")},
}

# The sentence ?in: its document and its words.
SENTENCE = ("?in kg:inDocument ?doc ; kg:startOffset ?start ; kg:endOffset ?end . ?doc schema:text ?text . "
            f"BIND({words('?text', '?start', '?end')} AS ?sentence)")


def shortest_paths(graph: nx.Graph, source: str, target: str, k: int) -> list[list[str]]:
    """Up to ``k`` simple paths, shortest first; none when the two are not connected."""
    try:
        return list(islice(nx.shortest_simple_paths(graph, source, target), k))
    except nx.NetworkXNoPath:
        return []


def hops(store: Store, graph: nx.Graph, path: list[str], limit: int) -> tuple[Edge, ...]:
    """The edges along ``path``, each with up to ``limit`` evidence sentences."""
    return tuple(edge(store, graph, a, b, limit) for a, b in zip(path, path[1:]))


def edge(store: Store, graph: nx.Graph, a: str, b: str, limit: int = 0) -> Edge:
    data = graph.edges[a, b]
    documents = graph.graph["documents"]
    found = evidence(store, a, b, data["kinds"], set(data["documents"]), documents) if limit else []
    return Edge(source=entity(graph, a), target=entity(graph, b), weight=data["weight"], kinds=data["kinds"],
                documents=tuple(documents[d] for d in data["documents"]), evidence=tuple(found[:limit]))


def evidence(store: Store, a: str, b: str, kinds: dict[str, int], docs: set[str],
             names: dict[str, str]) -> list[Evidence]:
    """Sentences supporting the edge a–b of the given kinds, only from the edge's documents."""
    found: list[Evidence] = []
    if "comention" in kinds:
        rows = store.query(f"""SELECT DISTINCT ?doc ?start ?sentence WHERE {{
            ?m1 kg:mentionOf <{a}> ; kg:inSentence ?in . ?m2 kg:mentionOf <{b}> ; kg:inSentence ?in .
            {SENTENCE} }} ORDER BY ?doc ?start""")
        found += [Evidence("comention", names[r["doc"].value], r["sentence"].value)
                  for r in rows if r["doc"].value in docs]
    rows = store.query(f"""SELECT DISTINCT ?doc ?p ?sentence ?method ?confidence WHERE {{
        VALUES (?x ?y) {{ (<{a}> <{b}>) (<{b}> <{a}>) }}
        {{ ?st rdf:subject ?x ; rdf:object ?y }}
        UNION {{ ?st rdf:subject ?x ; rdf:object ?mid . ?mid a ?via ; !(rdf:type|^rdf:type) ?y }}
        UNION {{ ?st rdf:subject ?mid ; rdf:object ?x . ?mid a ?via ; !(rdf:type|^rdf:type) ?y }}
        FILTER(!BOUND(?via) || ?via IN (schema:OrganizationRole, schema:Quotation))
        ?st a rdf:Statement ; rdf:predicate ?p ; kg:inSentence ?in . {SENTENCE}
        OPTIONAL {{ ?st kg:method ?method }} OPTIONAL {{ ?st kg:confidence ?confidence }}
        }} ORDER BY ?doc ?sentence""")
    for r in rows:
        kind = STATEMENT_KINDS.get(r["p"].value)
        if kind in kinds and r["doc"].value in docs:
            found.append(Evidence(kind, names[r["doc"].value], r["sentence"].value,
                                  r["method"].value if r["method"] else None,
                                  float(r["confidence"].value) if r["confidence"] else None))
    return found


def ego(graph: nx.Graph, center: str, radius: int) -> tuple[list[str], list[tuple[str, str]]]:
    """The nodes within ``radius`` hops of ``center`` and the edges among them."""
    network = nx.ego_graph(graph, center, radius=radius)
    return sorted(network.nodes), sorted(tuple(sorted(e)) for e in network.edges)
