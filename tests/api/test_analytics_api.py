"""The analytics routes on a real socket, over hand-made graphs whose answers are known by hand.

One store holds four documents, each published in its own year, so a window picks one graph:
2020 two namesakes (both alias "Rajavi"), 2021 a star, 2022 a path of five places,
2023 two 4-cliques joined through a bridge (tests/graphs.py).
"""
from __future__ import annotations

import pytest

from kg.settings import Settings
from kg.store import GraphStore
from tests.api.live import Live, served_by, serving
from tests.graphs import BASE, Doc, bridged_cliques, chain, star

DAMPING = 0.85  # networkx's PageRank default


def namesakes() -> Doc:
    return (Doc("namesakes.txt", published="2020-02-02")
            .entity("person/ali-rajavi", "Person", "Ali Rajavi", "Rajavi")
            .entity("person/maryam-rajavi", "Person", "Maryam Rajavi", "Rajavi")
            .together("person/ali-rajavi", "person/maryam-rajavi"))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, backend: str):
    settings = Settings(store=str(tmp_path_factory.mktemp("graphs") / "store"), query_workers=1)
    with GraphStore(settings.store) as store:
        for doc in (namesakes(), star(5), chain(5), bridged_cliques()):
            doc.store_in(store)
        with served_by(backend, store, settings) as served:
            yield from serving(settings, store, served)


def year(number: int) -> dict[str, str]:
    return {"start": f"{number}-01-01", "end": f"{number}-12-31"}


def answer(live: Live, path: str, params: dict, status: int = 200) -> dict:
    response = live.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    return response.json()


def tails(entities: list[dict]) -> list[str]:
    return [e["iri"].removeprefix(BASE) for e in entities]


# The star: a centre with 5 leaves (n = 6). PageRank: C = a + 5dL and L = a + dC/5 with a = (1-d)/n.
STAR_CENTRE = (1 - DAMPING) / 6 * (1 + 5 * DAMPING) / (1 - DAMPING ** 2)
STAR_LEAF = (1 - STAR_CENTRE) / 5


@pytest.mark.parametrize("metric, centre, leaf", [
    ("degree", 5.0, 1.0),
    ("betweenness", 1.0, 0.0),  # on all 10 paths between two leaves, normalised by C(5, 2) = 10
    ("pagerank", STAR_CENTRE, STAR_LEAF),
])
def test_the_star_centre_ranks_first(live, metric, centre, leaf):
    body = answer(live, "/analytics/centrality", {"metric": metric, **year(2021)})
    assert body["scores"][0]["entity"] == {"iri": BASE + "person/centre", "label": "Centre Person", "kind": "Person"}
    assert [s["rank"] for s in body["scores"]] == [1, 2, 3, 4, 5, 6]
    assert [s["value"] for s in body["scores"]] == pytest.approx([centre] + [leaf] * 5, rel=1e-4)
    assert (body["run"]["task"]["metric"], body["run"]["nodes"], body["run"]["edges"]) == (metric, 6, 5)


def test_limit_keeps_the_top_of_the_ranking(live):
    body = answer(live, "/analytics/centrality", {"metric": "degree", "limit": 2, **year(2021)})
    assert tails(s["entity"] for s in body["scores"]) == ["person/centre", "organization/leaf-0"]


def test_the_bridge_has_the_top_betweenness_and_the_cliques_are_the_communities(live):
    ranking = answer(live, "/analytics/centrality", {"metric": "betweenness", **year(2023)})
    # n = 9, so values are over C(8, 2) = 28 pairs: x is on the 16 a–b paths, a1 (b1) on the 15 from
    # a2..a4 (b2..b4) to x and the other side; nobody else is between anyone.
    assert [s["entity"]["label"] for s in ranking["scores"][:3]] == ["Xavier Bridge", "A1", "B1"]
    assert [s["value"] for s in ranking["scores"][:3]] == pytest.approx([16 / 28, 15 / 28, 15 / 28])
    assert {s["value"] for s in ranking["scores"][3:]} == {0.0}
    partition = answer(live, "/analytics/communities", {"seed": 1, **year(2023)})
    groups = [set(tails(c["members"])) - {"person/x"} for c in partition["communities"]]
    assert sorted(map(sorted, groups)) == [[f"person/a{i}" for i in range(1, 5)], [f"person/b{i}" for i in range(1, 5)]]
    assert [c["index"] for c in partition["communities"]] == [0, 1]


def test_the_path_graph_from_one_end_to_the_other_hop_by_hop_with_evidence(live):
    body = answer(live, "/analytics/paths", {"from": "place/p0", "to": "Place 4", "k": 3})
    assert (body["source"]["label"], body["target"]["iri"]) == ("Place 0", BASE + "place/p4")
    assert len(body["paths"]) == 1  # a path graph has one simple path between its ends
    hops = body["paths"][0]
    assert [(h["source"]["label"], h["target"]["label"]) for h in hops] == [
        ("Place 0", "Place 1"), ("Place 1", "Place 2"), ("Place 2", "Place 3"), ("Place 3", "Place 4")]
    for i, hop in enumerate(hops):
        assert (hop["kinds"], hop["documents"]) == ({"containment": 1}, ["chain.txt"])
        assert hop["evidence"] == [{"kind": "containment", "document": "chain.txt", "method": "rule:test",
                                    "confidence": 0.8, "sentence": f"Statement {i}: place/p{i} "
                                                                   f"schema:containedInPlace place/p{i + 1}."}]


def test_a_path_across_the_bridge_shows_the_sentences_that_name_each_pair(live):
    body = answer(live, "/analytics/paths", {"from": "A2", "to": "person/b3", "evidence": 1})
    # cliques.txt's sentences: 0-5 the a-pairs (a1a2 first), 6-11 the b-pairs (b1b3 is 7), 12 a1-x, 13 x-b1
    assert [(tails([h["source"], h["target"]]), h["evidence"][0]["sentence"]) for h in body["paths"][0]] == [
        (["person/a2", "person/a1"], "Sentence 0 names A1 and A2."),
        (["person/a1", "person/x"], "Sentence 12 names A1 and Xavier Bridge."),
        (["person/x", "person/b1"], "Sentence 13 names Xavier Bridge and B1."),
        (["person/b1", "person/b3"], "Sentence 7 names B1 and B3.")]


def test_the_ego_network_of_the_bridge_by_its_alias(live):
    one = answer(live, "/analytics/ego", {"center": "the bridge", **year(2023)})
    assert one["center"]["label"] == "Xavier Bridge" and one["radius"] == 1
    assert tails(one["nodes"]) == ["person/a1", "person/b1", "person/x"]
    assert sorted(tails([e["source"], e["target"]]) for e in one["edges"]) == [["person/a1", "person/x"],
                                                                               ["person/b1", "person/x"]]
    two = answer(live, "/analytics/ego", {"center": "person/x", "radius": 2, **year(2023)})
    assert len(two["nodes"]) == 9 and len(two["edges"]) == 2 * 6 + 2


@pytest.mark.parametrize("window, nodes, top", [
    ({}, 2 + 6 + 5 + 9, "Xavier Bridge"),  # its 16 pairs beat the star centre's 10 (and a1's 15)
    (year(2021), 6, "Centre Person"),
    ({"end": "2021-12-31"}, 2 + 6, "Centre Person"),
    ({"start": "2022-01-01"}, 5 + 9, "Xavier Bridge"),
    ({"start": "2022-01-01", "end": "2022-12-31"}, 5, "Place 2"),
    ({"start": "2024-01-01"}, 0, None),
])
def test_the_window_keeps_the_documents_its_dates_say(live, window, nodes, top):
    body = answer(live, "/analytics/centrality", {"metric": "betweenness", **window})
    assert body["run"]["nodes"] == nodes and len(body["scores"]) == min(nodes, 20)
    assert (body["scores"][0]["entity"]["label"] if body["scores"] else None) == top
    assert body["run"]["task"]["params"]["start"] == window.get("start")


def test_types_and_edge_kinds_choose_the_projection(live):
    places = answer(live, "/analytics/centrality", {"type": "place"})
    assert places["run"]["nodes"] == 5 and places["run"]["task"]["params"]["types"] == ["Place"]
    comentions = answer(live, "/analytics/centrality", {"edge": "comention"})
    assert comentions["run"]["nodes"] == 2 + 9  # the star and the chain are explicit relations only
    strong = answer(live, "/analytics/centrality", {"min-weight": 2})
    assert strong["run"]["nodes"] == 0  # every edge here has one sentence or statement


def test_a_name_that_fits_two_entities_lists_them(live):
    body = answer(live, "/analytics/paths", {"from": "rajavi", "to": "Ali Rajavi"}, status=400)
    assert body["error"] == "RequestError"
    assert "person/ali-rajavi (Ali Rajavi)" in body["detail"]
    assert "person/maryam-rajavi (Maryam Rajavi)" in body["detail"]


@pytest.mark.parametrize("path, params, status, detail", [
    ("/analytics/centrality", {"metric": "fame"}, 400, "unknown metric 'fame'"),
    ("/analytics/centrality", {"limit": 0}, 400, "limit=0 is out of range"),
    ("/analytics/centrality", {"limit": "many"}, 400, "limit='many' is not an integer"),
    ("/analytics/centrality", {"metric": "betweenness", "k": 0}, 400, "k=0 is out of range"),
    ("/analytics/centrality", {"type": "Robot"}, 400, "unknown type 'Robot'"),
    ("/analytics/centrality", {"edge": "gossip"}, 400, "unknown edge kind 'gossip'"),
    ("/analytics/centrality", {"min-weight": 0}, 400, "min weight must be positive"),
    ("/analytics/centrality", {"start": "2021-02-30"}, 400, "window start must be a date YYYY-MM-DD"),
    ("/analytics/centrality", {"end": "May 2021"}, 400, "window end must be a date YYYY-MM-DD"),
    ("/analytics/centrality", {"start": "2023-01-01", "end": "2021-01-01"}, 400,
     "the window starts (2023-01-01) after it ends (2021-01-01)"),
    ("/analytics/centrality", {"from": "2021-01-01"}, 400, "unknown parameter from="),
    ("/analytics/communities", {"resolution": 0}, 400, "resolution must be positive"),
    ("/analytics/communities", {"resolution": "fine"}, 400, "resolution='fine' is not a number"),
    ("/analytics/communities", {"resolution": "nan"}, 400, "resolution='nan' is not a number"),
    ("/analytics/communities", {"seed": -1}, 400, "seed=-1 is out of range"),
    ("/analytics/paths", {"from": "place/p0"}, 400, "to= is required"),
    ("/analytics/paths", {"from": "place/p0", "to": "place/p4", "k": 11}, 400, "k=11 is out of range; give 1..10"),
    ("/analytics/paths", {"from": "place/p0", "to": "place/p4", "evidence": -1}, 400, "evidence=-1 is out of range"),
    ("/analytics/paths", {"from": "Nobody", "to": "place/p4"}, 404, "no entity is named 'Nobody'"),
    ("/analytics/paths", {"from": "place/p0", "to": "place/p4", "type": "Person"}, 404,
     "place/p0 has no edge in this projection"),
    ("/analytics/ego", {}, 400, "center= is required"),
    ("/analytics/ego", {"center": "person/x", "radius": 4}, 400, "radius=4 is out of range; give 1..3"),
])
def test_bad_parameters_have_the_one_error_shape(live, path, params, status, detail):
    body = answer(live, path, params, status=status)
    assert set(body) == {"status", "error", "title", "detail"} and body["status"] == status
    assert detail in body["detail"]


def test_the_routes_compute_and_never_save(live):
    for link in ("centrality", "communities"):
        assert live.get(live.get("/").json()["links"][link]).status_code == 200
    assert not live.store.query("ASK { ?run a kg:AnalyticsRun }")
