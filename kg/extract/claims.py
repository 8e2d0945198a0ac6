"""Facts as the extractor reads them: relations, events and quotes between mentions.

These are the hand-off from the grammar rules to resolution. Each names the mentions
it connects (resolution turns them into entities and dates) and carries its
``Evidence``: the sentence, the character span the rule read, the rule and how far
that rule is trusted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kg.dates import CalendarValue
from kg.extract.mentions import Mention


@dataclass(frozen=True)
class Evidence:
    sentence: str
    sentence_start: int
    start: int
    end: int
    method: str  # "rule:apposition-role", "rule:event-clause", …
    confidence: float


@dataclass(frozen=True)
class Relation:
    """``subject predicate object`` between two mentions; ``predicate`` is a schema.org term.

    memberOf (with ``role`` when the text names one), founder (organisation → person),
    parent / children / spouse / sibling (person → person), containedInPlace.
    """

    subject: Mention
    predicate: str
    object: Mention
    evidence: Evidence
    role: str | None = None


@dataclass(frozen=True)
class EventFact:
    """One event the text reports, with the arguments its clause gives it.

    ``dates`` are the date mentions attached to the trigger, to be read against
    ``anchor`` (the publication date, or in a timeline the date of the entry), forwards
    when the clause is in the future tense (``future``); ``timeline_date`` is the date of the
    timeline entry or heading the paragraph is under. ``anniversary`` is set
    when the event is named as the object of an anniversary ('the third anniversary
    of the attack' → 3, a bare 'anniversary of' → 0): its date is then derived from
    the anniversary's date.
    """

    event_class: str  # kg: local name: Protest, Rally, Conference, …
    trigger: str
    start: int
    end: int
    evidence: Evidence
    name: Mention | None = None
    dates: tuple[Mention, ...] = ()
    timeline_date: CalendarValue | None = None
    anchor: date | None = None
    future: bool = False
    in_lead: bool = False  # reported in the story's first sentence: the news of its dateline
    dateline_place: Mention | None = None  # the lead's dateline ('PHNOM PENH - …'), where it happened
    elaborates: bool = False  # tells more of an earlier dated event of its class, whose date it takes
    anniversary: int | None = None
    places: tuple[Mention, ...] = ()
    attendees: tuple[Mention, ...] = ()
    performers: tuple[Mention, ...] = ()
    organizers: tuple[Mention, ...] = ()
    count: str | None = None
    also: tuple[Evidence, ...] = ()  # later sentences that refer back to it ('the event')


@dataclass(frozen=True)
class Quote:
    """Words attributed to a speaker: directly quoted, or reported ('said the message was …')."""

    speaker: Mention
    text: str
    start: int
    end: int
    evidence: Evidence
    audience: Mention | None = None
    about: tuple[Mention, ...] = ()
    date: Mention | None = None
