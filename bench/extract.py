"""The whole `kg build` next to bare spaCy, on the same news texts, in one run.

    python bench/extract.py [--copies N] [--rounds R]

Documents: the wide evaluation set (../shared/eval/wide/docs) when it is beside the
checkout, else seeds/; ``--copies`` renamed copies of each, written as files. Bare spaCy
is `spacy.load(model)` + `nlp.pipe` over the documents' texts; ours is `kg.build.build`
over the files into a fresh store: reading and page structure, the pipeline with our
components, resolution, facts, RDF and the store's writes. Both pipelines and the place
data are loaded before timing (their one-off start-up is printed apart). Prints tokens per
second of CPU time used by this process (what a shared machine's other load disturbs least)
and of wall time, for both, and the ratios (target >= 0.7).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import spacy

from kg.build import build
from kg.documents import Document, load_documents
from kg.extract import make_nlp
from kg.places import world
from kg.settings import Settings
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
WIDE = ROOT.parent / "shared" / "eval" / "wide" / "docs"
SEEDS = ROOT / "seeds"


def write_copies(source: Path, copies: int, directory: Path) -> list[Document]:
    """``copies`` renamed copies of every document under ``source`` (each a new document to build)."""
    for path in sorted(source.glob("*.txt")):
        for i in range(copies):
            (directory / f"{i:03d}-{path.name}").write_bytes(path.read_bytes() + f"\n\ncopy {i}\n".encode())
    return [d for d in load_documents([directory]) if isinstance(d, Document)]


def bare(nlp, documents: list[Document]) -> int:
    return sum(len(doc) for doc in nlp.pipe(d.text for d in documents))


def ours(settings: Settings, directory: Path, store_path: Path) -> int:
    with GraphStore(str(store_path)) as store:
        report = build([directory], store, settings)
    return len(report.built)


def timed(function, *args) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) that ``function`` took."""
    cpu, wall = time.process_time(), time.perf_counter()
    function(*args)
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of each document (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating timed rounds (default 3)")
    args = parser.parse_args()
    settings = Settings()
    source = WIDE if WIDE.is_dir() else SEEDS
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "docs"
        directory.mkdir()
        documents = write_copies(source, args.copies, directory)
        start = time.perf_counter()
        nlp = spacy.load(settings.model)
        bare_start = time.perf_counter() - start
        start = time.perf_counter()
        make_nlp(settings.model, settings.gazetteer)
        world()
        our_start = time.perf_counter() - start
        tokens = bare(nlp, documents)
        ours(settings, directory, Path(scratch) / "warm")
        bare_times, our_times = [], []
        for round_number in range(args.rounds):
            bare_times.append(timed(bare, nlp, documents))
            our_times.append(timed(ours, settings, directory, Path(scratch) / f"store{round_number}"))
    print(f"documents {len(documents)} ({source.name}/ x {args.copies}), tokens {tokens}, "
          f"rounds {args.rounds} (median)")
    print(f"start-up       bare spaCy {bare_start:.1f} s, newskg pipeline and place data {our_start:.1f} s (not timed below)")
    for clock, column in (("CPU", 0), ("wall", 1)):
        bare_rate = tokens / statistics.median(t[column] for t in bare_times)
        our_rate = tokens / statistics.median(t[column] for t in our_times)
        print(f"{clock:<5} bare spaCy {bare_rate:8.0f} tokens/s   newskg build {our_rate:8.0f} tokens/s   "
              f"ratio {our_rate / bare_rate:.2f}   (target >= 0.70)")


if __name__ == "__main__":
    main()
