"""Documents/s of the embedded build vs Spark local[1] vs local[2], and quads/s of loading, in one run.

    python bench/scaling.py [--corpus build/bench/corpus.jsonl] [--documents 1000]

Documents: the first ``--documents`` records of a corpus written by bench/corpus.py (made
here if missing). The embedded build (`kg build`, one process, into a fresh store) and the
Spark engine (`kg build --engine spark` into a fresh output directory) graph the same
documents; a Spark context's start-up is printed apart from its job. Then the local[2]
output is loaded with `kg load`: into a fresh embedded store (Oxigraph's bulk loader) and
into an `oxigraph serve` subprocess over the Graph Store Protocol (one PUT per document and
one for the merged default graph). The numbers feed docs/scaling.md.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from kg.build import build
from kg.extract import make_nlp
from kg.load import load_into_store, load_over_gsp
from kg.places import world
from kg.remote import GraphStoreClient
from kg.settings import Settings
from kg.spark import build_with_spark, spark_context
from kg.store import GraphStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parallel import sample  # noqa: E402  (bench/ is not a package)

ROOT = Path(__file__).resolve().parent.parent


def embedded(path: Path, scratch: Path) -> tuple[int, float, int]:
    settings = Settings(store=str(scratch / "embedded"))
    make_nlp(settings.model, settings.gazetteer)
    world()
    start = time.perf_counter()
    with GraphStore(settings.store) as store:
        report = build([path], store, settings)
    return len(report.built), time.perf_counter() - start, report.quads


def spark(path: Path, out: Path, master: str) -> tuple[int, float, float]:
    start = time.perf_counter()
    context = spark_context(master)
    started = time.perf_counter() - start
    try:
        report = build_with_spark([str(path)], str(out), Settings(master=master), context)
    finally:
        context.stop()
    return report.built, report.seconds, started


def oxigraph_server(location: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    server = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("oxigraph serve did not start")


def rust_bulk_load(out: Path, location: Path) -> tuple[int, float]:
    """`oxigraph load` (the server's Rust bulk loader, files in parallel) on one run's parts and merge: (quads, s)."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    run = next((out / "runs").iterdir())
    quads, merged = sorted((run / "quads").glob("part-*")), sorted((run / "merged").glob("part-*"))
    start = time.perf_counter()
    subprocess.run([binary, "load", "--location", str(location), "--format", "nq", "--file", *map(str, quads)],
                   check=True, capture_output=True)
    subprocess.run([binary, "load", "--location", str(location), "--format", "nt", "--file", *map(str, merged)],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - start
    return sum(len(p.read_bytes().splitlines()) for p in [*quads, *merged]), seconds


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "build" / "bench" / "corpus.jsonl")
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        path = sample(args.corpus, args.documents, scratch)
        rows = []
        built, seconds, quads = embedded(path, scratch)
        rows.append(("embedded build, 1 process", built, seconds, None))
        print(f"embedded: {built} documents in {seconds:.1f} s, {quads} quads "
              f"({quads / built:.0f}/document), store {size(scratch / 'embedded') / 2**20:.1f} MiB", flush=True)
        for master in ("local[1]", "local[2]"):
            built, seconds, started = spark(path, scratch / master.replace("[", "-").rstrip("]"), master)
            rows.append((f"Spark {master}", built, seconds, started))
            print(f"spark {master}: {built} documents in {seconds:.1f} s (+ {started:.1f} s context start-up)",
                  flush=True)
        out = scratch / "local-2"
        parts = size(out / "runs")
        with GraphStore(scratch / "loaded") as store:
            bulk = load_into_store(out, store)
        loaded_size = size(scratch / "loaded")
        rust_quads, rust_seconds = rust_bulk_load(out, scratch / "rust")
        rust_size = size(scratch / "rust")
        server, base = oxigraph_server(scratch / "oxigraph")
        try:
            remote = load_over_gsp(out, GraphStoreClient(f"{base}/store"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    reference = rows[0][1] / rows[0][2]
    print(f"\ndocuments {args.documents} (bench/corpus.py), parts on disk {parts / 2**20:.1f} MiB "
          f"({parts / max(bulk.loaded, 1) / 1024:.1f} KiB/document)")
    print(f"{'engine':<28} {'docs':>5} {'seconds':>8} {'docs/s':>7} {'vs embedded':>12}")
    for name, built, seconds, started in rows:
        rate = built / seconds
        extra = f"  (+{started:.0f} s start-up)" if started is not None else ""
        print(f"{name:<28} {built:>5} {seconds:>8.1f} {rate:>7.2f} {rate / reference:>11.2f}x{extra}")
    for name, report in (("kg load, embedded bulk", bulk), ("kg load, GSP to oxigraph serve", remote)):
        print(f"{name:<32} {report.quads:>9} quads {report.seconds:>7.1f} s {report.quads / report.seconds:>9.0f} quads/s")
    print(f"{'oxigraph load (Rust, parallel)':<32} {rust_quads:>9} quads {rust_seconds:>7.1f} s "
          f"{rust_quads / rust_seconds:>9.0f} quads/s")
    print(f"store on disk after kg load {loaded_size / 2**20:.1f} MiB, after oxigraph load {rust_size / 2**20:.1f} MiB "
          f"({rust_size / max(bulk.loaded, 1) / 1024:.1f} KiB/document)")


if __name__ == "__main__":
    main()
