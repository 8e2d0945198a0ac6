"""Graph analytics: the RDF graph projected into networkx; centrality, communities, paths, ego networks."""
from kg.analytics.model import as_json
from kg.analytics.params import EDGE_KINDS, KINDS, METRICS, ProjectionParams, projection_params
from kg.analytics.service import Analytics

__all__ = ["EDGE_KINDS", "KINDS", "METRICS", "Analytics", "ProjectionParams", "as_json", "projection_params"]
