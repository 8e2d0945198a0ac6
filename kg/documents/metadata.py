"""Metadata a plain-text article states in its first lines: title, byline, publication date.

Only what the text says plainly is read. A date alone on the first line, above the
title, is a crawl or site banner (the day the page was saved), not the article's
date: it is dropped rather than guessed from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from kg.dates import normalise

HEADER_LINES = 6
DATE_PREFIX = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$", re.IGNORECASE)
BYLINE = re.compile(r"^by\s+(.{3,80})$", re.IGNORECASE)
NAME = re.compile(r"^[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,4}$")
DATE_FORMATS = ("%B %d, %Y", "%B %d %Y", "%d %B %Y", "%b %d, %Y", "%b. %d, %Y", "%d %b %Y", "%Y-%m-%d")
WEEKDAY = re.compile(r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+", re.IGNORECASE)
QUOTES = "'\"“”‘’"
# A wire-style dateline opening the first paragraph: 'DUBAI, Dec 12, 2022 (Reuters) - …'.
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?,\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})"
                      r"\s*(?:\([^)]{1,40}\))?\s*[-–—]\s")


@dataclass
class Header:
    title: str | None = None
    published: date | None = None
    authors: list[str] = field(default_factory=list)


def parse_date_line(line: str) -> date | None:
    """A line that is nothing but a calendar date, optionally led by a weekday."""
    text = WEEKDAY.sub("", line.strip())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_byline(line: str) -> list[str]:
    """'By Jane Doe and John Roe' → ['Jane Doe', 'John Roe']; [] if the line is no byline."""
    match = BYLINE.match(line.strip())
    if not match:
        return []
    names = [n.strip() for n in re.split(r",\s*|\s+and\s+|\s*&\s*", match.group(1)) if n.strip()]
    return names if names and all(NAME.match(n) for n in names) else []


def read_header(lines: list[str]) -> tuple[Header, list[str]]:
    """The header's metadata, and the lines with date prefixes and banners taken out."""
    header = Header()
    out = list(lines)
    seen = 0
    for idx, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        prefixed = DATE_PREFIX.match(line)
        if prefixed:
            header.published = date.fromisoformat(prefixed.group(1))
            out[idx] = prefixed.group(2).strip().strip(QUOTES)
            line = out[idx]
            if not line:
                continue
        elif (stated := parse_date_line(line)) is not None:
            if seen == 1:
                out[idx] = ""  # crawl banner above the title: not the publication date
            elif header.published is None:
                header.published = stated
            continue
        elif (dateline := DATELINE.match(line)) and header.published is None:
            stated_value = normalise(dateline.group("date"))
            if stated_value is not None and stated_value.precision == "day":
                header.published = date.fromisoformat(stated_value.value)
        if authors := parse_byline(line):
            header.authors.extend(authors)
            continue
        if header.title is None and looks_like_title(line):
            header.title = line
    return header, out


def looks_like_title(line: str) -> bool:
    words = line.split()
    return 1 < len(words) <= 30 and not line.endswith(".")
