"""Resolution within and across documents, each merge with its reason."""
from __future__ import annotations

import pytest

from kg.documents.readers import from_text
from kg.extract import extract
from kg.extract.gazetteer import load_gazetteer
from kg.resolve import ACRONYM, GAZETTEER_ALIAS, SAME_LABEL, SURNAME, resolve
from kg.settings import Settings

pytestmark = pytest.mark.slow


def resolved(*texts: str):
    settings = Settings()
    documents = [from_text(f"doc{i}.txt", text, f"hash{i}") for i, text in enumerate(texts)]
    gazetteer = load_gazetteer(settings.gazetteer)
    return [resolve(x, gazetteer) for x in extract(documents, model=settings.model, gazetteer=settings.gazetteer)]


def entity_named(result, label):
    return next(e for e in result.entities if e.label == label)


def reasons(result, key):
    return {link.mention.text: link.reason for link in result.links if link.key == key}


def test_acronym_surname_and_honorific_merge_with_their_reasons():
    [result] = resolved("The Coastal Workers Alliance of Valdora (CWAV) met Dr. Ludovica Brannigan. "
                        "The CWAV thanked Brannigan. Mrs. Brannigan left.")
    union = entity_named(result, "Coastal Workers Alliance of Valdora")
    assert union.kind == "Organization" and "CWAV" in union.aliases
    assert reasons(result, union.key)["CWAV"] == ACRONYM
    person = entity_named(result, "Ludovica Brannigan")
    assert person.kind == "Person"
    person_reasons = reasons(result, person.key)
    assert person_reasons["Brannigan"] == SURNAME
    assert SAME_LABEL in person_reasons.values()
    assert sum(1 for e in result.entities if e.kind == "Person") == 1


def test_gazetteer_aliases_make_one_node_with_the_known_label():
    [result] = resolved("The Revolutionary Guards fired. Later the IRGC denied it.")
    irgc = [e for e in result.entities if e.gazetteer_key == "irgc"]
    assert len(irgc) == 1 and irgc[0].label == "Islamic Revolutionary Guard Corps"
    assert set(reasons(result, irgc[0].key).values()) == {GAZETTEER_ALIAS}


def test_the_same_entity_in_two_documents_gets_the_same_key():
    first, second = resolved("Ludovica Brannigan visited Valdora Harbour Authority offices.",
                             "The Valdora Harbour Authority hired Ludovica Brannigan.")
    assert entity_named(first, "Ludovica Brannigan").key == entity_named(second, "Ludovica Brannigan").key


def test_timeline_dates_take_the_heading_year_and_prose_dates_the_publication_date():
    [result] = resolved("Review of the year\n\nMarch 2029\n\nMarch 4 – Pilots met in Valdora. "
                        "They met again on March 9.\n")
    values = {link.mention.text: link.key for link in result.links if link.key.startswith("date/")}
    assert values["March 4"] == "date/2029-03-04" and values["March 9"] == "date/2029-03-09"


def test_dates_without_an_anchor_are_kept_unresolved():
    [result] = resolved("Pilots met in Valdora last week.\n")
    assert [m.text for m in result.unresolved_dates] == ["last week"]
    assert not result.dates
