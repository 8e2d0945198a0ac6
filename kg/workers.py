"""Store work for a server runs in a small pool of worker processes, so that work past its time limit can be killed.

Oxigraph has no timeout or cancellation, and a Python thread cannot be stopped: a runaway
query, a betweenness over a large graph or an export would hold a CPU (and the GIL) until
it ends. Each worker here holds its own read-only handle on the store (``Store.in_worker``) and
runs one Job at a time, ``function(store, *args)``, sent through a pipe. The caller waits
at most ``timeout`` seconds; then the worker is killed (SIGKILL frees its CPU at once), a
fresh one takes its place, and the caller gets a QueryTimeoutError. The same happens when
the client that asked has gone (``cancelled``). A job still running after a second turns
long: it is paused while quicker jobs run (kg.precedence), and its worker is replaced
afterwards (an unprivileged process cannot raise its priority back). A suspect client's
job (kg.fairness) is long from its start.

Each client's share (jobs at once, worker seconds per minute) is kept by kg.fairness.
Before each job a worker reopens its store if the files changed on disk
(``GraphStore.refresh``), so what `kg build` wrote shows up in the next request. Workers
are forked from a forkserver that has imported our modules once (``job_modules``), so a
replacement starts in milliseconds, not the seconds our imports take.

Workers never have network access, whichever kind of store they read (kg.sandbox). Over a
remote SPARQL server (kg.remote), a worker's store sends each HTTP request it needs through
its pipe, as a ("fetch", request) message, and the pool carries it out (``Store.relay``) to
the configured endpoint only, within what is left of the job's time limit; the answer goes
back through the pipe. So a job, whatever its query says, reaches no address but the
endpoint's, and is still a process that can be killed when its time is up or its client
has gone.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from kg.errors import BusyError, KGError, QueryError, QueryTimeoutError, StoreError
from kg.fairness import Shares
from kg.precedence import Precedence
from kg.sandbox import confine, tried_the_network
from kg.sparql import check_nesting, is_update, service_refused, update_refused
from kg.store import Store

log = logging.getLogger(__name__)
START_SECONDS = 60  # a worker that has not opened the store by then is reported as a StoreError
WAIT_FOR_WORKER = 5.0  # seconds a job waits for a free worker before the client is told to retry (503)
POLL = 0.2  # seconds between checks that the client is still there
LONG_AFTER = 1.0  # seconds after which a running job gives way to quicker ones


@dataclass(frozen=True)
class Job:
    """``function(store, *args, **kwargs)`` run in a worker; the function travels by reference, so it is importable.

    A streaming job's function also gets ``output``, a binary file whose writes reach the caller as they happen.
    """

    function: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class QueryJob:
    """One SPARQL query and how to answer it (see Store.answer): run as ``Job(answer_query, (QueryJob,))``."""

    query: str
    results_format: str | None
    graph_format: str | None
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int | None = None
    max_bytes: int | None = None


@dataclass
class Worker:
    process: multiprocessing.Process
    connection: Connection = field(repr=False)
    long: bool = False  # its job ran past LONG_AFTER

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


@dataclass(eq=False)
class Waiter:
    """A job waiting for a free worker, and the worker once it is handed one."""

    client: str
    handed: threading.Event = field(default_factory=threading.Event)
    worker: Worker | None = None


class ClientGone(Exception):
    """The client that asked for a job disconnected; its worker was stopped."""


class QueryPool:
    """``workers`` processes running Jobs over ``store``, each within ``timeout`` s, shared fairly."""

    def __init__(self, store: Store, *, workers: int, timeout: float, shares: Shares | None = None):
        self.store = store
        self.timeout = timeout
        self.shares = shares or Shares(concurrency=workers, budget=float("inf"))
        self.precedence = Precedence()
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(job_modules())
        self._lock = threading.Lock()  # guards the free workers and the jobs waiting for one
        self._idle: list[Worker] = []
        self._waiting: list[Waiter] = []
        self._holding: Counter[str] = Counter()  # each client's jobs that hold a worker
        self._all: dict[int, Worker] = {}
        starting = [self._spawn() for _ in range(workers)]  # all at once: they open the store side by side
        try:
            self._idle.extend(self._ready(worker) for worker in starting)
        except KGError:
            for worker in starting:
                if worker.process.is_alive():
                    worker.stop()
            raise

    def run(self, job: Job, *, client: str = "", cancelled: Callable[[], bool] | None = None) -> Any:
        """What ``job`` returns; the worker's KGError re-raised here, a QueryTimeoutError past the time limit."""
        answers = self._answers(job, client, cancelled, streaming=False)
        try:
            return next(answers)
        finally:
            answers.close()

    def stream(self, job: Job, *, client: str = "", cancelled: Callable[[], bool] | None = None) -> Iterator[bytes]:
        """The bytes a streaming ``job`` writes, as it writes them; the worker is stopped if the reader leaves."""
        return self._answers(job, client, cancelled, streaming=True)

    def pids(self) -> list[int]:
        return sorted(self._all)

    def close(self) -> None:
        for worker in list(self._all.values()):
            worker.stop()
        self._all.clear()
        self.precedence.close()

    def _answers(self, job: Job, client: str, cancelled: Callable[[], bool] | None,
                 streaming: bool) -> Iterator[Any]:
        with self.shares.admitted(client):
            worker = self._checkout(client, cancelled)
            if self.shares.suspect(client):
                self.precedence.started_long(worker.pid)
                worker.long = True
            else:
                self.precedence.quick_started()
            finished = False
            try:
                worker.connection.send((job, streaming))
                started = time.monotonic()
                while True:
                    kind, payload = self._receive(worker, started, cancelled)
                    if kind == "fetch":
                        worker.connection.send(self._relay(payload, started))
                        continue
                    if kind == "chunk":
                        yield payload
                        continue
                    finished = True
                    if isinstance(payload, KGError):
                        raise payload
                    if not streaming:
                        yield payload
                    return
            except QueryTimeoutError:
                self.shares.timed_out(client)
                raise
            except (EOFError, OSError) as error:
                raise StoreError(f"a worker died while answering ({error!r}); it has been replaced") from error
            finally:  # also when the reader of a stream stops early (GeneratorExit)
                self.precedence.ended(worker.pid, long=worker.long)
                reusable = finished and not worker.long
                self._done(client, worker if reusable else None)
                if not reusable:  # in the background: the client neither waits for nor is charged with the restart
                    threading.Thread(target=self._replace, args=(worker,), daemon=True).start()

    def _receive(self, worker: Worker, started: float, cancelled: Callable[[], bool] | None) -> tuple[str, Any]:
        """The worker's next message for a job started at ``started``, watching the time limit and the client."""
        while not worker.connection.poll(POLL):
            now = time.monotonic()
            if now >= started + self.timeout:
                raise self._timed_out(self.precedence.paused_for(worker.pid))
            if cancelled is not None and cancelled():
                raise ClientGone("the client disconnected; its worker was stopped")
            if not worker.long and now - started >= LONG_AFTER:
                self.precedence.turned_long(worker.pid)
                worker.long = True
        return worker.connection.recv()

    def _relay(self, request: Any, started: float) -> Any:
        """A worker's store request carried out here (the worker has no network), or the KGError it met.

        Running out of time ends the job itself; any other failure is the worker store's to raise.
        A client that leaves meanwhile is noticed once the answer is in (within the time left).
        """
        left = started + self.timeout - time.monotonic()
        if left <= 0:
            raise self._timed_out()
        try:
            return self.store.relay(request, left)
        except QueryTimeoutError:
            raise self._timed_out() from None
        except KGError as error:
            return error

    def _timed_out(self, paused: float = 0.0) -> QueryTimeoutError:
        waited = f" ({paused:.1f} s of it paused while quicker requests ran)" if paused >= 0.05 else ""
        return QueryTimeoutError(f"the request ran longer than {self.timeout:g} s{waited} and was stopped; "
                                 "narrow it (LIMIT, more specific patterns) or raise query_timeout. For a minute, "
                                 "this client's requests now give way to others'")

    def _checkout(self, client: str, cancelled: Callable[[], bool] | None) -> Worker:
        """A free worker, once one is free and taking it leaves others their share (see ``_hand_out``).

        Waiting jobs are woken one at a time, as a worker is handed to them: waking every
        waiting thread whenever any job ended made each quick request pay for the hand-offs
        of the jobs that could not take its worker anyway.
        """
        waiter = Waiter(client)
        deadline = time.monotonic() + WAIT_FOR_WORKER
        with self._lock:
            self._waiting.append(waiter)
            self._hand_out()
        while not waiter.handed.wait(max(0.0, min(POLL, deadline - time.monotonic()))):
            with self._lock:
                self._hand_out()  # a client's share can change without a worker coming back
                if waiter.worker is not None:
                    break
                if time.monotonic() >= deadline:
                    self._waiting.remove(waiter)
                    raise BusyError(f"{len(self._all) - len(self._idle)} of {len(self._all)} workers stayed busy "
                                    f"for {WAIT_FOR_WORKER:g} s; try again shortly", retry_after=int(WAIT_FOR_WORKER))
                if cancelled is not None and cancelled():
                    self._waiting.remove(waiter)
                    raise ClientGone("the client disconnected while waiting for a worker")
        return waiter.worker

    def _done(self, client: str, worker: Worker | None) -> None:
        """``client``'s job is over: its worker is free again (None: it is being replaced)."""
        with self._lock:
            self._holding[client] -= 1
            if not self._holding[client]:
                del self._holding[client]
            if worker is not None:
                self._idle.append(worker)
            self._hand_out()

    def _release(self, worker: Worker) -> None:
        with self._lock:
            self._idle.append(worker)
            self._hand_out()

    def _hand_out(self) -> None:
        """Give free workers to waiting jobs, in the order they came, each once taking it leaves others their share.

        A client's first job takes any free worker; its n-th only while n - 1 more stay free,
        so that two busy clients never hold every worker between them (n counts the client's
        jobs that hold a worker: its jobs still waiting must not block each other). A suspect
        client (one whose job ran into the time limit lately, kg.fairness) also leaves one more
        free: sending the same query again at once, it would otherwise take the worker a
        well-behaved client is about to need. A job that cannot take a worker yet lets those
        behind it try.
        """
        for waiter in list(self._waiting):
            if not self._idle:
                return
            if len(self._idle) > self._holding[waiter.client] + self.shares.suspect(waiter.client):
                self._waiting.remove(waiter)
                self._holding[waiter.client] += 1
                waiter.worker = self._idle.pop()
                waiter.handed.set()

    def _start(self) -> Worker:
        return self._ready(self._spawn())

    def _spawn(self) -> Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=serve, args=(self.store.in_worker(), theirs), daemon=True,
                                        name="kg-query-worker")
        process.start()
        theirs.close()
        return Worker(process, ours)

    def _ready(self, worker: Worker) -> Worker:
        """The worker once it has opened the store; a StoreError (and the worker stopped) if it cannot."""
        ours = worker.connection
        if not ours.poll(START_SECONDS):
            worker.stop()
            raise StoreError(f"a query worker did not open {self.store.location} within {START_SECONDS} s")
        ready = ours.recv()
        if isinstance(ready, KGError):
            worker.stop()
            raise ready
        self._all[worker.pid] = worker
        return worker

    def _replace(self, worker: Worker) -> None:
        """Kill a worker (stuck, abandoned or past a long job) and make a fresh one available in its place."""
        self._all.pop(worker.pid, None)
        worker.stop()
        try:
            self._release(self._start())
        except KGError as error:  # the store went away meanwhile: the pool shrinks and says why
            log.error("could not replace a worker: %s", error)


def serve(open_store: Callable[[Connection], Store], connection: Connection) -> None:
    """A worker's life: lose the network, open its handle on the store, then run jobs until the pipe closes."""
    try:
        confine()
        let_the_forkserver_go()
        store = open_store(connection)
    except KGError as error:
        connection.send(error)
        return
    connection.send(os.getpid())
    while True:
        try:
            job, streaming = connection.recv()
        except EOFError:
            return
        output = {"output": Chunks(connection)} if streaming else {}
        try:
            store.refresh()
            reply = ("done", job.function(store, *job.args, **job.kwargs, **output))
        except KGError as error:
            reply = ("done", error)
        except Exception as error:  # errors cross the pipe as values, so that the worker lives on
            log.error("job %s failed in worker %d: %r", job.function.__name__, os.getpid(), error)
            reply = ("done", StoreError(f"the request failed in its worker ({type(error).__name__}); "
                                        "see the server log"))
        if streaming:
            output["output"].flush()
        connection.send(reply)


class Chunks:
    """A write-only binary file whose writes go to the caller in chunks of about CHUNK bytes."""

    CHUNK = 256 * 2**10

    def __init__(self, connection: Connection):
        self.connection = connection
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= self.CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.connection.send(("chunk", bytes(self.buffer)))
            self.buffer.clear()


def job_modules() -> list[str]:
    """This module and every other kg module imported here so far (in that order): where a job's function may come from.

    The forkserver imports them once, before forking any worker, so that a fresh worker answers
    its first job about as fast as its hundredth: imported in each fresh worker instead, the
    modules behind an entity page made its first answer take 53-68 ms rather than 6-9.
    """
    return list(dict.fromkeys([__name__, *(name for name in sys.modules if name.startswith("kg."))]))


def let_the_forkserver_go() -> None:
    """Close this worker's copy of the forkserver's "alive" pipe, which every child inherits.

    The forkserver exits when that pipe's last writer closes; with a busy worker holding
    a copy, a server killed by SIGKILL left forkserver and worker running forever. Now the
    forkserver sees the server's end close, exits, and the kernel kills its workers
    (``kg.sandbox.die_with_parent``).
    """
    from multiprocessing import forkserver

    alive = forkserver._forkserver._forkserver_alive_fd  # noqa: SLF001  (no public handle exists)
    if alive is not None:
        os.close(alive)
        forkserver._forkserver._forkserver_alive_fd = None  # noqa: SLF001


def answer_query(store: Store, job: QueryJob) -> tuple[str, bytes, str | None]:
    """A SPARQL job's answer (format name, bytes, what was cut or None), or the error to send back.

    Syntax errors, refusals and failures name no remote content (there is none to quote).
    """
    try:
        check_nesting(job.query)
        return store.answer(job.query, results_format=job.results_format, graph_format=job.graph_format,
                            base_iri=job.base_iri, default_graphs=job.default_graphs,
                            named_graphs=job.named_graphs, max_rows=job.max_rows, max_bytes=job.max_bytes)
    except Exception as error:
        raise refusal(job.query, error) from None


def refusal(query: str, error: Exception) -> KGError:
    """What a failed query tells its client: never the text of a remote reply (there is none to quote)."""
    if tried_the_network(error.__cause__ or error):
        return service_refused()
    if isinstance(error, QueryError) and isinstance(error.__cause__, SyntaxError):
        return update_refused() if is_update(query) else error
    if isinstance(error, KGError):
        return error
    if isinstance(error, RuntimeError):  # Oxigraph's evaluation errors, e.g. an unbound SERVICE name
        return QueryError(f"the query cannot be evaluated: {error}")
    log.error("query failed in worker %d: %r", os.getpid(), error)
    return StoreError(f"the query failed in its worker ({type(error).__name__}); see the server log")
