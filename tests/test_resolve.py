"""Resolution within and across documents, each merge with its reason."""
from __future__ import annotations

import re

import pytest

from kg.documents.readers import from_text
from kg.extract import extract
from kg.extract.gazetteer import load_gazetteer
from kg.documents import Document
from kg.extract import Extraction, Mention
from kg.resolve import ACRONYM, GAZETTEER_ALIAS, HEAD_NOUN, INITIALS, NAME_VARIANT, SAME_LABEL, SURNAME, resolve
from kg.settings import Settings



def resolved(*texts: str):
    settings = Settings()
    documents = [from_text(f"doc{i}.txt", text, f"hash{i}") for i, text in enumerate(texts)]
    gazetteer = load_gazetteer(settings.gazetteer)
    return [resolve(x, gazetteer) for x in extract(documents, model=settings.model, gazetteer=settings.gazetteer)]


def entity_named(result, label):
    return next(e for e in result.entities if e.label == label)


def reasons(result, key):
    return {link.mention.text: link.reason for link in result.links if link.key == key}


@pytest.mark.slow
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


@pytest.mark.slow
def test_gazetteer_aliases_make_one_node_with_the_known_label():
    [result] = resolved("The Revolutionary Guards fired. Later the IRGC denied it.")
    irgc = [e for e in result.entities if e.gazetteer_key == "irgc"]
    assert len(irgc) == 1 and irgc[0].label == "Islamic Revolutionary Guard Corps"
    assert set(reasons(result, irgc[0].key).values()) == {GAZETTEER_ALIAS}


@pytest.mark.slow
def test_the_same_entity_in_two_documents_gets_the_same_key():
    first, second = resolved("Ludovica Brannigan visited Valdora Harbour Authority offices.",
                             "The Valdora Harbour Authority hired Ludovica Brannigan.")
    assert entity_named(first, "Ludovica Brannigan").key == entity_named(second, "Ludovica Brannigan").key


@pytest.mark.slow
def test_timeline_dates_take_the_heading_year_and_prose_dates_the_publication_date():
    [result] = resolved("Review of the year\n\nMarch 2029\n\nMarch 4 – Pilots met in Valdora. "
                        "They met again on March 9.\n")
    values = {link.mention.text: link.key for link in result.links if link.key.startswith("date/")}
    assert values["March 4"] == "date/2029-03-04" and values["March 9"] == "date/2029-03-09"


@pytest.mark.slow
def test_dates_without_an_anchor_are_kept_unresolved():
    [result] = resolved("Pilots met in Valdora last week.\n")
    assert [m.text for m in result.unresolved_dates] == ["last week"]
    assert not result.dates


def hand_resolved(text: str, names: list[tuple[str, str]]):
    """Resolution alone, over mentions set by hand at each occurrence of the given names."""
    mentions, taken = [], set()
    for name, label in sorted(names, key=lambda n: -len(n[0])):
        for match in re.finditer(re.escape(name), text):
            if not taken & set(range(match.start(), match.end())):
                taken |= set(range(match.start(), match.end()))
                mentions.append(Mention(name, label, match.start(), match.end(), text, 0, "test"))
    document = Document(name="hand.txt", text=text, content_hash="x")
    extraction = Extraction(document, tuple(sorted(mentions, key=lambda m: m.start)), ())
    return resolve(extraction, load_gazetteer(Settings().gazetteer))


@pytest.mark.parametrize("text, names, full, variant, reason", [
    ("The Committee for Fair Harbours met. Later the CFH sued.",
     [("Committee for Fair Harbours", "ORG"), ("CFH", "ORG")], "Committee for Fair Harbours", "CFH", INITIALS),
    ("The Valdora Group of Harbour Experts met. The Group then left.",
     [("Valdora Group of Harbour Experts", "ORG"), ("Group", "ORG")], "Valdora Group of Harbour Experts", "Group",
     HEAD_NOUN),
    ("Pilots flew to Valdorograd. Crowds in Valdorogradh cheered.",
     [("Valdorograd", "GPE"), ("Valdorogradh", "GPE")], "Valdorograd", "Valdorogradh", NAME_VARIANT),
    ("The Valdora Harbour Authority said the Valdora Harb",
     [("Valdora Harbour Authority", "ORG"), ("Valdora Harb", "ORG")], "Valdora Harbour Authority", "Valdora Harb",
     NAME_VARIANT),
])
def test_variants_of_a_name_given_in_full_join_it_with_their_reason(text, names, full, variant, reason):
    result = hand_resolved(text, names)
    [entity] = result.entities
    assert entity.label == full and variant in entity.aliases
    assert reasons(result, entity.key)[variant] == reason


def test_two_organisations_with_the_same_head_noun_keep_the_short_form_apart():
    result = hand_resolved("The Criminal Court and the Appeals Court met. The Court rose.",
                           [("Criminal Court", "ORG"), ("Appeals Court", "ORG"), ("Court", "ORG")])
    assert len(result.entities) == 3


def test_names_in_another_order_with_other_function_words_or_accents_are_one_entity():
    result = hand_resolved("Rangsiman Rome met José Alvarez of the Choice of Valdora. Rome Rangsiman, "
                           "Jose Alvarez and Choice Valdora left.",
                           [("Rangsiman Rome", "PERSON"), ("Rome Rangsiman", "PERSON"), ("José Alvarez", "PERSON"),
                            ("Jose Alvarez", "PERSON"), ("Choice of Valdora", "ORG"), ("Choice Valdora", "ORG")])
    assert len(result.entities) == 3


@pytest.mark.slow
def test_an_acronym_in_brackets_after_an_organisation_is_its_alias_even_unspelled():
    [result] = resolved("Police raided the offices of the Peoples' Democratic Party (HDP) on Friday. "
                        "The HDP protested.")
    party = next(e for e in result.entities if e.kind == "Organization")
    assert party.label == "Peoples' Democratic Party" and "HDP" in party.aliases


@pytest.mark.slow
def test_the_byline_agency_and_dateline_place_are_the_entities_the_text_names():
    [result] = resolved("Harbour talks resume\n\nBy Ines Carvalho\n\nVALDORA (Reuters) - Negotiators met in "
                        "Valdora on Tuesday, Ines Carvalho reported.\n")
    keys = {e.key: e for e in result.entities}
    assert [keys[k].label for k in result.author_keys] == ["Ines Carvalho"]
    assert [keys[k].label for k in result.agency_keys] == ["Reuters"]
    assert [keys[k].kind for k in result.dateline_keys] == ["Place"]


@pytest.mark.slow
def test_a_country_by_its_code_and_by_its_name_is_one_place_with_its_class_and_geonames_iri():
    [result] = resolved("Officials in the United States said on Monday that U.S. envoys would fly to Lyon.")
    [country] = [e for e in result.entities if e.label == "United States"]
    assert country.rdf_class == "Country" and "U.S." in country.aliases
    assert country.same_as == ("https://sws.geonames.org/6252001/",)
    assert entity_named(result, "Lyon").rdf_class == "City"
