"""Graph analytics as JSON: centrality, communities, the paths between two entities, ego networks.

The parameters are those of `kg analytics`, checked by the same library functions. One
name differs: the time window is ``start=``/``end=`` (the CLI's ``--from``/``--to``),
because on ``/analytics/paths`` ``from=`` and ``to=`` name the two entities. A route
refuses parameters it does not take, so a window sent as ``from=`` is an error, not
silently ignored. The API's store is read-only: results are computed here (or read from
a fresh run that `kg analytics` stored) and returned, never saved.
"""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, request

from api.context import context, work
from api.params import day, integer, number, only, required
from kg.analytics import ProjectionParams, as_json, projection_params
from kg.analytics.metrics import EXACT_BETWEENNESS_NODES
from kg.analytics.service import in_worker

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

PROJECTION = ("type", "edge", "start", "end", "min-weight")
MAX_PATHS = 10      # k shortest paths; each further one costs a search
MAX_EVIDENCE = 10   # sentences per hop
MAX_RADIUS = 3      # as the entity neighbourhood's depth
MAX_SEED = 2**32 - 1
PATH_EXAMPLE = "/analytics/paths?from=person/maryam-rajavi&to=organization/ncri"


@bp.get("/centrality")
def centrality() -> dict:
    only(*PROJECTION, "metric", "limit", "k", "seed")
    params, limit = projection(), integer("limit", 20, 1, context().settings.max_limit)
    ranking = analytics("centrality", params, request.args.get("metric", "pagerank"),
                        k=integer("k", None, 1, EXACT_BETWEENNESS_NODES), seed=seed())
    return as_json(replace(ranking, scores=ranking.scores[:limit]))


@bp.get("/communities")
def communities() -> dict:
    only(*PROJECTION, "seed", "resolution")
    return as_json(analytics("communities", projection(), seed=seed(), resolution=number("resolution", 1.0)))


@bp.get("/paths")
def paths() -> dict:
    only(*PROJECTION, "from", "to", "k", "evidence")
    source, target = required("from", PATH_EXAMPLE), required("to", PATH_EXAMPLE)
    return as_json(analytics("paths", projection(), source, target, k=integer("k", 1, 1, MAX_PATHS),
                             evidence=integer("evidence", 2, 0, MAX_EVIDENCE)))


@bp.get("/ego")
def ego() -> dict:
    only(*PROJECTION, "center", "radius")
    center = required("center", "/analytics/ego?center=person/maryam-rajavi&radius=1")
    return as_json(analytics("ego", projection(), center, radius=integer("radius", 1, 1, MAX_RADIUS)))


def analytics(question: str, *args: object, **kwargs: object) -> object:
    """One of kg.analytics.Analytics' questions, answered in a worker under the time limit."""
    return work(in_worker, context().settings.base_iri, question, *args, **kwargs)


def projection() -> ProjectionParams:
    """The projection the request asks for, through the function the CLI's options go through."""
    args = request.args
    return projection_params(args.getlist("type"), args.getlist("edge"), day("start", "the window start"), day("end", "the window end"),
                             number("min-weight", 1.0))


def seed() -> int:
    return integer("seed", 0, 0, MAX_SEED)
