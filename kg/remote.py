"""A client of a SPARQL 1.1 Graph Store Protocol endpoint (Oxigraph server's /store, Fuseki's /ds/data, …).

The one place newskg speaks GSP: ``PUT`` replaces a graph (so writing the same graph twice
leaves the server as once), ``GET`` reads one back. Graphs travel as N-Triples.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from kg.errors import StoreError

N_TRIPLES = "application/n-triples"


class GraphStoreClient:
    """Named graphs (``graph`` an IRI) and the default graph (``graph`` None) of one GSP endpoint."""

    def __init__(self, endpoint: str, timeout: float = 600.0):
        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"a Graph Store Protocol endpoint is an http(s) URL, got {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout

    def put(self, graph: str | None, ntriples: bytes) -> None:
        """Replace the graph with these triples."""
        self._send("PUT", graph, ntriples, {"Content-Type": N_TRIPLES})

    def get(self, graph: str | None) -> bytes:
        """The graph's triples as N-Triples."""
        return self._send("GET", graph, None, {"Accept": N_TRIPLES})

    def url(self, graph: str | None) -> str:
        query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
        return f"{self.endpoint}{'&' if '?' in self.endpoint else '?'}{query}"

    def _send(self, method: str, graph: str | None, body: bytes | None, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(self.url(graph), data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:300].decode("utf-8", "replace")
            raise StoreError(f"the Graph Store at {self.endpoint} answered {method} "
                             f"{graph or 'default graph'} with {error.code}: {detail}") from error
        except (urllib.error.URLError, OSError) as error:
            raise StoreError(f"cannot reach the Graph Store at {self.endpoint}: "
                             f"{getattr(error, 'reason', error)}") from error
