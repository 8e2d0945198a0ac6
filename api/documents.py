"""Documents with their metadata and what was extracted from each, with offsets into their text; pages for browsers."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, url_for

from api import pages
from api.context import context, stream, work
from api.iris import page_url
from api.negotiation import GRAPHS, HTML, JSON, media_type, one_of
from api.params import integer
from kg import catalog, evidence
from kg.index import document_page
from kg.store import Store

bp = Blueprint("documents", __name__)

@bp.get("/documents")
def listing() -> dict | str:
    fmt = one_of(JSON, HTML)
    limit = integer("limit", 100, 1, context().settings.max_limit)
    offset = integer("offset", 0, 0, 10**9)
    total, found = work(document_page, limit=limit, offset=offset)
    if fmt == "html":
        return pages.documents(found, total=total)
    return {"total": total, "limit": limit, "offset": offset, "documents": [summary(d) for d in found]}

@bp.get("/documents/<path:name>")
def document(name: str) -> Response | dict | str:
    fmt = one_of(JSON, HTML, GRAPHS)
    if fmt in GRAPHS.values():
        return Response(b"".join(stream(Store.export, fmt=fmt, document=name)), mimetype=media_type(GRAPHS, fmt))
    if fmt == "html":
        return pages.document(work(evidence.of_document, name))
    view = work(catalog.document, name)
    mentions = [asdict(m) | {"entity_url": page_url(m.entity) if m.entity else None} for m in view.mentions]
    return summary(view.document) | {"authors": view.authors, "text": view.text, "mentions": mentions}

def summary(document: catalog.DocumentSummary) -> dict:
    return asdict(document) | {"url": url_for("documents.document", name=document.id),
                               "export": url_for("export.export", document=document.id)}
