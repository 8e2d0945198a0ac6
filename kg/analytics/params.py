"""What a projection is asked for: entity types, edge kinds, a time window, a minimum weight.

The CLI and the API receive these as strings; ``projection_params`` turns them into one
validated, hashable value, so that equal requests share one cached projection and one
stored run, and a bad value is a RequestError that says what is allowed.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kg.errors import RequestError

KINDS = ("Person", "Organization", "Place", "Event")
EDGE_KINDS = ("comention", "affiliation", "founder", "family", "participation", "organizer",
              "location", "containment", "quote")
METRICS = ("pagerank", "betweenness", "degree", "weighted_degree", "eigenvector", "closeness")


@dataclass(frozen=True)
class ProjectionParams:
    """Which part of the graph to project; every field is part of the cache and run keys."""

    types: tuple[str, ...] = KINDS
    edge_kinds: tuple[str, ...] = EDGE_KINDS
    start: date | None = None
    end: date | None = None
    min_weight: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", choices(self.types, KINDS, "type"))
        object.__setattr__(self, "edge_kinds", choices(self.edge_kinds, EDGE_KINDS, "edge kind"))
        if self.start and self.end and self.start > self.end:
            raise RequestError(f"the window starts ({self.start}) after it ends ({self.end})")
        if self.min_weight <= 0:
            raise RequestError(f"min weight must be positive, got {self.min_weight}")

    @property
    def windowed(self) -> bool:
        return self.start is not None or self.end is not None

    def overlaps(self, first: date, last: date) -> bool:
        """Whether the period [first, last] (a day, a month, a year) meets the window."""
        return (self.start is None or last >= self.start) and (self.end is None or first <= self.end)


def projection_params(types: Iterable[str] = (), edge_kinds: Iterable[str] = (), start: str | None = None,
                      end: str | None = None, min_weight: float | str = 1.0) -> ProjectionParams:
    """Parameters from request strings; empty type or edge lists mean all of them."""
    try:
        weight = float(min_weight)
    except ValueError as error:
        raise RequestError(f"min weight must be a number, got {min_weight!r}") from error
    return ProjectionParams(types=tuple(types) or KINDS, edge_kinds=tuple(edge_kinds) or EDGE_KINDS,
                            start=iso_date(start, "start"), end=iso_date(end, "end"), min_weight=weight)


def iso_date(text: str | None, end: str) -> date | None:
    """A window bound; messages name its ``end`` ("start"/"end"), which the CLI spells --from/--to and
    the API start=/end= (there from=/to= name the two entities of a path)."""
    if text is None or text == "":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise RequestError(f"the window {end} must be a date YYYY-MM-DD, got {text!r}") from error


def choices(given: Iterable[str], allowed: tuple[str, ...], name: str) -> tuple[str, ...]:
    """The given names in their canonical spelling (case-insensitive), sorted, each once."""
    canonical = {a.lower(): a for a in allowed}
    unknown = [g for g in given if g.lower() not in canonical]
    if unknown:
        raise RequestError(f"unknown {name} {unknown[0]!r}; use one of {', '.join(allowed)}")
    chosen = sorted({canonical[g.lower()] for g in given})
    if not chosen:
        raise RequestError(f"at least one {name} is needed; use one of {', '.join(allowed)}")
    return tuple(chosen)


def metric_name(metric: str) -> str:
    return choices([metric], METRICS, "metric")[0]
