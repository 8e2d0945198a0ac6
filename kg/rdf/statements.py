"""Facts as triples, each stated once plainly and once as a reified ``rdf:Statement``.

The plain triple is what queries join on (``?p schema:memberOf ?role``); the
statement beside it says where it was read and how sure we are::

    ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        kg:inSentence ?sentence ; kg:startOffset 120 ; kg:endOffset 180 ;
        kg:method "rule:apposition-role" ; kg:confidence 0.85 .

The sentence node (kg/rdf/sentences.py) holds the document and where the sentence lies
in its text, once for every mention and statement read there; the extractor is said
once, of the document's graph.

Reification rather than RDF-star: every RDF 1.1 tool (rdflib, rapper, the scorer)
reads it, and SPARQL 1.1 queries it without extensions.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode

from kg.extract.claims import Evidence
from kg.facts import DocumentFacts, Event, Quotation, Role
from kg.rdf.namespaces import KG, RDF, RDFS, SCHEMA, XSD, Iris, term
from kg.rdf.sentences import Sentences

A = term(RDF, "type")
LABEL = term(RDFS, "label")
XSD_INTEGER = term(XSD, "integer")
XSD_DECIMAL = term(XSD, "decimal")


class FactWriter:
    """Writes one document's facts; knows the document, its sentences and the IRI scheme."""

    def __init__(self, iris: Iris, document_name: str, sentences: Sentences):
        self.iris = iris
        self.document_name = document_name
        self.doc = sentences.doc
        self.sentences = sentences

    def triples(self, facts: DocumentFacts) -> Iterator[tuple]:
        for role in facts.roles:
            yield from self.role(role)
        for edge in facts.links:
            yield from self.stated(self.node(edge.subject), term(SCHEMA, edge.predicate), self.node(edge.object),
                                   edge.evidence)
        for event in facts.events:
            yield from self.event(event)
        for quote in facts.quotes:
            yield from self.quote(quote)

    def role(self, role: Role) -> Iterator[tuple]:
        node = self.node(role.key)
        yield node, A, term(SCHEMA, "OrganizationRole")
        yield node, term(SCHEMA, "roleName"), Literal(role.name)
        yield node, LABEL, Literal(role.name)
        yield from self.stated(self.node(role.person), term(SCHEMA, "memberOf"), node, role.evidence)
        yield from self.stated(node, term(SCHEMA, "memberOf"), self.node(role.organization), role.evidence)

    def event(self, event: Event) -> Iterator[tuple]:
        node = self.node(event.key)
        namespace = SCHEMA if event.event_class == "Event" else KG
        yield node, A, term(namespace, event.event_class)
        yield node, A, term(SCHEMA, "Event")
        yield node, LABEL, Literal(event.label)
        yield node, term(KG, "trigger"), Literal(event.trigger)
        yield self.doc, term(SCHEMA, "mentions"), node
        yield from self.stated(node, term(KG, "inDocument"), self.doc, event.evidence)
        if event.named:
            yield from self.stated(node, term(SCHEMA, "superEvent"), self.node(event.named), event.evidence)
        if event.date:
            value = event.date.value
            yield from self.stated(node, term(SCHEMA, "startDate"),
                                   Literal(value.value, datatype=term(XSD, value.xsd_type)), event.date.evidence)
        if event.count:
            yield node, term(KG, "reportedCount"), Literal(event.count)
        for argument in event.arguments:
            yield from self.stated(node, term(SCHEMA, argument.predicate), self.node(argument.object),
                                   argument.evidence)

    def quote(self, quote: Quotation) -> Iterator[tuple]:
        node = self.node(quote.key)
        yield node, A, term(SCHEMA, "Quotation")
        yield node, term(SCHEMA, "text"), Literal(quote.text)
        yield node, LABEL, Literal(quote.text if len(quote.text) <= 80 else quote.text[:79] + "…")
        yield from self.stated(node, term(SCHEMA, "creator"), self.node(quote.speaker), quote.evidence)
        if quote.audience:
            yield from self.stated(node, term(SCHEMA, "recipient"), self.node(quote.audience), quote.evidence)
        for about in quote.about:
            yield from self.stated(node, term(SCHEMA, "about"), self.node(about), quote.evidence)
        if quote.date:
            yield node, term(SCHEMA, "dateCreated"), Literal(quote.date.value, datatype=term(XSD, quote.date.xsd_type))
        yield from self.stated(node, term(KG, "inDocument"), self.doc, quote.evidence)

    def stated(self, subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal,
               evidence: Evidence) -> Iterator[tuple]:
        """The triple, and the statement that records its evidence."""
        yield subject, predicate, obj
        digest = hashlib.sha1(f"{subject} {predicate} {obj} {evidence.start} {evidence.end}".encode()).hexdigest()
        statement = self.iris.statement(self.document_name, digest[:16])
        yield statement, A, term(RDF, "Statement")
        yield statement, term(RDF, "subject"), subject
        yield statement, term(RDF, "predicate"), predicate
        yield statement, term(RDF, "object"), obj
        yield statement, term(KG, "inSentence"), self.sentences.node(evidence.sentence, evidence.sentence_start,
                                                                      evidence.start, evidence.end)
        yield statement, term(KG, "startOffset"), Literal(str(evidence.start), datatype=XSD_INTEGER)
        yield statement, term(KG, "endOffset"), Literal(str(evidence.end), datatype=XSD_INTEGER)
        yield statement, term(KG, "method"), Literal(evidence.method)
        yield statement, term(KG, "confidence"), Literal(f"{evidence.confidence:.2f}", datatype=XSD_DECIMAL)

    def node(self, key: str) -> NamedNode:
        return self.iris.entity(key)
