"""The HTTP server `kg serve` runs: waitress, set up for clients that are slow or hostile on purpose.

Waitress reads requests and writes answers in one asynchronous loop and hands only
complete requests to its threads, so a connection costs a socket, not a thread. What
it lacks for hostile clients is added here (and measured against gunicorn in the
README's "Running it safely"):

- a receive deadline: a request (line, headers, body) must arrive within
  ``receive_timeout`` of its first byte, however slowly it trickles (slowloris);
- a send deadline: an answer whose client has read nothing for ``send_timeout`` is
  dropped, which frees the thread (and worker) writing it;
- load shedding: past ``max_connections`` open connections, or ``max_client_connections``
  from one address, a new connection gets a 503 (or a 429) at once and is closed,
  instead of waitress's default of no longer accepting anyone;
- waitress's own errors (431, 413, 400) in the API's one JSON error shape.
"""
from __future__ import annotations

import json
import resource
import socket
import time
from collections import Counter
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask

from api.errors import problem_body
from kg.errors import BusyError, KGError, RateLimitError
from kg.settings import Settings

CHECK_EVERY = 1.0  # seconds between deadline checks


class JsonErrorTask(ErrorTask):
    """Waitress's own refusals (header too large, body too large, malformed request) as JSON problems."""

    def execute(self) -> None:
        error = self.request.error
        body = json.dumps(problem_body(error.code, type(error).__name__, error.body)).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class GuardedChannel(HTTPChannel):
    """One connection, with the time its current request began arriving and its answer last moved."""

    error_task_class = JsonErrorTask

    def __init__(self, *args: Any, **kwargs: Any):
        self.receiving_since: float | None = None
        self.stalled_since: float | None = None
        super().__init__(*args, **kwargs)

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.receiving_since = time.monotonic()
        received = super().received(data)
        if self.request is None:
            self.receiving_since = None
        return received

    def write_soon(self, data: bytes) -> int:
        if data and not self.total_outbufs_len:
            self.stalled_since = time.monotonic()
        return super().write_soon(data)

    def _flush_some(self, do_close: bool = True) -> bool:
        sent = super()._flush_some(do_close=do_close)
        if sent:
            self.stalled_since = time.monotonic()
        return sent

    def overdue(self, now: float) -> bool:
        """Whether the request has taken too long to arrive, or the answer waits too long for the client."""
        adj = self.adj
        receiving = self.receiving_since is not None and now - self.receiving_since > adj.receive_timeout
        stalled = bool(self.total_outbufs_len) and self.stalled_since is not None \
            and now - self.stalled_since > adj.send_timeout
        return receiving or stalled


class GuardedServer(TcpWSGIServer):
    """Waitress's TCP server with deadlines per connection and load shed with 503/429 instead of a closed door."""

    channel_class = GuardedChannel

    def __init__(self, application: Any, settings: Settings, **kwargs: Any):
        self.settings = settings
        self.per_client: Counter[str] = Counter()
        super().__init__(application, **kwargs)
        self.adj.receive_timeout = settings.receive_timeout
        self.adj.send_timeout = settings.send_timeout

    def readable(self) -> bool:
        """Always accept: a connection over a limit is answered (503/429) and closed, not left in the backlog."""
        now = time.time()
        if now >= self.next_channel_cleanup:
            self.next_channel_cleanup = now + self.adj.cleanup_interval
            self.maintenance(now)
        return self.accepting

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        client = addr[0] if isinstance(addr, tuple) else str(addr)
        refusal = self.over_limit(client)
        if refusal is not None:
            shed(conn, refusal)
            return
        self.set_socket_options(conn)
        channel = self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)
        channel.client = client
        self.per_client[client] += 1

    def over_limit(self, client: str) -> KGError | None:
        if len(self.active_channels) >= self.settings.max_connections:
            return BusyError(f"the server has {len(self.active_channels)} open connections, its limit "
                             "(max_connections); try again shortly", retry_after=5)
        if self.per_client[client] >= self.settings.max_client_connections:
            return RateLimitError(f"{client} has {self.per_client[client]} open connections, the limit per client "
                                  "(max_client_connections); reuse them or close some", retry_after=5)
        return None

    def maintenance(self, now: float) -> None:
        """Idle connections close after receive_timeout (waitress's channel_timeout); overdue ones now.

        An overdue channel is closed here, not marked ``will_close`` as waitress marks idle ones: a
        mark is acted on when the socket can be written to, which a client that reads nothing never
        lets happen once the kernel's buffers are full.
        """
        super().maintenance(now)
        clock = time.monotonic()
        for channel in list(self.active_channels.values()):
            if isinstance(channel, GuardedChannel) and channel.overdue(clock):
                channel.handle_close()
        self.per_client = Counter(getattr(c, "client", "") for c in self.active_channels.values())


def shed(conn: socket.socket, error: KGError) -> None:
    """Answer a connection we will not serve with its error (503 or 429, Retry-After) and close it."""
    status = 429 if isinstance(error, RateLimitError) else 503
    body = json.dumps(problem_body(status, type(error).__name__, str(error))).encode()
    head = (f"HTTP/1.1 {status} {'Too Many Requests' if status == 429 else 'Service Unavailable'}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Retry-After: {error.retry_after}\r\nConnection: close\r\n\r\n").encode()
    try:
        conn.setblocking(False)
        conn.send(head + body)  # a few hundred bytes: an empty socket buffer takes them whole
    except OSError:
        pass
    finally:
        conn.close()


def create(app: Any, settings: Settings) -> GuardedServer:
    """The server for ``app`` on the configured address, with every limit of ``settings``."""
    raise_file_limit(settings.max_connections + 256)
    return GuardedServer(
        app, settings, host=settings.host, port=settings.port, threads=settings.threads,
        connection_limit=settings.max_connections + 1,  # ours sheds first, with an answer
        channel_timeout=settings.receive_timeout, cleanup_interval=CHECK_EVERY,
        max_request_header_size=settings.max_header_bytes, max_request_body_size=settings.max_body_bytes,
        channel_request_lookahead=1,  # read ahead, so that a client's disconnect is seen while it waits
        asyncore_use_poll=True,  # select() cannot watch file descriptors past 1024
        outbuf_high_watermark=4 * 2**20)


def raise_file_limit(wanted: int) -> None:
    """Each connection is a file descriptor: raise the soft limit towards ``wanted`` (never past the hard one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
