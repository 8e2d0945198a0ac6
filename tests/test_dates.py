"""Date normalisation at the stated precision, anchored or left unresolved."""
from __future__ import annotations

from datetime import date

import pytest

from kg.dates import normalise

ANCHOR = date(2031, 3, 15)


@pytest.mark.parametrize("text, anchor, value, precision", [
    ("1988", None, "1988", "year"),
    ("the year 2027", None, "2027", "year"),
    ("July 2017", None, "2017-07", "month"),
    ("October 27, 2020", None, "2020-10-27", "day"),
    ("4 May 2029", None, "2029-05-04", "day"),
    ("2030-02-01", None, "2030-02-01", "day"),
    ("a day before 2031", None, "2030-12-31", "day"),
    ("two days after March 30, 2031", None, "2031-04-01", "day"),
    ("January 6", ANCHOR, "2031-01-06", "day"),
    ("January 6 and 7", ANCHOR, "2031-01-06", "day"),
    ("January 15-10", ANCHOR, "2031-01", "month"),
    ("End January", ANCHOR, "2031-01", "month"),
    ("September", ANCHOR, "2031-09", "month"),
    ("last year", ANCHOR, "2030", "year"),
    ("yesterday", ANCHOR, "2031-03-14", "day"),
    ("today", ANCHOR, "2031-03-15", "day"),
    # 2031-03-15 is a Saturday: a bare weekday is the last one up to the anchor.
    ("Friday", ANCHOR, "2031-03-14", "day"),
    ("on Saturday", ANCHOR, "2031-03-15", "day"),
    ("last Saturday", ANCHOR, "2031-03-08", "day"),
    ("next Monday", ANCHOR, "2031-03-17", "day"),
    ("Sunday night", ANCHOR, "2031-03-09", "day"),
    ("the early hours of Friday", ANCHOR, "2031-03-14", "day"),
    ("mid-2029", None, "2029", "year"),
    ("earlier this month", ANCHOR, "2031-03", "month"),
    # The week before the anchor runs from March 3 to 9: all of it in March.
    ("last week", ANCHOR, "2031-03", "month"),
    ("last week", date(2031, 3, 5), "2031", "year"),
    ("two days ago", ANCHOR, "2031-03-13", "day"),
    ("a year ago", ANCHOR, "2030-03", "month"),
    ("three months ago", ANCHOR, "2030-12", "month"),
])
def test_normalises_at_the_stated_precision(text, anchor, value, precision):
    result = normalise(text, anchor)
    assert result is not None and (result.value, result.precision) == (value, precision)


@pytest.mark.parametrize("text", ["January 6", "last week", "September", "this year", "today", "Friday"])
def test_without_an_anchor_relative_dates_stay_unresolved(text):
    assert normalise(text, None) is None


@pytest.mark.parametrize("text", ["decades", "100 days", "the coming weeks", "more than 41 years"])
def test_durations_and_vague_expressions_are_not_dates(text):
    assert normalise(text, ANCHOR) is None


def test_xsd_types_follow_precision():
    assert [normalise(t).xsd_type for t in ("1999", "May 1999", "May 3, 1999")] == ["gYear", "gYearMonth", "date"]


@pytest.mark.parametrize("text, tense, value", [
    ("September", "past", "2030-09"),
    ("September", None, "2031-09"),
    ("April 2", "past", "2031-04-02"),  # within a month of the anchor: this year's, whatever the tense
    ("January 6", "future", "2032-01-06"),
    ("January 6", None, "2031-01-06"),
    ("Monday", "future", "2031-03-17"),
    ("Monday", "past", "2031-03-10"),
    ("September 2029", "past", "2029-09"),
])
def test_the_tense_of_the_clause_picks_the_year_or_the_week(text, tense, value):
    assert normalise(text, ANCHOR, tense).value == value


@pytest.mark.parametrize("text, value, precision", [
    ("last year", "2023", "year"), ("next year", "2025", "year"), ("this month", "2024-01", "month"),
    ("last month", "2023-12", "month"), ("next month", "2024-02", "month"), ("yesterday", "2024-01-14", "day"),
    ("tomorrow", "2024-01-16", "day"),
])
def test_periods_next_to_the_anchor(text, value, precision):
    found = normalise(text, date(2024, 1, 15))
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize("text", ["the past 12 months", "next four years", "past several months"])
def test_a_stretch_of_time_is_no_date(text):
    assert normalise(text, date(2024, 1, 15)) is None
