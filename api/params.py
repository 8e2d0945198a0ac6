"""Request parameters read and checked in one place: a bad one is a RequestError saying what is allowed."""
from __future__ import annotations

import re

import pyoxigraph as ox
from flask import request

from kg.errors import RequestError
from kg.rdf.namespaces import PREFIXES, SCHEMA

PREFIXED = re.compile(r"^([a-z]+):([A-Za-z_][A-Za-z0-9_.-]*)$")
BARE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def integer(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise RequestError(f"{name}={raw!r} is not an integer; give {low}..{high}") from None
    if not low <= value <= high:
        raise RequestError(f"{name}={value} is out of range; give {low}..{high}")
    return value


def iris(name: str, source=None) -> list[ox.NamedNode]:
    """Every value of a repeatable parameter as an IRI: absolute, or prefixed with one of our prefixes."""
    return [iri(name, raw) for raw in (source or request.args).getlist(name)]


def iri(name: str, raw: str) -> ox.NamedNode:
    match = PREFIXED.match(raw)
    if match and match.group(1) in PREFIXES:
        return ox.NamedNode(PREFIXES[match.group(1)] + match.group(2))
    try:
        return ox.NamedNode(raw)
    except ValueError as error:
        raise RequestError(f"{name}={raw!r} is not an absolute IRI ({error}) nor a prefixed name with one of "
                           f"{', '.join(f'{p}:' for p in PREFIXES)}") from None


def rdf_types(name: str = "type") -> list[ox.NamedNode]:
    """Classes by schema.org local name (Person), prefixed name (kg:ArmedForce) or IRI."""
    return [ox.NamedNode(SCHEMA + raw) if BARE.match(raw) else iri(name, raw) for raw in request.args.getlist(name)]
