"""Timelines: the dates that paragraphs inherit from the page's structure.

News timelines come in two shapes, often in one page:

- entries that open with their date: 'Jan. 23 — Guaidó declares …', 'January 6 – …';
- headings that are only a date, over the paragraphs that follow them until the
  next heading: 'October 1, 2021' then a list of what happened that day.

An entry without a year takes it from the entry or heading before it ('Jan. 5, 2019
— …' then 'Jan. 10 — …'), the first from the publication date. A lone date line is
not a timeline (it is usually the page's own date): headings count when there are
at least two.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from kg.dates import CalendarValue, first_day, normalise
from kg.extract.grammar import MentionIndex
from kg.extract.mentions import Mention

ENTRY_DASH = re.compile(r"\s*[–—:-]")
HEADING_TRAILER = re.compile(r"[\s:–—-]*$")
MIN_HEADINGS = 2


@dataclass(frozen=True)
class TimelineDate:
    """The date a paragraph inherits: from its own opening ('entry') or from a heading above it."""

    mention: Mention
    value: CalendarValue
    opens_paragraph: bool  # 'January 6 – …' rather than a heading line above

    @property
    def anchor(self) -> date:
        """The day relative expressions under this date are read against ('on Wednesday')."""
        return first_day(self.value)


def timeline_dates(doc: Doc, index: MentionIndex, published: date | None) -> dict[int, TimelineDate]:
    """Paragraph start offset → the timeline date that governs the paragraph.

    Every dated opening, a lone heading too, sets the year later entries read theirs
    from; headings govern the paragraphs below them only in a timeline of headings.
    """
    openings = {start: (mention, is_heading) for start, mention, is_heading in paragraph_openings(doc, index)}
    use_headings = sum(is_heading for _, is_heading in openings.values()) >= MIN_HEADINGS
    governed: dict[int, TimelineDate] = {}
    anchor, heading = published, None
    for start in paragraph_starts(index.text):
        mention, is_heading = openings.get(start, (None, False))
        value = normalise(mention.text, anchor) if mention is not None else None
        if value is None:
            if heading is not None:
                governed[start] = heading
            continue
        anchor = first_day(value)
        found = TimelineDate(mention, value, opens_paragraph=not is_heading)
        if not is_heading:
            governed[start] = found
        elif use_headings:
            heading = found
    return governed


def paragraph_starts(text: str) -> list[int]:
    """The offsets where non-empty lines begin (every line break starts a paragraph here)."""
    starts, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(offset + len(line) - len(line.lstrip()))
        offset += len(line) + 1
    return starts


def paragraph_openings(doc: Doc, index: MentionIndex) -> Iterator[tuple[int, Mention, bool]]:
    """(paragraph start, date mention, is heading) for each line that opens with a date
    followed by a dash ('Jan. 23 — …') or that is nothing but a date (a heading)."""
    text = index.text
    for start in paragraph_starts(text):
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        mention = date_at(doc, index, start)
        if mention is None:
            continue
        rest = text[mention.end:line_end]
        if HEADING_TRAILER.fullmatch(rest):
            yield start, mention, True
        elif ENTRY_DASH.match(rest):
            yield start, mention, False


def date_at(doc: Doc, index: MentionIndex, char: int) -> Mention | None:
    span = doc.char_span(char, min(len(index.text), char + 1), alignment_mode="expand")
    if span is None or not len(span):
        return None
    mention = index.at(span[0], {"DATE"})
    return mention if mention is not None and mention.start == char else None
