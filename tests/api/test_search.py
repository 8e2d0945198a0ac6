"""/search over the index, and the pages of documents it counts: checked against the store's own sentences and documents."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow


def stored_sentences(store) -> set[tuple[str, int, str]]:
    rows = store.query("SELECT DISTINCT ?name ?start ?s WHERE { ?m a kg:Mention ; kg:inSentence ?sentence . "
                       "?sentence kg:inDocument ?d ; kg:startOffset ?start ; kg:endOffset ?end . "
                       "?d schema:identifier ?name ; schema:text ?text . "
                       "BIND(SUBSTR(?text, ?start + 1, ?end - ?start) AS ?s) }")
    return {(r["name"].value, int(r["start"].value), r["s"].value) for r in rows}


def test_a_phrase_finds_every_evidence_sentence_holding_it_a_page_at_a_time(live):
    phrase = "national council of resistance"
    expected = {(name, start) for name, start, sentence in stored_sentences(live.store)
                if phrase in re.sub(r"\W+", " ", sentence.lower())}
    assert len(expected) > 2
    seen, offset = set(), 0
    while True:
        body = live.get("/search", params={"q": f'"{phrase}"', "limit": 2, "offset": offset}).json()
        assert body["sentences"]["total"] == len(expected)
        page = body["sentences"]["results"]
        if not page:
            break
        assert len(page) <= 2 and (body["entities"] == []) == (offset > 0)
        for hit in page:
            assert "<mark>" in hit["snippet"] and hit["url"].endswith(f"#s-{hit['start']}")
            seen.add((hit["document"], hit["start"]))
        offset += 2
    assert seen == expected


def test_words_apart_match_where_the_phrase_does_not(live):
    def total(q: str) -> int:
        return live.get("/search", params={"q": q}).json()["sentences"]["total"]

    assert total("resistance national") >= total('"national council of resistance"') > 0
    assert total('"resistance national council"') == 0


def test_search_without_words_finds_nothing_and_a_browser_gets_a_page(live):
    assert live.get("/search").json()["sentences"] == {"total": 0, "results": []}
    assert live.get("/search", params={"q": "()"}).json()["sentences"] == {"total": 0, "results": []}
    page = live.get("/search", params={"q": "rajavi"}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<mark>" in page.text and "/entities/person/maryam-rajavi" in page.text


def test_documents_come_a_page_at_a_time_with_the_total_health_counts_them(live):
    names = sorted(d.name for d in live.store.documents())
    pages = [live.get("/documents", params={"limit": 2, "offset": offset}).json() for offset in range(0, len(names), 2)]
    assert all(page["total"] == len(names) for page in pages)
    assert [d["id"] for page in pages for d in page["documents"]] == names
    assert live.get("/health").json()["documents"] == len(names)


def test_an_unchanged_store_answers_304_to_the_etag_it_gave_each_variant(live, backend):
    if backend == "remote":  # a SPARQL server says nothing of when it was written: no validators, never a stale 304
        assert "ETag" not in live.get("/entities", params={"q": "raj"}).headers
        return
    json_answer = live.get("/entities", params={"q": "raj"}, headers={"Accept": "application/json"})
    page = live.get("/entities", params={"q": "raj"}, headers={"Accept": "text/html"})
    assert json_answer.headers["ETag"] != page.headers["ETag"]
    again = live.get("/entities", params={"q": "raj"},
                     headers={"Accept": "application/json", "If-None-Match": json_answer.headers["ETag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == json_answer.headers["ETag"]
    other = live.get("/entities", params={"q": "raj"},
                     headers={"Accept": "text/html", "If-None-Match": json_answer.headers["ETag"]})
    assert other.status_code == 200
    assert "ETag" not in live.get("/health").headers
