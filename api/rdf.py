"""Responses that carry RDF: triples serialised by the store's serialiser, with their media type."""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from flask import Response

from api.negotiation import GRAPHS, media_type
from kg.store import serialize


def rdf_response(triples: Iterable[ox.Triple], fmt: str) -> Response:
    return Response(serialize(triples, fmt), mimetype=media_type(GRAPHS, fmt))
