"""Request parameters read and checked in one place: a bad one is a RequestError saying what is allowed."""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pyoxigraph as ox
from flask import request

from kg.errors import RequestError
from kg.rdf.namespaces import PREFIXES, SCHEMA

PREFIXED = re.compile(r"^([a-z]+):([A-Za-z_][A-Za-z0-9_.-]*)$")
BARE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
T = TypeVar("T")


INTEGER = re.compile(r"^-?[0-9]{1,30}$")  # what the OpenAPI description calls an integer, no more
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def integer(name: str, default: int | None, low: int, high: int) -> int | None:
    value = converted(name, strictly(INTEGER, int), f"an integer; give {low}..{high}")
    if value is None:
        return default
    if not low <= value <= high:
        raise RequestError(f"{name}={value} is out of range; give {low}..{high}")
    return value


def number(name: str, default: float) -> float:
    """A finite decimal number; the library checks the range it needs and says so."""
    value = converted(name, strictly(NUMBER, float), "a number")
    if value is None:
        return default
    if not math.isfinite(value):
        raise RequestError(f"{name}={value} is not a finite number")
    return value


def day(name: str, what: str) -> str | None:
    """A date parameter, YYYY-MM-DD, as given (None when not given; given empty is an error, not 'no date')."""
    raw = request.args.get(name)
    try:
        return None if raw is None else strictly(DATE, lambda text: date.fromisoformat(text) and text)(raw)
    except ValueError:
        raise RequestError(f"{what} must be a date YYYY-MM-DD, got {name}={raw!r}") from None


def strictly(pattern: re.Pattern, convert: Callable[[str], T]) -> Callable[[str], T]:
    """``convert``, for text that matches ``pattern`` whole (Python's int() and float() also take '1_0', ' 5', 'nan')."""
    def checked(raw: str) -> T:
        if not pattern.match(raw):
            raise ValueError(raw)
        return convert(raw)
    return checked


def converted(name: str, convert: Callable[[str], T], wanted: str) -> T | None:
    """The parameter through ``convert`` (None when not given); a value it refuses is not ``wanted``."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return convert(raw)
    except ValueError:
        raise RequestError(f"{name}={raw!r} is not {wanted}") from None


def required(name: str, example: str) -> str:
    """A parameter that must be given and not blank; the message shows an example request."""
    value = request.args.get(name, "").strip()
    if not value:
        raise RequestError(f"{name}= is required, e.g. {example}")
    return value


def only(*names: str) -> None:
    """Refuse parameters the route does not take, so that a misspelt or misplaced one is not silently ignored."""
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        raise RequestError(f"unknown parameter {unknown[0]}=; this route takes {', '.join(f'{n}=' for n in names)}")


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
    """Classes by schema.org local name (Person), prefixed name (kg:ArmedForce) or IRI; an empty value (a
    form's "any type") is no class."""
    return [ox.NamedNode(SCHEMA + raw) if BARE.match(raw) else iri(name, raw)
            for raw in map(str.strip, request.args.getlist(name)) if raw]


def search_text(fmt: str, hint: str) -> str:
    """The ``q`` of a search: required from a client (``hint`` says what to give), optional on a page (a blank form)."""
    text = request.args.get("q", "").strip()
    if not text and fmt != "html":
        raise RequestError(f"q= is required: {hint}")
    return text
