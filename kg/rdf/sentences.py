"""The sentences of a document that something was read in, each stated once.

A mention and a statement do not repeat their sentence: they point at a sentence node
(``kg:inSentence``), and the node says where the sentence lies in the document's
``schema:text``::

    <base>sentence/<document>/120-245 a kg:Sentence ; kg:inDocument ?doc ;
        kg:startOffset 120 ; kg:endOffset 245 .

The sentence's words are the text between those offsets (``SUBSTR(?text, ?start + 1,
?end - ?start)`` in SPARQL: offsets count code points, as SPARQL's string functions do).
"""
from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode

from kg.rdf.namespaces import KG, RDF, XSD, Iris, term

A = term(RDF, "type")
XSD_INTEGER = term(XSD, "integer")


def words(text: str, start: str, end: str) -> str:
    """SPARQL for the stretch ``start..end`` (variables or numbers) of the string ``text``: SUBSTR counts from 1."""
    return f"SUBSTR({text}, {start} + 1, {end} - {start})"


class Sentences:
    """Mints one document's sentence nodes as mentions and statements ask for them, then states each once."""

    def __init__(self, iris: Iris, document_name: str, doc: NamedNode):
        self.iris = iris
        self.document_name = document_name
        self.doc = doc
        self.spans: dict[NamedNode, tuple[int, int]] = {}

    def node(self, sentence: str, sentence_start: int, start: int, end: int) -> NamedNode:
        """The node of the sentence ``sentence`` (at offset ``sentence_start``) that the span start..end was read in.

        A span the parser split across a sentence boundary (a heading cut after its first
        word) widens the sentence to hold it, so every span lies inside its sentence.
        """
        start, end = min(sentence_start, start), max(sentence_start + len(sentence), end)
        node = self.iris.sentence(self.document_name, start, end)
        self.spans[node] = (start, end)
        return node

    def triples(self) -> Iterator[tuple]:
        """Every sentence asked for so far, in text order."""
        for node, (start, end) in sorted(self.spans.items(), key=lambda item: item[1]):
            yield node, A, term(KG, "Sentence")
            yield node, term(KG, "inDocument"), self.doc
            yield node, term(KG, "startOffset"), Literal(str(start), datatype=XSD_INTEGER)
            yield node, term(KG, "endOffset"), Literal(str(end), datatype=XSD_INTEGER)
