"""What kind a name is, from place data and the words around it (kg/extract/kinds.py, people.py).

Blank pipelines with hand-set entities test the data rules; the constructions read with
the parse ('X province', 'the X party') run on the pinned model. Sentences invented here.
"""
from __future__ import annotations

import pytest
import spacy

from kg.extract import kinds, people  # noqa: F401  (registers the components)


def blank_with(text: str, entities: list[tuple[str, str]], component: str, **config):
    nlp = spacy.blank("en")
    nlp.add_pipe(component, config=config)
    doc = nlp.make_doc(text)
    spans = []
    for name, label in entities:
        start = text.index(name)
        spans.append(doc.char_span(start, start + len(name), label=label))
    doc.ents = spans
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {(e.text, e.label_) for e in doc.ents}, doc


def test_nationality_words_are_never_entities():
    found, _ = blank_with("Moldovan voters and Kazakhs met the Lupu family.",
                          [("Moldovan", "PERSON"), ("Kazakhs", "GPE"), ("Lupu", "PERSON")], "newskg_kinds")
    assert found == {("Lupu", "PERSON")}


def test_titles_come_off_a_person_and_are_kept_as_the_title():
    found, doc = blank_with("Yesterday Barrister Ana Lupu spoke.", [("Barrister Ana Lupu", "PERSON")],
                            "newskg_person_names")
    assert found == {("Ana Lupu", "PERSON")}
    assert list(doc._.newskg_titles.values()) == ["Barrister"]


def test_a_country_or_capital_the_model_called_an_organisation_is_a_place():
    found, _ = blank_with("Voters in Moldova and Chisinau agreed.", [("Moldova", "ORG"), ("Chisinau", "ORG")],
                          "newskg_kinds")
    assert found == {("Moldova", "GPE"), ("Chisinau", "GPE")}


def test_a_known_place_the_model_called_a_person_needs_words_that_say_place():
    found, _ = blank_with("Lupu met Trinidad. Then they drove to Trinidad.",
                          [("Trinidad", "PERSON")], "newskg_kinds")
    assert found == {("Trinidad", "PERSON")}
    found, _ = blank_with("Lupu met Smith. Then they drove to Trinidad.",
                          [("Trinidad", "PERSON")], "newskg_kinds")
    assert found == {("Trinidad", "GPE")}


def test_a_surname_of_a_person_named_in_full_is_no_place():
    text = "Ana Chisinau spoke. Later Chisinau left."
    found, _ = blank_with(text, [("Ana Chisinau", "PERSON")], "newskg_kinds")
    assert ("Ana Chisinau", "PERSON") in found


def test_a_lone_unknown_name_after_in_is_a_place():
    found, _ = blank_with("Police opened fire in Valdorovo yesterday.", [("Valdorovo", "PERSON")], "newskg_kinds")
    assert found == {("Valdorovo", "GPE")}


def test_surnames_and_the_full_name_are_the_person_whatever_the_model_said():
    text = "Ana Lupu won. Lupu thanked voters. The Ana Lupu campaign ended. Ana waved."
    first = text.index("Ana Lupu")
    second = text.index("Ana Lupu", first + 1)
    nlp = spacy.blank("en")
    nlp.add_pipe("newskg_people")
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(first, first + 8, label="PERSON"), doc.char_span(second, second + 8, label="PERSON"),
                doc.char_span(text.index("Lupu thanked"), text.index("Lupu thanked") + 4, label="GPE")]
    for token in doc:
        token.pos_ = "PROPN" if token.text in ("Ana", "Lupu") else "VERB"
    doc = nlp.get_pipe("newskg_people")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Ana Lupu", "PERSON"), ("Lupu", "PERSON"),
                                                        ("Ana Lupu", "PERSON"), ("Ana", "PERSON")]
    assert ["Ana", "Ana Lupu", "first-name"] in doc._.newskg_aliases


def test_a_first_name_two_people_share_refers_to_neither():
    text = "Ana Lupu and Ana Rusu met. Ana left."
    nlp = spacy.blank("en")
    nlp.add_pipe("newskg_people")
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(0, 8, label="PERSON"), doc.char_span(13, 21, label="PERSON")]
    for token in doc:
        token.pos_ = "PROPN"
    doc = nlp.get_pipe("newskg_people")(doc)
    assert [e.text for e in doc.ents] == ["Ana Lupu", "Ana Rusu"]


@pytest.fixture(scope="module")
def nlp():
    from kg.extract import make_nlp
    from kg.settings import Settings
    settings = Settings()
    return make_nlp(settings.model, settings.gazetteer)


def model_ents(nlp, text):
    return {(e.text, e.label_) for e in nlp(text).ents if e.label_ != "DATE"}


@pytest.mark.slow
def test_a_name_before_province_or_towns_is_a_place(nlp):
    found = model_ents(nlp, "Troops moved through Valdorovo province and later reached Kesto and Mirnaya towns.")
    assert {("Valdorovo", "GPE"), ("Kesto", "GPE"), ("Mirnaya", "GPE")} <= found


@pytest.mark.slow
def test_the_city_of_a_name_is_a_place(nlp):
    assert ("Valdorovo", "GPE") in model_ents(nlp, "Students marched in the city of Valdorovo on Friday.")


@pytest.mark.slow
def test_a_name_before_party_or_daily_is_an_organisation(nlp):
    found = model_ents(nlp, "The Renewal party was banned, the Gazetta daily reported.")
    assert {("Renewal", "ORG"), ("Gazetta", "ORG")} <= found


@pytest.mark.slow
def test_a_nationality_in_a_place_phrase_is_not_the_place(nlp):
    found = model_ents(nlp, "Police killed five people in the Kurdish city of Mahabad.")
    assert ("Mahabad", "GPE") in found and not any(t == "Kurdish" for t, _ in found)


def person_names_on(text: str, entities: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """newskg_person_names on a blank pipeline; capitalised words are tagged proper nouns."""
    nlp = spacy.blank("en")
    nlp.add_pipe("newskg_person_names", config={"titles": ["politician", "chairperson"]})
    doc = nlp.make_doc(text)
    for token in doc:
        token.pos_ = "PROPN" if token.text[:1].isupper() else "NOUN"
    spans = []
    for name, label in entities:
        start = text.index(name)
        spans.append(doc.char_span(start, start + len(name), label=label))
    doc.ents = spans
    doc = nlp.get_pipe("newskg_person_names")(doc)
    return {(e.text, e.label_) for e in doc.ents}


def test_a_name_after_a_title_or_role_is_a_person():
    found = person_names_on("Then opposition politician Ana Lupu met President Vlad-Rusu here.",
                            [("Vlad-Rusu", "ORG")])
    assert found == {("Ana Lupu", "PERSON"), ("Vlad-Rusu", "PERSON")}


def test_a_name_in_apposition_to_a_role_is_a_person():
    found = person_names_on("A lawyer for the defendants, Ana Lupu, told reporters.", [])
    assert found == {("Ana Lupu", "PERSON")}


def test_a_place_after_a_title_stays_a_place():
    assert person_names_on("The minister Moldova said so.", [("Moldova", "GPE")]) == {("Moldova", "GPE")}


def test_particles_join_the_parts_of_one_name_but_and_does_not():
    found = person_names_on("Members: Marta Ruiz y Perez and Ana Lupu.",
                            [("Marta Ruiz", "PERSON"), ("Perez", "PERSON"), ("Ana Lupu", "PERSON")])
    assert found == {("Marta Ruiz y Perez", "PERSON"), ("Ana Lupu", "PERSON")}


def test_in_a_list_of_people_the_other_names_are_people_too():
    text = "Held: Ana Lupu, Vlad Rusu, Eva Marin, Radu Stan, Ion Popa Seri, Dan Toma and Moldova."
    found = person_names_on(text, [("Ana Lupu", "PERSON"), ("Vlad Rusu", "PERSON"), ("Eva Marin", "PERSON"),
                                   ("Radu Stan", "PERSON"), ("Ion", "GPE"), ("Popa Seri", "GPE"),
                                   ("Dan Toma", "ORG"), ("Moldova", "GPE")])
    assert found == {("Ana Lupu", "PERSON"), ("Vlad Rusu", "PERSON"), ("Eva Marin", "PERSON"), ("Radu Stan", "PERSON"),
                     ("Ion Popa Seri", "PERSON"), ("Dan Toma", "PERSON"), ("Moldova", "GPE")}


@pytest.mark.slow
def test_names_run_together_are_split(nlp):
    found = model_ents(nlp, "They were held at Harare's Chikurubi Prison. The 14 activists held at Lakeview Police "
                            "Station and Hillside Police Station in Bangkok are free.")
    assert {("Harare", "GPE"), ("Chikurubi Prison", "FAC"), ("Lakeview Police Station", "FAC"),
            ("Hillside Police Station", "FAC")} <= found


@pytest.mark.slow
def test_a_body_named_after_its_owner_stays_one_name(nlp):
    found = model_ents(nlp, "Organizations met in the United Kingdom’s Parliament on Monday.")
    assert not ("Parliament", "ORG") in found


@pytest.mark.slow
def test_a_country_the_model_left_out_is_a_place(nlp):
    assert ("Bolivia", "GPE") in model_ents(nlp, "The interim president at the palace, in La Paz, Bolivia\nThen")


@pytest.mark.slow
def test_a_name_before_square_is_a_site(nlp):
    assert ("al-Tayaran square", "FAC") in model_ents(nlp, "Youths blocked a street leading to al-Tayaran square.")


@pytest.mark.slow
def test_a_name_the_model_left_out_of_a_list_of_places_is_a_place_the_data_knows(nlp):
    doc = nlp("Protesters gathered in Lyon, Nantes, and Grenoble on Sunday.")
    assert {("Lyon", "GPE"), ("Nantes", "GPE"), ("Grenoble", "GPE")} <= {(e.text, e.label_) for e in doc.ents}
