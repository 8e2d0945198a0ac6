"""`kg build --processes 2` next to one process, on the same documents, in one run.

    python bench/parallel.py [--corpus build/bench/corpus.jsonl] [--documents 200] [--rounds 1]

Documents: the first ``--documents`` records of a corpus written by bench/corpus.py (made
here if missing). Each round builds them into a fresh store with one process and then with
two (``kg.build.build``: extraction, resolution, facts and RDF in the workers, the store
written by this process alone). The pipeline and place data are loaded before timing.
Prints documents/s of wall time for each and the ratio (target >= 1.6).
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.build import build
from kg.extract import make_nlp
from kg.places import world
from kg.settings import Settings
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent


def sample(corpus: Path, documents: int, directory: Path) -> Path:
    """The first ``documents`` records of ``corpus`` (written by bench/corpus.py if missing) as one JSONL file."""
    if not corpus.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--documents", str(documents),
                        "--out", str(corpus)], check=True)
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:documents]
    path = directory / "sample.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by this process and by its reaped children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def build_seconds(path: Path, settings: Settings) -> tuple[float, int, float, float]:
    """Wall seconds, documents built, and CPU seconds of the writer (this process) and of the workers."""
    own, children = cpu_seconds()
    start = time.perf_counter()
    with GraphStore(settings.store) as store:
        report = build([path], store, settings)
    wall = time.perf_counter() - start
    own_after, children_after = cpu_seconds()
    return wall, len(report.built), own_after - own, children_after - children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "build" / "bench" / "corpus.jsonl")
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = sample(args.corpus, args.documents, Path(scratch))
        base = Settings()
        make_nlp(base.model, base.gazetteer)
        world()
        times: dict[int, list[float]] = {1: [], 2: []}
        cpu: dict[int, tuple[float, float]] = {}
        built = 0
        for round_number in range(args.rounds):
            for processes in times:
                settings = base.with_overrides(processes=processes,
                                               store=str(Path(scratch) / f"store-{round_number}-{processes}"))
                seconds, built, writer, workers = build_seconds(path, settings)
                times[processes].append(seconds)
                cpu[processes] = (writer, workers)
                print(f"  round {round_number + 1}: {processes} process(es) {seconds:.1f} s wall, CPU "
                      f"{writer:.1f} s in the writer, {workers:.1f} s in workers "
                      f"({(writer + workers) / seconds:.2f} cores obtained)", flush=True)
    rates = {p: built / statistics.median(t) for p, t in times.items()}
    print(f"documents {built}, rounds {args.rounds} (median)")
    print(f"wall   1 process {rates[1]:.2f} docs/s   2 processes {rates[2]:.2f} docs/s   "
          f"ratio {rates[2] / rates[1]:.2f}   (target >= 1.6)")
    # On two free cores the three processes share them, and the writer's part cannot be split.
    one = sum(cpu[1])
    writer, workers = cpu[2]
    print(f"CPU    1 process {one:.1f} s; 2 processes: writer {writer:.1f} s, workers {workers:.1f} s -> "
          f"ratio on two free cores {one / max(writer, (writer + workers) / 2):.2f} (the wall ratio when the "
          f"machine is not shared)")


if __name__ == "__main__":
    main()
