"""The `kg` command end to end in a subprocess-free runner, against a real store."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from tests.conftest import write

pytestmark = pytest.mark.slow


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")

    def invoke(*args: str):
        return runner.invoke(main, [args[0], "--store", store, *args[1:]], catch_exceptions=False)
    return invoke


def test_build_query_stats_export_remove(tmp_path, run):
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs, "a.txt", "Maria Lindqvist of the Valdora Harbour Authority spoke in Oslo.\n")
    write(docs, "bad.txt", b"\xff\xfe\x00binary")
    result = run("build", str(docs), "--quiet")
    assert result.exit_code == 0, result.output
    assert "1 built" in result.output and "1 failed" in result.output
    assert "skipped bad.txt" in result.output

    table = run("query", "SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }")
    assert "Maria Lindqvist" in table.output and "(1 row)" in table.output
    as_json = json.loads(run("query", "SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }",
                             "--format", "json").output)
    assert as_json["results"]["bindings"][0]["name"]["value"] == "Maria Lindqvist"
    assert run("query", "ASK { ?p a schema:Person }").output.strip() == "true"

    counts = json.loads(run("stats").output)
    assert counts["documents"] == 1 and counts["entities"]["Person"] == 1

    out = tmp_path / "g.ttl"
    assert run("export", "--out", str(out)).exit_code == 0
    assert len(Graph().parse(out, format="turtle")) == counts["triples"]

    assert run("remove", "a.txt").exit_code == 0
    assert json.loads(run("stats").output)["documents"] == 0


def test_errors_are_one_line_with_their_exit_codes(tmp_path, run):
    write(tmp_path, "a.txt", "Maria Lindqvist spoke in Oslo.\n")
    assert run("build", str(tmp_path / "a.txt"), "--quiet").exit_code == 0
    bad_query = run("query", "SELEC x")
    assert bad_query.exit_code == 6 and "malformed SPARQL" in bad_query.output
    missing = run("remove", "nope.txt")
    assert missing.exit_code == 7 and "no document named 'nope.txt'" in missing.output
    nowhere = run("build", str(tmp_path / "nowhere"))
    assert nowhere.exit_code == 4 and "no such file" in nowhere.output


def test_reading_a_store_that_does_not_exist_says_so(tmp_path):
    result = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 5 and "run `kg build` first" in result.output
