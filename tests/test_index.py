"""The search index beside the store: written by the build, emptied by removal, rebuilt from the store the same."""
from __future__ import annotations

import sqlite3

import pytest

from kg.build import build, remove
from kg.errors import StoreError
from kg.index import IndexMissing, SearchIndex, fts_query, index_path, synced
from kg.rdf.namespaces import SCHEMA
from tests.conftest import write

pytestmark = pytest.mark.slow
HARBOUR = ("Ludovica Brannigan of the Valdora Harbour Authority met pilots in Oslo on May 3, 2029. "
           "The Valdora Harbour Authority (VHA) said the pilots would strike again.\n")
MINES = ("Minister Teodor Quill said on Monday that the copper mines near Lima would reopen. "
         "Quill met the Lima Miners Union in Lima on June 9, 2028.\n")


def names(store, text: str, **options) -> dict[str, str]:
    return {hit.iri: hit.name for hit in SearchIndex.of(store).names(text, limit=50, **options)}


def stored_names(store) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in store.query("SELECT ?e ?n WHERE { ?d schema:mentions ?e . { ?e rdfs:label ?n } UNION "
                           "{ ?e skos:altLabel ?n } }"):
        found.setdefault(row["e"].value, set()).add(row["n"].value)
    return found


def dump(path) -> dict[str, list]:
    with sqlite3.connect(path) as db:
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)  # noqa: S608
                for table in ("documents", "entity_documents", "entity_types", "entities")} | {
            "names": sorted(db.execute("SELECT iri, name, alias FROM names").fetchall()),
            "sentences": sorted(db.execute("SELECT document, start, text FROM sentences").fetchall())}


def test_the_build_indexes_every_name_and_alias_the_store_holds(tmp_path, store, settings):
    build([write(tmp_path, "harbour.txt", HARBOUR), write(tmp_path, "mines.txt", MINES)], store, settings)
    expected = stored_names(store)
    assert expected
    for iri, stored in expected.items():
        for name in stored:
            assert iri in names(store, name), name
    harbour = next(iri for iri, stored in expected.items() if any("Harbour" in n for n in stored))
    assert harbour in names(store, "vald harb")  # prefixes of several words, any case
    assert harbour not in names(store, "harbour", rdf_type=SCHEMA + "Person")
    assert SearchIndex.of(store).document_count() == 2


def test_phrases_find_sentences_and_words_need_not_be_adjacent(tmp_path, store, settings):
    build([write(tmp_path, "harbour.txt", HARBOUR), write(tmp_path, "mines.txt", MINES)], store, settings)
    index = SearchIndex.of(store)
    total, hits = index.sentences('"copper mines"', limit=10)
    assert total == 1 and hits[0].document == "mines.txt" and "copper mines" in hits[0].sentence
    assert MINES[hits[0].start:hits[0].start + len(hits[0].sentence)] == hits[0].sentence
    assert index.sentences('"mines copper"', limit=10)[0] == 0
    assert index.sentences("mines copper", limit=10)[0] == 1
    total, page = index.sentences("pilots", limit=1, offset=1)
    assert total == 2 and len(page) == 1 and page[0].document == "harbour.txt"


def test_removing_a_document_takes_its_names_and_sentences_out(tmp_path, store, settings):
    build([write(tmp_path, "harbour.txt", HARBOUR), write(tmp_path, "mines.txt", MINES)], store, settings)
    assert names(store, "quill")
    assert [d.name for d in remove(store, ["mines.txt"])] == ["mines.txt"]
    assert names(store, "quill") == {} and SearchIndex.of(store).sentences("copper", limit=5) == (0, [])
    assert names(store, "ludovica") and SearchIndex.of(store).document_count() == 1


def test_a_changed_document_replaces_its_entry(tmp_path, store, settings):
    path = write(tmp_path, "a.txt", HARBOUR)
    build([path], store, settings)
    write(tmp_path, "a.txt", MINES)
    build([path], store, settings)
    assert names(store, "ludovica") == {} and names(store, "teodor quill")
    assert SearchIndex.of(store).sentences("pilots", limit=5)[0] == 0


def test_an_index_made_from_the_store_is_the_one_the_build_wrote(tmp_path, store, settings):
    build([write(tmp_path, "harbour.txt", HARBOUR), write(tmp_path, "mines.txt", MINES)], store, settings)
    written = dump(index_path(store.path))
    index_path(store.path).unlink()
    with pytest.raises(IndexMissing, match="kg index rebuild"):
        SearchIndex.of(store)
    assert isinstance(IndexMissing.at(index_path(store.path)), StoreError)
    synced(store, store.documents(), everything=True).close()
    assert dump(index_path(store.path)) == written


def test_user_text_never_reaches_fts5_as_syntax():
    assert fts_query('NEAR(a b) OR "x" * -y', prefix=False) == '"x" AND "NEAR" AND "a" AND "b" AND "OR" AND "y"'
    assert fts_query("()*:^", prefix=True) is None
    assert fts_query("Raj", prefix=True) == '"Raj"*'
