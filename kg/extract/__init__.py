"""Extraction: documents in, mentions and learned aliases out (spaCy + our domain components)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.documents import Document
from kg.extract.mentions import Alias, Extraction, Mention, extraction_of
from kg.extract.pipeline import make_nlp, model_version

__all__ = ["Alias", "Extraction", "Mention", "extract", "make_nlp", "model_version"]


def extract(documents: Iterable[Document], *, model: str, gazetteer: str,
            processes: int = 1, batch_size: int = 16) -> Iterator[Extraction]:
    """Run the pipeline over documents in batches (``processes`` > 1 forks spaCy workers)."""
    nlp = make_nlp(model, gazetteer)
    pairs = ((document.text, document) for document in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, n_process=processes, batch_size=batch_size):
        yield extraction_of(document, doc)
