"""Analytics through the whole chain on graphs whose answers are known by hand:
RDF in a real store → projection → metric → stored run → read back by SPARQL."""
from __future__ import annotations

import io
from datetime import date

import pytest
from rdflib import Dataset

from kg.analytics import Analytics, ProjectionParams, as_json, projection_params
from kg.errors import NotFoundError, RequestError
from tests.graphs import BASE, Doc, bridged_cliques, chain, star

ALL = ProjectionParams()


def analytics_of(store, *docs: Doc) -> Analytics:
    for doc in docs:
        doc.store_in(store)
    return Analytics(store, BASE)


def values(store, predicate: str) -> dict[str, float]:
    """Stored values of a metric, read back by plain SPARQL over the union of graphs."""
    rows = store.query(f"SELECT ?e ?v WHERE {{ ?r kg:entity ?e ; kg:{predicate} ?v }}")
    return {row["e"].value.removeprefix(BASE): float(row["v"].value) for row in rows}


def test_star_centre_tops_pagerank_and_has_betweenness_one(store):
    service = analytics_of(store, star(5))
    pagerank = service.centrality(ALL, "pagerank")
    betweenness = service.centrality(ALL, "betweenness")
    service.save(pagerank)
    service.save(betweenness)
    assert pagerank.scores[0].entity.iri == BASE + "person/centre"
    assert betweenness.run.sampled is None
    stored = values(store, "betweenness")
    assert stored == {"person/centre": 1.0, **{f"organization/leaf-{i}": 0.0 for i in range(5)}}
    stored_pagerank = values(store, "pagerank")
    assert max(stored_pagerank, key=stored_pagerank.get) == "person/centre"
    assert sum(stored_pagerank.values()) == pytest.approx(1.0)
    degree = service.centrality(ALL, "degree")
    assert [(s.entity.label, s.value) for s in degree.scores[:2]] == [("Centre Person", 5.0), ("Leaf 0", 1.0)]


def test_path_graph_betweenness_and_path_length_with_evidence(store):
    service = analytics_of(store, chain(5))
    betweenness = {s.entity.iri.removeprefix(BASE): s.value for s in service.centrality(ALL, "betweenness").scores}
    # On a path of 5 nodes the middle one lies on 4 of the 6 pairs of others, its neighbours on 3.
    assert betweenness == pytest.approx({"place/p0": 0, "place/p1": 0.5, "place/p2": 4 / 6, "place/p3": 0.5,
                                         "place/p4": 0})
    found = service.paths(ALL, "place/p0", "Place 4", k=3)
    assert len(found.paths) == 1 and len(found.paths[0]) == 4
    first = found.paths[0][0]
    assert (first.source.label, first.target.label, first.kinds) == ("Place 0", "Place 1", {"containment": 1})
    assert first.evidence[0].sentence == "Statement 0: place/p0 schema:containedInPlace place/p1."
    assert (first.evidence[0].method, first.evidence[0].confidence, first.documents) == ("rule:test", 0.8,
                                                                                         ("chain.txt",))


def test_bridge_between_two_cliques_brokers_and_cliques_are_the_communities(store):
    service = analytics_of(store, bridged_cliques())
    ranking = service.centrality(ALL, "betweenness")
    assert ranking.scores[0].entity.label == "Xavier Bridge"
    assert ranking.scores[0].value > ranking.scores[1].value
    first = service.communities(ALL, seed=1)
    again = Analytics(store, BASE).communities(ALL, seed=1)
    assert first.communities == again.communities
    groups = [{m.label for m in c.members} - {"Xavier Bridge"} for c in first.communities]
    assert sorted(map(sorted, groups)) == [["A1", "A2", "A3", "A4"], ["B1", "B2", "B3", "B4"]]
    service.save(first)
    stored = values(store, "community")
    assert len({stored["person/a1"], stored["person/a4"]}) == 1 and stored["person/a1"] != stored["person/b1"]
    hops = service.paths(ALL, "a2", "B3", k=1).paths[0]
    assert [h.target.label for h in hops] == ["A1", "Xavier Bridge", "B1", "B3"]
    assert hops[0].evidence[0].sentence.startswith("Sentence") and hops[0].evidence[0].kind == "comention"


def test_a_stored_run_reads_back_identical_in_a_new_process(store):
    analytics_of(store, bridged_cliques())
    computed = Analytics(store, BASE).centrality(ALL, "pagerank")
    Analytics(store, BASE).save(computed)
    assert Analytics(store, BASE).centrality(ALL, "pagerank") == computed
    run = next(iter(store.query("SELECT ?run ?n WHERE { ?run a kg:AnalyticsRun ; kg:nodeCount ?n ; "
                                "kg:metric 'pagerank' }")))
    assert run["run"].value == computed.run.iri and int(run["n"].value) == 9


def test_a_changed_document_makes_runs_stale_and_saving_drops_them(store):
    service = analytics_of(store, bridged_cliques())
    old = service.centrality(ALL, "pagerank")
    service.save(old)
    star(3).store_in(store)
    new = service.centrality(ALL, "pagerank")
    assert new.run.nodes == 9 + 4 and new.run.content_hashes != old.run.content_hashes
    service.save(service.centrality(ALL, "degree"))
    runs = {row["m"].value for row in store.query("SELECT ?m WHERE { ?run a kg:AnalyticsRun ; kg:metric ?m }")}
    assert runs == {"degree"}


def test_documents_stats_and_exports_keep_results_apart(store):
    service = analytics_of(store, star(3))
    before = store.stats()
    run = service.save(service.communities(ALL))
    assert [d.name for d in store.documents()] == ["star.txt"]
    after = store.stats()
    assert after["entities"] == before["entities"] and after["documents"] == 1
    buffer = io.BytesIO()
    store.export(buffer, "trig")
    dataset = Dataset()
    dataset.parse(data=buffer.getvalue(), format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {store.documents()[0].graph, run} <= graphs


def test_time_window_uses_event_dates_then_publication_dates(store):
    old = (Doc("old.txt", published="2020-06-01").entity("person/p", "Person", "P")
           .entity("organization/o", "Organization", "O").together("person/p", "organization/o"))
    new = (Doc("new.txt", published="2023-02-01").entity("person/q", "Person", "Q")
           .entity("event/rally-2017", "Event", "Rally")
           .relate("event/rally-2017", "schema:attendee", "person/q")
           .entity("organization/o", "Organization", "O").together("person/q", "organization/o"))
    new.extra = f'<{BASE}event/rally-2017> <https://schema.org/startDate> "2017"^^xsd:gYear .\n'
    undated = (Doc("undated.txt").entity("person/u", "Person", "U").entity("organization/o", "Organization", "O")
               .together("person/u", "organization/o"))
    service = analytics_of(store, old, new, undated)

    def edges(start: str | None, end: str | None) -> set[frozenset[str]]:
        graph = service.projection(projection_params(start=start, end=end))
        return {frozenset(n.removeprefix(BASE) for n in e) for e in graph.edges}

    assert edges(None, None) == {frozenset(p) for p in (("person/p", "organization/o"),
                                 ("person/q", "organization/o"), ("person/q", "event/rally-2017"),
                                 ("person/u", "organization/o"))}
    assert edges("2020-01-01", "2020-12-31") == {frozenset(("person/p", "organization/o"))}
    assert edges("2017-07-01", "2017-07-31") == {frozenset(("person/q", "event/rally-2017"))}
    assert edges("2023-01-01", None) == {frozenset(("person/q", "organization/o"))}


def test_role_affiliation_is_one_edge_with_its_statement_as_evidence(store):
    role = "<https://newskg.example/role/rajavi-ncri>"
    doc = (Doc("roles.txt").entity("person/maryam-rajavi", "Person", "Maryam Rajavi", "Rajavi")
           .entity("organization/ncri", "Organization", "National Council of Resistance of Iran", "NCRI")
           .relate("person/maryam-rajavi", "schema:memberOf", role).relate(role, "schema:memberOf", "organization/ncri"))
    doc.extra = f'{role} a <https://schema.org/OrganizationRole> ; <https://schema.org/roleName> "president" .\n'
    service = analytics_of(store, doc)
    graph = service.projection(ALL)
    assert graph.number_of_edges() == 1
    assert graph.edges[BASE + "person/maryam-rajavi", BASE + "organization/ncri"]["kinds"] == {"affiliation": 1}
    hop = service.paths(ALL, "rajavi", "ncri").paths[0][0]
    assert {e.sentence for e in hop.evidence} == {f"Statement 0: person/maryam-rajavi schema:memberOf {role}.",
                                                 f"Statement 1: {role} schema:memberOf organization/ncri."}
    only_comentions = service.projection(projection_params(edge_kinds=["comention"]))
    assert only_comentions.number_of_edges() == 0


def test_entities_are_found_by_iri_tail_label_or_alias_and_errors_say_why(store):
    a = Doc("a.txt").entity("person/ali-rajavi", "Person", "Ali Rajavi", "Rajavi").entity(
        "person/maryam-rajavi", "Person", "Maryam Rajavi", "Rajavi").together("person/ali-rajavi",
                                                                            "person/maryam-rajavi")
    service = analytics_of(store, a)
    assert service.ego(ALL, "MARYAM RAJAVI").center.iri == BASE + "person/maryam-rajavi"
    assert service.ego(ALL, BASE + "person/ali-rajavi").center.label == "Ali Rajavi"
    with pytest.raises(RequestError, match="person/ali-rajavi .*person/maryam-rajavi"):
        service.paths(ALL, "rajavi", "Ali Rajavi")
    with pytest.raises(NotFoundError, match="no entity is named 'Nobody'"):
        service.paths(ALL, "Nobody", "Ali Rajavi")


@pytest.mark.parametrize("call, message", [
    (lambda s: s.centrality(ALL, "fame"), "unknown metric 'fame'"),
    (lambda s: s.centrality(ALL, "betweenness", k=0), "at least 1"),
    (lambda s: s.communities(ALL, resolution=0), "resolution must be positive"),
    (lambda s: projection_params(start="2023-01-01", end="2020-01-01"), "starts .* after it ends"),
    (lambda s: projection_params(start="January"), "window start must be a date"),
    (lambda s: projection_params(types=["Robot"]), "unknown type 'Robot'"),
    (lambda s: projection_params(min_weight="-1"), "min weight must be positive"),
])
def test_bad_parameters_are_request_errors(store, call, message):
    with pytest.raises(RequestError, match=message):
        call(Analytics(store, BASE))


def test_results_are_json_ready(store):
    service = analytics_of(store, chain(3))
    body = as_json(service.centrality(projection_params(start="2022-01-01"), "closeness"))
    assert body["run"]["task"]["params"]["start"] == "2022-01-01"
    assert body["scores"][0]["entity"] == {"iri": BASE + "place/p1", "label": "Place 1", "kind": "Place"}
    assert ProjectionParams(start=date(2022, 1, 1)) == projection_params(start="2022-01-01")
