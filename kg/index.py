"""The search index beside the store: SQLite FTS5 over entity names and aliases and the sentences they were read from.

The store answers "what is linked to what"; finding an entity by part of its name, or a
sentence by a phrase, would scan every label or sentence in it. So each document, as the
build writes it, also goes into an SQLite database next to the store directory
(``build/store`` → ``build/store.index.sqlite``): its entities' names (words prefix-
searchable, ranked by bm25 and by how many documents mention the entity), the sentences
its mentions come from (phrase search), and its summary (title, date, counts), which is
also where the API's document listings and totals come from, page by page, without a scan.

Entries are read back from the store after the document is written (``entry_of``), so
a rebuild from an existing store (``kg index rebuild``) indexes exactly what a build
does. Readers open the file read-only and see each document's entry appear in one
transaction.
"""
from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from kg.catalog import DocumentSummary, mentions, value
from kg.errors import NotFoundError, StoreError
from kg.rdf.namespaces import SCHEMA
from kg.store import GraphStore, StoredDocument

SCHEMA_VERSION = "1"
TOKENS = "unicode61 remove_diacritics 2"
TABLES = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
  name TEXT PRIMARY KEY, iri TEXT, graph TEXT, title TEXT, published TEXT, entities INTEGER, mentions INTEGER,
  content_hash TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, name TEXT NOT NULL,
  alias INTEGER NOT NULL, UNIQUE (iri, name, alias));
CREATE TABLE IF NOT EXISTS name_documents (name_id INTEGER, document TEXT, PRIMARY KEY (name_id, document))
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS name_documents_by_document ON name_documents (document);
CREATE TABLE IF NOT EXISTS entity_documents (iri TEXT, document TEXT, mentions INTEGER,
  PRIMARY KEY (iri, document)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_documents_by_document ON entity_documents (document);
CREATE TABLE IF NOT EXISTS entity_types (iri TEXT, type TEXT, document TEXT, PRIMARY KEY (iri, type, document))
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_types_by_document ON entity_types (document);
CREATE INDEX IF NOT EXISTS entity_types_by_type ON entity_types (type, iri);
CREATE TABLE IF NOT EXISTS entities (iri TEXT PRIMARY KEY, documents INTEGER NOT NULL, mentions INTEGER NOT NULL)
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sentences (id INTEGER PRIMARY KEY, document TEXT NOT NULL, start INTEGER NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sentences_by_document ON sentences (document);
CREATE VIRTUAL TABLE IF NOT EXISTS names_text USING fts5 (name, content='names', content_rowid='id',
  tokenize='{TOKENS}', prefix='1 2 3');
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_text USING fts5 (text, content='sentences', content_rowid='id',
  tokenize='{TOKENS}');
CREATE TRIGGER IF NOT EXISTS names_in AFTER INSERT ON names BEGIN
  INSERT INTO names_text (rowid, name) VALUES (new.id, new.name); END;
CREATE TRIGGER IF NOT EXISTS names_out AFTER DELETE ON names BEGIN
  INSERT INTO names_text (names_text, rowid, name) VALUES ('delete', old.id, old.name); END;
CREATE TRIGGER IF NOT EXISTS sentences_in AFTER INSERT ON sentences BEGIN
  INSERT INTO sentences_text (rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER IF NOT EXISTS sentences_out AFTER DELETE ON sentences BEGIN
  INSERT INTO sentences_text (sentences_text, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TRIGGER IF NOT EXISTS entity_in AFTER INSERT ON entity_documents BEGIN
  INSERT INTO entities (iri, documents, mentions) VALUES (new.iri, 1, new.mentions)
  ON CONFLICT (iri) DO UPDATE SET documents = documents + 1, mentions = mentions + new.mentions; END;
CREATE TRIGGER IF NOT EXISTS entity_out AFTER DELETE ON entity_documents BEGIN
  UPDATE entities SET documents = documents - 1, mentions = mentions - old.mentions WHERE iri = old.iri;
  DELETE FROM entities WHERE iri = old.iri AND documents <= 0; END;
"""
ARTICLE = """
SELECT ?doc ?title ?published WHERE {{ GRAPH {graph} {{ ?doc a schema:NewsArticle .
  OPTIONAL {{ ?doc schema:name ?title }} OPTIONAL {{ ?doc schema:datePublished ?published }} }} }}"""
ENTITY_NAMES = """
SELECT ?e ?type ?name ?alias WHERE {{ GRAPH {graph} {{ ?doc a schema:NewsArticle ; schema:mentions ?e . ?e a ?type .
  OPTIONAL {{ {{ ?e rdfs:label ?name BIND(0 AS ?alias) }} UNION {{ ?e skos:altLabel ?name BIND(1 AS ?alias) }} }} }} }}"""
# A name matches at the best of: the whole name, its start, a word's start (the FTS match); a label beats an alias.
NAME_MATCHES = """
SELECT names.iri, names.name, names.alias, entities.documents,
  CASE WHEN names.name = :text COLLATE NOCASE THEN 0 WHEN names.name LIKE :start THEN 1 ELSE 2 END AS tier
FROM names_text JOIN names ON names.id = names_text.rowid JOIN entities ON entities.iri = names.iri
WHERE names_text MATCH :query {typed}
ORDER BY tier, names.alias, bm25(names_text) - ln(1 + entities.documents), names.iri LIMIT :scan"""
TYPED = "AND EXISTS (SELECT 1 FROM entity_types t WHERE t.iri = names.iri AND t.type = :type)"
SENTENCE_MATCHES = """
SELECT sentences.document, documents.title, sentences.start, sentences.text,
  snippet(sentences_text, 0, char(2), char(3), '…', 24)
FROM sentences_text JOIN sentences ON sentences.id = sentences_text.rowid
  JOIN documents ON documents.name = sentences.document
WHERE sentences_text MATCH :query ORDER BY rank, sentences.document, sentences.start LIMIT :limit OFFSET :offset"""
WORD = re.compile(r"\w+")
MARK_START, MARK_END = "\x02", "\x03"
QUOTED = re.compile(r'"([^"]*)"?')


@dataclass(frozen=True)
class DocumentEntry:
    """What one document puts in the index."""

    summary: DocumentSummary
    content_hash: str
    names: list[tuple[str, str, bool]]  # entity IRI, name, is an alias
    types: list[tuple[str, str]]  # entity IRI, rdf:type
    mentions: dict[str, int]  # entity IRI → mentions of it in this document
    sentences: list[tuple[int, str]]  # offset in the text, sentence


@dataclass(frozen=True)
class NameHit:
    iri: str
    name: str
    alias: bool
    documents: int


@dataclass(frozen=True)
class SentenceHit:
    document: str
    title: str | None
    start: int
    sentence: str
    snippet: str  # the sentence, shortened with … when long, each matched word between MARK_START and MARK_END


def index_path(store_path: str | Path) -> Path:
    """Where the index of the store at ``store_path`` lives: beside its directory."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ".index.sqlite")


def entry_of(store: GraphStore, document: StoredDocument) -> DocumentEntry:
    """One stored document's index entry, read from its graph in the store."""
    graph = ox.NamedNode(document.graph)  # (a graph IRI in the query text: Oxigraph drops OPTIONALs under a bound GRAPH)
    row = next(iter(store.query(ARTICLE.format(graph=graph))), None)
    if row is None:
        raise NotFoundError(f"no document named {document.name!r} in {store.path}")
    names, types = set(), set()
    for found in store.query(ENTITY_NAMES.format(graph=graph)):
        iri = found["e"].value
        types.add((iri, found["type"].value))
        if found["name"] is not None:
            names.add((iri, found["name"].value, found["alias"].value == "1"))
    summary = DocumentSummary(id=document.name, iri=row["doc"].value, graph=document.graph, title=value(row["title"]),
                              published=value(row["published"]), entities=len({iri for iri, _ in types}),
                              mentions=0)
    found = mentions(store, document=summary, limit=None)
    summary = replace(summary, mentions=len(found))
    counts: dict[str, int] = {iri: 0 for iri, _ in types}
    for mention in found:
        if mention.entity in counts:
            counts[mention.entity] += 1
    sentences = {(m.sentence_start, m.sentence) for m in found if m.sentence and m.sentence_start is not None}
    return DocumentEntry(summary, document.content_hash, sorted(names), sorted(types), counts, sorted(sentences))


class SearchIndex:
    """The index file of one store; writable for builds, read-only for serving."""

    def __init__(self, path: str | Path, *, writable: bool = False):
        self.path = Path(path)
        if writable:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(TABLES)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        else:
            if not self.path.exists():
                raise IndexMissing.at(self.path)
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                       check_same_thread=False)
        self._inode = os.stat(self.path).st_ino

    @classmethod
    def of(cls, store: GraphStore) -> "SearchIndex":
        """The read-only index of ``store``, opened once per process and again when the file is replaced."""
        if store.path is None:
            raise IndexMissing.at(None)
        path = index_path(store.path)
        opened = _OPEN.get(path)
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            raise IndexMissing.at(path) from None
        if opened is None or opened._inode != current:
            opened = _OPEN[path] = cls(path)
        return opened

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------

    def put(self, entry: DocumentEntry) -> None:
        """Replace what the index holds for the entry's document, in one transaction."""
        with self._transaction():
            self._drop(entry.summary.id)
            s = entry.summary
            self._db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (s.id, s.iri, s.graph, s.title, s.published, s.entities, s.mentions, entry.content_hash))
            for iri, name, alias in entry.names:
                self._db.execute("INSERT OR IGNORE INTO names (iri, name, alias) VALUES (?, ?, ?)", (iri, name, alias))
                self._db.execute("INSERT OR IGNORE INTO name_documents SELECT id, ? FROM names "
                                 "WHERE iri = ? AND name = ? AND alias = ?", (s.id, iri, name, alias))
            self._db.executemany("INSERT OR IGNORE INTO entity_types VALUES (?, ?, ?)",
                                 [(iri, rdf_type, s.id) for iri, rdf_type in entry.types])
            self._db.executemany("INSERT INTO entity_documents VALUES (?, ?, ?)",
                                 [(iri, s.id, n) for iri, n in entry.mentions.items()])
            self._db.executemany("INSERT INTO sentences (document, start, text) VALUES (?, ?, ?)",
                                 [(s.id, start, text) for start, text in entry.sentences])

    def remove(self, name: str) -> None:
        with self._transaction():
            self._drop(name)

    def _drop(self, name: str) -> None:
        names = [row[0] for row in self._db.execute("SELECT name_id FROM name_documents WHERE document = ?", (name,))]
        self._db.execute("DELETE FROM name_documents WHERE document = ?", (name,))
        self._db.executemany("DELETE FROM names WHERE id = ? AND NOT EXISTS "
                             "(SELECT 1 FROM name_documents WHERE name_id = ?)", [(i, i) for i in names])
        for table in ("entity_types", "entity_documents", "sentences"):
            self._db.execute(f"DELETE FROM {table} WHERE document = ?", (name,))  # noqa: S608  fixed names
        self._db.execute("DELETE FROM documents WHERE name = ?", (name,))

    def _transaction(self):
        return Transaction(self._db)

    # --- reading ---------------------------------------------------------------------

    def names(self, text: str, *, rdf_type: str | None = None, limit: int) -> list[NameHit]:
        """Entities with a name whose words start with the words of ``text``, best first, each entity once.

        A whole-name match ranks above one at the name's start, that above one at a later
        word; a label above an alias; then bm25, raised by how many documents mention the entity.
        """
        query = fts_query(text, prefix=True)
        if query is None:
            return self.of_type(rdf_type, limit) if rdf_type else []
        hits: dict[str, NameHit] = {}
        rows = self._db.execute(NAME_MATCHES.format(typed=TYPED if rdf_type else ""),
                                {"text": text.strip(), "start": like_prefix(text.strip()), "query": query,
                                 "type": rdf_type, "scan": limit * 20})
        for iri, name, alias, count, _ in rows:
            if iri not in hits:
                hits[iri] = NameHit(iri, name, bool(alias), count)
                if len(hits) == limit:
                    break
        return list(hits.values())

    def of_type(self, rdf_type: str, limit: int) -> list[NameHit]:
        """Entities of a type, those most documents mention first, each under its label."""
        rows = self._db.execute(
            "SELECT e.iri, e.documents FROM entities e WHERE EXISTS (SELECT 1 FROM entity_types t WHERE t.iri = e.iri "
            "AND t.type = ?) ORDER BY e.documents DESC, e.iri LIMIT ?", (rdf_type, limit))
        return [NameHit(iri, self.label(iri) or iri, False, count) for iri, count in rows.fetchall()]

    def label(self, iri: str) -> str | None:
        """The entity's shortest label (as catalog.label_of chooses)."""
        row = self._db.execute("SELECT name FROM names WHERE iri = ? AND alias = 0 ORDER BY length(name), name "
                               "LIMIT 1", (iri,)).fetchone()
        return row[0] if row else None

    def types(self, iri: str) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT type FROM entity_types WHERE iri = ? ORDER BY type",
                                                    (iri,))]

    def sentences(self, text: str, *, limit: int, offset: int = 0) -> tuple[int, list[SentenceHit]]:
        """Sentences holding every word of ``text`` ("quoted words" as a phrase): how many, and one page, best first."""
        query = fts_query(text, prefix=False)
        if query is None:
            return 0, []
        total = self._db.execute("SELECT count(*) FROM sentences_text WHERE sentences_text MATCH ?",
                                 (query,)).fetchone()[0]
        rows = self._db.execute(SENTENCE_MATCHES, {"query": query, "limit": limit, "offset": offset})
        return total, [SentenceHit(*row) for row in rows]

    def documents(self, *, limit: int, offset: int = 0) -> tuple[int, list[DocumentSummary]]:
        """How many documents, and one page of them in name order."""
        total = self.document_count()
        rows = self._db.execute("SELECT name, iri, graph, title, published, entities, mentions FROM documents "
                                "ORDER BY name LIMIT ? OFFSET ?", (limit, offset))
        return total, [DocumentSummary(*row) for row in rows]

    def counts(self, kinds: Iterable[str]) -> dict:
        """Documents, entities of each of ``kinds`` (schema.org class names) and mentions, from the index's tables."""
        entities = {kind: self._db.execute("SELECT count(DISTINCT iri) FROM entity_types WHERE type = ?",
                                           (SCHEMA + kind,)).fetchone()[0] for kind in kinds}
        documents, mentions = self._db.execute("SELECT count(*), coalesce(sum(mentions), 0) FROM documents").fetchone()
        return {"documents": documents, "entities": entities, "mentions": mentions}

    def document_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def content_hashes(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT name, content_hash FROM documents"))

    def mention_count(self, iri: str) -> int:
        row = self._db.execute("SELECT mentions FROM entities WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else 0

    def most_mentioned(self, limit: int) -> list[tuple[str, int]]:
        return list(self._db.execute("SELECT iri, mentions FROM entities ORDER BY mentions DESC, iri LIMIT ?", (limit,)))


_OPEN: dict[Path, SearchIndex] = {}


class IndexMissing(StoreError):
    """The store has no search index: it was built before the index existed, or the file was deleted."""

    @classmethod
    def at(cls, path: Path | None) -> "IndexMissing":
        """(A classmethod, not __init__: the error is pickled back from query workers with its message alone.)"""
        if path is None:
            return cls("this store has no local search index: serve a remote store with --store naming the "
                       "directory whose index (from `kg build` or `kg index rebuild`) describes it")
        return cls(f"no search index at {path} (the store was built before it existed): run "
                   "`kg index rebuild`, or any `kg build`, to make it")


class Transaction:
    """BEGIN … COMMIT, or ROLLBACK on error; the index never holds half a document."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type | None, *exc: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def fts_query(text: str, *, prefix: bool) -> str | None:
    """User text as an FTS5 query: every word required ("quoted words" a phrase), words as prefixes if ``prefix``.

    Words are quoted, so nothing the user types is read as FTS5 syntax. None if there are no words.
    """
    parts = []
    for phrase in QUOTED.findall(text):
        words = WORD.findall(phrase)
        if words:
            parts.append('"' + " ".join(words) + '"')
    for word in WORD.findall(QUOTED.sub(" ", text)):
        parts.append(f'"{word}"*' if prefix else f'"{word}"')
    return " AND ".join(parts) or None


def like_prefix(text: str) -> str:
    """A LIKE pattern for names starting with ``text`` (its own % and _ taken literally)."""
    return text.replace("\\", "").replace("%", "").replace("_", "") + "%"


def synced(store: GraphStore, stored: Iterable[StoredDocument], *, everything: bool = False) -> SearchIndex:
    """The store's index, writable, holding every ``stored`` document as it is now and no other.

    Made when missing. A document whose entry is missing or older than its stored content
    (a build stopped between writing it and indexing it) is indexed here, each in its own
    transaction, so a server reading meanwhile always sees whole documents;
    ``everything`` indexes every document again (`kg index rebuild`).
    """
    index = SearchIndex(index_path(store.path), writable=True)
    indexed = index.content_hashes()
    current = {document.name: document for document in stored}
    for name in indexed.keys() - current.keys():
        index.remove(name)
    for name, document in current.items():
        if everything or indexed.get(name) != document.content_hash:
            index.put(entry_of(store, document))
    return index


def find_sentences(store: GraphStore, text: str, *, limit: int, offset: int = 0) -> tuple[int, list[SentenceHit]]:
    """SearchIndex.sentences over the store's index: for a worker job."""
    return SearchIndex.of(store).sentences(text, limit=limit, offset=offset)


def document_page(store: GraphStore, *, limit: int, offset: int) -> tuple[int, list[DocumentSummary]]:
    """SearchIndex.documents over the store's index: for a worker job."""
    return SearchIndex.of(store).documents(limit=limit, offset=offset)


def indexed_documents(store: GraphStore) -> int | None:
    """How many documents the store's index holds (a maintained count, not a scan); None without an index."""
    try:
        return SearchIndex.of(store).document_count()
    except IndexMissing:
        return None


def counts(store: GraphStore) -> dict:
    """SearchIndex.counts of people, organisations, places and events: for a worker job."""
    return SearchIndex.of(store).counts(("Person", "Organization", "Place", "Event"))

