"""Which place lies in which, where the text says so and the world's data agrees.

News states containment in a few set forms:

- 'Almaty, Kazakhstan', 'CARACAS, Venezuela (AP) —', 'Iguala, Guerrero': a place, a comma
  and its country or province, when the data knows the first lies in the second;
- "Azerbaijan's capital Baku", "Moldova's second city, Balti", 'Almaty, Kazakhstan's
  largest city': a place noun owned by the container;
- "Harare's Chikurubi Prison", 'Phayathai Police Station in Bangkok': a building or site
  of a city, owned by it or placed in it.

The forms 'P, located in Q', 'P, central Q' and 'P, the capital of Q' are read by
``relations.containment``.
"""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span

from kg.extract.claims import Relation
from kg.extract.grammar import PLACE_LABELS, MentionIndex, evidence
from kg.extract.mentions import Mention
from kg.places import World, world

POSSESSIVE = {"'s", "’s"}
PLACE_NOUNS = {"capital", "city", "town", "village", "province", "region", "district", "port", "suburb",
               "state", "county"}
REGION_NOUNS = {"province", "region", "state", "district", "county", "governorate", "department", "prefecture"}
BIG_CITY = 100_000
LIST_WORDS = {"and", "or"}


def containment(doc: Doc, index: MentionIndex) -> list[Relation]:
    """Every containment the text states in one of the forms above."""
    places = world()
    found: list[Relation] = []
    for ent in doc.ents:
        mention = index.at(ent.start, PLACE_LABELS)
        if mention is None:
            continue
        found += comma_container(doc, ent, mention, index, places)
        found += owned_place_noun(doc, ent, mention, index, places)
        found += site_of_city(doc, ent, mention, index)
        found += the_capital(doc, ent, mention, index, places)
    seen: set[tuple[int, int]] = set()
    unique = []
    for relation in found:
        key = (relation.subject.start, relation.object.start)
        if key not in seen:
            seen.add(key)
            unique.append(relation)
    return unique


def comma_container(doc: Doc, ent: Span, place: Mention, index: MentionIndex, places: World) -> Iterator[Relation]:
    """'Almaty, Kazakhstan' where the data agrees; 'Trinidad, Beni province' where the text says
    region; 'Gldani, Tbilisi', a name the data does not know before a big city (a district);
    never 'Malmö, Gothenburg and Stockholm', a list."""
    i = ent.end
    if i + 1 >= len(doc) or doc[i].text != ",":
        return
    container = index.at(i + 1, PLACE_LABELS)
    span = index.span(i + 1)
    if container is None or span.start != i + 1 or span.end < len(doc) and doc[span.end].lower_ in LIST_WORDS:
        return
    if places.contains(container.text, place.text):
        method = "rule:place-comma-known-container"
    elif span.end < len(doc) and doc[span.end].lower_ in REGION_NOUNS:
        method = "rule:place-comma-region"
    elif not places.lookup(place.text) and any(p.kind == "city" and p.population >= BIG_CITY
                                               for p in places.lookup(container.text)):
        method = "rule:district-comma-city"
    else:
        return
    yield Relation(place, "containedInPlace", container, evidence(ent.sent, place.start, container.end, method, 0.8))


def the_capital(doc: Doc, ent: Span, place: Mention, index: MentionIndex, places: World) -> Iterator[Relation]:
    """'in the capital, Budapest', 'Nur-Sultan, the national capital': the capital of the country
    the sentence names, if the data agrees."""
    before = [t.lower_ for t in doc[max(ent.start - 2, 0):ent.start]]
    after = [t.lower_ for t in doc[ent.end:ent.end + 4]]
    if "capital" not in before and not (after[:1] == [","] and "capital" in after):
        return
    countries = [m for m in index.among(ent.sent, PLACE_LABELS) if places.is_country(m.text)
                 and places.contains(m.text, place.text)]
    if len({m.text for m in countries}) == 1:
        yield Relation(place, "containedInPlace", countries[0],
                       evidence(ent.sent, min(place.start, countries[0].start), max(place.end, countries[0].end),
                                "rule:capital-of-country", 0.75))


def owned_place_noun(doc: Doc, ent: Span, container: Mention, index: MentionIndex,
                     places: World) -> Iterator[Relation]:
    """"Q's capital P", "Q's second city, P" (P after), and 'P, Q's largest city' (P before)."""
    i = ent.end
    if i >= len(doc) or doc[i].text not in POSSESSIVE:
        return
    j = i + 1
    while j < len(doc) and j - i <= 3 and doc[j].lower_ not in PLACE_NOUNS and doc[j].pos_ in {"ADJ", "NUM", "ADV"}:
        j += 1
    if j >= len(doc) or doc[j].lower_ not in PLACE_NOUNS:
        return
    k = j + 1 + (j + 1 < len(doc) and doc[j + 1].text == ",")
    after = index.at(k, PLACE_LABELS) if k < len(doc) else None
    if after is not None and index.span(k).start == k:
        yield Relation(after, "containedInPlace", container,
                       evidence(ent.sent, container.start, after.end, "rule:owned-place-noun", 0.85))
        return
    before = ent.start - 1
    if before >= 1 and doc[before].text == ",":
        inner = index.at(before - 1, PLACE_LABELS)
        if inner is not None and inner.text != container.text:
            yield Relation(inner, "containedInPlace", container,
                           evidence(ent.sent, inner.start, container.end, "rule:owned-place-noun", 0.8))


def site_of_city(doc: Doc, ent: Span, site: Mention, index: MentionIndex) -> Iterator[Relation]:
    """"Harare's Chikurubi Prison" and 'Phayathai Police Station (and …) in Bangkok': a building
    or site (FAC) lies in the city that owns it or that follows it after 'in'."""
    if site.label != "FAC":
        return
    owner = ent.start - 1
    if owner >= 1 and doc[owner].text in POSSESSIVE:
        city = index.at(owner - 1, {"GPE"})
        if city is not None:
            yield Relation(site, "containedInPlace", city,
                           evidence(ent.sent, city.start, site.end, "rule:site-of-city", 0.8))
            return
    i = ent.end
    while i < len(doc) and (doc[i].lower_ in LIST_WORDS or doc[i].text == "," or index.at(i, {"FAC"}) is not None):
        i += 1
    if i + 1 < len(doc) and doc[i].lower_ == "in":
        city = index.at(i + 1, {"GPE"})
        if city is not None:
            yield Relation(site, "containedInPlace", city,
                           evidence(ent.sent, site.start, city.end, "rule:site-in-city", 0.8))
