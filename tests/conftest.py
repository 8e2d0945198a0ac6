"""Graded fixtures: settings → a real Oxigraph store in a temp dir → the seeds built once."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from kg.build import build
from kg.settings import Settings
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
WIDE_DOCS = SHARED / "eval" / "wide" / "docs"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture
def store(settings: Settings):
    with GraphStore(settings.store) as opened:
        yield opened


@pytest.fixture(scope="session")
def seeds_built(tmp_path_factory: pytest.TempPathFactory):
    """The seeds built once into a session store: (settings, store, report)."""
    settings = Settings(store=str(tmp_path_factory.mktemp("seeds") / "store"))
    with GraphStore(settings.store) as opened:
        report = build([SEEDS], opened, settings)
        yield settings, opened, report


@pytest.fixture(scope="session")
def wide_built(tmp_path_factory: pytest.TempPathFactory):
    """The wide set (../shared/eval/wide/docs, read in place) built once: (settings, store, report)."""
    if not WIDE_DOCS.is_dir():
        pytest.skip("../shared/eval is not beside the checkout")
    settings = Settings(store=str(tmp_path_factory.mktemp("wide") / "store"))
    with GraphStore(settings.store) as opened:
        report = build([WIDE_DOCS], opened, settings)
        yield settings, opened, report


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def dataset(store: GraphStore) -> set[str]:
    """Every quad of a store, the merged default graph's included, as N-Quads lines (to compare two stores)."""
    buffer = io.BytesIO()
    store.export(buffer, "nquads")
    merged = "".join(f"{t} .\n" for t in store.triples())
    return set(buffer.getvalue().decode().splitlines()) | set(merged.splitlines())


def proc_stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (which may hold spaces and brackets):
    [0] the state (R running, S sleeping, T stopped, Z zombie), [1] the parent, [16] the nice value."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
