"""The results analytics hands to the CLI and the API: plain dataclasses, JSON through ``as_json``."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from kg.analytics.params import ProjectionParams
from kg.analytics.projection import Entity


@dataclass(frozen=True)
class Task:
    """What is computed; a run's IRI derives from it, so equal tasks share one stored run."""

    params: ProjectionParams
    metric: str              # a METRICS name, or "communities"
    k: int | None = None     # betweenness sources to sample; None: exact up to the size limit
    seed: int = 0            # Louvain and sampled betweenness
    resolution: float = 1.0  # Louvain


@dataclass(frozen=True)
class Run:
    """One computation of a task over the documents whose content hashes it lists."""

    iri: str
    task: Task
    sampled: int | None      # sources betweenness was sampled from (None: exact or not betweenness)
    nodes: int
    edges: int
    content_hashes: tuple[str, ...]
    computed_at: str


@dataclass(frozen=True)
class Score:
    rank: int
    entity: Entity
    value: float


@dataclass(frozen=True)
class Ranking:
    run: Run
    scores: tuple[Score, ...]


@dataclass(frozen=True)
class Community:
    index: int
    members: tuple[Entity, ...]   # strongest (weighted degree) first


@dataclass(frozen=True)
class Partition:
    run: Run
    communities: tuple[Community, ...]


@dataclass(frozen=True)
class Evidence:
    kind: str                # the edge kind this sentence supports
    document: str            # the document's name
    sentence: str
    method: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Edge:
    source: Entity
    target: Entity
    weight: float
    kinds: dict[str, int]
    documents: tuple[str, ...]
    evidence: tuple[Evidence, ...] = field(default=())


@dataclass(frozen=True)
class Paths:
    """The k shortest paths (by hops) from source to target; each path is its hops in order."""

    source: Entity
    target: Entity
    params: ProjectionParams
    paths: tuple[tuple[Edge, ...], ...]


@dataclass(frozen=True)
class Ego:
    center: Entity
    radius: int
    params: ProjectionParams
    nodes: tuple[Entity, ...]
    edges: tuple[Edge, ...]


def as_json(result: object) -> dict:
    """A result as JSON-ready dicts and lists (dates as ISO strings)."""
    return plain(asdict(result))


def plain(value: object) -> object:
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
