"""`kg analytics …` against a real store of hand-made graphs, and the seeds' actors as a reader sees them."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.analytics import Analytics, projection_params
from kg.cli import main
from kg.store import GraphStore
from tests.graphs import BASE, bridged_cliques, chain


@pytest.fixture
def run(settings):
    with GraphStore(settings.store) as store:
        bridged_cliques().store_in(store)
        chain(3).store_in(store)

    def invoke(*args: str):
        return CliRunner().invoke(main, ["analytics", args[0], "--store", settings.store, *args[1:]])
    return invoke


def test_centrality_as_json_csv_and_table(run):
    as_json = json.loads(run("centrality", "--metric", "betweenness", "--type", "person", "--format", "json").output)
    assert as_json["scores"][0]["entity"]["label"] == "Xavier Bridge" and as_json["run"]["sampled"] is None
    rows = list(csv.reader(io.StringIO(run("centrality", "--top", "2", "--format", "csv").output)))
    assert rows[0] == ["rank", "entity", "kind", "pagerank", "iri"] and len(rows) == 3
    table = run("centrality", "--metric", "degree", "--top", "1").output
    assert "degree over 12 nodes" in table and "(1 row)" in table


def test_communities_and_path_and_ego(run):
    table = run("communities", "--edge", "comention").output
    assert "communities over 9 nodes" in table and "A1, A2, A3, A4" in table
    path = run("path", "A2", "person/b3", "--format", "json")
    hops = json.loads(path.output)["paths"][0]
    assert [h["target"]["label"] for h in hops] == ["A1", "Xavier Bridge", "B1", "B3"]
    assert "Sentence" in run("path", "A2", "b3").output
    ego = json.loads(run("ego", "the bridge", "--format", "json").output)
    assert {n["label"] for n in ego["nodes"]} == {"Xavier Bridge", "A1", "B1"}


def test_errors_have_their_exit_codes(run):
    assert run("path", "Nobody", "A1").exit_code == 7
    window = run("centrality", "--from", "2023-01-01", "--to", "2020-01-01")
    assert window.exit_code == 8 and "after it ends" in window.output
    assert run("path", "Place 0", "A1").output.startswith("no path between Place 0 and A1")


@pytest.mark.slow
def test_the_seeds_top_actors_and_camps_look_right(seeds_built):
    settings, store, _ = seeds_built
    service = Analytics(store, settings.base_iri)
    actors = projection_params(types=["Person", "Organization"])
    top = [s.entity.iri.removeprefix(BASE) for s in service.centrality(actors, "pagerank").scores[:6]]
    assert top[0] == "organization/pmoi" and "organization/ncri" in top
    camps = {m.iri.removeprefix(BASE): c.index for c in service.communities(actors).communities for m in c.members}
    assert camps["organization/pmoi"] == camps["organization/ncri"] == camps["person/maryam-rajavi"]
    assert camps["person/reza-pahlavi"] != camps["organization/pmoi"]
    hops = service.paths(projection_params(), "Maryam Rajavi", "Reza Pahlavi").paths[0]
    assert hops[0].source.label == "Maryam Rajavi" and hops[-1].target.label == "Reza Pahlavi"
    assert all(hop.evidence for hop in hops)


def test_refresh_stores_the_standard_runs_and_a_server_reads_them_back(run, settings):
    import networkx as nx

    from kg.analytics.projection import project

    output = run("refresh").output
    assert output.count("stored as <") == 4  # PageRank and communities of actors; PageRank in 2022 and 2023
    assert "2022-01-01 to 2022-12-31" in output and "2023-01-01 to 2023-12-31" in output
    actors = projection_params(["Person", "Organization"])
    with GraphStore(settings.store, read_only=True) as store:
        stored = {row["run"].value for row in store.query("SELECT DISTINCT ?run WHERE { GRAPH ?run { ?s ?p ?o } "
                                                          "FILTER(CONTAINS(STR(?run), '/analytics/')) }")}
        served = Analytics(store, BASE).centrality(actors, "pagerank")
        expected = nx.pagerank(project(store, actors), weight="weight")
    assert served.run.iri in stored and served.run.iri in output and len(stored) == 4
    assert {s.entity.iri: s.value for s in served.scores} == pytest.approx(expected)
