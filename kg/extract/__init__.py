"""Extraction: documents in, mentions and learned aliases out (spaCy + our domain components)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc

from kg.documents import Document
from kg.extract.components import mark_authors
from kg.extract.containment import containment
from kg.extract.events import events
from kg.extract.gazetteer import Gazetteer, load_gazetteer
from kg.extract.grammar import MentionIndex
from kg.extract.mentions import Alias, Extraction, Mention, extraction_of
from kg.extract.pipeline import make_nlp, model_version
from kg.extract.quotes import quotes
from kg.extract.relations import relations

__all__ = ["Alias", "Extraction", "Mention", "extract", "make_nlp", "model_version", "read"]


def extract(documents: Iterable[Document], *, model: str, gazetteer: str,
            batch_size: int = 16) -> Iterator[Extraction]:
    """Run the pipeline over documents in batches (in this process; kg.graphing spreads documents over processes)."""
    nlp = make_nlp(model, gazetteer)
    known = load_gazetteer(gazetteer)
    pairs = ((document.text, document) for document in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield read(document, doc, known)


def read(document: Document, doc: Doc, gazetteer: Gazetteer) -> Extraction:
    """The mentions of a parsed document, then the relations, events and quotes between them."""
    extraction = extraction_of(document, mark_authors(doc, document.authors))
    index = MentionIndex(doc, extraction.mentions)
    return replace(extraction, relations=tuple(relations(doc, index, gazetteer)) + tuple(containment(doc, index)),
                   events=tuple(events(doc, index, gazetteer, document.published)), quotes=tuple(quotes(doc, index)))
