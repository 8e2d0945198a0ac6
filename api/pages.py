"""The pages a person browses: home, search, entity, documents, the SPARQL editor and answers, the timeline.

The data routes call these when the browser asks for HTML (the same URL answers both);
each gathers what its template shows from ``kg`` and renders it. The pages work without
JavaScript (links, text, tables, forms); api/static/*.js adds suggestions, the live graph
and the editor on top, with libraries from npm served from api/static/vendor.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Flask, render_template, request, url_for
from markupsafe import Markup, escape

from api.context import context, work
from api.iris import mention_anchor, page_url, statement_anchor
from api.negotiation import GRAPHS, HTML, JSON, RESULTS, one_of
from api.params import rdf_types
from kg import catalog, evidence, index, profile
from kg import timeline as events
from kg.analytics import EDGE_KINDS, KINDS, projection_params
from kg.analytics.service import in_worker
from kg.entities import SAME_AS, EntityPage, Match
from kg.entities import search as find_entities
from kg.index import MARK_END, MARK_START, SentenceHit
from kg.rdf.namespaces import GAZETTEER, KG, PREFIXES, RDF, SCHEMA

bp = Blueprint("pages", __name__)
CENTRAL = 10        # actors on the home page
LATEST = 8          # events on the home page
HOME_DOCUMENTS = 20
WIKIDATA = "http://www.wikidata.org/entity/"
KIND_CLASSES = {SCHEMA + kind: kind.lower() for kind in KINDS} | {KG + "CalendarDate": "date"}
FIRST_QUERY = "SELECT ?person ?name WHERE {\n  ?person a schema:Person ; rdfs:label ?name .\n} ORDER BY ?name LIMIT 50"
UNSHOWN = {SAME_AS.value, RDF + "subject", RDF + "object"}  # Wikidata is shown apart; the rest are evidence records


@bp.get("/timeline")
def timeline() -> dict | str:
    fmt = one_of(JSON, HTML)
    types = rdf_types()
    found = work(events.timeline, actor=entity_param("actor"), rdf_type=types[0].value if types else None,
                 place=entity_param("place"))
    if fmt == "html":
        return render_template("timeline.html", timeline=found, chosen=request.args)
    body = asdict(found)
    for entry in body["entries"] + body["undated"]:
        del entry["within"]
        entry["url"] = page_url(entry["iri"])
    return body


def entity_param(name: str) -> str | None:
    """An entity given by IRI or by IRI tail (person/maryam-rajavi)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    return raw if raw.startswith(("http://", "https://")) else context().settings.base_iri + raw.lstrip("/")


def home() -> str:
    ranking = work(in_worker, context().settings.base_iri, "centrality",
                   projection_params(["Person", "Organization"]), "pagerank")
    total, documents = work(index.document_page, limit=HOME_DOCUMENTS, offset=0)
    return render_template("home.html", stats=work(index.counts), central=ranking.scores[:CENTRAL],
                           latest=work(events.latest, LATEST), documents=documents, more_documents=total > len(documents))


def search(text: str, matches: list[Match], *, sentences: list[SentenceHit] | None = None, total: int = 0,
           limit: int = 0, offset: int = 0) -> str:
    """Entities found by name, and (from /search) a page of the sentences holding the words."""
    types = rdf_types()
    if not text and types:  # a type's page: every entity of that type
        matches = work(find_entities, "", rdf_type=types[0], limit=context().settings.max_limit)
    more = {"next": url_for("search.search", q=text, limit=limit, offset=offset + limit) if offset + limit < total else None,
            "previous": url_for("search.search", q=text, limit=limit, offset=max(0, offset - limit)) if offset else None}
    return render_template("search.html", q=text, type=types[0].value if types else None, matches=matches,
                           sentences=sentences, total=total, offset=offset, more=more)


def entity(page: EntityPage, links: dict) -> str:
    about = work(profile.profile, ox.NamedNode(page.iri))
    graph = {"center": page.iri, "base": context().settings.base_iri, "kinds": KINDS, "edges": EDGE_KINDS,
             "ego": url_for("analytics.ego"), "centrality": url_for("analytics.centrality"),
             "paths": url_for("analytics.paths"),
             "entities": url_for("entities.search"), "limit": context().settings.max_limit}
    stated = {("out", s.predicate, s.object.value) for s in about.stated if s.subject.value == page.iri} | \
             {("in", s.predicate, s.subject.value) for s in about.stated if s.object.value == page.iri}
    return render_template("entity.html", page=page, profile=about, links=links, graph=graph,
                           graphable=kind_class(page.types) in ("person", "organization", "place", "event"),
                           properties=[f for f in page.facts if (f.direction, f.predicate, f.value.value) not in stated
                                       and f.predicate not in UNSHOWN])


def documents(found: list[catalog.DocumentSummary], total: int) -> str:
    return render_template("documents.html", documents=found, total=total)


def document(found: evidence.DocumentEvidence) -> str:
    view = found.view
    spans = {fact.iri: (fact.sentence_start, fact.sentence_start + len(fact.sentence)) for fact in found.facts}
    return render_template("document.html", view=view, facts=found.facts, sentence_of=spans,
                           kinds={iri: kind_class(classes) for iri, classes in found.types.items()},
                           authors=[(iri, found.labels.get(iri)) for iri in view.authors],
                           passages=catalog.annotated(view.text, view.mentions, filter(None, spans.values())))


def editor() -> str:
    """The query editor, opened on ``edit=`` (a query sent back from its results) or on a first query."""
    initial = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + f"\n\n{FIRST_QUERY}"
    return render_template("sparql.html", examples=examples(), prefixes=PREFIXES, initial=initial,
                           query=request.args.get("edit", ""), base_iri=context().settings.base_iri)


def answer(query: str, fmt: str, body: bytes, cut: str | None = None) -> str:
    """A query's answer as a page: solutions as a table, a boolean, or triples as Turtle (saying so when cut)."""
    downloads = {name: url_for("sparql.endpoint", query=query, format=name)
                 for name in (RESULTS if fmt == "json" else GRAPHS).values()}
    results = json.loads(body) if fmt == "json" else None
    return render_template("results.html", query=query, results=results, turtle=body.decode() if results is None
                           else None, downloads=downloads, cut=cut)


@lru_cache(maxsize=1)
def examples() -> list[tuple[str, str]]:
    """The README's example queries, each titled by the line that introduces it."""
    readme = Path(__file__).resolve().parent.parent / "README.md"  # a checkout's; an installed wheel has none
    if not readme.exists():
        return []
    found = []
    for match in re.finditer(r"([^\n]+)\n+```sparql\n(.*?)```", readme.read_text(encoding="utf-8"), re.DOTALL):
        found.append((match.group(1).strip().rstrip(":"), match.group(2).strip()))
    return found


def link_for(iri: str) -> str | None:
    """Where a link to ``iri`` should go: our page for what we mint, the IRI itself for the rest of the web,
    nowhere for our vocabulary and gazetteer terms (their namespaces are names, not pages)."""
    if iri.startswith((KG, GAZETTEER)):
        return None
    return page_url(iri) or (None if iri.startswith(context().settings.base_iri) else iri)


def prefixed(iri: str) -> str:
    """schema:Person for https://schema.org/Person; the IRI itself when no prefix fits."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def kind_class(classes: list[str]) -> str:
    """The CSS class that colours an entity of these types: person, organization, place, event, or other."""
    return next((KIND_CLASSES[c] for c in classes if c in KIND_CLASSES), "other")


def marked(snippet: str) -> Markup:
    """A search snippet as HTML: its text escaped, each matched word in <mark>."""
    return Markup(str(escape(snippet)).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(prefixed=prefixed, kind_class=kind_class, highlighted=marked)
    app.jinja_env.globals.update(page_url=page_url, link_for=link_for, mention_anchor=mention_anchor,
                                 statement_anchor=statement_anchor, WIKIDATA=WIKIDATA)
