"""Page structure of text pages (kg/documents/structure.py, kg/extract/page.py), on invented pages."""
from __future__ import annotations

from datetime import date

import pytest
import spacy

from kg.documents.cleaning import remove_debris
from kg.documents.structure import read_page
from kg.extract import page  # noqa: F401  (registers newskg_page)


def names(text: str, kind: str) -> list[tuple[str, str]]:
    return [(n.text, n.label) for z in read_page(text).zones if z.kind == kind for n in z.names]


@pytest.mark.parametrize("byline, people, agencies", [
    ("By Ines Carvalho and Tomas Brandt", ("Ines Carvalho", "Tomas Brandt"), ()),
    ("By Ines Carvalho  |  Apr 5th, 2031", ("Ines Carvalho",), ()),
    ("By INES CARVALHO,  Correspondent   MAY 30, 2031", ("INES CARVALHO",), ()),
    ("By Ines Carvalho I Chief Correspondent", ("Ines Carvalho",), ()),
])
def test_bylines_give_authors_and_leave_roles_out(byline, people, agencies):
    text = f"Harbour Talks Resume in Valdora\n\n{byline}\n\nNegotiators met in Valdora on Tuesday and agreed on a plan.\n"
    found = read_page(text)
    assert found.authors == people and found.agencies == agencies


def test_a_name_and_agency_beside_the_date_line_is_a_byline():
    text = ("Harbour talks resume in Valdora\n\nInes Carvalho, Valdora Press\n\nPosted at Mar 03 2031 01:33 PM\n\n"
            "Negotiators met in Valdora on Tuesday and agreed on a plan for the harbour.\n")
    found = read_page(text)
    assert found.authors == ("Ines Carvalho",) and found.agencies == ("Valdora Press",)
    assert found.published == date(2031, 3, 3)


@pytest.mark.parametrize("line, published", [
    ("Posted at Sep 03 2031 01:33 PM", date(2031, 9, 3)),
    ("Published: Mar 5, 2031 Reading time: 5 minutes", date(2031, 3, 5)),
    ("03 Jul 2031, 15:51 GMT+10", date(2031, 7, 3)),
    ("February 11, 2031 at 8:42 pm", date(2031, 2, 11)),
    ("08:39 GMT14 March 2031", date(2031, 3, 14)),
    ("Follow on Published On: Sat, 19 Apr 2031 17:15:45 PKT", date(2031, 4, 19)),
])
def test_date_lines_with_the_words_pages_print_around_them(line, published):
    text = f"Harbour talks resume\n\n{line}\n\nNegotiators met in Valdora on Tuesday and agreed on a plan.\n"
    assert read_page(text).published == published


def test_a_weekday_banner_on_the_first_line_is_not_the_article_date():
    text = "Wednesday, April 17, 2031\n\nHarbour talks resume\n\nNegotiators met in Valdora on Tuesday and agreed.\n"
    assert read_page(text).published is None


def test_timeline_headings_are_not_the_article_date_but_a_last_update_line_is():
    text = ("Timeline of the harbour dispute\n\nThe timeline is updated often. The last update happened on "
            "November 30, 2031\n\nOctober 1, 2031\n\nPilots walked out.\n\nOctober 2, 2031\n\nTalks began.\n")
    assert read_page(text).published == date(2031, 11, 30)
    assert read_page("Dispute\n\nOctober 1, 2031\n\nPilots walked out.\n\nOctober 2, 2031\n\nTalks.\n").published is None


@pytest.mark.parametrize("opening, place, region, agency, published", [
    ("VALDORA (Reuters) - Negotiators met on Tuesday.", "VALDORA", None, "Reuters", None),
    ("PORT ELLIS, Valdonia (AP) — Negotiators met on Tuesday.", "PORT ELLIS", "Valdonia", "AP", None),
    ("Valdora, 24 May 2031 - Negotiators met on Tuesday.", "Valdora", None, None, date(2031, 5, 24)),
    ("New Harbour, February 13, 2031–The board met on Tuesday.", "New Harbour", None, None, date(2031, 2, 13)),
    ("(New Harbour) – Negotiators met on Tuesday.", "New Harbour", None, None, None),
])
def test_datelines_give_the_place_the_agency_and_the_date(opening, place, region, agency, published):
    found = read_page(f"Harbour talks resume\n\n{opening}\n")
    assert found.dateline == place and found.published == published
    stated = names(f"Harbour talks resume\n\n{opening}\n", "dateline")
    assert [n for n, label in stated if label == "GPE"] == [p for p in (place, region) if p]
    assert [n for n, label in stated if label == "ORG"] == ([agency] if agency else [])


def test_a_title_case_place_with_neither_date_nor_agency_is_no_dateline():
    assert read_page("Talks\n\nValdora, on Tuesday, said the talks had resumed.\n").dateline is None


@pytest.mark.parametrize("caption, credited", [
    ("Pilots march in Valdora. Photograph: Ines Carvalho/VPA/Harbour Images",
     [("Ines Carvalho", "PERSON"), ("VPA", "ORG"), ("Harbour Images", "ORG")]),
    ("Pilots march in Valdora [Ines Carvalho/Valdora Agency]", [("Ines Carvalho", "PERSON"), ("Valdora Agency", "ORG")]),
    ("Pilots march in Valdora on Tuesday. Ines Carvalho/VPA", [("Ines Carvalho", "PERSON"), ("VPA", "ORG")]),
    ("Pilots march in Valdora © VPA Photo / Ines Carvalho", [("VPA Photo", "ORG"), ("Ines Carvalho", "PERSON")]),
    ("Pilots march in Valdora. (Photo by Ines CARVALHO / VPA)", [("Ines CARVALHO", "PERSON"), ("VPA", "ORG")]),
    ("Pilots march in Valdora. Tomas Brandt, Harbour File Photo", [("Tomas Brandt", "PERSON"),
                                                                   ("Harbour File Photo", "ORG")]),
])
def test_photo_credits_name_the_photographer_and_the_agencies(caption, credited):
    assert names(f"{caption}\n\nThe story goes on here with a sentence.\n", "credit") == credited


def test_headings_are_title_case_or_capitals_and_sentences_are_not():
    text = ("Harbour Authority Accuses Valdora Of Delays\n\nPILOTS REACT TO THE RULING\n\n"
            "The harbour authority accused Valdora of delays on Tuesday.\n")
    headings = [text[z.start:z.end] for z in read_page(text).zones if z.kind == "heading"]
    assert headings == ["Harbour Authority Accuses Valdora Of Delays", "PILOTS REACT TO THE RULING"]


def test_page_chrome_lines_go_and_share_buttons_leave_the_caption():
    lines = ["Skip to main content", "Log in", "News / World / Valdora", "2 min read", "Continue Reading...",
             "Facebook Twitter Pinterest Pilots march in Valdora.", "The story."]
    assert [line for line in remove_debris(lines) if line] == ["Pilots march in Valdora.", "The story."]


def after_page_component(text: str, model: list[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """newskg_page on a blank pipeline, over entities set by hand: (name, label, search from)."""
    nlp = spacy.blank("en")
    doc = nlp.make_doc(text)
    spans = []
    for name, label, after in model:
        start = text.index(name, after)
        spans.append(doc.char_span(start, start + len(name), label=label))
    doc.ents = spans
    for name in ("newskg_page", "newskg_headings"):
        doc = nlp.add_pipe(name)(doc)
    return [(e.text, e.label_) for e in doc.ents]


def test_names_in_a_credit_replace_what_the_model_made_of_it():
    text = "Pilots march in Valdora. Photograph: Ines Carvalho/VPA/Harbour Images\n\nThe story goes on.\n"
    found = after_page_component(text, [("Ines Carvalho/VPA/Harbour Images", "PERSON", 0)])
    assert found == [("Ines Carvalho", "PERSON"), ("VPA", "ORG"), ("Harbour Images", "ORG")]


def test_a_heading_keeps_only_the_names_the_story_uses():
    text = "Harbour Authority Accuses Valdora Of Delays\n\nThe Harbour Authority said Valdora was late.\n"
    body = text.index("The Harbour")
    found = after_page_component(text, [("Harbour Authority Accuses", "ORG", 0), ("Harbour Authority", "ORG", body),
                                        ("Valdora", "GPE", body)])
    assert found == [("Harbour Authority", "ORG"), ("Valdora", "GPE"), ("Harbour Authority", "ORG"), ("Valdora", "GPE")]
