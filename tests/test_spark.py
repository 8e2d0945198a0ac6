"""`kg build --engine spark` + `kg load`: the embedded build's graph, from Spark local[2] parts.

One Spark context serves the module (it takes ~30 s to start); the remote load goes to a
real `oxigraph serve` subprocess over the SPARQL 1.1 Graph Store Protocol.
"""
from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.load import load_into_store, load_over_gsp
from kg.remote import GraphStoreClient
from kg.settings import Settings
from kg.spark import build_with_spark, spark_context
from kg.store import GraphStore
from tests.conftest import SEEDS, WIDE_DOCS, dataset, write

pytestmark = [pytest.mark.slow, pytest.mark.spark]


@pytest.fixture(scope="session")
def spark():
    context = spark_context("local[2]")
    yield context
    context.stop()


@pytest.fixture(scope="session")
def seeds_parts(spark, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds-parts")
    report = build_with_spark([str(SEEDS)], str(out), Settings(), spark)
    assert report.built == 5 and not report.failed and report.run
    return out


def spark_then_load(spark, inputs: list[Path], out: Path, store_path: Path):
    report = build_with_spark([str(p) for p in inputs], str(out), Settings(), spark)
    with GraphStore(store_path) as store:
        return report, load_into_store(out, store), dataset(store)


def test_spark_and_load_give_the_embedded_graph_of_the_seeds(seeds_parts, seeds_built, tmp_path):
    with GraphStore(tmp_path / "store") as store:
        load_into_store(seeds_parts, store)
        assert dataset(store) == dataset(seeds_built[1])


def test_spark_and_load_give_the_embedded_graph_of_the_wide_set(spark, wide_built, tmp_path):
    report, loaded, loaded_dataset = spark_then_load(spark, [WIDE_DOCS], tmp_path / "out", tmp_path / "store")
    assert report.built == 30 and loaded.loaded == 30
    assert loaded_dataset == dataset(wide_built[1])


def test_a_rerun_builds_only_what_changed_and_load_replaces_it(spark, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write(inputs, "a.txt", "Ludovica Brannigan of the Valdora Harbour Authority met pilots in Oslo on May 3, 2029.\n")
    records = [{"id": "b", "text": "Reporters met Maria Lindqvist in Reykjavik."},
               {"id": "a.txt", "text": "A second document named like the first."}]
    write(inputs, "more.jsonl", "".join(json.dumps(r) + "\n" for r in records) + "{not json\n")
    out, store_path = tmp_path / "out[1]", tmp_path / "store"  # a glob character in a path is a name
    first, loaded, _ = spark_then_load(spark, [inputs], out, store_path)
    assert (first.built, first.unchanged, len(first.failed)) == (2, 0, 2)
    assert any("more.jsonl line 3" in failure and "invalid JSON" in failure for failure in first.failed)
    assert any("a second document with this name" in failure for failure in first.failed)
    again = build_with_spark([str(inputs)], str(out), Settings(), spark)
    assert (again.built, again.unchanged, again.run) == (0, 2, None)
    write(inputs, "a.txt", "Maria Lindqvist spoke for the Valdora Harbour Authority in Bergen.\n")
    changed, reloaded, loaded_dataset = spark_then_load(spark, [inputs], out, store_path)
    assert (changed.built, changed.unchanged) == (1, 1) and (reloaded.replaced, reloaded.unchanged) == (1, 1)
    embedded_settings = Settings(store=str(tmp_path / "embedded"))
    with GraphStore(embedded_settings.store) as embedded:
        build([inputs], embedded, embedded_settings)
        assert loaded_dataset == dataset(embedded)


def test_a_run_that_did_not_finish_is_ignored(seeds_parts, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(seeds_parts, out)
    unfinished = out / "runs" / "99991231T000000Z-000000"
    shutil.copytree(next((seeds_parts / "runs").iterdir()), unfinished)
    (unfinished / "merged" / "_SUCCESS").unlink()
    (unfinished / "quads" / "part-00000").write_text("<https://x.example/half")
    with GraphStore(tmp_path / "store") as store:
        assert load_into_store(out, store).loaded == 5


@pytest.fixture
def oxigraph_server(tmp_path):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).close()
            break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "oxigraph serve did not start"
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


def triples(ntriples: bytes) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)}


def test_load_over_the_graph_store_protocol_puts_each_document_graph_and_the_merge(seeds_parts, seeds_built,
                                                                                       oxigraph_server):
    client = GraphStoreClient(f"{oxigraph_server}/store")
    first = load_over_gsp(seeds_parts, client)
    again = load_over_gsp(seeds_parts, client)
    assert first.loaded == again.loaded == 5 and first.quads == again.quads
    embedded = seeds_built[1]
    for document in embedded.documents():
        expected = {q.triple for q in ox.parse(export(embedded, document.name), ox.RdfFormat.N_QUADS)}
        assert triples(client.get(document.graph)) == expected
    assert triples(client.get(None)) == set(embedded.triples())


def export(store: GraphStore, name: str) -> bytes:
    buffer = io.BytesIO()
    store.export(buffer, "nquads", document=name)
    return buffer.getvalue()


def test_the_commands_say_what_is_missing(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    no_out = CliRunner().invoke(main, ["build", "--engine", "spark", str(SEEDS)])
    assert no_out.exit_code == 2 and "give --out DIR" in no_out.output
    nothing = CliRunner().invoke(main, ["load", str(tmp_path), "--store", str(tmp_path / "store")])
    assert nothing.exit_code == 4 and "no complete Spark build" in nothing.output
