"""Our spaCy components: the rules news needs on top of the statistical NER.

Order in the pipeline (see ``pipeline.make_nlp``)::

    newskg_paragraphs → parser … entity_ruler (gazetteer) → ner
        → newskg_entity_rules → newskg_kinds (kinds.py) → newskg_acronyms → newskg_people (people.py)

Every span a rule adds or changes is recorded in ``doc._.newskg_sources`` (offsets →
rule name), and every alias a rule learns in ``doc._.newskg_aliases`` as
``(alias, full name, reason)``: the resolver turns those into merge reasons.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy

from spacy.language import Language
from spacy.strings import hash_string
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.names import PARTICLES, title_words

Doc.set_extension("newskg_aliases", default=None, force=True)
Doc.set_extension("newskg_sources", default=None, force=True)
Doc.set_extension("newskg_nationalities", default=None, force=True)

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"}
KEPT_LABELS = NAME_LABELS | {"DATE"}
# Last words that make a name an organisation, whatever the model guessed.
ORG_HEADS = {
    "institute", "party", "committee", "council", "organization", "organisation", "front", "corps",
    "intergroup", "coalition", "league", "parliament", "ministry", "agency", "association", "union",
    "foundation", "university", "school", "college", "academy", "army", "police", "court", "network",
    "movement", "federation", "commission", "assembly", "government", "bank", "company", "group",
    "center", "centre", "program", "programme", "society", "alliance", "guards", "convention",
    "news", "media", "fund", "lab", "laboratory",
}
# Last words that make a name a building or a site: a place, not the body that runs it.
FACILITY_HEADS = {
    "prison", "jail", "square", "station", "airport", "stadium", "hospital", "palace", "street", "avenue",
    "bridge", "camp", "mosque", "church", "temple", "embassy", "hotel", "park", "compound",
}
# Head nouns of laws and treaties: documents, not actors ('Reciprocal Access to Tibet Act').
LAW_HEADS = {"act", "bill", "law", "covenant", "treaty", "charter", "constitution", "decree", "amendment",
             "protocol"}
COMPASS_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"}
# Nouns that make a name (or a 'the 1988 …' phrase) an event.
EVENT_HEADS = {
    "summit", "gathering", "rally", "conference", "congress", "massacre", "revolution", "uprising",
    "war", "election", "elections", "protest", "protests", "festival", "march", "strike", "games",
    "olympics", "crisis", "coup", "referendum", "ceasefire", "demonstration", "demonstrations",
}
GLUED_YEAR = re.compile(r"[A-Za-z](19|20)\d\d$")
QUANTITY_WORDS = {"millions", "thousands", "hundreds", "dozens", "tens", "scores", "billions"}
LEADING_JUNK = {"the", "“", "”", '"', "'", "‘", "’", "(", "[", "-", "–", "—", ":", ","}
TRAILING_JUNK = {"’s", "'s", "’", "'", "“", "”", '"', ")", "]", "-", "–", "—", ",", ":", ".", ";"}


def tokens_among(doc: Doc, words: set[str] | frozenset[str], attribute: str = "LOWER") -> list[int]:
    """Indices of the tokens whose lower-case form (or ``attribute``) is one of ``words``: found on
    the doc's arrays, so the rules that look for a few words do not walk every token in Python."""
    return [int(i) for i in numpy.flatnonzero(numpy.isin(doc.to_array(attribute), hashes_of(frozenset(words))))]


@lru_cache(maxsize=64)
def hashes_of(words: frozenset[str]) -> numpy.ndarray:
    return numpy.array([hash_string(w) for w in words], dtype="uint64")


def record(doc: Doc, span: Span, source: str) -> Span:
    if doc._.newskg_sources is None:
        doc._.newskg_sources = {}
    doc._.newskg_sources[f"{span.start_char}:{span.end_char}"] = source
    return span


def learn_alias(doc: Doc, alias: str, full: str, reason: str) -> None:
    if doc._.newskg_aliases is None:
        doc._.newskg_aliases = []
    if alias != full and [alias, full, reason] not in doc._.newskg_aliases:
        doc._.newskg_aliases.append([alias, full, reason])


@Language.component("newskg_paragraphs", assigns=["token.is_sent_start"])
def paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and timeline entries lack full stops."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def trim(span: Span) -> Span | None:
    """The span without paragraph breaks, brackets, quotes, possessives, a spaced dash and what
    follows it, or leading lower-case words ('aforementioned Group'; not 'al-' or 'de').

    A capitalised 'The' stays when it is mid-sentence: there it belongs to the name
    ('The Hague'); at the start of a sentence capitalisation tells nothing.
    """
    doc = span.doc
    start, end = span.start, span.end
    for i in range(start, end):
        if doc[i].is_space and "\n" in doc[i].text or i > start and (doc[i].text in {"(", "[", ")", "]"}
                                                                     or is_spaced_dash(doc[i])):
            end = i
            break
    while start < end and (doc[start].text in LEADING_JUNK and doc[start].text != "The" or doc[start].is_space
                           or doc[start].text == "The" and doc[start].is_sent_start
                           or span.label_ in NAME_LABELS and doc[start].is_lower and doc[start].is_alpha
                           and start + 1 < end and doc[start + 1].text != "-" and doc[start].lower_ not in PARTICLES):
        start += 1
    while end > start and (doc[end - 1].text in TRAILING_JUNK or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label, kb_id=span.kb_id, span_id=span.id)


def is_spaced_dash(token) -> bool:
    """' - ' between words ends a name ('al-Bashir - Cartoon'); a hyphen inside one has no spaces."""
    return token.text in {"-", "–", "—"} and bool(token.whitespace_) and token.i > 0 and bool(token.doc[token.i - 1].whitespace_)


def is_noise(span: Span, title_tokens: set[int]) -> bool:
    """Spans that are never names: lower case, foreign script, quantities, adjectives, bare titles,
    and caption slugs with a year glued on ('MEPs2023')."""
    if span.label_ == "DATE":
        return False
    text = span.text
    if not any(c.isupper() for c in text) or not is_latin(text) or GLUED_YEAR.search(text):
        return True
    if len(span) == 1 and (span[0].lower_ in QUANTITY_WORDS | COMPASS_WORDS or span[0].is_stop
                           or span[0].tag_ in {"JJ", "JJR", "JJS"} and span.label_ != "PERSON"
                           or is_plural_acronym(text)):
        return True
    return all(t.i in title_tokens for t in span)


def is_plural_acronym(text: str) -> bool:
    """'MPs', 'NGOs': a kind of thing, not a name."""
    return len(text) >= 3 and text.endswith("s") and text[:-1].isupper()


def relabel(span: Span) -> Span:
    """Trust the name's last word over the model: '… Institute' is an organisation, '… Summit' an event."""
    if span.id_:  # a gazetteer entry knows its own type
        return span
    head = span[-1].lower_
    if head_word(span) in LAW_HEADS:
        return Span(span.doc, span.start, span.end, label="")
    if head in FACILITY_HEADS and span.label_ in {"ORG", "GPE", "PERSON", "LOC"}:
        return Span(span.doc, span.start, span.end, label="FAC")
    if head in ORG_HEADS and span.label_ != "ORG":
        return Span(span.doc, span.start, span.end, label="ORG")
    if head in EVENT_HEADS and span.label_ in {"ORG", "WORK_OF_ART", "FAC", "PRODUCT", "LAW"}:
        return Span(span.doc, span.start, span.end, label="EVENT")
    if span.label_ in {"WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"}:
        return Span(span.doc, span.start, span.end, label="")
    return span


def head_word(span: Span) -> str:
    """The noun a name is built on: the word before its first 'of', 'on', 'to' or 'for', or its last."""
    words = [t.lower_ for t in span]
    before = next((i for i, w in enumerate(words) if w in {"of", "on", "to", "for"} and i > 0), len(words))
    return words[before - 1]


def extend_event(span: Span) -> Span:
    """'Iran Freedom' + 'rally', 'Free Iran' + '2023', 'Free Iran' + 'Grand Gathering':
    an event name runs on into its year, or through capitalised words into its event noun."""
    doc = span.doc
    if span.label_ != "EVENT" or span.end >= len(doc):
        return span
    follower = doc[span.end]
    if follower.shape_ == "dddd" and follower.like_num:
        return record(doc, Span(doc, span.start, span.end + 1, label="EVENT", span_id=span.id), "rule:event-name")
    for end in range(span.end, min(span.end + 3, len(doc))):
        if doc[end].lower_ in EVENT_HEADS:
            return record(doc, Span(doc, span.start, end + 1, label="EVENT", span_id=span.id), "rule:event-name")
        if not doc[end].is_title:
            break
    return span


@Language.factory(
    "newskg_entity_rules",
    assigns=["doc.ents"],
    requires=["doc.spans"],
    default_config={"titles": [], "gazetteer_key": "gazetteer"},
)
def make_entity_rules(nlp: Language, name: str, titles: list[str], gazetteer_key: str) -> "EntityRules":
    return EntityRules(nlp, titles=titles, gazetteer_key=gazetteer_key)


class EntityRules:
    """Repairs the statistical NER's habitual errors on news text with general rules,
    and merges in the gazetteer's matches (``doc.spans[gazetteer_key]``)."""

    def __init__(self, nlp: Language, *, titles: list[str], gazetteer_key: str):
        self.gazetteer_key = gazetteer_key
        self.titles = PhraseMatcher(nlp.vocab)
        self.titles.add("TITLE", [nlp.make_doc(t) for t in titles])

    def __call__(self, doc: Doc) -> Doc:
        title_tokens = {i for _, start, end in self.titles(doc) for i in range(start, end)}
        doc._.newskg_nationalities = sorted({e.text for e in doc.ents if e.label_ == "NORP"})
        spans = []
        for ent in doc.ents:
            span = trim(ent)
            if span is None or span.label_ not in KEPT_LABELS | {"WORK_OF_ART", "PRODUCT", "LAW"}:
                continue
            span = relabel(span)
            if span.label_ in KEPT_LABELS and not is_noise(span, title_tokens):
                spans.append(span)
        spans = merge_gazetteer(spans, filter_spans(doc.spans.get(self.gazetteer_key, [])))
        spans = [extend_event(span) for span in spans] + self.year_events(doc) + date_rules(doc)
        spans += located_places(doc, spans)
        doc.ents = filter_spans(spans)
        return doc

    def year_events(self, doc: Doc) -> list[Span]:
        """'the 1988 massacre', 'the 1979 revolution': a year that names an event."""
        found = []
        for token in doc[1:-1]:
            if (token.shape_ == "dddd" and doc[token.i - 1].lower_ == "the"
                    and doc[token.i + 1].lower_ in EVENT_HEADS):
                found.append(record(doc, Span(doc, token.i, token.i + 2, label="EVENT"), "rule:year-event"))
        return found


MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# A timeline entry opens its paragraph with a date and a dash: 'January 6 – …', 'End January – …'.
TIMELINE_OPENER = re.compile(
    rf"(?m)^(?:(?:Early|Mid|Late|End|End of|Beginning of|Start of)[ -])?{MONTH_NAMES}"
    rf"(?: [0-3]?[0-9](?:\s*[-–]\s*[0-3]?[0-9])?)?(?:,? (?:19|20)[0-9]{{2}})?(?=\s*[–—:-]\s)")
# 'a day before 2023', 'two weeks after the election': an offset from a date.
OFFSET_DATE = re.compile(rf"\b(?:a|an|one|two|three|\d+) (?:day|week|month|year)s? (?:before|after) "
                         rf"(?:(?:19|20)[0-9]{{2}}|{MONTH_NAMES}(?: [0-3]?[0-9])?(?:,? (?:19|20)[0-9]{{2}})?)\b")


def date_rules(doc: Doc) -> list[Span]:
    """Dates the model misses in news layout: timeline openers and offsets from a date."""
    found = []
    for pattern, source in ((TIMELINE_OPENER, "rule:timeline-date"), (OFFSET_DATE, "rule:offset-date")):
        for match in pattern.finditer(doc.text):
            span = doc.char_span(match.start(), match.end(), label="DATE")
            if span is not None:
                found.append(record(doc, span, source))
    return found


LOCATING_WORDS = {"located", "situated"}


def mark_authors(doc: Doc, authors: tuple[str, ...] | list[str]) -> Doc:
    """The byline's names are people wherever the text repeats them ('X is the director at Y')."""
    spans = list(doc.ents)
    for author in authors:
        for match in re.finditer(re.escape(author.strip()), doc.text):
            span = doc.char_span(match.start(), match.end(), label="PERSON")
            if span is not None and not any(s.start < span.end and span.start < s.end for s in spans):
                spans.append(record(doc, span, "rule:byline-author"))
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


def located_places(doc: Doc, spans: list[Span]) -> list[Span]:
    """'Pakdasht, located in Tehran Province': the capitalised name before is a place too."""
    found = []
    taken = {i for span in spans for i in range(span.start, span.end)}
    for place in (s for s in spans if s.label_ in ("GPE", "LOC") and s.start >= 4):
        if not (doc[place.start - 1].lower_ == "in" and doc[place.start - 2].lower_ in LOCATING_WORDS
                and doc[place.start - 3].text == ","):
            continue
        end = start = place.start - 3
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title and start - 1 not in taken:
            start -= 1
        if start < end:
            found.append(record(doc, Span(doc, start, end, label="GPE"), "rule:located-in-place"))
    return found


def merge_gazetteer(spans: list[Span], known: list[Span]) -> list[Span]:
    """Gazetteer matches win over the model's spans they overlap, with one exception.

    A longer name the model found that merely contains a known one ('London School of
    Economics' around 'London') stays, unless known names cover all its words
    ("MEK's Resistance Units").
    """
    for match in known:
        overlapping = [s for s in spans if s.start < match.end and match.start < s.end]
        if any(contains_more(s, match, known) for s in overlapping):
            continue
        spans = [s for s in spans if s not in overlapping]
        spans.append(match)
    return spans


def contains_more(span: Span, match: Span, known: list[Span]) -> bool:
    if not (span.start <= match.start and match.end <= span.end and len(span) > len(match)):
        return False
    covered = {i for k in known if span.start <= k.start and k.end <= span.end for i in range(k.start, k.end)}
    return any(t.i not in covered and not (t.is_punct or t.is_stop or t.tag_ == "POS") for t in span)


@Language.component("newskg_acronyms", assigns=["doc.ents"])
def acronyms(doc: Doc) -> Doc:
    """'Long Name (LN)', 'Long Name (LN/XY)' and 'LN (Long Name)': the long form becomes an
    entity with its acronyms.

    The long form is found with the Schwartz–Hearst algorithm over the words before
    the bracket (or inside it); an organisation named right before the bracket takes the
    acronym even when the letters do not spell it, as names translated from another
    language do ('Kurdistan Workers' Party (PKK)'). A title is no organisation: 'Member of
    Parliament (MP)' defines nothing. Every later use of an acronym becomes a mention of
    the long form.
    """
    spans = list(doc.ents)
    definitions: dict[str, Span] = {}
    for open_bracket in (doc[i] for i in tokens_among(doc, {"("}, "ORTH")):
        close = next((t.i for t in doc[open_bracket.i + 1: open_bracket.i + 12] if t.text == ")"), None)
        if close is None or close == open_bracket.i + 1:
            continue
        short_span, long_span = acronym_definition(doc, spans, open_bracket.i, close)
        if long_span is None or is_title_phrase(long_span):
            continue
        parts = [p for p in short_span.text.replace(" ", "").split("/") if p]
        label = next((e.label_ for e in spans if e.start < long_span.end and long_span.start < e.end
                      and e.label_ in NAME_LABELS), "ORG")
        gazetteer_id = next((e.id_ for e in spans if e.start <= long_span.start and long_span.end <= e.end
                             and e.id_), "")
        long_entity = record(doc, Span(doc, long_span.start, long_span.end, label=label, span_id=gazetteer_id),
                             "rule:acronym-definition")
        spans = [e for e in spans if not (e.start < long_entity.end and long_entity.start < e.end)]
        spans.append(long_entity)
        for part in parts:
            learn_alias(doc, part, long_entity.text, "acronym")
            definitions[part] = long_entity
        learn_alias(doc, short_span.text, long_entity.text, "acronym")
        definitions[short_span.text] = long_entity
    spans = add_alias_mentions(doc, spans, definitions, "rule:acronym-use")
    doc.ents = filter_spans(spans)
    return doc


def acronym_definition(doc: Doc, spans: list[Span], open_bracket: int, close: int) -> tuple[Span, Span | None]:
    """(acronym, long form) of 'Long Name (LN)' or 'LN (Long Name)'; the long form None if neither."""
    inside = doc[open_bracket + 1: close]
    parts = [p for p in inside.text.replace(" ", "").split("/") if p]
    if parts and all(is_acronym(p) for p in parts) and len(inside) <= 5:
        long_span = find_long_form(doc, open_bracket, parts) or organisation_before(spans, open_bracket)
        return inside, long_span
    before = doc[open_bracket - 1] if open_bracket > 0 else None
    if before is not None and is_acronym(before.text) and schwartz_hearst(before.text, inside.text) \
            and enough_capitals(inside):
        return doc[before.i: before.i + 1], inside
    return inside, None


def organisation_before(spans: list[Span], open_bracket: int) -> Span | None:
    end = open_bracket
    return next((s for s in spans if s.end == end and s.label_ == "ORG" and len(s) > 1), None)


def is_title_phrase(span: Span) -> bool:
    """'Member of Parliament', 'Chief Executive Officer': the words before any 'of' are all titles."""
    words = [t.lower_ for t in span if t.is_alpha]
    head = words[:words.index("of")] if "of" in words else words
    return bool(head) and all(w in title_words() for w in head)


def is_acronym(text: str) -> bool:
    """2–10 characters, at least two capitals, not a plural like 'MEPs' (which names a kind, not a body)."""
    return (2 <= len(text) <= 10 and sum(c.isupper() for c in text) >= 2 and text[0].isalnum()
            and not text.endswith("s") and " " not in text)


def find_long_form(doc: Doc, bracket: int, parts: list[str]) -> Span | None:
    """The shortest capitalised run of words before the bracket that spells one of the acronyms."""
    end = bracket
    while end > 0 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    sentence_start = doc[bracket].sent.start
    for part in parts:
        max_words = min(len(part) + 5, len(part) * 2)
        start = max(sentence_start, end - max_words)
        for begin in range(end - 1, start - 1, -1):
            candidate = doc[begin:end]
            if not candidate[0].text[0].isupper() or candidate[0].text[0].lower() != part[0].lower():
                continue
            if schwartz_hearst(part, candidate.text) and enough_capitals(candidate):
                return candidate
    return None


def enough_capitals(span: Span) -> bool:
    content = [t for t in span if not t.is_stop and not t.is_punct]
    return bool(content) and sum(t.text[0].isupper() for t in content) * 2 >= len(content)


def schwartz_hearst(short: str, long: str) -> bool:
    """True if ``long`` spells ``short``: its letters in order, the first at a word start."""
    s, l = len(short) - 1, len(long) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while l >= 0 and (long[l].lower() != char or (s == 0 and l > 0 and long[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return False
        l -= 1
        s -= 1
    return long[:l + 1].strip() == "" or not long[l].isalnum()


def add_alias_mentions(doc: Doc, spans: list[Span], aliases: dict[str, Span], source: str) -> list[Span]:
    """Every free-standing use of a learned alias becomes a mention with the full name's label."""
    taken = {i for span in spans for i in range(span.start, span.end)}
    for i in tokens_among(doc, set(aliases), "ORTH"):
        token, full = doc[i], aliases[doc[i].text]
        if token.i in taken:
            continue
        spans.append(record(doc, Span(doc, token.i, token.i + 1, label=full.label_, span_id=full.id), source))
        taken.add(token.i)
    return spans
