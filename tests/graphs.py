"""Small hand-made document graphs that follow the RDF contract, written into a real store.

Each helper writes one document's named graph the way the extractor would: the article,
its typed and labelled entities, its text (one sentence per co-mention and per relation),
mentions in their sentences (co-mentions), and explicit relations with their reified
statements (evidence).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.rdf.namespaces import PREFIXES, Iris
from kg.store import GraphStore

BASE = "https://newskg.example/"
IRIS = Iris(BASE)
HEADER = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


@dataclass
class Doc:
    """One document: entities (key → (class, label, aliases)), sentences of co-mentions, relations."""

    name: str
    published: str | None = None
    entities: dict[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)
    sentences: list[tuple[str, ...]] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    extra: str = ""

    def entity(self, key: str, kind: str, label: str, *aliases: str) -> "Doc":
        self.entities[key] = (kind, label, aliases)
        return self

    def together(self, *keys: str) -> "Doc":
        """One sentence that names all of ``keys``."""
        self.sentences.append(keys)
        return self

    def relate(self, subject: str, predicate: str, obj: str) -> "Doc":
        """``subject predicate obj`` (keys or full IRIs in <>) with a reified statement as evidence."""
        self.relations.append((subject, predicate, obj))
        return self

    def turtle(self) -> str:
        doc = f"<{IRIS.document(self.name).value}>"
        lines = [f"{doc} a schema:NewsArticle ; schema:identifier {ox.Literal(self.name)} ; "
                 f"kg:contentHash \"{self.content_hash}\" ."]
        if self.published:
            lines.append(f"{doc} schema:datePublished \"{self.published}\"^^xsd:date .")
        for key, (kind, label, aliases) in self.entities.items():
            base_kind = {"Country": "Place", "City": "Place"}.get(kind, kind)
            lines.append(f"{node(key)} a schema:{kind}, schema:{base_kind} ; rdfs:label {ox.Literal(label)} .")
            lines += [f"{node(key)} skos:altLabel {ox.Literal(alias)} ." for alias in aliases]
            lines.append(f"{doc} schema:mentions {node(key)} .")
        text: list[str] = []

        def sentence(words: str) -> tuple[int, str]:
            """A sentence appended to the document's text: where it starts, and its node."""
            start = sum(len(t) + 1 for t in text)
            text.append(words)
            iri = f"<{IRIS.sentence(self.name, start, start + len(words)).value}>"
            lines.append(f"{iri} a kg:Sentence ; kg:inDocument {doc} ; kg:startOffset {start} ; "
                         f"kg:endOffset {start + len(words)} .")
            return start, iri

        for i, keys in enumerate(self.sentences):
            start, iri = sentence(f"Sentence {i} names " + " and ".join(self.entities[k][1] for k in keys) + ".")
            for j, key in enumerate(keys):
                lines.append(f"<{IRIS.mention(self.name, start + j, start + j + 1).value}> a kg:Mention ; "
                             f"kg:mentionOf {node(key)} ; kg:inSentence {iri} ; kg:startOffset {start + j} ; "
                             f"kg:endOffset {start + j + 1} .")
        for i, (s, p, o) in enumerate(self.relations):
            start, iri = sentence(f"Statement {i}: {s} {p} {o}.")
            lines.append(f"{node(s)} {p} {node(o)} .")
            lines.append(f"[] a rdf:Statement ; rdf:subject {node(s)} ; rdf:predicate {p} ; rdf:object {node(o)} ; "
                         f"kg:inSentence {iri} ; kg:startOffset {start} ; kg:endOffset {start + 1} ; "
                         f"kg:method \"rule:test\" ; kg:confidence 0.8 .")
        lines.append(f"{doc} schema:text {ox.Literal(' '.join(text))} .")
        return HEADER + "\n".join(lines) + "\n" + self.extra

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(repr((self.name, self.entities, self.sentences, self.relations,
                                    self.extra)).encode()).hexdigest()

    def store_in(self, store: GraphStore) -> None:
        graph = IRIS.graph(self.name)
        triples = ox.parse(self.turtle(), format=ox.RdfFormat.TURTLE)
        store.replace_graph(graph, [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples])


def node(key: str) -> str:
    return key if key.startswith("<") else f"<{BASE}{key}>"


def star(leaves: int = 5) -> Doc:
    """A person who is a member of ``leaves`` organisations, which share nothing else."""
    doc = Doc("star.txt", published="2021-05-01").entity("person/centre", "Person", "Centre Person")
    for i in range(leaves):
        doc.entity(f"organization/leaf-{i}", "Organization", f"Leaf {i}")
        doc.relate("person/centre", "schema:memberOf", f"organization/leaf-{i}")
    return doc


def chain(length: int = 5) -> Doc:
    """Places contained one in the next: place/p0 ⊂ place/p1 ⊂ … (a path graph)."""
    doc = Doc("chain.txt", published="2022-03-04")
    for i in range(length):
        doc.entity(f"place/p{i}", "Place", f"Place {i}")
    for i in range(length - 1):
        doc.relate(f"place/p{i}", "schema:containedInPlace", f"place/p{i + 1}")
    return doc


def bridged_cliques() -> Doc:
    """Two 4-cliques of co-mentioned people (a*, b*) and a bridge x co-mentioned with a1 and b1."""
    doc = Doc("cliques.txt", published="2023-01-06")
    for side in "ab":
        for i in range(1, 5):
            doc.entity(f"person/{side}{i}", "Person", f"{side.upper()}{i}")
        members = [f"person/{side}{i}" for i in range(1, 5)]
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                doc.together(first, second)
    doc.entity("person/x", "Person", "Xavier Bridge", "The Bridge")
    return doc.together("person/a1", "person/x").together("person/x", "person/b1")
