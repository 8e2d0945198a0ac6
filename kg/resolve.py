"""Resolution: which mentions in a document name the same thing, and why.

Inside a document, mentions are joined when they share a gazetteer entry, when the
document defines one as an acronym or surname of the other, or when their names
are equal after normalisation (case, leading 'the', honorifics, possessive).
Across documents, an entity's key is its gazetteer entry or its type and name, so
the same entity in two documents is one node. Every link keeps its reason.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from kg.dates import CalendarValue, normalise
from kg.documents import Document
from kg.extract import Extraction, Mention
from kg.extract.gazetteer import Entry, Gazetteer
from kg.places import COUNTRY, world
from kg.rdf.namespaces import slug

KIND_OF_LABEL = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place",
                 "FAC": "Place", "EVENT": "Event"}
KIND_OF_CLASS = {"Person": "Person", "Event": "Event"}
PLACE_LABELS = {"GPE", "LOC"}

SAME_LABEL = "SameLabel"
ACRONYM = "AcronymDefinedInText"
SURNAME = "SurnameOfNamedPerson"
FIRST_NAME = "FirstNameOfNamedPerson"
GAZETTEER_ALIAS = "GazetteerAlias"
INITIALS = "InitialsOfName"
HEAD_NOUN = "HeadNounOfName"
NAME_VARIANT = "VariantOfName"
REASON_OF_ALIAS = {"acronym": ACRONYM, "surname": SURNAME, "first-name": FIRST_NAME}


@dataclass
class Entity:
    """One real-world thing a document names; ``key`` is the stable tail of its IRI."""

    key: str
    kind: str  # Person, Organization, Place or Event
    rdf_class: str  # the most specific schema.org (or kg:) class known
    label: str
    aliases: set[str] = field(default_factory=set)
    same_as: tuple[str, ...] = ()
    gazetteer_key: str | None = None


@dataclass(frozen=True)
class Link:
    """A mention attached to an entity or date key, with the reason for the attachment."""

    mention: Mention
    key: str
    reason: str


@dataclass(frozen=True)
class DateNode:
    key: str
    value: CalendarValue


@dataclass
class ResolvedDocument:
    document: Document
    entities: list[Entity]
    dates: list[DateNode]
    links: list[Link]
    unresolved_dates: list[Mention]
    author_keys: list[str]
    agency_keys: list[str] = field(default_factory=list)
    dateline_keys: list[str] = field(default_factory=list)


def resolve(extraction: Extraction, gazetteer: Gazetteer) -> ResolvedDocument:
    """Entities, dates and reasoned links for one document's mentions."""
    titles = tuple(t.lower() for t in gazetteer.titles)
    names = [m for m in extraction.mentions if m.label in KIND_OF_LABEL]
    clusters, variant_reasons = cluster(names, extraction, gazetteer, titles)
    entries = gazetteer.by_key()
    entities, links = [], []
    for members in clusters:
        entity = make_entity(members, entries, titles)
        entities.append(entity)
        links.extend(Link(m, entity.key, reason_for(m, entity, extraction, entries, titles, variant_reasons))
                     for m in members)
    document = extraction.document
    author_keys = attach(document.authors, "Person", entities, titles)
    agency_keys = attach(document.agencies, "Organization", entities, titles)
    dateline_keys = attach((document.dateline,) if document.dateline else (), "Place", entities, titles)
    dates, date_links, unresolved = resolve_dates(extraction)
    return ResolvedDocument(document, entities, dates, links + date_links, unresolved, author_keys,
                            agency_keys, dateline_keys)


# --- names ---------------------------------------------------------------------------

def display(text: str) -> str:
    """The name as a reader would write it in a list: no leading 'the', quotes or possessive."""
    name = " ".join(text.split()).strip("“”\"‘’' ")
    name = re.sub(r"^(the|The)\s+", "", name)
    return re.sub(r"['’]s?$", "", name).strip()


def without_titles(name: str, titles: tuple[str, ...]) -> str:
    """'Mrs. Maryam Rajavi' → 'Maryam Rajavi'; a name that is only a title stays as it is."""
    stripped = leading_titles_pattern(titles).sub("", name, count=1)
    return stripped if stripped else name


@lru_cache(maxsize=4)
def leading_titles_pattern(titles: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(rf"^(?:(?:{alternatives})\s+)+(?=\S)", re.IGNORECASE)


def normal(text: str, titles: tuple[str, ...] = ()) -> str:
    """The comparison key of a name: case, accents, dots, apostrophes, 'the', titles and possessive ignored."""
    name = unicodedata.normalize("NFKC", display(text)).replace("’", "'")
    name = without_titles(name, titles) if titles else name
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(name.replace(".", "").casefold().split())


# --- clustering -----------------------------------------------------------------------

def cluster(mentions: list[Mention], extraction: Extraction, gazetteer: Gazetteer,
            titles: tuple[str, ...]) -> tuple[list[list[Mention]], dict[str, str]]:
    """Union-find over mentions (gazetteer entry, learned alias, equal or reordered names), then
    the variants a document uses for a name it gives in full (see ``variants``).

    Returns the groups and, for names joined as variants, why (normal name → reason)."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    gazetteer_by_name = names_of_entries(gazetteer.entries)
    alias_target = {normal(a.alias, titles): normal(a.full, titles) for a in extraction.aliases}
    first_with: dict[str, int] = {}
    for i, mention in enumerate(mentions):
        name = normal(mention.text, titles)
        keys = {f"name:{alias_target.get(name, name)}", f"name:{name}", f"words:{content_words(name)}"}
        entry = mention.gazetteer_id or gazetteer_by_name.get(name)
        if entry:
            keys.add(f"gazetteer:{entry}")
        if mention.label in PLACE_LABELS and (country := world().best(mention.text)) is not None \
                and country.kind == COUNTRY:
            keys.add(f"country:{country.country}")  # 'U.S.' and 'United States
        for key in keys:
            if key in first_with:
                union(i, first_with[key])
            else:
                first_with[key] = i
    groups: dict[int, list[Mention]] = {}
    for i, mention in enumerate(mentions):
        groups.setdefault(find(i), []).append(mention)
    return variants(list(groups.values()), extraction.document.text, titles)


@lru_cache(maxsize=4)
def names_of_entries(entries: tuple[Entry, ...]) -> dict[str, str]:
    """Every gazetteer name by its normal form (built once per gazetteer)."""
    return {normal(n): e.key for e in entries for n in e.names}


FUNCTION_WORDS = {"of", "the", "for", "and", "on", "to", "in", "de", "&"}


def content_words(name: str) -> str:
    """'Democratic Choice of Kazakhstan' and 'Democratic Choice Kazakhstan', 'Rome Rangsiman' and
    'Rangsiman Rome': the same words, whatever their order and the function words between them."""
    words = sorted(w for w in re.split(r"[\s'-]+", name) if w and w not in FUNCTION_WORDS)
    return " ".join(words) if len(words) > 1 else f"={name}"


def variants(groups: list[list[Mention]], text: str, titles: tuple[str, ...]) -> tuple[list[list[Mention]], dict[str, str]]:
    """Join a group to the one full name it is a variant of: an acronym spelling its initials
    ('CPJ'), its head noun ('the Group'), a one-letter spelling difference ('Baghdadh'), or the
    name cut off where the excerpt ends ('Amnesty Internatio')."""
    reasons: dict[str, str] = {}
    kinds = [vote(g) for g in groups]
    names = [{normal(m.text, titles) for m in g} for g in groups]
    text_end = len(text.rstrip())
    merged: dict[int, int] = {}
    for i, group in enumerate(groups):
        found = [(j, reason) for j in range(len(groups)) if j != i and j not in merged
                 for reason in {variant_reason(n, f, kinds[i], kinds[j], group, text_end)
                                for n in names[i] for f in names[j]} - {None}]
        if len({j for j, _ in found}) == 1 and absorbs(groups[found[0][0]], group, found[0][1]):
            merged[i] = found[0][0]
            for n in names[i]:
                reasons[n] = found[0][1]
    kept: dict[int, list[Mention]] = {}
    for i, group in enumerate(groups):
        target = i
        while target in merged:
            target = merged[target]
        kept.setdefault(target, []).extend(group)
    return list(kept.values()), reasons


def absorbs(full: list[Mention], variant: list[Mention], reason: str) -> bool:
    """The fuller name takes in its variant; of two spellings, the one written more often (then first)."""
    if reason == NAME_VARIANT and len(max((m.text for m in full), key=len)) <= len(max((m.text for m in variant), key=len)) + 1:
        return (len(full), -min(m.start for m in full)) > (len(variant), -min(m.start for m in variant))
    return max(len(m.text) for m in full) > max(len(m.text) for m in variant)


def variant_reason(short: str, full: str, short_kind: str, full_kind: str, group: list[Mention],
                   text_end: int) -> str | None:
    """Why ``short`` names what ``full`` names, or None."""
    if short == full:
        return None
    if short_kind == full_kind == "Organization" or short_kind in ("Organization", "Place") and full_kind == "Organization":
        if initials(full) == short and any(sum(c.isupper() for c in m.text) >= 2 for m in group):
            return INITIALS
        if " " not in short and head_noun(full) == short:
            return HEAD_NOUN
    if short_kind == full_kind and min(len(short), len(full)) >= 7 and one_edit_apart(short, full):
        return NAME_VARIANT
    if any(m.end == text_end for m in group) and len(short) >= 8 and full.startswith(short):
        return NAME_VARIANT
    return None


def initials(name: str) -> str:
    """'committee to protect journalists' → 'cpj'; 'democratic choice of kazakhstan' → 'dck';
    'tehreek-e-adl party' → 'tap'."""
    words = [w for w in re.split(r"[\s-]+", name) if len(w) > 1 and w not in FUNCTION_WORDS]  # not '-e-'
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def head_noun(name: str) -> str:
    """The word a name's phrase is built on: 'group' in 'interdisciplinary group of independent experts'."""
    words = name.split()
    before = next((i for i, w in enumerate(words) if w in FUNCTION_WORDS), len(words))
    return words[before - 1] if before > 1 else ""


def one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped or changed: 'baghdadh' / 'baghdad', 'hatloul' / 'hathloul'."""
    if abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def make_entity(members: list[Mention], entries: dict[str, Entry], titles: tuple[str, ...]) -> Entity:
    entry = next((entries[m.gazetteer_id] for m in members if m.gazetteer_id in entries), None)
    seen = {display(m.text) for m in members}
    if entry is not None:
        kind = KIND_OF_CLASS.get(entry.rdf_class) or KIND_OF_LABEL[entry.ner_label]
        label = entry.label
        return Entity(key=f"{kind.lower()}/{entry.key}", kind=kind, rdf_class=entry.rdf_class, label=label,
                      aliases=seen - {label}, same_as=entry.same_as, gazetteer_key=entry.key)
    kind = vote(members)
    label = best_name(members, kind, titles)
    place = world().best(label) if kind == "Place" else None
    if place is not None:
        return Entity(key=f"place/{slug(label)}", kind=kind, rdf_class=place.rdf_class, label=label,
                      aliases=seen - {label}, same_as=(place.iri,) if place.iri else ())
    return Entity(key=f"{kind.lower()}/{slug(label)}", kind=kind, rdf_class=kind, label=label,
                  aliases=seen - {label})


def vote(members: list[Mention]) -> str:
    """The kind most mentions were given; ties go to the longest mention's kind."""
    counts = Counter(KIND_OF_LABEL[m.label] for m in members)
    top = max(counts.values())
    tied = {k for k, c in counts.items() if c == top}
    if len(tied) == 1:
        return tied.pop()
    longest = max((m for m in members if KIND_OF_LABEL[m.label] in tied), key=lambda m: len(m.text))
    return KIND_OF_LABEL[longest.label]


def best_name(members: list[Mention], kind: str, titles: tuple[str, ...]) -> str:
    """The fullest name written: most words, acronyms last, titles dropped for people; among equals
    the form written most often, then the one written first."""
    written = [display(m.text) for m in sorted(members, key=lambda m: m.start)]
    if kind == "Person":
        written = [without_titles(n, titles) for n in written]
    counts = Counter(written)

    def score(name: str) -> tuple[int, int, int, int]:
        return (0 if name.isupper() else 1, len(name.split()), counts[name], -written.index(name))

    return max(counts, key=score)


def reason_for(mention: Mention, entity: Entity, extraction: Extraction, entries: dict[str, Entry],
               titles: tuple[str, ...], variant_reasons: dict[str, str]) -> str:
    name = normal(mention.text, titles)
    if name == normal(entity.label, titles):
        return SAME_LABEL
    if name in variant_reasons:
        return variant_reasons[name]
    for alias in extraction.aliases:
        if normal(alias.alias, titles) == name:
            return REASON_OF_ALIAS.get(alias.reason, SAME_LABEL)
    if entity.gazetteer_key and any(normal(n) == name for n in entries[entity.gazetteer_key].names):
        return GAZETTEER_ALIAS
    return SAME_LABEL


def attach(names: tuple[str, ...], kind: str, entities: list[Entity], titles: tuple[str, ...]) -> list[str]:
    """Metadata names (byline authors, agencies, the dateline's place) point at the entity of that
    kind the text names, or at a new node when it names none."""
    keys = []
    for given in names:
        name = normal(given, titles)
        match = next((e for e in entities if e.kind == kind
                      and (normal(e.label, titles) == name or name in {normal(a, titles) for a in e.aliases})), None)
        if match is None:
            match = Entity(key=f"{kind.lower()}/{slug(given)}", kind=kind, rdf_class=kind, label=given.strip())
            entities.append(match)
        keys.append(match.key)
    return keys


# --- dates ----------------------------------------------------------------------------

def resolve_dates(extraction: Extraction) -> tuple[list[DateNode], list[Link], list[Mention]]:
    """Date mentions anchored on the publication date, or in a timeline on its section's year.

    A timeline entry is a paragraph that opens with a date ('January 6 – …'); its
    dates take their year from the last heading that was only a date ('January 2023').
    """
    text = extraction.document.text
    published: date | None = extraction.document.published
    section_year: int | None = None
    timeline_paragraphs: set[int] = set()
    nodes: dict[str, DateNode] = {}
    links, unresolved = [], []
    for mention in (m for m in extraction.mentions if m.label == "DATE"):
        paragraph = text.rfind("\n", 0, mention.start) + 1
        line_end = text.find("\n", mention.end)
        is_heading = paragraph == mention.start and text[mention.end:line_end if line_end >= 0 else None].strip() == ""
        if paragraph == mention.start:
            timeline_paragraphs.add(paragraph)
        anchor = published
        if paragraph in timeline_paragraphs and section_year is not None:
            anchor = date(section_year, 1, 1)
        value = normalise(mention.text, anchor)
        if value is None:
            if normalise(mention.text, date(2000, 1, 1)) is not None:
                unresolved.append(mention)  # a date, but nothing to anchor it on
            continue
        if is_heading:
            section_year = value.year
        node = nodes.setdefault(value.value, DateNode(key=f"date/{value.value}", value=value))
        links.append(Link(mention, node.key, SAME_LABEL))
    return list(nodes.values()), links, unresolved
