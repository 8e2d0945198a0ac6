"""Events: a trigger word ('rally', 'convened', 'massacre') and what its clause says of it.

A noun or verb whose lemma the gazetteer lists as a trigger (kg:EventTrigger) opens an
event of that class; a named event ('Free Iran Global Summit') is one too. Its
arguments come from the tokens the trigger governs, and, for a noun, from the clause
of the verb it is subject or object of ('ISJ held a press conference at the Brussels
Press Club'): dates, places after 'in/at/near/across…', organisers (subject of
'organised/held/convened', or a possessive: "the NCRI's rally"), attendees, speakers.

Later sentences that say 'the event', 'the meeting', 'these gatherings' add to the
last event of their paragraph instead of opening a new one. A trigger that ends up
with no date, place, actor or name is dropped: a bare 'protest' tells a graph nothing.

The page lends dates too: a timeline's entries and headings (``timeline.py``), the
lead sentence's news (the publication date, the wire dateline's place), and an earlier
dated event of the same class that a later report elaborates.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from kg.extract.arguments import (FRAME_VERBS, actors_of, anniversary_of, argument_region, clause_verb, count_of,
                                  dates_of,
                                  is_future, is_past_perfect, is_subordinate, places_of, purpose_verb,
                                  subjects)
from kg.extract.claims import EventFact, Evidence
from kg.extract.gazetteer import Gazetteer
from kg.extract.grammar import PLACE_LABELS, MentionIndex, evidence, paragraph_start
from kg.extract.mentions import Mention
from kg.extract.timeline import TimelineDate, timeline_dates

ANAPHORIC_DETERMINERS = {"the", "this", "these", "that", "those", "such"}
GENERIC_EVENT_NOUNS = {"event", "gathering", "occasion"}
COMPATIBLE = [{"Protest", "Rally"}, {"Conference", "Meeting"}]
ATTENDEE_NOUNS = {"attendee", "participant", "speaker", "guest"}
LEAD_WORDS = 12
ELABORATION_PARAGRAPHS = 2
QUOTE_MARKS = ('"', "“", "”")
BACKGROUND_MARKS = {"after", "before", "since", "until", "once"}
# A dateline: a place in capitals or brackets, perhaps a region, date or agency, then a dash.
DATELINE = re.compile(r"(?:\((?P<bracketed>[^)\n]{2,40})\)|[A-Z][\w.'’ -]{1,40}?(?:,[^\n–—(-]{1,40}?)?"
                      r"(?:\s*\([^)\n]{1,40}\))?)\s*[–—-]")
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}


@dataclass
class Draft:
    """An event being assembled; frozen into an ``EventFact`` when the document is read."""

    fact: EventFact
    paragraph: int
    lemma: str
    arguments: dict[str, list[Mention]] = field(default_factory=lambda: {
        "places": [], "attendees": [], "performers": [], "organizers": []})

    def add(self, role: str, mentions: list[Mention]) -> None:
        known = {m.start for m in self.arguments[role]}
        self.arguments[role].extend(m for m in mentions if m.start not in known)

    def freeze(self) -> EventFact:
        return replace(self.fact, **{role: tuple(found) for role, found in self.arguments.items()})

    @property
    def has_arguments(self) -> bool:
        return bool(self.fact.name or self.fact.dates or any(self.arguments.values())
                    or (self.fact.in_lead and self.fact.anchor is not None))


def events(doc: Doc, index: MentionIndex, gazetteer: Gazetteer, published: date | None = None) -> list[EventFact]:
    """The document's events in text order, each with the arguments of every sentence about it.

    ``published`` anchors relative dates ('on Tuesday') outside timelines.
    """
    drafts: list[Draft] = []
    timeline = timeline_dates(doc, index, published)
    lead = lead_sentence(doc)
    dateline = dateline_of(lead, index) if lead is not None else None
    place = dateline_place(dateline, lead, index) if dateline is not None else None
    for sentence in doc.sents:
        paragraph = paragraph_start(index.text, sentence.start_char)
        governing = timeline.get(paragraph)
        for trigger, event_class in triggers(sentence, index, gazetteer):
            draft = read_event(trigger, event_class, sentence, index, governing, published, paragraph,
                               skip=range(dateline.start(), dateline.end()) if dateline else range(0))
            if sentence == lead and reports_lead_news(trigger, draft):
                draft.fact = replace(draft.fact, in_lead=True, dateline_place=place)
            antecedent = refers_back(trigger, draft, drafts)
            if antecedent is not None:
                merge(antecedent, draft)
            else:
                elaborate(trigger, draft, drafts, index.text)
                drafts.append(draft)
        attendee_lists(sentence, index, paragraph, drafts)
    return [draft.freeze() for draft in drafts if draft.has_arguments or opens_timeline_entry(draft, drafts)]


def lead_sentence(doc: Doc) -> Span | None:
    """The story's first sentence of running text: the news of the day, whose date is the dateline's.

    Headlines, bylines and date lines are short and end without a full stop; page chrome
    ('Help us …', 'Sign up …') speaks in the imperative.
    """
    for sentence in doc.sents:
        words = sum(1 for t in sentence if t.is_alpha)
        if words >= LEAD_WORDS and sentence.text.rstrip().endswith((".", "\"", "”")) and reports(sentence):
            return sentence
    return None


def dateline_of(lead: Span, index: MentionIndex) -> re.Match | None:
    """A wire dateline opening the lead's paragraph: 'PHNOM PENH - …', 'CARACAS, Venezuela (AP) — …',
    'Geneva, 24 May 2022 - …', '(New York) – …'. Its date is the report's, not an event's."""
    return DATELINE.match(index.text, paragraph_start(index.text, lead.start_char))


def dateline_place(dateline: re.Match, lead: Span, index: MentionIndex) -> Mention | None:
    """The first place the dateline names."""
    span = lead.doc.char_span(dateline.start(), dateline.end(), alignment_mode="expand")
    places = index.among(span, PLACE_LABELS) if span is not None else []
    return places[0] if places else None


def reports_lead_news(trigger: Token, draft: Draft) -> bool:
    """The lead's own news: a verb, or a noun its verb frames ('held a rally'), in the main clause,
    neither in the future nor in the pluperfect ('had marched' is earlier news)."""
    return clause_verb(trigger) is not None and not draft.fact.future and not is_past_perfect(trigger) \
        and not is_subordinate(trigger)


def reports(sentence: Span) -> bool:
    """A statement with a finite verb ('was arrested', 'say'), not an imperative ('Help us …')."""
    words = [t for t in sentence if t.is_alpha]
    return bool(words) and words[0].tag_ != "VB" and any(t.tag_ in FINITE_TAGS for t in sentence)


def opens_timeline_entry(draft: Draft, drafts: list[Draft]) -> bool:
    """A timeline entry reports at least one event: its first, when none has arguments of its own."""
    if draft.fact.timeline_date is None or draft.fact.anniversary is not None:
        return False
    same = [d for d in drafts if d.paragraph == draft.paragraph and d.fact.anniversary is None]
    return same[0] is draft and not any(d.has_arguments for d in same)


def triggers(sentence: Span, index: MentionIndex, gazetteer: Gazetteer) -> Iterator[tuple[Token, str]]:
    """Trigger tokens with their class; a named event without a trigger word is its own trigger.

    A verb whose object is itself a trigger ('convened a meeting') gives way to the noun.
    """
    named_done: set[int] = set()
    for token in sentence:
        event_class = trigger_in_text(token, index, gazetteer)
        if event_class is None or gives_way(token, index, gazetteer):
            continue
        span = index.span(token)
        if span is not None:
            named_done.add(span.start)
        yield token, event_class
    for token in sentence:
        span = index.span(token)
        if span is not None and span.label_ == "EVENT" and span.start == token.i and span.start not in named_done:
            named_done.add(span.start)
            yield span.root, "Event"


def gives_way(verb: Token, index: MentionIndex, gazetteer: Gazetteer) -> bool:
    """A framing verb gives way to the event noun it governs ('convened a meeting', 'gathered for
    the rally'): the noun names the event and takes the verb's arguments (see clause_verb)."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in FRAME_VERBS:
        return False
    governed = (*verb.children, *(g for p in verb.children if p.dep_ == "prep" for g in p.children))
    return any(trigger_in_text(c, index, gazetteer) and (c.dep_ in ("dobj", "nsubjpass") or purpose_verb(c) == verb)
               for c in governed)


def trigger_in_text(token: Token, index: MentionIndex, gazetteer: Gazetteer) -> str | None:
    """The trigger's class, unless the word is part of a name that is not an event's."""
    span = index.span(token)
    if span is not None and span.label_ != "EVENT":
        return None  # 'International Convention for …' is an organisation
    return trigger_class(token, gazetteer)


def trigger_class(token: Token, gazetteer: Gazetteer) -> str | None:
    """The class a verb or noun opens, from the gazetteer's verb and noun trigger lists.

    A noun's compound comes first: 'hunger strike', 'jail term'."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        event_class = gazetteer.verb_triggers.get(lemma)
        if event_class == "Rally" and any(c.dep_ == "dobj" for c in token.children):
            return None  # 'rallied support' is not a rally
        return event_class
    if token.pos_ in ("NOUN", "PROPN"):
        compounds = [f"{c.lemma_.lower()} {lemma}" for c in token.lefts if c.dep_ == "compound"]
        event_class = next((gazetteer.event_triggers[c] for c in compounds if c in gazetteer.event_triggers), None)
        event_class = event_class or gazetteer.event_triggers.get(lemma) or gazetteer.event_triggers.get(token.lower_)
        return event_class or ("Event" if lemma in GENERIC_EVENT_NOUNS else None)
    return None


def read_event(trigger: Token, event_class: str, sentence: Span, index: MentionIndex,
               governing: TimelineDate | None, published: date | None, paragraph: int,
               skip: range = range(0)) -> Draft:
    """The event a trigger opens, with its clause's arguments; tokens at offsets in ``skip``
    (a dateline) are none of its arguments."""
    span = index.span(trigger)
    name = index.at(trigger, {"EVENT"})
    region = [t for t in argument_region(trigger, index) if t.idx not in skip]
    words = trigger_words(trigger, span if name else None)
    fact = EventFact(
        event_class=event_class, trigger=words.text, start=words.start_char, end=words.end_char,
        evidence=evidence(sentence, words.start_char, words.end_char, "rule:event-clause", 0.7),
        name=name, dates=dates_of(trigger, region, index),
        timeline_date=governing.value if governing else None,
        anchor=governing.anchor if governing else published, future=is_future(trigger),
        anniversary=anniversary_of(trigger), count=count_of(trigger),
    )
    draft = Draft(fact, paragraph, trigger.lemma_.lower())
    draft.add("places", places_of(trigger, region, index, event_class))
    for role, found in actors_of(trigger, event_class, index).items():
        draft.add(role, found)
    return draft


def trigger_words(trigger: Token, name: Span | None) -> Span:
    """The phrase that names the event: 'press conference', 'nationwide uprising', or the name."""
    if name is not None:
        return name
    if trigger.pos_ == "VERB":
        return trigger.doc[trigger.i:trigger.i + 1]
    modifiers = [c for c in trigger.lefts if c.dep_ in ("compound", "amod") and c.i == trigger.i - 1]
    start = modifiers[0].i if modifiers else trigger.i
    while start > 0 and trigger.doc[start - 1].dep_ in ("compound", "amod") and trigger.doc[start - 1].head.i >= start:
        start -= 1
    return trigger.doc[start:trigger.i + 1]


def refers_back(trigger: Token, draft: Draft, drafts: list[Draft]) -> Draft | None:
    """The earlier event of the paragraph that 'the event' / 'these gatherings' refers to."""
    if draft.fact.name is not None or draft.fact.dates:
        return None
    determiners = {c.lower_ for c in trigger.children if c.dep_ == "det"}
    generic = trigger.lemma_.lower() in GENERIC_EVENT_NOUNS
    if not (determiners & ANAPHORIC_DETERMINERS) or trigger.pos_ == "VERB":
        return None
    for earlier in reversed(drafts):
        if earlier.paragraph != draft.paragraph and generic:
            return None
        if earlier.lemma == draft.lemma or (
                earlier.paragraph == draft.paragraph
                and (generic or compatible(earlier.fact.event_class, draft.fact.event_class))):
            return earlier
    return None


def elaborate(trigger: Token, draft: Draft, drafts: list[Draft], text: str) -> None:
    """An undated event of the class of a dated one a few paragraphs up tells more of it:
    'Police on Friday detained the two leaders.' … 'X was detained at his home in Diyarbakir'.
    It takes that event's date; background (a relative clause, the pluperfect, the future) does not."""
    fact = draft.fact
    if fact.dates or fact.timeline_date or fact.in_lead or fact.name or fact.anniversary is not None:
        return
    if not states_an_occurrence(trigger) or fact.future or is_past_perfect(trigger) or is_background(trigger):
        return
    for earlier in reversed(drafts):
        if text.count("\n\n", earlier.paragraph, draft.paragraph) > ELABORATION_PARAGRAPHS:
            return
        if earlier.fact.event_class == fact.event_class and (earlier.fact.dates or earlier.fact.in_lead):
            draft.fact = replace(fact, dates=earlier.fact.dates, anchor=earlier.fact.anchor,
                                 in_lead=earlier.fact.in_lead, elaborates=True)
            return


def is_background(trigger: Token) -> bool:
    """In a relative clause, or a clause set before or after another time ('after they were ousted')."""
    for token in (trigger, *trigger.ancestors):
        if token.dep_ == "relcl" or (token.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in token.children)):
            return True
    return False


def states_an_occurrence(trigger: Token) -> bool:
    """The text says the event happened: a finite verb, or a noun a verb frames, outside quotes;
    not an infinitive ('to arrest'), a bare modifier ('free elections') or someone's words."""
    verb = clause_verb(trigger)
    if verb is None or verb.pos_ != "VERB" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    before = trigger.doc[trigger.sent.start:trigger.i].text
    return sum(before.count(q) for q in QUOTE_MARKS) % 2 == 0


def compatible(a: str, b: str) -> bool:
    return a == b or any({a, b} <= group for group in COMPATIBLE)


def merge(antecedent: Draft, draft: Draft) -> None:
    for role, found in draft.arguments.items():
        antecedent.add(role, found)
    antecedent.fact = replace(antecedent.fact, also=(*antecedent.fact.also, draft.fact.evidence))


def attendee_lists(sentence: Span, index: MentionIndex, paragraph: int, drafts: list[Draft]) -> None:
    """'Notable attendees included X, Y and Z' names attendees of the paragraph's last event."""
    if not drafts or drafts[-1].paragraph != paragraph:
        return
    for token in sentence:
        if token.lemma_.lower() in ATTENDEE_NOUNS and token.dep_ == "nsubj" and token.head.lemma_ == "include":
            verb = token.head
            found = [m for c in verb.children if c.dep_ in ("dobj", "attr") for m in subjects(c, index)]
            found += [m for c in verb.children if c.dep_ == "conj" for m in subjects(c, index)]
            people = [m for m in found if m.label == "PERSON"]
            if people:
                drafts[-1].add("attendees", people)
                proof: Evidence = evidence(sentence, sentence.start_char, sentence.end_char, "rule:attendee-list", 0.7)
                drafts[-1].fact = replace(drafts[-1].fact, also=(*drafts[-1].fact.also, proof))
