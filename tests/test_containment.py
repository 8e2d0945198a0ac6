"""Place containment the text states and the world's data agrees with (kg/extract/containment.py)."""
from __future__ import annotations

import pytest

from kg.documents.readers import from_text
from kg.extract import extract
from kg.settings import Settings

pytestmark = pytest.mark.slow


def contained(text: str) -> set[tuple[str, str]]:
    settings = Settings()
    [extraction] = extract([from_text("a.txt", text, "h")], model=settings.model, gazetteer=settings.gazetteer)
    return {(r.subject.text, r.object.text) for r in extraction.relations if r.predicate == "containedInPlace"}


@pytest.mark.parametrize("text, pair", [
    ("Police detained dozens of protesters in Almaty, Kazakhstan, on Saturday.", ("Almaty", "Kazakhstan")),
    ("He was detained in the city of Trinidad, Beni province, on Friday.", ("Trinidad", "Beni")),
    ("He was moved to a prison hospital in Gldani, Tbilisi, last week.", ("Gldani", "Tbilisi")),
    ("The court in Azerbaijan's capital Baku sentenced them.", ("Baku", "Azerbaijan")),
    ("Protesters marched in Hungary on Sunday, in the capital, Budapest.", ("Budapest", "Hungary")),
    ("They were held at Harare's Chikurubi Prison for months.", ("Chikurubi Prison", "Harare")),
])
def test_stated_containment(text, pair):
    assert pair in contained(text)


def test_a_list_of_places_is_no_containment():
    assert not contained("Delegates came from Paris, Berlin and Madrid on Monday.")


def test_the_data_must_agree_when_the_text_only_puts_two_places_side_by_side():
    assert ("Almaty", "Bolivia") not in contained("Flights left Almaty, Bolivia said on Monday.")
