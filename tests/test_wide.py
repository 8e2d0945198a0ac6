"""The thirty-document wide set (../shared/eval/wide): built and scored in place against its gold.

The wide set is the measure, never a source of rules: nothing here copies its texts.
Each row of TARGETS is one line of the scorer's report and the bound it must hold
(issue 9). Add a row per new target; the build and the scoring run once.
"""
from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable

import pytest

from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.slow
WIDE = SHARED / "eval" / "wide"
SCORER = SHARED / "eval" / "score.py"

# (what, the score's value, "min" or "max", bound)
TARGETS: list[tuple[str, Callable[[dict], float], str, float]] = [
    ("entity F1", lambda s: s["entities"]["ALL"]["f1"], "min", 0.87),
    ("Person F1", lambda s: s["entities"]["Person"]["f1"], "min", 0.90),
    ("Organization F1", lambda s: s["entities"]["Organization"]["f1"], "min", 0.80),
    ("Place F1", lambda s: s["entities"]["Place"]["f1"], "min", 0.88),
    ("gold entities split over several nodes", lambda s: len(s["fragmented"]), "max", 3),
    ("publication dates stated in the text", lambda s: s["published"]["correct"], "min", 22),
    ("place containment recall", lambda s: s["located_in"]["recall"], "min", 0.50),
    ("affiliation recall", lambda s: s["affiliations"]["recall"], "min", 0.60),
    ("affiliation precision", lambda s: s["affiliations"]["precision"], "min", 0.80),
    ("event date recall", lambda s: s["events"]["date_recall"], "min", 0.55),
    ("event date+place recall", lambda s: s["events"]["date_place_recall"], "min", 0.40),
    ("event precision", lambda s: s["events"]["precision"], "min", 0.85),
]


def scorer():
    spec = importlib.util.spec_from_file_location("wide_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores(tmp_path_factory, wide_built) -> dict:
    if not SCORER.is_file():
        pytest.skip("../shared/eval is not beside the checkout")
    directory = tmp_path_factory.mktemp("wide")
    _, store, report = wide_built
    assert len(report.built) == 30 and not report.failed
    store.export(directory / "wide.ttl", "turtle")
    score = scorer()
    golds = [json.loads(p.read_text()) for p in sorted((WIDE / "gold").glob("*.json"))]
    graph = score.Graph(score.load([str(directory / "wide.ttl"), *map(str, sorted((ROOT / "ontology").glob("*.ttl")))]))
    return score.score(graph, golds, verbose=False)


@pytest.mark.parametrize("what, value, bound, limit", TARGETS, ids=[t[0] for t in TARGETS])
def test_wide_set_target(scores, what, value, bound, limit):
    measured = value(scores)
    assert measured is not None, f"{what}: not measured"
    if bound == "min":
        assert measured >= limit, f"{what}: {measured} < {limit}"
    else:
        assert measured <= limit, f"{what}: {measured} > {limit}"
