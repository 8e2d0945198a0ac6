"""Integration over seeds/: SHACL-valid, re-parsed by an independent parser, scored against gold."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph

from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.slow
ONTOLOGY = ROOT / "ontology"


@pytest.fixture(scope="module")
def exported(seeds_built, tmp_path_factory) -> Path:
    _, store, report = seeds_built
    assert len(report.built) == 5 and not report.failed
    path = tmp_path_factory.mktemp("export") / "graph.ttl"
    store.export(path, "turtle")
    return path


def test_the_seed_graph_satisfies_the_shapes(exported):
    data = Graph().parse(exported, format="turtle")
    ontology = Graph().parse(ONTOLOGY / "newskg.ttl", format="turtle")
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    assert conforms, text


def test_rapper_parses_the_turtle_export_to_the_same_number_of_triples(exported):
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.fail("rapper (Debian raptor2-utils) is not installed; `make test` installs it")
    result = subprocess.run([rapper, "-i", "turtle", "-o", "ntriples", str(exported)],
                            capture_output=True, text=True, check=True)
    rapper_triples = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(rapper_triples) == len(Graph().parse(exported, format="turtle"))


def test_every_mention_lies_inside_its_sentence_and_reads_back_as_a_name(seeds_built):
    _, store, _ = seeds_built
    rows = store.query("""SELECT ?text ?start ?end ?from ?to WHERE {
        ?m a kg:Mention ; kg:inSentence ?s ; kg:startOffset ?start ; kg:endOffset ?end .
        ?s kg:inDocument ?d ; kg:startOffset ?from ; kg:endOffset ?to . ?d schema:text ?text }""")
    checked = 0
    for row in rows:
        text = row["text"].value
        start, end, first, last = (int(row[name].value) for name in ("start", "end", "from", "to"))
        assert first <= start < end <= last <= len(text)
        assert text[start:end].strip() == text[start:end] and text[first:last].strip() == text[first:last]
        checked += 1
    assert checked > 100


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").is_file(), reason="../shared/eval is not beside the checkout")
def test_entity_scores_against_the_development_gold(exported):
    result = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(exported),
                             *map(str, sorted(ONTOLOGY.glob("*.ttl"))), "--json"],
                            capture_output=True, text=True, check=True)
    scores = json.loads(result.stdout)
    assert scores["entities"]["ALL"]["f1"] >= 0.95
    assert scores["entities"]["Person"]["f1"] >= 0.90
    assert scores["fragmented"] == []
    assert scores["published"]["correct"] == scores["published"]["gold"] == 2


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").is_file(), reason="../shared/eval is not beside the checkout")
def test_fact_scores_against_the_development_gold(exported):
    result = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(exported),
                             *map(str, sorted(ONTOLOGY.glob("*.ttl"))), "--json"],
                            capture_output=True, text=True, check=True)
    scores = json.loads(result.stdout)
    assert scores["affiliations"]["recall"] >= 0.75 and scores["affiliations"]["precision"] >= 0.80
    assert scores["events"]["date_recall"] >= 0.75 and scores["events"]["date_place_recall"] >= 0.65
    assert scores["events"]["precision"] >= 0.70
    assert scores["located_in"]["found"] == scores["located_in"]["gold"]


def test_every_statement_quotes_its_own_sentence(seeds_built):
    _, store, _ = seeds_built
    rows = store.query("""SELECT ?text ?start ?end ?from ?to WHERE {
        ?st a rdf:Statement ; kg:inSentence ?s ; kg:startOffset ?start ; kg:endOffset ?end .
        ?s kg:inDocument ?d ; kg:startOffset ?from ; kg:endOffset ?to . ?d schema:text ?text }""")
    checked = 0
    for row in rows:
        text = row["text"].value
        start, end, first, last = (int(row[name].value) for name in ("start", "end", "from", "to"))
        assert first <= start < end <= last <= len(text) and text[first:last].strip()
        checked += 1
    assert checked > 50
