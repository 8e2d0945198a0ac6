"""People a document names in full, and the shorter forms that refer back to them.

News names a person once in full ('Maia Sandu', 'Omar Al-Bashir') and then by surname
('Sandu', 'al-Bashir', 'Bashir') or, less often, by first name ('Eduardo'). The model
labels those short forms inconsistently (a surname as a place, a full name as an
organisation in one sentence and a person in the next). Here the document's own full
names decide: every use of a full name, of its surname or of its unambiguous first name
is that person.
"""
from __future__ import annotations

from collections import Counter

from nameparser import HumanName
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.components import learn_alias, record
from kg.names import PARTICLES
from kg.places import world

POSSESSIVE_ENDINGS = ("’s", "'s", "’", "'")


@Language.factory("newskg_people", assigns=["doc.ents"])
def make_people(nlp: Language, name: str) -> "People":
    return People()


class People:
    """Full person names, and their surnames and first names wherever they stand alone."""

    def __init__(self) -> None:
        self.world = world()

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.ents)
        full_names = person_names(spans)
        short = short_forms(full_names, self.world)
        spans = [self.relabelled(doc, s, full_names, short) for s in spans]
        for alias, (full, reason) in short.items():
            learn_alias(doc, alias, full, reason)
        doc.ents = filter_spans(alias_mentions(doc, spans, short))
        return doc

    def relabelled(self, doc: Doc, span: Span, full_names: dict[str, Span], short: dict) -> Span:
        if span.label_ in ("PERSON", "DATE") or span.id_:
            return span
        text = bare(span.text)
        if text in full_names or text in short and not self.world.is_country(text):
            return record(doc, Span(doc, span.start, span.end, label="PERSON"), "rule:person-name")
        return span


def bare(text: str) -> str:
    for ending in POSSESSIVE_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending) + 1:
            return text[:-len(ending)]
    return text


def person_names(spans: list[Span]) -> dict[str, Span]:
    """Multi-word names the document mostly calls a person, in order of first use."""
    labels: dict[str, Counter] = {}
    for span in spans:
        labels.setdefault(bare(span.text), Counter())[span.label_] += 1
    names: dict[str, Span] = {}
    for span in spans:
        text = bare(span.text)
        words = [t for t in span if t.is_alpha]
        counts = labels[text]
        if (span.label_ == "PERSON" and len(words) >= 2 and counts["PERSON"] >= max(counts.values())
                and words[-1].text[:1].isupper() and words[-1].pos_ == "PROPN"):
            names.setdefault(text, span)
    return names


def short_forms(full_names: dict[str, Span], places) -> dict[str, tuple[str, str]]:
    """Surname → (full name, 'surname'), first-seen full name winning; first name → (full name,
    'first-name') only when one full name has it. Countries and particles are never short forms."""
    short: dict[str, tuple[str, str]] = {}
    firsts: dict[str, set[str]] = {}
    for text, span in full_names.items():
        words = [t.text for t in span if t.is_alpha]
        for surname in {words[-1], HumanName(text).last}:
            if surname and surname[:1].isupper() and surname not in full_names:
                short.setdefault(surname, (text, "surname"))
        if words[0].lower() not in PARTICLES:
            firsts.setdefault(words[0], set()).add(text)
    for first, owners in firsts.items():
        if len(owners) == 1 and first not in short:
            short[first] = (next(iter(owners)), "first-name")
    return {alias: value for alias, value in short.items()
            if alias.lower() not in PARTICLES and not places.is_country(alias) and len(alias) > 1}


def alias_mentions(doc: Doc, spans: list[Span], short: dict[str, tuple[str, str]]) -> list[Span]:
    """Every free-standing use of a surname or first name becomes a person mention."""
    taken = {i for span in spans for i in range(span.start, span.end)}
    for token in doc:
        found = short.get(token.text)
        if found is None or token.i in taken or not token.is_title and not token.is_upper:
            continue
        source = "rule:surname" if found[1] == "surname" else "rule:first-name"
        spans.append(record(doc, Span(doc, token.i, token.i + 1, label="PERSON"), source))
    return spans
