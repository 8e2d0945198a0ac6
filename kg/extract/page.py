"""The page's structure in the parse: names in bylines, credits and datelines, and headings re-read.

``kg.documents.structure.read_page`` finds the zones of a page from its text. Inside a
byline, a photo credit or a dateline the names are the ones the structure states
('Peter Kohalmi' and 'AFP' in 'Peter Kohalmi/AFP/Getty Images'), not what the model
made of the run ('Peter Kohalmi/AFP/Getty Images' as one person). A heading in Title
Case or capitals is no evidence of names ('Amnesty International Accuses'): its
entities are the names the story itself uses, found again in the heading.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.documents.structure import Zone, read_page
from kg.extract.components import record

STRUCTURE = {"byline", "credit", "dateline", "date"}


@Language.component("newskg_page", assigns=["doc.ents"])
def page_structure(doc: Doc) -> Doc:
    """Bylines, credits, datelines and date lines get the names the structure states."""
    spans = list(doc.ents)
    for zone in (z for z in read_page(doc.text).zones if z.kind in STRUCTURE):
        spans = [s for s in spans if not overlaps(s, zone) or s.label_ == "DATE" and zone.kind == "date"]
        spans += stated_names(doc, zone, list(doc.ents))
    doc.ents = filter_spans(spans)
    return doc


@Language.component("newskg_headings", assigns=["doc.ents"])
def headings(doc: Doc) -> Doc:
    """Headings get the story's names, once the story's names have their kinds."""
    zones = [z for z in read_page(doc.text).zones if z.kind == "heading"]
    if zones:
        doc.ents = filter_spans(reread_headings(doc, list(doc.ents), zones))
    return doc


def overlaps(span: Span, zone: Zone) -> bool:
    return span.start_char < zone.end and zone.start < span.end_char


def stated_names(doc: Doc, zone: Zone, model: list[Span]) -> list[Span]:
    """The zone's names as entities; a gazetteer entry the model matched on the same words keeps its id."""
    found = []
    for name in zone.names:
        span = doc.char_span(name.start, name.end, label=name.label, alignment_mode="expand")
        if span is None:
            continue
        known = next((s for s in model if s.start == span.start and s.end == span.end and s.id_), None)
        if known is not None:
            span = Span(doc, span.start, span.end, label=known.label_, span_id=known.id_)
        found.append(record(doc, span, f"rule:{zone.kind}"))
    return found


def reread_headings(doc: Doc, spans: list[Span], headings: list[Zone]) -> list[Span]:
    """Inside headings keep gazetteer matches and dates; everything else is found again as the
    names the rest of the page uses (any case), with the label the page mostly gives them."""
    def in_heading(span: Span) -> bool:
        return any(overlaps(span, zone) for zone in headings)

    labels: dict[str, Counter] = {}
    for span in spans:
        if not in_heading(span) and span.label_ != "DATE":
            labels.setdefault(span.text.casefold(), Counter())[span.label_] += 1
    kept = [s for s in spans if not in_heading(s) or s.id_ or s.label_ == "DATE"]
    taken = {i for s in kept if in_heading(s) for i in range(s.start_char, s.end_char)}
    text = doc.text
    for name in sorted(labels, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        for zone in headings:
            for match in pattern.finditer(text, zone.start, zone.end):
                if taken & set(range(match.start(), match.end())):
                    continue
                span = doc.char_span(match.start(), match.end(), label=labels[name].most_common(1)[0][0])
                if span is not None:
                    kept.append(record(doc, span, "rule:heading-name"))
                    taken |= set(range(match.start(), match.end()))
    return kept
