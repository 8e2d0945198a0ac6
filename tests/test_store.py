"""The store: idempotent rebuilds, replacement, removal, atomic writes, exports that parse back."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.build import build
from kg.errors import NotFoundError, QueryError, StoreError
from kg.rdf.namespaces import KG, RDF, SCHEMA, Iris
from kg.store import GraphStore
from tests.conftest import write

pytestmark = pytest.mark.slow
STORY = "Ludovica Brannigan of the Valdora Harbour Authority met pilots in Oslo on May 3, 2029.\n"


def turtle(store: GraphStore) -> Graph:
    buffer = io.BytesIO()
    store.export(buffer, "turtle")
    return Graph().parse(data=buffer.getvalue(), format="turtle")


def test_building_the_same_documents_twice_changes_nothing(tmp_path, store, settings):
    write(tmp_path, "a.txt", STORY)
    first = build([tmp_path / "a.txt"], store, settings)
    before = turtle(store)
    second = build([tmp_path / "a.txt"], store, settings)
    assert first.built == ["a.txt"] and second.built == [] and second.unchanged == ["a.txt"]
    assert isomorphic(before, turtle(store))


def test_a_changed_document_replaces_its_old_facts(tmp_path, store, settings):
    path = write(tmp_path, "a.txt", STORY)
    build([path], store, settings)
    write(tmp_path, "a.txt", "Reporters met Maria Lindqvist in Reykjavik.\n")
    build([path], store, settings)
    labels = {r["l"].value for r in store.query("SELECT ?l WHERE { ?e a schema:Person ; rdfs:label ?l }")}
    assert labels == {"Maria Lindqvist"}
    assert len(store.documents()) == 1


def test_a_graph_stored_before_sentences_were_nodes_is_built_again(tmp_path, store, settings):
    path = write(tmp_path, "a.txt", STORY)
    build([path], store, settings)
    graph = Iris(settings.base_iri).graph("a.txt")
    triples = list(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))
    old = [ox.Triple(ox.NamedNode("https://newskg.example/mention/old"), ox.NamedNode(RDF + "type"), ox.NamedNode(KG + "Mention")),
           ox.Triple(ox.NamedNode("https://newskg.example/mention/old"), ox.NamedNode(KG + "sentence"), ox.Literal("Old."))]
    store.replace_graph(graph, [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples + old])
    assert build([path], store, settings).built == ["a.txt"]
    assert not list(store.query("SELECT ?m WHERE { ?m kg:sentence ?s }"))
    assert build([path], store, settings).unchanged == ["a.txt"]


def test_remove_deletes_one_documents_facts_only(tmp_path, store, settings):
    write(tmp_path, "a.txt", STORY)
    write(tmp_path, "b.txt", "Reporters met Maria Lindqvist in Reykjavik.\n")
    build([tmp_path], store, settings)
    store.remove("a.txt")
    assert [d.name for d in store.documents()] == ["b.txt"]
    gone = Iris(settings.base_iri).document("a.txt")
    assert not list(store.query("SELECT ?x ?doc WHERE { ?x kg:inSentence?/kg:inDocument ?doc }", bindings={"doc": gone}))
    assert not list(store.query("SELECT ?e WHERE { ?e rdfs:label 'Ludovica Brannigan' }"))
    with pytest.raises(NotFoundError):
        store.remove("a.txt")


def test_a_failed_write_leaves_the_previous_graph_whole(tmp_path, store, settings):
    write(tmp_path, "a.txt", STORY)
    build([tmp_path], store, settings)
    before = turtle(store)
    graph = ox.NamedNode(store.documents()[0].graph)
    broken = [ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"), graph)] * 3
    with pytest.raises(SyntaxError):
        store.replace_graph(graph, broken + [_unparseable_quad(graph)])
    assert isomorphic(before, turtle(store))


class _unparseable_quad:
    """A quad whose object serialises to text SPARQL cannot parse: the update fails mid-way."""

    def __init__(self, graph):
        self.subject, self.predicate, self.object, self.graph_name = "<http://x/s>", "<http://x/p>", "{{", graph


def test_every_export_format_parses_back_to_the_same_graph(tmp_path, store, settings):
    write(tmp_path, "a.txt", STORY)
    build([tmp_path], store, settings)
    reference = turtle(store)
    for fmt, rdflib_format in (("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")):
        buffer = io.BytesIO()
        store.export(buffer, fmt)
        assert isomorphic(reference, Graph().parse(data=buffer.getvalue(), format=rdflib_format)), fmt
    for fmt, rdflib_format in (("nquads", "nquads"), ("trig", "trig")):
        buffer = io.BytesIO()
        store.export(buffer, fmt)
        dataset = Dataset()
        dataset.parse(data=buffer.getvalue(), format=rdflib_format)
        named = [g for g in dataset.graphs() if len(g) and "/graph/" in str(g.identifier)]
        assert [str(g.identifier) for g in named] == [store.documents()[0].graph], fmt
        assert store.documents()[0].graph.startswith(settings.base_iri + "graph/a-txt-"), fmt
        assert isomorphic(reference, named[0]), fmt


def test_bad_queries_and_unknown_documents_are_typed_errors(store):
    with pytest.raises(QueryError, match="malformed SPARQL"):
        store.query("SELEC nothing")
    with pytest.raises(NotFoundError):
        store.export(io.BytesIO(), "turtle", document="missing.txt")
    with pytest.raises(QueryError, match="unknown format"):
        store.export(io.BytesIO(), "yaml")


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
       .filter(lambda t: t.strip() and len(t.split()) < 30 and not t.strip().endswith(".")))
def test_any_unicode_title_survives_store_export_and_parse(tmp_path, store, settings, title):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"id": "t", "title": title, "text": "Some text about Oslo."}))
    build([path], store, settings)
    names = {str(o) for o in turtle(store).objects(None, URIRef(SCHEMA + "name"))}
    assert names == {title}


# --- the merged default graph -------------------------------------------------------------

def named_union(store: GraphStore) -> set[ox.Triple]:
    return {q.triple for q in store._store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)}


def merged(store: GraphStore) -> set[ox.Triple]:
    return set(store.triples())


def test_the_default_graph_is_the_merge_of_the_document_graphs_through_every_change(tmp_path, store, settings):
    a = write(tmp_path, "a.txt", STORY)
    b = write(tmp_path, "b.txt", "Ludovica Brannigan spoke in Oslo on May 9, 2029.\n")
    build([a, b], store, settings)
    assert merged(store) == named_union(store)
    shared = ox.NamedNode(f"{settings.base_iri}person/ludovica-brannigan")
    labels = list(store.query(f"SELECT ?l WHERE {{ {shared} rdfs:label ?l }}"))
    assert len(labels) == 1, "a triple two documents state is one row, not two"

    write(tmp_path, "a.txt", STORY.replace("Oslo", "Bergen"))
    build([a], store, settings)
    assert merged(store) == named_union(store)
    assert store.query("ASK { ?p rdfs:label \"Oslo\" }"), "b still names Oslo"

    store.remove("b.txt")
    assert merged(store) == named_union(store)
    assert not store.query("ASK { ?p rdfs:label \"Oslo\" }"), "only b named Oslo"
    store.remove("a.txt")
    assert merged(store) == set()


def test_a_store_written_before_the_merge_is_upgraded_on_its_first_writable_open(tmp_path):
    path = tmp_path / "old"
    raw = ox.Store(str(path))
    graph, person = ox.NamedNode("https://newskg.example/graph/x"), ox.NamedNode("https://newskg.example/person/x")
    raw.add(ox.Quad(person, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("X"), graph))
    raw.flush()
    del raw
    with pytest.raises(StoreError, match="predates"):
        GraphStore(path, read_only=True)
    with GraphStore(path) as upgraded:
        assert merged(upgraded) == named_union(upgraded) != set()


def test_a_readers_version_changes_when_a_writer_has_written(tmp_path, store, settings):
    build([write(tmp_path, "a.txt", STORY)], store, settings)
    reader = GraphStore(settings.store, read_only=True)
    reader.refresh()
    before = reader.version
    store.remove("a.txt")
    store.flush()
    assert reader.refresh() and reader.version != before


@pytest.mark.parametrize("module", ["kg.store", "kg.remote", "kg.workers", "api"])
def test_the_serving_side_never_loads_spacy(module):
    """Serving needs no NLP: the server and its workers start without spaCy's second of imports and memory."""
    loaded = subprocess.run([sys.executable, "-c", f"import sys, {module}; print('spacy' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
