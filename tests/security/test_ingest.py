"""`kg build` as a user runs it: no input loses another document, none aborts the build, a full disk says so."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kg.store import GraphStore
from tests.conftest import SEEDS, write
from tests.security.conftest import KG

pytestmark = pytest.mark.slow
STORY = "Harbour Talks Resume\n\nNegotiators from Valdora met Ines Carvalho in Lisbon on Tuesday. {}\n"


def directory(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def kg(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(KG), *arguments], capture_output=True, text=True, timeout=600, cwd=cwd)


def dump(store: Path) -> bytes:
    return kg("export", "--store", str(store), "--format", "nquads").stdout.encode()


def test_names_that_differ_in_case_or_punctuation_are_different_documents(tmp_path):
    names = ["Report A.txt", "report-a.txt", "REPORT_A.txt"]
    for number, name in enumerate(names):
        write(directory(tmp_path / "in"), name, STORY.format(f"Story number {number} was filed."))
    store = tmp_path / "store"
    first = kg("build", str(tmp_path / "in"), "--store", str(store), "--quiet")
    assert "3 built, 0 unchanged, 0 failed" in first.stdout, first.stderr
    with GraphStore(store, read_only=True) as opened:
        documents = opened.documents()
        texts = {row["name"].value: row["text"].value for row in opened.query(
            "SELECT ?name ?text WHERE { GRAPH ?g { ?d schema:identifier ?name ; schema:text ?text } }")}
    assert sorted(d.name for d in documents) == sorted(names)
    assert len({d.graph for d in documents}) == 3
    assert all(f"Story number {number} " in texts[name] for number, name in enumerate(names))
    before = dump(store)
    again = kg("build", str(tmp_path / "in"), "--store", str(store), "--quiet")
    assert "0 built, 3 unchanged, 0 failed" in again.stdout, again.stderr
    assert dump(store) == before


def test_a_store_with_the_old_slug_iris_moves_to_the_new_ones_when_rebuilt(tmp_path):
    """A store written by 0.1 (graph IRI = slug of the name) is upgraded by building the sources again."""
    source = write(directory(tmp_path / "in"), "Report A.txt", STORY.format("The old build."))
    other = write(directory(tmp_path / "elsewhere"), "Other.txt", STORY.format("Not rebuilt."))
    store = tmp_path / "store"
    assert kg("build", str(source), str(other), "--store", str(store), "--quiet").returncode == 0
    with GraphStore(store) as opened:  # rename both graphs as the old version minted them
        for document, old in zip(opened.documents(), ("graph/other-txt", "graph/report-a-txt")):
            opened._store.update(f"MOVE <{document.graph}> TO <https://newskg.example/{old}>")  # noqa: SLF001
    rebuilt = kg("build", str(source), "--store", str(store), "--quiet")
    assert "1 built, 0 unchanged" in rebuilt.stdout, rebuilt.stderr
    assert "note: 1 stored documents keep the graph IRIs of an older version" in rebuilt.stderr
    assert "Other.txt" in rebuilt.stderr
    with GraphStore(store, read_only=True) as opened:
        graphs = {d.name: d.graph for d in opened.documents()}
        assert not opened.query("ASK { GRAPH <https://newskg.example/graph/report-a-txt> { ?s ?p ?o } }")
    assert graphs["Report A.txt"].startswith("https://newskg.example/graph/report-a-txt-")
    assert graphs["Other.txt"] == "https://newskg.example/graph/other-txt"


def bad_inputs(directory: Path) -> dict[str, str]:
    """One input per way a document has aborted builds, each with (part of) the reason it must be skipped for."""
    write(directory, "huge.txt", "Harbour Talks\n\n" + "Negotiators met in Lisbon on Tuesday. " * 27_000)
    write(directory, "latin1.txt", "Caf\xe9 talks in Valdora.\n".encode("latin-1"))
    page = ('<html><head><title>Talks</title><link rel="canonical" href="{}"></head><body><article>'
            "<h1>Talks Resume</h1><p>Negotiators from Valdora met Ines Carvalho in Lisbon on Tuesday.</p>"
            "<p>The talks resumed after a long pause in the spring.</p></article></body></html>")
    write(directory, "canonical.html", page.format("http://exa mple.com/talks"))
    records = [{"id": "author-number", "text": "Negotiators met.", "author": 42},
               {"id": "url-object", "text": "Negotiators met.", "url": {"href": "http://example.com/"}},
               {"id": "url-space", "text": "Negotiators met.", "url": "http://example.com/a b"},
               {"id": "lone-surrogate", "text": "Negotiators met in Lisbon \ud800 on Tuesday."},
               {"id": "fine", "text": "Negotiators from Valdora met Ines Carvalho in Lisbon on Tuesday."}]
    lines = [json.dumps(record) for record in records]
    lines.insert(2, '{"id": "deep", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}")
    write(directory, "records.jsonl", "\n".join(lines) + "\n")
    write(directory, "good.txt", STORY.format("All is well."))
    return {"huge.txt": "over the model's limit of 1,000,000", "latin1.txt": "not valid UTF-8",
            "canonical.html": "is not an absolute IRI", "records.jsonl line 1 (author-number)": "'author' must be",
            "records.jsonl line 2 (url-object)": "'url' must be a string", "records.jsonl line 3": "nested too deeply",
            "records.jsonl line 4 (url-space)": "is not an absolute IRI", "lone-surrogate": "the extractor failed"}


def test_every_bad_document_is_skipped_with_its_reason_and_the_rest_builds(tmp_path):
    expected = bad_inputs(directory(tmp_path / "in"))
    result = kg("build", str(tmp_path / "in"), "--store", str(tmp_path / "store"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    for name, reason in expected.items():
        assert any(line.startswith(f"skipped {name}") and reason in line for line in skipped), (name, skipped)
    assert len(skipped) == len(expected)
    assert f"2 built, 0 unchanged, {len(expected)} failed" in result.stdout
    with GraphStore(tmp_path / "store", read_only=True) as opened:
        assert sorted(d.name for d in opened.documents()) == ["fine", "good.txt"]


def test_a_full_disk_is_a_clear_error_naming_the_store_and_the_space(tmp_path):
    """The store on a 4 MiB tmpfs (a private mount namespace): the seeds do not fit."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "--mount", "true"]).returncode != 0:
        pytest.skip("needs unshare --mount (root or user namespaces) to mount a small tmpfs")
    mount = tmp_path / "small"
    mount.mkdir()
    store = mount / "store"
    script = (f"mount -t tmpfs -o size=4m tmpfs {mount} && "
              f"{KG} build {SEEDS} --store {store} --quiet; echo \"rc=$?\"; "
              f"{KG} build {SEEDS} --store {store} --quiet; echo \"rc=$?\"")
    result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                            capture_output=True, text=True, timeout=600)
    assert result.stdout.count("rc=5") == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2, result.stderr
    for line in errors:
        assert f"the store at {store}" in line and "no space left on the device" in line and "MiB free of 4.0 MiB" in line
        assert "another" not in line
