"""Search over the index beside the store: entities by name (words as prefixes) and sentences by words or "a phrase"."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, request, url_for

from api import pages
from api.context import context, work
from api.iris import page_url
from api.negotiation import HTML, JSON, one_of
from api.params import integer
from kg import entities
from kg.index import find_sentences

bp = Blueprint("search", __name__)


@bp.get("/search")
def search() -> dict | str:
    fmt = one_of(JSON, HTML)
    text = request.args.get("q", "").strip()  # none: nothing found (a blank form, for a browser)
    limit = integer("limit", 20, 1, context().settings.max_limit)
    offset = integer("offset", 0, 0, 10**9)
    matches = work(entities.search, text, rdf_type=None, limit=limit) if text and offset == 0 else []
    total, sentences = work(find_sentences, text, limit=limit, offset=offset) if text else (0, [])
    if fmt == "html":
        return pages.search(text, matches, sentences=sentences if text else None, total=total, limit=limit, offset=offset)
    return {"q": text, "limit": limit, "offset": offset,
            "entities": [asdict(m) | {"url": page_url(m.iri)} for m in matches],
            "sentences": {"total": total, "results": [
                asdict(s) | {"snippet": str(pages.marked(s.snippet)), "url": url_for("documents.document", name=s.document) + f"#s-{s.start}"}
                for s in sentences]}}

