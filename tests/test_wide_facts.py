"""The wide set's facts (issue 9): affiliations and events, built and scored in place.

The thirty documents of ../shared/eval/wide are the measure, never a source of rules:
nothing here copies their texts. Each row of FACT_TARGETS is one line of the scorer's
report and the bound it must hold. The entity half of the issue keeps its own table
(tests/test_wide.py); the rows here can join it, the build and the scoring then run once.
"""
from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable

import pytest

from kg.build import build
from kg.settings import Settings
from kg.store import GraphStore
from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.slow
WIDE = SHARED / "eval" / "wide"
SCORER = SHARED / "eval" / "score.py"

# (what, the score's value, bound): every row is a lower bound.
FACT_TARGETS: list[tuple[str, Callable[[dict], float], float]] = [
    ("affiliation recall", lambda s: s["affiliations"]["recall"], 0.60),
    ("affiliation precision", lambda s: s["affiliations"]["precision"], 0.80),
    ("event date recall", lambda s: s["events"]["date_recall"], 0.55),
    ("event date+place recall", lambda s: s["events"]["date_place_recall"], 0.40),
    ("event precision", lambda s: s["events"]["precision"], 0.85),
]


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    if not SCORER.is_file():
        pytest.skip("../shared/eval is not beside the checkout")
    directory = tmp_path_factory.mktemp("wide")
    settings = Settings(store=str(directory / "store"))
    with GraphStore(settings.store) as store:
        report = build([WIDE / "docs"], store, settings)
        assert len(report.built) == 30 and not report.failed
        store.export(directory / "wide.ttl", "turtle")
    spec = importlib.util.spec_from_file_location("wide_score", SCORER)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    golds = [json.loads(p.read_text()) for p in sorted((WIDE / "gold").glob("*.json"))]
    graph = score.Graph(score.load([str(directory / "wide.ttl"), *map(str, sorted((ROOT / "ontology").glob("*.ttl")))]))
    return score.score(graph, golds, verbose=False)


@pytest.mark.parametrize("what, value, limit", FACT_TARGETS, ids=[t[0] for t in FACT_TARGETS])
def test_wide_set_fact_target(scores, what, value, limit):
    measured = value(scores)
    assert measured is not None and measured >= limit, f"{what}: {measured} < {limit}"
