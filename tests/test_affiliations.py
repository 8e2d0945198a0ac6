"""Affiliations as news states them: one test per construction, on sentences written for the test.

Each text goes through the whole chain (pipeline → build → the real store); the
test reads person–organisation links back with SPARQL, with or without a role.
"""
from __future__ import annotations

import pytest

from tests.test_facts import built, roles, rows

pytestmark = pytest.mark.slow


def members(store) -> set[tuple[str, str]]:
    """(person, organisation) for every membership, plain or through a role."""
    return set(rows(store, """
        SELECT DISTINCT ?person ?org WHERE {
          ?p a schema:Person ; rdfs:label ?person .
          { ?p schema:memberOf ?o . ?o a schema:Organization }
          UNION { ?p schema:memberOf ?r . ?r a schema:OrganizationRole ; schema:memberOf ?o }
          ?o rdfs:label ?org }"""))


@pytest.mark.parametrize("text, pair", [
    pytest.param("Prime Minister Robert Hale (Labour Party) called an early election.",
                 ("Robert Hale", "Labour Party"), id="a party in brackets after a name"),
    pytest.param("The Labour Party's Anna Berg slammed the government.",
                 ("Anna Berg", "Labour Party"), id="the organisation's possessive before a name"),
    pytest.param("Voters backed Anna Berg's Labour Party in the capital.",
                 ("Anna Berg", "Labour Party"), id="the person's possessive before an organisation"),
    pytest.param("Opposition leader, Tom Rudd (PhD) of the Green Party, dismissed the results.",
                 ("Tom Rudd", "Green Party"), id="an of-phrase after a name"),
    pytest.param("The Green Party, John Smith's party, came second in the vote.",
                 ("John Smith", "Green Party"), id="an apposition naming the owner"),
    pytest.param("Zoe Kent, a Greenpeace member, was detained.",
                 ("Zoe Kent", "Greenpeace"), id="an organisation premodifying a role after a name"),
])
def test_memberships(tmp_path, settings, store, text, pair):
    built(tmp_path, settings, store, text)
    assert pair in members(store)


@pytest.mark.parametrize("text, role", [
    pytest.param("The Green Party, which is headed by Tom Rudd, won seats.",
                 ("Tom Rudd", "head", "Green Party"), id="passive verb of leading in a relative clause"),
    pytest.param("The Green Party, led by Tom Rudd, won seats.",
                 ("Tom Rudd", "leader", "Green Party"), id="participle of leading"),
    pytest.param("Tom Rudd, who heads the Green Party, spoke.",
                 ("Tom Rudd", "head", "Green Party"), id="relative clause with a verb of leading"),
    pytest.param("Tom Rudd has led the Green Party since 2019.",
                 ("Tom Rudd", "leader", "Green Party"), id="main clause with a verb of leading"),
    pytest.param("Amnesty International (AI) deputy director John Smith spoke.",
                 ("John Smith", "deputy director", "Amnesty International"),
                 id="an acronym in brackets between the organisation and the role"),
    pytest.param("Amnesty International said on Monday that the organisation's deputy director, Mark Bell, "
                 "was jailed.", ("Mark Bell", "deputy director", "Amnesty International"),
                 id="a noun standing for the organisation"),
    pytest.param("The President of the Human Rights Council, Ambassador John Smith, announced the appointment.",
                 ("John Smith", "President", "Human Rights Council"), id="role of organisation, title and name"),
    pytest.param("Anna Berg, dean of the Faculty of Law at Harvard University, spoke.",
                 ("Anna Berg", "dean", "Faculty of Law"), id="the first organisation of a chain"),
    pytest.param("Anna Berg, dean of the Faculty of Law at Harvard University, spoke.",
                 ("Anna Berg", "dean of the Faculty of Law", "Harvard University"),
                 id="the last organisation of a chain"),
    pytest.param("The arrest of Maria Santos, founder and executive director of the human rights group "
                 "Amnesty International, is alarming.",
                 ("Maria Santos", "founder and executive director", "Amnesty International"),
                 id="coordinated roles and a descriptor before the organisation"),
    pytest.param("Maria Santos, a veteran editor and former CNN journalist, was arrested on Monday.",
                 ("Maria Santos", "journalist", "CNN"), id="an organisation inside an apposition"),
    pytest.param("Voters punished the Labour Party bloc headed by former Prime Minister Maria Santos.",
                 ("Maria Santos", "head", "Labour Party"), id="a verb of leading on a noun the name modifies"),
    pytest.param("Several other Labour Party MPs were also detained including the prominent lawmaker "
                 "Maria Santos.", ("Maria Santos", "MP", "Labour Party"), id="a name in an including-list"),
])
def test_roles(tmp_path, settings, store, text, role):
    built(tmp_path, settings, store, text)
    assert role in roles(store)


def test_a_plural_role_is_shared_by_the_list_it_opens(tmp_path, settings, store):
    built(tmp_path, settings, store,
          "Amnesty International members John Smith, Mark Bell and Zoe Kent were sentenced on Monday.")
    assert {("John Smith", "Amnesty International"), ("Mark Bell", "Amnesty International"),
            ("Zoe Kent", "Amnesty International")} <= members(store)


def test_whose_members_lists_the_members(tmp_path, settings, store):
    built(tmp_path, settings, store, "The commission set up the Truth Commission, whose members—John Smith, "
                                     "Anna Berg (Chile), and Mark Bell (Spain) —were selected in May.")
    assert {("John Smith", "Truth Commission"), ("Anna Berg", "Truth Commission")} <= members(store)


def test_a_byline_with_its_agency(tmp_path, settings, store):
    built(tmp_path, settings, store, "Opposition wins the vote\n\nJohn Smith, Reuters\n\n"
                                     "The opposition won the vote in Lisbon on Sunday, officials said.\n")
    assert ("John Smith", "reporter", "Reuters") in roles(store)


def test_a_byline_over_a_wire_dateline(tmp_path, settings, store):
    built(tmp_path, settings, store, "Opposition wins the vote\n\nBy John Smith\n\n"
                                     "LISBON (Reuters) - The opposition won the vote on Sunday, officials said.\n")
    assert ("John Smith", "reporter", "Reuters") in roles(store)


def test_a_country_in_brackets_is_no_affiliation(tmp_path, settings, store):
    built(tmp_path, settings, store, "Ambassador John Smith (Argentina) of France spoke in Geneva.")
    assert members(store) == set()


def test_serving_as_members_of_an_organisation(tmp_path, settings, store):
    built(tmp_path, settings, store, "The council named John Smith and Anna Berg to serve as the members of the "
                                     "Truth Commission.")
    assert {("John Smith", "Truth Commission"), ("Anna Berg", "Truth Commission")} <= members(store)


def test_a_role_in_an_organisations_unit_before_a_name(tmp_path, settings, store):
    built(tmp_path, settings, store, "In Lisbon, a journalist for Radio Free Europe's Kazakh service, Maria Santos, "
                                     "was detained on Monday.")
    assert ("Maria Santos", "journalist", "Radio Free Europe") in roles(store)


def test_memberships_join_people_to_organisations_only(tmp_path, settings, store):
    built(tmp_path, settings, store, "In Lisbon, a journalist for Radio Free Europe's Kazakh service, Maria Santos, "
                                     "was detained on Monday. Ambassador John Smith (Argentina) spoke.")
    assert rows(store, """SELECT ?s ?o WHERE { ?s schema:memberOf ?o
                          FILTER NOT EXISTS { ?s a schema:Person } FILTER NOT EXISTS { ?s a schema:OrganizationRole } }""") == []
    assert rows(store, """SELECT ?s ?o WHERE { ?s schema:memberOf ?o . ?o a schema:Place }""") == []


def test_a_persons_possessive_is_no_organisation(tmp_path, settings, store):
    built(tmp_path, settings, store, "Anna Berg, Donald Trump's adviser, spoke in Washington.")
    assert members(store) == set()


def test_a_definite_description_of_the_person_the_sentence_before_was_about(tmp_path, settings, store):
    built(tmp_path, settings, store, "John Smith, 65, has ruled the country for more than three decades. "
                                     "The former Labour Party leader has become one of the closest allies of China.")
    assert ("John Smith", "former leader", "Labour Party") in roles(store)


def test_a_role_on_an_organisations_board_is_a_role_in_the_organisation(tmp_path, settings, store):
    built(tmp_path, settings, store, 'Amnesty International criticised the ruling. "It is an outrage," said '
                                     'Amnesty International Board Chair Maria Santos.')
    assert ("Maria Santos", "Chair", "Amnesty International") in roles(store)


@pytest.mark.parametrize("text, role", [
    pytest.param("The verdict was condemned by ALDRO Vice-President Maren Tolvik on Monday.",
                 ("Maren Tolvik", "Vice-President", "ALDRO"), id="an acronym organisation before a role"),
    pytest.param("Reporters from Korvath Media were sentenced on Monday, and its director, Maren Tolvik, was jailed.",
                 ("Maren Tolvik", "director", "Korvath Media"), id="its role, a comma and the name"),
])
def test_roles_in_organisations_the_model_misses(tmp_path, settings, store, text, role):
    built(tmp_path, settings, store, text)
    assert role in roles(store)


def test_a_member_of_an_organisation_the_model_took_for_a_person(tmp_path, settings, store):
    built(tmp_path, settings, store, "The man was shot by a Zoma PF member, Tavi Renko, in the market.")
    assert ("Tavi Renko", "Zoma PF") in members(store)


def test_the_title_of_the_next_name_in_a_list_is_not_the_first_names_role(tmp_path, settings, store):
    built(tmp_path, settings, store, "Anna Berg, ALDRO Vice-President Maren Tolvik and Tom Rudd were sentenced.")
    assert ("Anna Berg", "ALDRO") not in members(store) and ("Maren Tolvik", "ALDRO") in members(store)
