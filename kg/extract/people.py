"""People: how news writes their names, and the shorter forms that refer back to them.

``newskg_person_names`` reads a name the way news writes it: after a title or a role
('Barrister Gohar Khan', 'opposition politician Khyam Turki', 'President Díaz-Canel'), the
title being no part of the name; with particles ('Claudia Paz y Paz'); in a list of people
('…, Anon Numpa, Rangsiman Rome and …'), where every name is a person's.

``newskg_people`` then joins the short forms: news names a person once in full ('Maia
Sandu', 'Omar Al-Bashir') and then by surname ('Sandu', 'al-Bashir') or first name
('Eduardo'), which the model labels inconsistently. The document's own full names decide:
every use of a full name, of its surname or of its unambiguous first name is that person.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from nameparser import HumanName
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.components import FACILITY_HEADS, ORG_HEADS, learn_alias, record, tokens_among
from kg.names import PARTICLES, leading_titles, title_words
from kg.places import World, world

Doc.set_extension("newskg_titles", default=None, force=True)

POSSESSIVE_ENDINGS = ("’s", "'s", "’", "'")


LIST_GLUE = {",", "and", "&"}
MAX_NAME_WORDS = 4


@Language.factory("newskg_person_names", assigns=["doc.ents"], default_config={"titles": []})
def make_person_names(nlp: Language, name: str, titles: list[str]) -> "PersonNames":
    return PersonNames(titles=titles)


class PersonNames:
    """Person names as news writes them: after titles, with particles, in lists of people."""

    def __init__(self, *, titles: list[str]):
        self.titles = title_words(tuple(titles))
        self.title_forms = self.titles | {t + "." for t in self.titles}  # 'Dr.', 'Gen.' as tokens
        self.world = world()

    def __call__(self, doc: Doc) -> Doc:
        spans = [self.untitled(doc, s) for s in doc.ents]
        spans = joined_by_particles(doc, spans)
        spans = self.after_titles(doc, spans)
        spans = listed_people(doc, spans, self.world)
        doc.ents = filter_spans(spans)
        return doc

    def untitled(self, doc: Doc, span: Span) -> Span:
        """'Barrister Gohar Khan' → 'Gohar Khan', keeping 'Barrister' as the title written there."""
        if span.label_ != "PERSON" or span.id_:
            return span
        count = leading_titles([t.text for t in span], self.titles)
        if count == 0:
            return span
        name = record(doc, Span(doc, span.start + count, span.end, label="PERSON"), "rule:title-removed")
        if doc._.newskg_titles is None:
            doc._.newskg_titles = {}
        doc._.newskg_titles[f"{name.start_char}:{name.end_char}"] = span[:count].text
        return name

    def after_titles(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A capitalised name right after a title or role ('politician Khyam Turki', 'President
        Díaz-Canel', 'chairperson Job Sikhala') is a person, whatever the model made of it."""
        at = {i: s for s in spans for i in range(s.start, s.end)}
        for i in tokens_among(doc, self.title_forms | {","}):
            token = doc[i]
            if token.i + 1 >= len(doc):
                continue
            start = self.name_start(doc, token)
            if start is None or token.i in at or start in at and at[start].start != start:
                continue
            run = name_run(doc, start, self.titles)
            if run is None or is_place_or_body(run, self.world):
                continue
            existing = at.get(run.start)
            if existing is None and len(run) >= 2 and not any(i in at for i in range(run.start, run.end)):
                spans.append(record(doc, Span(doc, run.start, run.end, label="PERSON"), "rule:name-after-title"))
            elif existing is not None and (existing.start, existing.end) == (run.start, run.end) \
                    and existing.label_ != "PERSON" and not existing.id_:
                spans = [s for s in spans if s is not existing]
                spans.append(record(doc, Span(doc, run.start, run.end, label="PERSON"), "rule:name-after-title"))
        return spans


    def name_start(self, doc: Doc, token: Token) -> int | None:
        """Where a name may start after ``token``: right after a title ('politician Khyam Turki'), or
        after the comma of a role phrase ('a lawyer for the defendants, Abdessatar Massoudi,')."""
        if token.lower_.rstrip(".") in self.titles:
            return token.i + 1
        if token.text == "," and any(t.lower_ in self.titles for t in doc[max(token.i - 6, 0):token.i]):
            run = name_run(doc, token.i + 1, self.titles)
            if run is not None and run.end < len(doc) and doc[run.end].text == "," and len(run) >= 2:
                return token.i + 1
        return None


def name_run(doc: Doc, start: int, titles: frozenset[str]) -> Span | None:
    """Up to four capitalised proper-noun words from ``start`` (hyphens and particles inside)."""
    end = start
    while end < len(doc) and end - start < MAX_NAME_WORDS * 2:
        token = doc[end]
        if token.text == "-" and end > start and not token.whitespace_ or \
                token.lower_ in PARTICLES and end > start and end + 1 < len(doc) and doc[end + 1].is_title:
            end += 1
            continue
        if not (token.is_title or token.is_upper and len(token) > 1) or token.pos_ != "PROPN" \
                or token.lower_.rstrip(".") in titles:
            break
        end += 1
    while end > start and (doc[end - 1].text == "-" or doc[end - 1].lower_ in PARTICLES):
        end -= 1
    words = [t for t in doc[start:end] if t.is_alpha]
    return doc[start:end] if 1 <= len(words) <= MAX_NAME_WORDS else None


def is_place_or_body(span: Span, places: World) -> bool:
    """Known places, demonyms and names built on an organisation's or a facility's noun are no person."""
    last = span[-1].lower_
    return places.is_place(span.text, 15000) or places.is_demonym(span.text) or last in ORG_HEADS | FACILITY_HEADS


def joined_by_particles(doc: Doc, spans: list[Span]) -> list[Span]:
    """'Claudia Paz' + 'y' + 'Paz' → 'Claudia Paz y Paz': a particle between two parts of one name."""
    ordered = sorted(spans, key=lambda s: s.start)
    joined: list[Span] = []
    for span in ordered:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.label_ == span.label_ == "PERSON" and span.start == previous.end + 1
                and doc[previous.end].lower_ in PARTICLES and doc[previous.end].is_lower):
            joined[-1] = record(doc, Span(doc, previous.start, span.end, label="PERSON"), "rule:name-particle")
            continue
        joined.append(span)
    return joined


def listed_people(doc: Doc, spans: list[Span], places: World) -> list[Span]:
    """In a list of names that are mostly people ('A B, C D, E F and G H'), every multi-word name
    the data does not know as a place or an organisation is a person; two names written side by
    side there are one."""
    ordered = sorted(spans, key=lambda s: s.start)
    result, group = [], []
    for span in ordered + [None]:
        if span is not None and group and listed_after(doc, group[-1], span):
            group.append(span)
            continue
        result.extend(people_of_list(doc, group, places))
        group = [span] if span is not None else []
    return result


def listed_after(doc: Doc, previous: Span, span: Span) -> bool:
    between = [t for t in doc[previous.end:span.start] if not t.is_space]
    return all(t.lower_ in LIST_GLUE for t in between) and len(between) <= 2 and "\n" not in doc[previous.end:span.start].text


def people_of_list(doc: Doc, group: list[Span], places: World) -> list[Span]:
    items = merge_adjacent(doc, group)
    people = sum(1 for s in items if s.label_ == "PERSON")
    if len(items) < 2 or people * 2 <= len(items) and len(items) > 2 or len(items) == 2 and people != 1:
        return group
    relabelled = []
    for span in items:
        words = [t for t in span if t.is_alpha]
        if (span.label_ != "PERSON" and not span.id_ and len(words) >= 2 and span.label_ != "DATE"
                and not is_place_or_body(span, places) and all(t.is_title or t.is_upper for t in words)):
            span = record(doc, Span(doc, span.start, span.end, label="PERSON"), "rule:list-of-people")
        relabelled.append(span)
    return relabelled


def merge_adjacent(doc: Doc, group: list[Span]) -> list[Span]:
    """'Putthaising' 'Pimchan': two names with only a space between are one list item."""
    merged: list[Span] = []
    for span in group:
        if merged and span.start == merged[-1].end and len(merged[-1]) + len(span) <= MAX_NAME_WORDS:
            merged[-1] = Span(doc, merged[-1].start, span.end, label=merged[-1].label_)
            continue
        merged.append(span)
    return merged


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
        for surname in {words[-1], last_name(text)}:
            if surname and surname[:1].isupper() and surname not in full_names:
                short.setdefault(surname, (text, "surname"))
        if words[0].lower() not in PARTICLES:
            firsts.setdefault(words[0], set()).add(text)
    for first, owners in firsts.items():
        if len(owners) == 1 and first not in short:
            short[first] = (next(iter(owners)), "first-name")
    return {alias: value for alias, value in short.items()
            if alias.lower() not in PARTICLES and not places.is_country(alias) and len(alias) > 1}


@lru_cache(maxsize=4096)
def last_name(text: str) -> str:
    """nameparser's reading of the surname: 'Paz y Paz', 'Del Castillo', 'Al-Bashir'."""
    return HumanName(text).last


def alias_mentions(doc: Doc, spans: list[Span], short: dict[str, tuple[str, str]]) -> list[Span]:
    """Every free-standing use of a surname or first name becomes a person mention."""
    taken = {i for span in spans for i in range(span.start, span.end)}
    for i in tokens_among(doc, set(short), "ORTH"):
        token = doc[i]
        found = short.get(token.text)
        if found is None or token.i in taken or not token.is_title and not token.is_upper:
            continue
        source = "rule:surname" if found[1] == "surname" else "rule:first-name"
        spans.append(record(doc, Span(doc, token.i, token.i + 1, label="PERSON"), source))
    return spans
