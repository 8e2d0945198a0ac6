"""Date mentions → calendar values at the precision the text gives.

A date is normalised to a day (xsd:date), a month (xsd:gYearMonth) or a year
(xsd:gYear). Expressions that lack a year ('January 6', 'last year', 'a day before
2023') are resolved against an anchor: the document's publication date, or, in a
timeline, the year of the section heading. Without an anchor they stay unresolved:
guessing today's date would be wrong for every archived article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import dateparser

Precision = Literal["day", "month", "year"]
Tense = Literal["past", "future"]
XSD_TYPE = {"day": "date", "month": "gYearMonth", "year": "gYear"}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
MONTH = r"(?P<month>" + "|".join(MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
YEAR = r"(?P<year>1[0-9]{3}|20[0-9]{2})"
DAY = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?"
FILLER = re.compile(r"^(?:(?:the|in|on|of|since|by|during|from|until|year|early|mid|late|end|end of|"
                    r"beginning of|start of|earlier|later|early hours of|hours of)\s+|mid-|-)+", re.IGNORECASE)
# 'Sunday night', 'Monday morning': the day is what a date records.
TIME_OF_DAY = re.compile(r"\s+(?:night|morning|afternoon|evening)$", re.IGNORECASE)
# Each pattern names the parts it states; days may be followed by a range or a second day.
ABSOLUTE = [re.compile(p, re.IGNORECASE) for p in (
    rf"^{YEAR}-(?P<month_num>[01][0-9])-(?P<day>[0-3][0-9])$",
    rf"^{MONTH}\s+{DAY}(?:\s*(?:-|–|and|to)\s*[0-3]?[0-9])?,?\s+{YEAR}$",
    rf"^{DAY}\s+{MONTH},?\s+{YEAR}$",
    rf"^{MONTH},?\s+{YEAR}$",
    rf"^{YEAR}$",
    rf"^{MONTH}\s+{DAY}(?P<range>\s*(?:-|–|to)\s*[0-3]?[0-9])?(?:\s+and\s+[0-3]?[0-9])?$",
    rf"^{DAY}\s+{MONTH}$",
    rf"^{MONTH}$",
)]
OFFSET = re.compile(r"^(?P<n>a|an|one|two|three|\d+)\s+(?P<unit>day|week|month|year)s?\s+"
                    r"(?P<dir>before|after|prior to)\s+(?P<rest>.+)$", re.IGNORECASE)
RELATIVE_WORDS = re.compile(r"\b(ago|last|next|this|yesterday|today|tomorrow|previous|past)\b", re.IGNORECASE)
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10}
AGO = re.compile(r"^(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?P<unit>day|week|month|year)s?"
                 r"\s+ago$", re.IGNORECASE)
# A date without a year this close to the anchor is in the anchor's year whatever the
# tense: 'announced his return for the October 2 elections', written on October 1.
NEAR = timedelta(days=31)
PERIOD = re.compile(r"^(?P<which>last|this|next|past|previous)\s+(?P<unit>year|month)$", re.IGNORECASE)
STEPS = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1}
DAY_STEPS = {"yesterday": -1, "tomorrow": 1}
# 'the past 12 months', 'next four years', 'this day': a stretch of time or no day at all, never one date.
STRETCH = re.compile(r"^(?:the\s+)?(?:next|past|previous|last|this)\s+(?:\w+\s+)?(?:days?|weeks|months|years)$",
                     re.IGNORECASE)
WEEK = re.compile(r"^(?P<which>last|this|past|previous)\s+week$", re.IGNORECASE)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = re.compile(r"^(?:(?P<dir>last|this|next|past)\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")$", re.IGNORECASE)


@dataclass(frozen=True)
class CalendarValue:
    """'2023-01-06' / 'day'; '2020-09' / 'month'; '1979' / 'year'."""

    value: str
    precision: Precision

    @property
    def xsd_type(self) -> str:
        return XSD_TYPE[self.precision]

    @property
    def year(self) -> int:
        return int(self.value[:4])


@lru_cache(maxsize=8192)
def normalise(text: str, anchor: date | None = None, tense: Tense | None = None) -> CalendarValue | None:
    """The calendar value ``text`` states, using ``anchor`` for what it leaves out; None if unsure.

    ``tense`` is that of the clause the date is in, when known. A bare weekday is the
    last one up to the anchor unless the clause is in the future ('will meet on Monday').
    A date without a year takes the anchor's, unless the tense puts it in the year
    before ('arrested in December', reported in May) or after ('will vote in March',
    written in November).
    Cached: news repeats its dates, and dateparser takes ~50 ms per relative phrase.
    """
    phrase = TIME_OF_DAY.sub("", FILLER.sub("", " ".join(text.split())).strip(" ,."))
    if not phrase:
        return None
    offset = OFFSET.match(phrase)
    if offset:
        return shifted(offset, anchor)
    if (ago := AGO.match(phrase)) and anchor is not None:
        return before_anchor(ago, anchor)
    if (week := WEEK.match(phrase)) and anchor is not None:
        return in_week(anchor - timedelta(days=7 if week["which"].lower() != "this" else 0))
    weekday = WEEKDAY.match(phrase)
    if weekday:
        return on_weekday(weekday, anchor, tense == "future")
    if phrase.lower() == "today" and anchor is not None:
        return CalendarValue(anchor.isoformat(), "day")
    for pattern in ABSOLUTE:
        match = pattern.match(phrase)
        if match:
            return from_parts(match, anchor, tense)
    if RELATIVE_WORDS.search(phrase) and anchor is not None:
        return relative(phrase, anchor)
    return None


def from_parts(match: re.Match, anchor: date | None, tense: Tense | None = None) -> CalendarValue | None:
    parts = match.groupdict()
    if parts.get("year"):
        return calendar_value(parts, int(parts["year"]))
    if anchor is None:
        return None
    value = calendar_value(parts, anchor.year)
    if value is None or tense is None:
        return value
    if tense == "past" and first_day(value) > anchor + NEAR:
        return calendar_value(parts, anchor.year - 1)
    if tense == "future" and last_day(value) < anchor - NEAR:
        return calendar_value(parts, anchor.year + 1)
    return value


def calendar_value(parts: dict[str, str | None], year: int) -> CalendarValue | None:
    """The value the matched parts state in ``year``, at their precision."""
    if parts.get("month_num"):
        month = int(parts["month_num"])
    elif parts.get("month"):
        month = month_number(parts["month"])
    else:
        return CalendarValue(f"{year:04d}", "year")
    if not parts.get("day") or parts.get("range"):
        return CalendarValue(f"{year:04d}-{month:02d}", "month")
    try:
        return CalendarValue(date(year, month, int(parts["day"])).isoformat(), "day")
    except ValueError:
        return None


def month_number(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(key))


def shifted(match: re.Match, anchor: date | None) -> CalendarValue | None:
    """'a day before 2023' → 2022-12-31: the offset applied to the first or last day of what it names."""
    base = normalise(match["rest"], anchor)
    if base is None:
        return None
    n = int(match["n"]) if match["n"].isdigit() else NUMBERS[match["n"].lower()]
    before = match["dir"].lower() != "after"
    start = first_day(base) if before else last_day(base)
    unit = match["unit"].lower()
    if unit in ("day", "week"):
        days = n * (7 if unit == "week" else 1)
        moved = start - timedelta(days=days) if before else start + timedelta(days=days)
        return CalendarValue(moved.isoformat(), "day")
    months = n * (12 if unit == "year" else 1) * (-1 if before else 1)
    index = start.year * 12 + start.month - 1 + months
    return CalendarValue(f"{index // 12:04d}-{index % 12 + 1:02d}", "month")


def on_weekday(match: re.Match, anchor: date | None, future: bool = False) -> CalendarValue | None:
    """'on Saturday' in past-tense news is the last such day up to the publication date;
    'next Monday' the coming one, and so is a bare 'on Monday' in the future tense."""
    if anchor is None:
        return None
    target = WEEKDAYS.index(match["weekday"].lower())
    direction = (match["dir"] or "").lower()
    if direction == "next" or (future and not direction):
        ahead = (target - anchor.weekday()) % 7 or (7 if direction == "next" else 0)
        return CalendarValue((anchor + timedelta(days=ahead)).isoformat(), "day")
    back = (anchor.weekday() - target) % 7
    if direction in ("last", "past") and back == 0:
        back = 7
    return CalendarValue((anchor - timedelta(days=back)).isoformat(), "day")


def before_anchor(match: re.Match, anchor: date) -> CalendarValue:
    """'two days ago' → that day; 'a year ago', 'three months ago' → that month: news rounds them."""
    n = int(match["n"]) if match["n"].isdigit() else NUMBERS[match["n"].lower()]
    unit = match["unit"].lower()
    if unit in ("day", "week"):
        return CalendarValue((anchor - timedelta(days=n * (7 if unit == "week" else 1))).isoformat(), "day")
    index = anchor.year * 12 + anchor.month - 1 - n * (12 if unit == "year" else 1)
    return CalendarValue(f"{index // 12:04d}-{index % 12 + 1:02d}", "month")


def in_week(day: date) -> CalendarValue:
    """The Monday-to-Sunday week of ``day``, at the finest precision that holds all of it."""
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return CalendarValue(f"{monday.year:04d}-{monday.month:02d}", "month")
    if monday.year == sunday.year:
        return CalendarValue(f"{monday.year:04d}", "year")
    return CalendarValue(f"{day.year:04d}-{day.month:02d}", "month")


def first_day(value: CalendarValue) -> date:
    parts = [int(p) for p in value.value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def last_day(value: CalendarValue) -> date:
    if value.precision == "day":
        return first_day(value)
    if value.precision == "year":
        return date(value.year, 12, 31)
    year, month = (int(p) for p in value.value.split("-"))
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def relative(phrase: str, anchor: date) -> CalendarValue | None:
    """'last year', 'this month', 'yesterday' read here; a stretch ('the past 12 months', 'next four
    years') is no date; anything else goes to dateparser (~50 ms a phrase), relative to the anchor,
    at the period it reports."""
    if (period := PERIOD.match(phrase)) is not None:
        step = STEPS[period["which"].lower()]
        if period["unit"].lower() == "year":
            return CalendarValue(f"{anchor.year + step:04d}", "year")
        month = anchor.year * 12 + anchor.month - 1 + step
        return CalendarValue(f"{month // 12:04d}-{month % 12 + 1:02d}", "month")
    if phrase.lower() in DAY_STEPS:
        return CalendarValue((anchor + timedelta(days=DAY_STEPS[phrase.lower()])).isoformat(), "day")
    if STRETCH.match(phrase):
        return None
    parsed = dateparser.DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime.combine(anchor, datetime.min.time()),
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": False,
    }).get_date_data(phrase)
    if parsed is None or parsed.date_obj is None:
        return None
    day = parsed.date_obj.date()
    if parsed.period == "year":
        return CalendarValue(f"{day.year:04d}", "year")
    if parsed.period == "month":
        return CalendarValue(f"{day.year:04d}-{day.month:02d}", "month")
    return CalendarValue(day.isoformat(), "day")
