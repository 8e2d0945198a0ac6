"""Every IRI the server mints dereferences: 303 See Other to its page (HTML, JSON) or to its RDF.

Entities, events, roles and quotes go to their entity page; documents and their graphs to
the document page; a mention to the document page at that mention, a statement at that
fact, a sentence at that sentence. This works when ``--base-iri`` is this server's address (the IRIs' path is then the
path here); `kg serve` warns at start-up when the store was built under another base.
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, url_for

from api.context import context
from api.negotiation import GRAPHS, HTML, JSON, one_of
from kg import catalog
from kg.catalog import Located
from kg.errors import NotFoundError
from kg.rdf.namespaces import GAZETTEER

bp = Blueprint("iris", __name__)
ON_DOCUMENT_PAGES = ("document", "graph", "mention", "statement", "sentence")  # minted kinds shown on a document's page


@bp.get("/<kind>/<name>")
@bp.get("/<kind>/<group>/<name>")
def dereference(kind: str, name: str, group: str | None = None) -> Response:
    found = catalog.locate(context().store, minted(kind, group, name))
    fmt = one_of(JSON, HTML, GRAPHS)
    return redirect(target(found, kind, group, name, fmt), code=303)


def target(found: Located, kind: str, group: str | None, name: str, fmt: str) -> str:
    """Where a located IRI is described in ``fmt``: its page, the document page at it, or RDF."""
    rdf = {"format": fmt} if fmt in GRAPHS.values() else {}
    if found.document is not None and (found.kind in ("document", "graph") or fmt == "html"):
        page = url_for("documents.document", name=found.document, **rdf)
        return page + (f"#{anchor(found)}" if found.kind in ("mention", "statement", "sentence") else "")
    return url_for("entities.entity", kind=kind, group=group, name=name, **rdf)


def anchor(found: Located) -> str:
    """The id of a mention, fact or sentence on its document's page (the templates use the same ids)."""
    if found.kind == "mention":
        return mention_anchor(found.start, found.end)
    if found.kind == "sentence":
        return f"s-{found.start}"
    return statement_anchor(found.iri)


def mention_anchor(start: int, end: int) -> str:
    return f"m-{start}-{end}"


def statement_anchor(iri: str) -> str:
    return f"st-{iri.rsplit('/', 1)[-1]}"


def minted(kind: str, group: str | None, name: str) -> ox.NamedNode:
    """The IRI under the server's base that a path names (``person/x``, ``event/doc/120``)."""
    key = "/".join(part for part in (kind, group, name) if part)
    try:
        return ox.NamedNode(f"{context().settings.base_iri}{key}")
    except ValueError as error:
        raise NotFoundError(f"{key} is not an IRI this server mints ({error})") from None


def page_url(iri: str) -> str | None:
    """Our page for an IRI minted under the base; None for others (Wikidata, vocabulary terms, the gazetteer)."""
    base = context().settings.base_iri
    parts = iri.removeprefix(base).split("/")
    if not iri.startswith(base) or iri.startswith(GAZETTEER) or "#" in iri or len(parts) not in (2, 3) \
            or not all(parts):
        return None
    if parts[0] in ON_DOCUMENT_PAGES:
        return url_for("iris.dereference", kind=parts[0], group=parts[1] if len(parts) == 3 else None,
                       name=parts[-1])
    return url_for("entities.entity", kind=parts[0], group=parts[1] if len(parts) == 3 else None, name=parts[-1])
