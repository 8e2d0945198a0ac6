"""`kg build --processes 2`: the same graph as one process, each worker running the one code path."""
from __future__ import annotations

import pytest

from kg.build import build
from kg.store import GraphStore
from tests.conftest import SEEDS, dataset

pytestmark = pytest.mark.slow


def test_two_processes_build_the_graph_one_process_builds(tmp_path, seeds_built):
    one_settings, one_store, one_report = seeds_built
    settings = one_settings.with_overrides(processes=2, batch_size=1, store=str(tmp_path / "store"))
    with GraphStore(settings.store) as store:
        report = build([SEEDS], store, settings)
        assert sorted(report.built) == sorted(one_report.built) and not report.failed
        assert report.quads == one_report.quads and report.entities == one_report.entities
        assert dataset(store) == dataset(one_store)
