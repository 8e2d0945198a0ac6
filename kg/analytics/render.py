"""Analytics results as rows (a header and text cells) for the CLI's table and CSV output."""
from __future__ import annotations

from functools import singledispatch

from kg.analytics.model import Edge, Ego, Partition, Paths, Ranking, Run

Rows = tuple[list[str], list[list[str]]]


@singledispatch
def rows(result: object, *, width: int = 0) -> Rows:
    """Header and rows of a result; ``width`` > 0 shortens long cells for a terminal table."""
    raise TypeError(f"no rows for {type(result).__name__}")


@rows.register
def _(result: Ranking, *, width: int = 0) -> Rows:
    return (["rank", "entity", "kind", result.run.task.metric, "iri"],
            [[str(s.rank), s.entity.label, s.entity.kind, f"{s.value:.6g}", s.entity.iri] for s in result.scores])


@rows.register
def _(result: Partition, *, width: int = 0) -> Rows:
    if width:
        return (["community", "size", "members (strongest first)"],
                [[str(c.index), str(len(c.members)), clip(", ".join(m.label for m in c.members), width)]
                 for c in result.communities])
    return (["community", "member", "entity", "kind", "iri"],
            [[str(c.index), str(i), m.label, m.kind, m.iri]
             for c in result.communities for i, m in enumerate(c.members, start=1)])


@rows.register
def _(result: Paths, *, width: int = 0) -> Rows:
    return (["path", "hop", "from", "to", "via", "documents", "evidence"],
            [[str(p), str(h), *edge_cells(edge, width)]
             for p, path in enumerate(result.paths, start=1) for h, edge in enumerate(path, start=1)])


@rows.register
def _(result: Ego, *, width: int = 0) -> Rows:
    return (["from", "to", "via", "documents"], [edge_cells(edge, width)[:4] for edge in result.edges])


def edge_cells(edge: Edge, width: int) -> list[str]:
    via = ", ".join(f"{kind}×{n}" for kind, n in sorted(edge.kinds.items()))
    sentences = " | ".join(f"[{e.document}] {e.sentence}" for e in edge.evidence)
    return [edge.source.label, edge.target.label, via, clip(", ".join(edge.documents), width // 2),
            clip(sentences, width)]


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if not width or len(text) <= width else text[:width - 1] + "…"


def describe(run: Run) -> str:
    """One line saying what a run computed over what, for the reader of a table."""
    params = run.task.params
    window = f"{params.start or '…'} to {params.end or '…'}" if params.windowed else "all dates"
    detail = ""
    if run.task.metric == "betweenness":
        detail = f", sampled from {run.sampled} sources (seed {run.task.seed})" if run.sampled else ", exact"
    elif run.task.metric == "communities":
        detail = f", Louvain seed {run.task.seed}, resolution {run.task.resolution:g}"
    return (f"{run.task.metric} over {run.nodes} nodes and {run.edges} edges ({', '.join(params.types)}; "
            f"{window}; min weight {params.min_weight:g}{detail}); stored as <{run.iri}>")
