"""Reading inputs: debris removal, stated metadata, and a clear error per bad document."""
from __future__ import annotations

import json
from datetime import date

import pytest

from kg.documents import Document, load_documents
from kg.errors import DocumentError, InputError
from tests.conftest import write

ARTICLE = """Saturday, March 2, 2030
HomeWorld NewsPolitics & SocietyHarbour Talks Resume
Harbour Talks Resume in Valdora

Harbour Talks Resume in Valdora

By Ines Carvalho

February 28, 2030

Negotiators met in Valdora on Tuesday. The talks resumed after a long pause.
شعارهای کانون دختران شورشی
harbour-talks-valdora-28022030
Receive Updates
  • This field is for validation purposes and should be left unchanged.
© 2030
"""


def only(items: list) -> Document:
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def test_plain_text_loses_page_debris_and_keeps_the_article(tmp_path):
    document = only(list(load_documents([write(tmp_path, "talks.txt", ARTICLE)])))
    assert "Negotiators met in Valdora on Tuesday." in document.text
    for debris in ("HomeWorld", "Receive Updates", "validation purposes", "©", "harbour-talks", "شعار"):
        assert debris not in document.text
    assert document.text.count("Harbour Talks Resume in Valdora") == 1


def test_dateline_under_the_title_is_the_publication_date_and_the_banner_is_not(tmp_path):
    document = only(list(load_documents([write(tmp_path, "talks.txt", ARTICLE)])))
    assert document.published == date(2030, 2, 28)
    assert document.authors == ("Ines Carvalho",)
    assert document.title == "Harbour Talks Resume in Valdora"
    assert "March 2, 2030" not in document.text


@pytest.mark.parametrize("first_paragraph, published", [
    ("VALDORA, Feb 28, 2030 (Reuters) - Negotiators met on Tuesday.", date(2030, 2, 28)),
    ("NEW HARBOUR, Sept. 5, 2029 (AP) — Negotiators met on Tuesday.", date(2029, 9, 5)),
    ("PORT ELLIS, Maine, March 3, 2031 - Negotiators met on Tuesday.", date(2031, 3, 3)),
    ("Valdora, on Tuesday, said the talks had resumed.", None),
])
def test_a_wire_dateline_opening_the_story_is_the_publication_date(tmp_path, first_paragraph, published):
    text = f"Harbour Talks Resume\n\n{first_paragraph}\n\nThe talks resumed after a long pause.\n"
    assert only(list(load_documents([write(tmp_path, "a.txt", text)]))).published == published


def test_a_banner_alone_gives_no_publication_date(tmp_path):
    text = "Monday, July 15, 2030\nA Title Here\n\nBody text of the article goes on.\n"
    assert only(list(load_documents([write(tmp_path, "a.txt", text)]))).published is None


def test_leading_date_line_gives_date_and_title(tmp_path):
    text = " date 2031-05-06 'Quoted headline of the day'\n\nThe body says something.\n"
    document = only(list(load_documents([write(tmp_path, "a.txt", text)])))
    assert document.published == date(2031, 5, 6)
    assert document.title == "Quoted headline of the day"
    assert "2031-05-06" not in document.text


def test_jsonl_reads_good_lines_and_reports_bad_ones(tmp_path):
    lines = [
        json.dumps({"id": "one", "text": "First story text.", "published": "2030-01-02", "author": "A. Writer"}),
        "{not json",
        json.dumps({"id": "two"}),
        json.dumps({"id": "three", "text": "Third.", "published": "yesterday"}),
        json.dumps({"id": "four", "text": "Fourth story.", "url": "https://example.org/4"}),
    ]
    items = list(load_documents([write(tmp_path, "batch.jsonl", "\n".join(lines))]))
    good = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, DocumentError)]
    assert [d.name for d in good] == ["one", "four"]
    assert good[0].published == date(2030, 1, 2) and good[0].authors == ("A. Writer",)
    assert good[1].url == "https://example.org/4"
    reasons = " | ".join(str(b) for b in bad)
    assert "line 2" in reasons and "invalid JSON" in reasons
    assert "line 3" in reasons and "'text'" in reasons
    assert "line 4" in reasons and "ISO date" in reasons


def test_binary_wrongly_encoded_and_empty_files_are_errors_and_the_rest_loads(tmp_path):
    write(tmp_path, "a_binary.txt", b"\x00\x01\x02PNG")
    write(tmp_path, "b_latin1.txt", "Caf\u00e9 story".encode("latin-1"))
    write(tmp_path, "c_empty.txt", "   \n\n")
    write(tmp_path, "d_good.txt", "A perfectly good story about Valdora.\n")
    items = list(load_documents([tmp_path]))
    errors = {e.source: e.reason for e in items if isinstance(e, DocumentError)}
    assert "binary" in errors["a_binary.txt"]
    assert "UTF-8" in errors["b_latin1.txt"] and "0xe9" in errors["b_latin1.txt"]
    assert "empty" in errors["c_empty.txt"]
    assert [d.name for d in items if isinstance(d, Document)] == ["d_good.txt"]


def test_html_keeps_the_article_and_reads_page_metadata(tmp_path):
    paragraph = "The delegation from Valdora arrived in the capital to discuss the harbour agreement. " * 4
    html = f"""<html><head><title>Harbour deal</title>
    <meta property="article:published_time" content="2025-04-05">
    <meta name="author" content="Ines Carvalho"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Harbour deal signed</h1><p>{paragraph}</p><p>{paragraph}</p></article>
    <footer>Subscribe to our newsletter. Copyright 2030.</footer></body></html>"""
    document = only(list(load_documents([write(tmp_path, "deal.html", html)])))
    assert "delegation from Valdora" in document.text
    assert "newsletter" not in document.text
    assert document.published == date(2025, 4, 5)
    assert document.authors == ("Ines Carvalho",)
    assert document.text.count("Harbour deal signed") == 1


def test_a_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(load_documents([tmp_path / "nowhere"]))
