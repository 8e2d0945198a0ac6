"""The structure of a news page saved as text, read before any language processing.

A page is more than its story: a headline, a byline ('By X', 'X | Chief Correspondent',
'X, Reuters'), a date line ('Posted at Sep 3 2017 01:33 PM', 'Published: Mar 5, 2024'),
a dateline opening the story ('CHISINAU (Reuters) -', 'DUBAI, Dec 12, 2022 (Reuters) -'),
photo credits ('Photograph: X/AFP/Getty Images', '[X/Anadolu Agency]', '© AP Photo / X'),
and headings in Title Case or capitals. ``read_page`` finds them in the text and returns
the page's metadata and its *zones*: character ranges whose names are structure (a
photographer, an agency, the dateline's city) and are read here rather than by the model.

Only what the page says plainly is read. A weekday-led date alone on the first line is
the site's banner (the day the page was saved), not the article's date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from kg.dates import normalise
from kg.names import is_titled, title_words

HEADER_LINES = 10
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DAY = r"[0-3]?[0-9](?:st|nd|rd|th)?"
YEAR = r"(?:19|20)[0-9]{2}"
DATE = re.compile(rf"(?<![0-9])(?:{DAY}\s+{MONTH},?\s+{YEAR}|{MONTH}\s+{DAY},?\s+{YEAR}|{YEAR}-[01][0-9]-[0-3][0-9])"
                  r"(?![0-9])", re.IGNORECASE)
DATE_WITHOUT_YEAR = re.compile(rf"(?<![0-9])(?:{DAY}\s+{MONTH}|{MONTH}\s+{DAY})(?![0-9])", re.IGNORECASE)
TIME = re.compile(r"\b[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?\s*(?:[ap]\.?m\.?)?", re.IGNORECASE)
ZONE_NAME = re.compile(r"\b(?:GMT|UTC|[A-Z]{2,4}T)(?:\s*[+-]\s*[0-9]{1,2})?(?=\b|[0-9]|$)")
WEEKDAY = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\b\.?",
                     re.IGNORECASE)
# Words a page prints around its date: 'Posted at', 'Published On:', 'Last Updated', 'Reading time: 5 minutes'.
DATE_CHROME = {"posted", "published", "updated", "update", "last", "date", "on", "at", "reading", "read", "time",
               "min", "mins", "minute", "minutes", "follow", "share", "by"}
UPDATE_STATEMENT = re.compile(r"\b(?:last\s+)?updated?\b[^.\n]{0,30}?\b(?:on|:)\s*(?P<date>" + DATE.pattern + ")",
                              re.IGNORECASE)
BYLINE = re.compile(r"^by\s+(?P<rest>[A-Z].{2,120})$", re.IGNORECASE)
NAME_WORD = r"(?:[A-Z]\.|[A-Z][\w'’-]+|[a-z]{1,3})"
PERSON_NAME = re.compile(rf"^{NAME_WORD}(?:\s+{NAME_WORD}){{1,4}}$")
# Words that make a credit or byline segment an organisation: the vocabulary of agencies and photo desks.
MEDIA_WORDS = {"photo", "photos", "photograph", "images", "image", "pictures", "agency", "agence", "press", "presse",
               "news", "service", "media", "tv", "television", "radio", "wire", "file", "via", "network"}
CREDIT_MARKER = re.compile(r"(?:©|\(c\)|\bPhoto(?:graph)?s?\s*(?:by|:)|\bImage\s*(?:by|:)|\bPicture\s*(?:by|:)|"
                           r"\bCredit\s*:)\s*", re.IGNORECASE)
BRACKETED_CREDIT = re.compile(r"\[(?P<credit>[^\[\]]{2,60})\]\s*$")
SLASH_CREDIT = re.compile(rf"(?P<credit>{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}(?:\s*/\s*[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){{0,3}})+)\s*$")
FILE_PHOTO_CREDIT = re.compile(rf"(?P<credit>{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}},\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*\s+Photo)\.?\s*$")
DATELINE = re.compile(
    r"^(?:\((?P<bracketed>[A-Z][A-Za-z .'’-]{1,30})\)|(?P<place>[A-Z][A-Za-z.'’-]*(?:[ -][A-Z][A-Za-z.'’-]*){0,3})"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.'’-]*(?:\s[A-Z][A-Za-z.'’-]*){0,2}))*?)"
    rf"(?:,\s*(?P<date>{DAY}\s+{MONTH},?(?:\s+{YEAR})?|{MONTH}\s+{DAY},?(?:\s+{YEAR})?))?"
    r"\s*(?:\((?P<agency>[A-Z][^()]{1,40})\))?\s*(?P<dash>[-–—])\s*")
SENTENCE_END = re.compile(r"[.!?:;\"”’')\]]$")
SMALL_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with", "from",
               "as", "into", "over", "after", "amid", "vs", "via", "is", "are"}


@dataclass(frozen=True)
class Name:
    """A name the page's structure states, at ``start:end`` of the text: PERSON, ORG or GPE."""

    text: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Zone:
    """A stretch of the page that is structure: a byline, a credit, a dateline, a date line or a
    heading. A heading's names are left to be re-read against the story."""

    kind: str  # "byline", "credit", "dateline", "date", "heading"
    start: int
    end: int
    names: tuple[Name, ...] = ()


@dataclass(frozen=True)
class Page:
    title: str | None = None
    published: date | None = None
    authors: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    dateline: str | None = None
    zones: tuple[Zone, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Line:
    text: str
    start: int
    number: int  # among non-empty lines

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def lines_of(text: str) -> list[Line]:
    found, offset, number = [], 0, 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            found.append(Line(stripped, offset + raw.index(stripped), number))
            number += 1
        offset += len(raw) + 1
    return found


@lru_cache(maxsize=1024)
def read_page(text: str) -> Page:
    """The page's metadata and structure zones, from its text alone (cached: the reader and the
    pipeline's components ask about the same text)."""
    lines = lines_of(text)
    header = header_lines(lines)
    dates = {line.number: date_line(line) for line in header}
    bare_dates = sum(1 for line in header if dates[line.number] and is_bare_date(line.text))
    zones: list[Zone] = []
    dated: list[tuple[int, date]] = []
    title = None
    for line in lines:
        when = dates.get(line.number)
        if when is not None:
            zones.append(Zone("date", line.start, line.end))
            if not (line.number == 0 and is_banner(line.text)) and (bare_dates == 1 or not is_bare_date(line.text)):
                dated.append((line.start, when))
            continue
        found = read_structure(line, next_to_date=bool(dates.get(line.number + 1) or dates.get(line.number - 1)))
        if found is not None:
            zone, when = found
            zones.append(zone)
            dated += [(line.start, when)] if when is not None else []
            continue
        line_credits = credits(line)
        zones.extend(line_credits)
        if not line_credits and is_heading(line.text):
            zones.append(Zone("heading", line.start, line.end))
        if title is None and line in header and not line_credits and looks_like_title(line.text):
            title = line.text
    dated += update_statements(text, lines)
    return Page(title=headline(header, zones) or title, published=min(dated)[1] if dated else None,
                authors=names_in(zones, "byline", "PERSON"), agencies=names_in(zones, "byline", "ORG")
                + names_in(zones, "dateline", "ORG"),
                dateline=next(iter(names_in(zones, "dateline", "GPE")), None),
                zones=tuple(sorted(zones, key=lambda z: z.start)))


def header_lines(lines: list[Line]) -> list[Line]:
    """The lines above the story's first paragraph of prose, and the few right after it."""
    first_prose = next((line.number for line in lines if is_prose(line.text)), len(lines))
    return [line for line in lines if line.number < max(first_prose + 3, 1) and line.number < HEADER_LINES]


def is_prose(text: str) -> bool:
    words = text.split()
    return len(words) >= 25 or len(words) >= 12 and text.rstrip("”\"'’)").endswith((".", "!", "?"))


def read_structure(line: Line, next_to_date: bool) -> tuple[Zone, date | None] | None:
    """A byline, an agency line beside the date, or a dateline, in the page's first lines."""
    if line.number >= HEADER_LINES:
        return None
    return read_byline(line, next_to_date) or read_dateline(line)


def headline(header: list[Line], zones: list[Zone]) -> str | None:
    """The first heading above the story, if the page has one."""
    starts = {z.start for z in zones if z.kind == "heading"}
    return next((line.text for line in header if line.start in starts and not is_prose(line.text)), None)


def names_in(zones: list[Zone], kind: str, label: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.text for z in zones if z.kind == kind for n in z.names if n.label == label))


# --- dates ----------------------------------------------------------------------------------

def stated_date(text: str) -> date | None:
    value = normalise(text)
    return date.fromisoformat(value.value) if value is not None and value.precision == "day" else None


def date_line(line: Line) -> date | None:
    """A line that is a date and the words pages print around one ('Posted at', a time, 'GMT+10')."""
    match = DATE.search(line.text)
    if match is None:
        return None
    rest = DATE.sub(" ", line.text)
    for pattern in (TIME, ZONE_NAME, WEEKDAY):
        rest = pattern.sub(" ", rest)
    words = re.findall(r"[A-Za-z]+|[0-9]+", rest)
    if any(w.lower() not in DATE_CHROME and not w.isdigit() for w in words) or len(words) > 8:
        return None
    return stated_date(match.group(0))


def is_bare_date(text: str) -> bool:
    """A date and nothing else: a timeline's heading looks the same, so only a page's one bare date counts."""
    return not TIME.search(text) and not any(w.lower() in DATE_CHROME for w in re.findall(r"[A-Za-z]+", DATE.sub(" ", text)))


def is_banner(text: str) -> bool:
    """'Wednesday, April 17, 2024' and nothing else: the site's date, not the article's."""
    return bool(WEEKDAY.match(text)) and not TIME.search(text)


def update_statements(text: str, lines: list[Line]) -> list[tuple[int, date]]:
    """'The last update happened on November 30, 2021', 'Updated: 3 May 2024' near the top."""
    limit = lines[min(len(lines), HEADER_LINES) - 1].end if lines else 0
    found = []
    for match in UPDATE_STATEMENT.finditer(text, 0, limit):
        when = stated_date(match.group("date"))
        if when is not None:
            found.append((match.start(), when))
    return found


# --- bylines and credits ----------------------------------------------------------------------

def read_byline(line: Line, next_to_date: bool = False) -> tuple[Zone, date | None] | None:
    """'By X and Y', 'By X | Apr 5th, 2023', 'By X, Correspondent MAY 30, 2015', 'By X I Chief
    Correspondent'; a line that is only 'Name, Agency'; beside the page's date line, an agency."""
    match = BYLINE.match(line.text)
    if match:
        rest_start = line.start + match.start("rest")
        rest = match.group("rest")
    elif len(line.text.split()) <= 8 and not SENTENCE_END.search(line.text):
        rest_start, rest = line.start, line.text
    else:
        return None
    when_match = DATE.search(rest)
    when = stated_date(when_match.group(0)) if when_match else None
    if when_match:
        rest = rest[:when_match.start()] + " " * (when_match.end() - when_match.start()) + rest[when_match.end():]
    names = segments(rest, rest_start)
    if not match and not (next_to_date and any(n.label == "ORG" for n in names) or is_name_and_agency(names)):
        return None  # beside a date, a lone name could be the site's as well as a person's
    if not names or not match and len(" ".join(n.text for n in names)) < len(rest.strip()) * 0.8:
        return None
    return Zone("byline", line.start, line.end, tuple(names)), when


def is_name_and_agency(names: list[Name]) -> bool:
    """'Jane Doe, Reuters' on a line of its own: a person, then only organisations."""
    return len(names) >= 2 and names[0].label == "PERSON" and all(n.label == "ORG" for n in names[1:])


def segments(text: str, offset: int) -> list[Name]:
    """The names in a byline or credit, split at '/', '|', ',', 'and', 'via', each a person,
    an organisation, or a role (dropped)."""
    names = []
    position = 0
    for part in re.split(r"(\s*/\s*|\s+via\s+|\s+[|I]\s+|\s*\|\s*|,\s*|\s+and\s+|\s*&\s*)", text):
        start = position
        position += len(part)
        stripped = part.strip(" .")
        if not stripped or re.fullmatch(r"\s*/\s*|\s+via\s+|\s+[|I]\s+|\s*\|\s*|,\s*|\s+and\s+|\s*&\s*", part):
            continue
        label = segment_label(stripped)
        if label is not None:
            begin = offset + start + part.index(stripped)
            names.append(Name(stripped, begin, begin + len(stripped), label))
    return names


def segment_label(text: str) -> str | None:
    words = text.split()
    lowered = [w.lower().strip(".") for w in words]
    if is_titled(words, title_words()) or not words[0][:1].isupper():
        return None
    if len(words) == 1 or any(w in MEDIA_WORDS for w in lowered) or text.isupper() and len(words) == 1:
        return "ORG" if len(text) > 1 else None
    if PERSON_NAME.match(text) and len(words) <= 5:
        return "PERSON"
    return None


def credits(line: Line) -> list[Zone]:
    """Photo credits inside a caption line: after '©', 'Photo:', 'Photograph:', 'Photo by'; in
    brackets at the end; 'Name/Agency' at the end; 'Name, Agency File Photo'."""
    found = []
    for marker in CREDIT_MARKER.finditer(line.text):
        end = closing(line.text, marker.end())
        found.append(credit_zone(line, marker.end(), end))
    stripped = line.text.rstrip(". ")
    for pattern, present in ((BRACKETED_CREDIT, stripped.endswith("]")), (SLASH_CREDIT, "/" in line.text),
                             (FILE_PHOTO_CREDIT, stripped.endswith("Photo"))):
        match = pattern.search(line.text) if present else None
        if match is None or match.start() == 0 and pattern is not BRACKETED_CREDIT:
            continue  # a whole line of 'A / B / C' is navigation, not a caption's credit
        if not any(z.start <= line.start + match.start("credit") < z.end for z in found):
            found.append(credit_zone(line, match.start("credit"), match.end("credit")))
    return [zone for zone in found if any(n.label == "ORG" for n in zone.names)
            and sum(n.label == "PERSON" for n in zone.names) <= 1]


def closing(text: str, start: int) -> int:
    """Where a credit after a marker ends: a closing bracket, a full stop (not an initial's), or the line's end."""
    stop = re.compile(r"(?<=[\w)]{2})\.(?:\s|$)")
    full_stop = stop.search(text, start)
    ends = [i for i in (text.find(")", start), text.find("]", start), full_stop.start() if full_stop else -1) if i >= 0]
    return min(ends) if ends else len(text.rstrip(". "))


def credit_zone(line: Line, start: int, end: int) -> Zone:
    names = tuple(segments(line.text[start:end], line.start + start))
    return Zone("credit", line.start + start, line.start + end, names)


# --- datelines and headings ----------------------------------------------------------------------

def read_dateline(line: Line) -> tuple[Zone, date | None] | None:
    """'CHISINAU (Reuters) -', 'ALMATY, Kazakhstan -', 'Geneva, 24 May 2022 -', '(New York) –': a
    place in capitals, or any place followed by a date or an agency, then a dash."""
    match = DATELINE.match(line.text)
    if match is None:
        return None
    place = match.group("place") or match.group("bracketed")
    in_capitals = place is not None and place.replace(" ", "").replace("-", "").isupper() and len(place) > 2
    if not (in_capitals or match.group("date") or match.group("agency") or match.group("bracketed")):
        return None
    names = []
    group = "place" if match.group("place") else "bracketed"
    names.append(Name(place, line.start + match.start(group), line.start + match.end(group), "GPE"))
    region = match.group("region")
    if region:
        names.append(Name(region, line.start + match.start("region"), line.start + match.end("region"), "GPE"))
    if match.group("agency"):
        agency = match.group("agency")
        names.append(Name(agency, line.start + match.start("agency"), line.start + match.end("agency"), "ORG"))
    when = stated_date(match.group("date")) if match.group("date") else None
    return Zone("dateline", line.start, line.start + match.end("dash"), tuple(names)), when


def is_heading(text: str) -> bool:
    """A headline or section head: capitals, or Title Case on most words, and no sentence end."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    if not 2 <= len(words) <= 20 or text.endswith(".") or ". " in text:
        return False
    if text.isupper():
        return True
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(content) and sum(w[0].isupper() for w in content) >= 0.8 * len(content) and len(content) >= 3


def looks_like_title(text: str) -> bool:
    words = text.split()
    return 2 < len(words) <= 30 and not text.endswith(".") and not SENTENCE_END.search(text.rstrip("”\"'’"))
