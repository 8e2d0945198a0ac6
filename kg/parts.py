"""What `kg build --engine spark` writes under ``--out`` and `kg load` reads back.

    OUT/runs/<run>/quads/part-NNNNN      N-Quads: every document of partition NNNNN, each in its named graph
    OUT/runs/<run>/manifest/part-NNNNN   JSON lines: each document's name, content hash, graph, part (or error)
    OUT/runs/<run>/merged/part-NNNNN     N-Triples: the merged default graph of every current document
    (each directory has Hadoop's _SUCCESS once the whole run is written)

A run writes only the documents that are new or changed since the runs before it, so a
document's current version is the one of the latest complete run that built it; a run
whose directories lack _SUCCESS failed midway and is ignored. Spark writes each part to a
temporary name and renames it when its task succeeds: a part is whole or absent.
"""
from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

RUNS = "runs"
QUADS, MANIFEST, MERGED = "quads", "manifest", "merged"
OUTPUTS = (QUADS, MANIFEST, MERGED)
DONE = "_SUCCESS"


@dataclass(frozen=True)
class Entry:
    """One document in one run: where its graph is, or why it has none."""

    name: str
    hash: str
    graph: str
    run: str
    part: str | None = None
    quads: int = 0
    error: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> "Entry":
        return cls(**json.loads(line))


def new_run() -> str:
    """A run name that sorts by start time (and two runs started the same second differ)."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


def later(a: Entry, b: Entry) -> Entry:
    """Of two built versions of a document, the one of the later run."""
    return a if a.run > b.run else b


def current(entries: Iterable[Entry]) -> dict[str, Entry]:
    """Each document's current version: the latest run that built it without error."""
    latest: dict[str, Entry] = {}
    for entry in entries:
        if entry.error is None:
            latest[entry.name] = later(latest[entry.name], entry) if entry.name in latest else entry
    return latest


def graph_of(line: str) -> str:
    """The graph IRI of an N-Quads line of ours (every quad is in a named graph: the last term)."""
    body = line.rstrip().removesuffix(".").rstrip()
    return body[body.rindex(" <") + 2:-1]


def triple_of(line: str) -> str:
    """The N-Triples line of an N-Quads line of ours (its graph dropped)."""
    body = line.rstrip().removesuffix(".").rstrip()
    return body[:body.rindex(" <")] + " ."


# --- reading an output directory on this machine (kg load) ---------------------------------

def complete_runs(out: Path) -> list[Path]:
    """The runs under ``out`` whose every output was written to the end, oldest first."""
    runs = sorted(p for p in (out / RUNS).glob("*") if p.is_dir())
    return [run for run in runs if all((run / output / DONE).exists() for output in OUTPUTS)]


def entries(runs: Iterable[Path]) -> Iterator[Entry]:
    for run in runs:
        for part in sorted((run / MANIFEST).glob("part-*")):
            with part.open(encoding="utf-8") as lines:
                yield from (Entry.from_json(line) for line in lines if line.strip())
