"""Mentions: the spans our pipeline found, with the provenance every later fact carries."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from kg.documents import Document
from kg.extract.components import KEPT_LABELS

if TYPE_CHECKING:
    from kg.extract.claims import EventFact, Quote, Relation


@dataclass(frozen=True)
class Mention:
    """A name or date read at ``start:end`` of a document's text, in ``sentence``."""

    text: str
    label: str  # PERSON, ORG, GPE, LOC, FAC, EVENT or DATE
    start: int
    end: int
    sentence: str
    sentence_start: int
    source: str  # "ner", "gazetteer" or the rule that made the span
    gazetteer_id: str | None = None


@dataclass(frozen=True)
class Alias:
    """A short name the document itself ties to a full one, and how (acronym, surname)."""

    alias: str
    full: str
    reason: str


@dataclass(frozen=True)
class Extraction:
    """What the pipeline read from one document: names and dates, then the facts between them."""

    document: Document
    mentions: tuple[Mention, ...]
    aliases: tuple[Alias, ...]
    relations: tuple[Relation, ...] = ()
    events: tuple[EventFact, ...] = ()
    quotes: tuple[Quote, ...] = ()


def mentions_of(doc: Doc) -> tuple[Mention, ...]:
    sources = doc._.newskg_sources or {}
    sentences = list(doc.sents)  # read once: Span.sent searches the sentences for every mention
    starts = [s.start for s in sentences]
    found = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        sentence = sentences[bisect_right(starts, ent.start) - 1]
        text = sentence.text
        source = sources.get(f"{ent.start_char}:{ent.end_char}") or ("gazetteer" if ent.ent_id_ else "ner")
        found.append(Mention(
            text=ent.text, label=ent.label_, start=ent.start_char, end=ent.end_char,
            sentence=text.strip(), sentence_start=sentence.start_char + (len(text) - len(text.lstrip())),
            source=source, gazetteer_id=ent.ent_id_ or None,
        ))
    return tuple(found)


def extraction_of(document: Document, doc: Doc) -> Extraction:
    aliases = tuple(Alias(*a) for a in (doc._.newskg_aliases or []))
    return Extraction(document=document, mentions=mentions_of(doc), aliases=aliases)
