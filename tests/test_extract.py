"""Our spaCy components on short sentences written for the tests (pinned model loaded)."""
from __future__ import annotations

import pytest
import spacy

from kg.extract import make_nlp
from kg.extract.components import schwartz_hearst
from kg.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    settings = Settings()
    return make_nlp(settings.model, settings.gazetteer)


def ents(nlp, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in nlp(text).ents if e.label_ != "DATE"}


def test_acronym_defined_in_brackets_names_the_long_form_and_its_later_uses(nlp):
    doc = nlp("The Coastal Workers Alliance of Valdora (CWAV) called a strike. Later the CWAV ended it.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Coastal Workers Alliance of Valdora", "ORG") in found
    assert sum(1 for e in doc.ents if e.text == "CWAV") == 2
    assert ["CWAV", "Coastal Workers Alliance of Valdora", "acronym"] in doc._.newskg_aliases


def test_slash_separated_acronyms_are_all_aliases(nlp):
    doc = nlp("Members of the Northern Farmers Union (NFU/SKF) marched.")
    aliases = {(a, f) for a, f, _ in doc._.newskg_aliases}
    assert ("NFU", "Northern Farmers Union") in aliases and ("SKF", "Northern Farmers Union") in aliases


def test_plural_role_acronyms_are_not_organisations(nlp):
    doc = nlp("Several Members of the European Parliament (MEPs) spoke.")
    assert not any(a == "MEPs" for a, _, _ in doc._.newskg_aliases or [])


def test_surname_alone_refers_to_the_person_named_in_full(nlp):
    doc = nlp("Ludovica Brannigan spoke first. Later, Brannigan left the hall.")
    people = [e.text for e in doc.ents if e.label_ == "PERSON"]
    assert people.count("Brannigan") == 1 and "Ludovica Brannigan" in people
    assert ["Brannigan", "Ludovica Brannigan", "surname"] in doc._.newskg_aliases


def test_an_institute_is_an_organisation_whatever_the_model_says(nlp):
    assert ("Lakeside Policy Institute", "ORG") in ents(nlp, "He is a fellow at the Lakeside Policy Institute in Oslo.")


def test_quantity_words_and_nationalities_are_not_entities(nlp):
    found = {t for t, _ in ents(nlp, "Millions of Iranians and Thousands of Kurdish activists protested in Tehran.")}
    assert not found & {"Millions", "Thousands", "Iranians", "Kurdish"}
    assert "Tehran" in found


def test_gazetteer_fixes_types_and_keeps_longer_names_around_known_ones(nlp):
    found = ents(nlp, "Barack Obama spoke to students of the London School of Economics about the IRGC.")
    assert ("Barack Obama", "PERSON") in found
    assert ("London School of Economics", "ORG") in found
    assert ("IRGC", "ORG") in found


def test_bare_titles_lower_case_captions_and_paragraph_breaks(nlp):
    doc = nlp("The Secretary of State Mike Pompeo spoke.\n\nSupreme Leader Ali Khamenei replied.\njim shannon photo")
    texts = {e.text for e in doc.ents}
    assert {"Mike Pompeo", "Ali Khamenei"} <= texts
    assert not texts & {"State", "Supreme", "jim shannon"}
    assert all("\n" not in e.text for e in doc.ents)


def test_event_names_run_into_their_noun_or_year(nlp):
    found = ents(nlp, "Thousands joined the Free Iran rally. Free Iran 2031 opens today. "
                      "Historians studied the 1988 massacre.")
    assert {("Free Iran rally", "EVENT"), ("Free Iran 2031", "EVENT"), ("1988 massacre", "EVENT")} <= found


@pytest.mark.parametrize("short, long, expected", [
    ("NCRI", "National Council of Resistance of Iran", True),
    ("ISJ", "International Committee in Search of Justice", True),
    ("CAISIR", "Committee of Arab Islamic Solidarity with the Iranian Resistance", True),
    ("IRGC", "Revolutionary Guards", False),
])
def test_schwartz_hearst(short, long, expected):
    assert schwartz_hearst(short, long) is expected


def test_components_run_on_a_blank_pipeline():
    """The rule components need no statistical model: a blank English pipeline runs them."""
    nlp = spacy.blank("en")
    nlp.add_pipe("newskg_paragraphs")
    nlp.add_pipe("newskg_acronyms")
    doc = nlp("Opening line\n\nThe Harbour Pilots Guild (HPG) met.")
    assert doc[3].is_sent_start
    assert ["HPG", "Harbour Pilots Guild", "acronym"] in doc._.newskg_aliases
