"""Organisations the model misses, read from their head noun or from the roles their people hold
(kg/extract/organisations.py), on the pinned model. Sentences invented here."""
from __future__ import annotations

import pytest

from tests.test_extract import ents, nlp  # noqa: F401  (the pinned pipeline, loaded once)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text, organisation", [
    pytest.param("Reporters from Korvath Media were sentenced on Monday.", "Korvath Media",
                 id="proper nouns ending in an organisation's noun"),
    pytest.param("The verdict was condemned by ALDRO Vice-President Maren Tolvik and others.", "ALDRO",
                 id="an acronym before a role before a name"),
    pytest.param("The man was shot by a Zoma PF member, Tavi Renko, in the market.", "Zoma PF",
                 id="a run with an acronym before a role and a comma"),
    pytest.param("Former Prime Minister and Tehreek-e-Adl chief Omar Baskin was arrested.", "Tehreek-e-Adl",
                 id="a hyphenated name before a role"),
])
def test_an_organisation_named_by_its_noun_or_its_role_holders(nlp, text, organisation):
    assert (organisation, "ORG") in ents(nlp, text)


@pytest.mark.parametrize("text, word", [
    pytest.param("Interior Minister Omar Baskin resigned on Monday.", "Interior", id="a lone word of a title"),
    pytest.param("The Government Minister Omar Baskin resigned.", "Government", id="a lone generic noun"),
    pytest.param("The Kenya envoy Omar Baskin resigned.", "Kenya", id="a known place"),
])
def test_no_organisation_from_a_title_a_generic_noun_or_a_place(nlp, text, word):
    doc = nlp(text)
    added = {doc.text[int(k.split(":")[0]):int(k.split(":")[1])] for k, source in (doc._.newskg_sources or {}).items()
             if source.startswith("rule:organisation")}
    assert not any(word in name for name in added)
