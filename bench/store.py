"""What a document costs the store: quads per 1,000 tokens and bytes per document on disk, beside a reference.

    python bench/store.py [CORPUS ...] [--reference REV] [--keep DIR]

Each CORPUS (a directory of .txt/.html or a .jsonl file; default: seeds/ and, when it is
beside the checkout, ../shared/eval/wide/docs) is built by `kg build` into a fresh store,
once with this checkout and, with ``--reference REV`` (a git revision, e.g. ``main``),
once with that revision's code (``git archive`` into a temporary directory, run by the
same interpreter), one after the other in the same run. A 200-document corpus for it:
``python bench/corpus.py --documents 200 --out build/bench/corpus-200.jsonl``.

For each build it prints the documents, their tokens (the model's tokenizer over each
stored ``schema:text``, the text every offset points into), the quads written to the
documents' graphs, the quads in the store (the graphs and their merged default graph),
quads per 1,000 tokens (graphs, and store), and bytes per document on disk after the
build and after compaction (``Store.optimize``); with a reference, the ratios of this
checkout to it. Target: <= 1,000 quads per 1,000 tokens in the documents' graphs.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pyoxigraph as ox
import spacy

from kg.rdf.namespaces import PREFIXES
from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = [ROOT / "seeds", ROOT.parent / "shared" / "eval" / "wide" / "docs"]
BUILD = "import sys; from kg.cli import main; sys.argv[0] = 'kg'; sys.exit(main())"
GRAPH_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TEXTS = "SELECT ?text WHERE { GRAPH ?g { ?d a schema:NewsArticle ; schema:text ?text } }"


@dataclass(frozen=True)
class Measure:
    documents: int
    tokens: int
    graph_quads: int
    store_quads: int
    bytes_built: int
    bytes_compacted: int

    def per_kilotoken(self, quads: int) -> float:
        return 1000 * quads / self.tokens

    def row(self) -> str:
        return (f"{self.documents:>5} {self.tokens:>9} {self.graph_quads:>9} {self.store_quads:>9} "
                f"{self.per_kilotoken(self.graph_quads):>9.0f} {self.per_kilotoken(self.store_quads):>9.0f} "
                f"{self.bytes_built / self.documents:>12,.0f} {self.bytes_compacted / self.documents:>12,.0f}")


HEADER = (f"{'docs':>5} {'tokens':>9} {'g.quads':>9} {'s.quads':>9} {'g.q/1kt':>9} {'s.q/1kt':>9} "
          f"{'B/doc built':>12} {'B/doc compact':>12}")


def checkout_of(revision: str, directory: Path) -> Path:
    """The code of ``revision`` (git archive of the repository), unpacked under ``directory``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True).stdout
    target = directory / "reference"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def build(code: Path, corpus: Path, store: Path) -> None:
    """`kg build` of ``corpus`` into ``store`` with the package under ``code``."""
    environment = {**os.environ, "PYTHONPATH": str(code)}
    result = subprocess.run([sys.executable, "-c", BUILD, "build", str(corpus), "--store", str(store), "--quiet"],
                            cwd=code, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"kg build of {corpus} with {code} failed:\n{result.stdout}{result.stderr}")


def disk_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def measure(store_path: Path, tokenizer) -> Measure:
    built = disk_bytes(store_path)
    store = ox.Store(str(store_path))
    texts = [row["text"].value for row in store.query(TEXTS, prefixes=PREFIXES)]
    graph_quads = int(next(iter(store.query(GRAPH_QUADS)))["n"].value)
    store_quads = len(store)
    store.optimize()
    del store
    return Measure(len(texts), sum(len(tokenizer(text)) for text in texts), graph_quads, store_quads,
                   built, disk_bytes(store_path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path)
    parser.add_argument("--reference", help="a git revision to measure beside this checkout (e.g. main)")
    parser.add_argument("--keep", type=Path, help="build the stores here and keep them (default: a temporary directory)")
    args = parser.parse_args()
    corpora = args.corpora or [path for path in DEFAULT_CORPORA if path.exists()]
    tokenizer = spacy.load(Settings().model).tokenizer
    with tempfile.TemporaryDirectory(prefix="kg-bench-store-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        codes = {"this checkout": ROOT}
        if args.reference:
            codes = {f"reference {args.reference}": checkout_of(args.reference, work), **codes}
        for number, corpus in enumerate(corpora):
            print(f"\n{corpus}\n{'':<22}{HEADER}", flush=True)
            measured = {}
            for name, code in codes.items():
                store = work / f"store-{number}-{name.split()[0]}"
                build(code, corpus, store)
                measured[name] = measure(store, tokenizer)
                print(f"{name:<22}{measured[name].row()}", flush=True)
            if args.reference:
                this, reference = measured["this checkout"], measured[f"reference {args.reference}"]
                print(f"{'ratio (this / ref)':<22}{'':>5} {'':>9} {this.graph_quads / reference.graph_quads:>9.2f} "
                      f"{this.store_quads / reference.store_quads:>9.2f} "
                      f"{this.per_kilotoken(this.graph_quads) / reference.per_kilotoken(reference.graph_quads):>9.2f} "
                      f"{this.per_kilotoken(this.store_quads) / reference.per_kilotoken(reference.store_quads):>9.2f} "
                      f"{this.bytes_built / reference.bytes_built:>12.2f} "
                      f"{this.bytes_compacted / reference.bytes_compacted:>12.2f}")


if __name__ == "__main__":
    main()
