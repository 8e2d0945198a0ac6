"""Metadata a plain-text article states: a crawl stamp, then what the page's structure says.

A saved page may open with a crawl stamp (' date 2023-01-02 …'): the date the crawler
recorded for the article, taken as its publication date and removed from the text. A
weekday-led date alone on the first line is the site's banner (the day the page was
saved), not the article's date: it is dropped. Everything else (title, byline, date
lines, dateline) is read by ``structure.read_page`` from the text the document keeps.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from kg.documents.cleaning import is_chrome, join_paragraphs
from kg.documents.structure import Page, date_line, is_banner, lines_of, read_page

STAMP = re.compile(r"^date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$", re.IGNORECASE)
QUOTES = "'\"“”‘’"


def read_header(lines: list[str]) -> tuple[Page, list[str]]:
    """The page's metadata, and its lines without the crawl stamp and the site banner."""
    out = list(lines)
    stamped = None
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:
        line = lines[first].strip()
        prefixed = STAMP.match(line)
        if prefixed:
            stamped = date.fromisoformat(prefixed.group(1))
            rest = prefixed.group(2).strip().strip(QUOTES)
            out[first] = "" if is_chrome(rest) else rest
        elif is_banner(line) and date_line(lines_of(line)[0]) is not None:
            out[first] = ""
    page = read_page(join_paragraphs(out))
    return replace(page, published=stamped or page.published), out
