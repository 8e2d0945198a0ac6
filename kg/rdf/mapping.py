"""A resolved document as quads in its own named graph.

Everything a document contributes lives in its graph: the article, the entities as
it names them (type, label, the aliases it uses), its mentions with offsets, the
sentences they and the facts were read in (each once, kg/rdf/sentences.py), and the
extractor that made them (said once, of the graph). Removing or replacing a document is
then one graph operation, and the union of graphs is the knowledge graph.
"""
from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from kg import __version__
from kg.rdf.namespaces import GAZETTEER, KG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, Iris, term
from kg.facts import DocumentFacts
from kg.rdf.sentences import Sentences
from kg.rdf.statements import FactWriter
from kg.resolve import ResolvedDocument

A = term(RDF, "type")
LABEL = term(RDFS, "label")
XSD_INTEGER = term(XSD, "integer")
XSD_DATE = term(XSD, "date")


def document_quads(resolved: ResolvedDocument, facts: DocumentFacts, iris: Iris, model: str) -> list[Quad]:
    """All quads of one document, in its named graph."""
    graph = iris.graph(resolved.document.name)
    doc = iris.document(resolved.document.name)
    extractor = iris.extractor(__version__)
    sentences = Sentences(iris, resolved.document.name, doc)
    triples = [
        *article(resolved, doc, iris),
        *software(extractor, model),
        (graph, term(PROV, "wasAttributedTo"), extractor),
        *entities(resolved, iris),
        *dates(resolved, iris),
        *mentions(resolved, sentences, iris),
        *FactWriter(iris, resolved.document.name, sentences).triples(facts),
    ]
    triples += sentences.triples()
    return [Quad(s, p, o, graph) for s, p, o in triples]


def article(resolved: ResolvedDocument, doc: NamedNode, iris: Iris) -> Iterator[tuple]:
    document = resolved.document
    yield doc, A, term(SCHEMA, "NewsArticle")
    yield doc, term(SCHEMA, "identifier"), Literal(document.name)
    yield doc, term(SCHEMA, "text"), Literal(document.text)
    yield doc, term(KG, "contentHash"), Literal(document.content_hash)
    if document.title:
        yield doc, term(SCHEMA, "name"), Literal(document.title)
    if document.published:
        yield doc, term(SCHEMA, "datePublished"), Literal(document.published.isoformat(), datatype=XSD_DATE)
    if document.url:
        yield doc, term(SCHEMA, "url"), NamedNode(document.url)
    for key in resolved.author_keys:
        yield doc, term(SCHEMA, "author"), iris.entity(key)
    for key in resolved.agency_keys:
        yield doc, term(SCHEMA, "sourceOrganization"), iris.entity(key)
    for key in resolved.dateline_keys:
        yield doc, term(SCHEMA, "locationCreated"), iris.entity(key)
    for key in sorted(e.key for e in resolved.entities):
        yield doc, term(SCHEMA, "mentions"), iris.entity(key)
    for key in sorted(d.key for d in resolved.dates):
        yield doc, term(KG, "mentionsDate"), iris.entity(key)


def software(extractor: NamedNode, model: str) -> Iterator[tuple]:
    yield extractor, A, term(KG, "Extractor")
    yield extractor, LABEL, Literal(f"newskg extractor {__version__}")
    yield extractor, term(SCHEMA, "softwareVersion"), Literal(__version__)
    yield extractor, term(KG, "model"), Literal(model)


def entities(resolved: ResolvedDocument, iris: Iris) -> Iterator[tuple]:
    for entity in resolved.entities:
        node = iris.entity(entity.key)
        namespace = KG if entity.rdf_class in ("ArmedForce", "Region") else SCHEMA
        yield node, A, term(namespace, entity.rdf_class)
        if entity.rdf_class != entity.kind:
            yield node, A, term(SCHEMA, entity.kind)
        yield node, LABEL, Literal(entity.label)
        for alias in sorted(entity.aliases):
            yield node, term(SKOS, "altLabel"), Literal(alias)
        for same in entity.same_as:
            yield node, term(OWL, "sameAs"), NamedNode(same)
        if entity.gazetteer_key:
            yield node, term(KG, "gazetteerEntry"), NamedNode(GAZETTEER + entity.gazetteer_key)


def dates(resolved: ResolvedDocument, iris: Iris) -> Iterator[tuple]:
    for node in resolved.dates:
        subject = iris.entity(node.key)
        yield subject, A, term(KG, "CalendarDate")
        yield subject, LABEL, Literal(node.value.value)
        yield subject, term(KG, "dateValue"), Literal(node.value.value, datatype=term(XSD, node.value.xsd_type))


def mentions(resolved: ResolvedDocument, sentences: Sentences, iris: Iris) -> Iterator[tuple]:
    name = resolved.document.name
    for link in resolved.links:
        node = yield from mention(link.mention, name, sentences, iris)
        yield node, term(KG, "mentionOf"), iris.entity(link.key)
        yield node, term(KG, "resolution"), term(KG, link.reason)
    for unresolved in resolved.unresolved_dates:
        yield from mention(unresolved, name, sentences, iris)


def mention(m, document_name: str, sentences: Sentences, iris: Iris):
    """A span's own facts. Its words (and its sentence's) are the document's text between the offsets;
    its document and extractor are said once, of its sentence and of the graph."""
    node = iris.mention(document_name, m.start, m.end)
    yield node, A, term(KG, "Mention")
    yield node, term(KG, "inSentence"), sentences.node(m.sentence, m.sentence_start, m.start, m.end)
    yield node, term(KG, "startOffset"), Literal(str(m.start), datatype=XSD_INTEGER)
    yield node, term(KG, "endOffset"), Literal(str(m.end), datatype=XSD_INTEGER)
    yield node, term(KG, "nerLabel"), Literal(m.label)
    yield node, term(KG, "method"), Literal(m.source)
    return node
