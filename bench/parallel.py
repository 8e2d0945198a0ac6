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


def build_seconds(path: Path, settings: Settings) -> tuple[float, int]:
    start = time.perf_counter()
    with GraphStore(settings.store) as store:
        report = build([path], store, settings)
    return time.perf_counter() - start, len(report.built)


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
        built = 0
        for round_number in range(args.rounds):
            for processes in times:
                settings = base.with_overrides(processes=processes,
                                               store=str(Path(scratch) / f"store-{round_number}-{processes}"))
                seconds, built = build_seconds(path, settings)
                times[processes].append(seconds)
                print(f"  round {round_number + 1}: {processes} process(es) {seconds:.1f} s", flush=True)
    rates = {p: built / statistics.median(t) for p, t in times.items()}
    print(f"documents {built}, rounds {args.rounds} (median)")
    print(f"1 process {rates[1]:.2f} docs/s   2 processes {rates[2]:.2f} docs/s   "
          f"ratio {rates[2] / rates[1]:.2f}   (target >= 1.6)")


if __name__ == "__main__":
    main()
