"""Finding the entity a user means: an IRI, an IRI tail (``person/maryam-rajavi``), or a name.

Names match labels first, then aliases (``skos:altLabel``), case-insensitively. A name
that fits several entities is a RequestError listing them, so the user can pick one by
its IRI tail; a name that fits none is a NotFoundError.
"""
from __future__ import annotations

from pyoxigraph import Literal

from kg.errors import NotFoundError, RequestError
from kg.store import Store

ENTITY_KINDS = "VALUES ?kind { schema:Person schema:Organization schema:Place schema:Event }"


def find_entity(store: Store, text: str, base_iri: str) -> str:
    """The IRI of the one entity ``text`` names."""
    text = text.strip()
    iri = text if text.startswith(("http://", "https://")) else base_iri + text.lstrip("/")
    if is_entity(store, iri):
        return iri
    matches = named(store, text)
    chosen = matches.get("label") or matches.get("alias") or []
    if not chosen:
        raise NotFoundError(f"no entity is named {text!r} (give a label, an alias, an IRI or an IRI tail "
                            f"such as person/maryam-rajavi)")
    if len(chosen) > 1:
        listed = "; ".join(f"{iri.removeprefix(base_iri)} ({label})" for iri, label in chosen)
        raise RequestError(f"{text!r} names {len(chosen)} entities: {listed}; give one by its IRI tail")
    return chosen[0][0]


def is_entity(store: Store, iri: str) -> bool:
    if any(c in iri for c in "<>\" {}|\\^`"):
        return False
    return bool(store.query(f"ASK {{ {ENTITY_KINDS} <{iri}> a ?kind }}"))


def named(store: Store, text: str) -> dict[str, list[tuple[str, str]]]:
    """Entities whose label or alias is ``text`` (any case), as {'label'|'alias': [(iri, label)]}."""
    rows = store.query(f"""SELECT DISTINCT ?e ?how (MIN(?shown) AS ?label) WHERE {{
        {ENTITY_KINDS} ?e a ?kind ; rdfs:label ?shown .
        {{ ?e rdfs:label ?name BIND("label" AS ?how) }} UNION {{ ?e skos:altLabel ?name BIND("alias" AS ?how) }}
        FILTER(LCASE(STR(?name)) = LCASE({Literal(text)}))
        }} GROUP BY ?e ?how ORDER BY ?e""")
    found: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        found.setdefault(row["how"].value, []).append((row["e"].value, row["label"].value))
    return found
