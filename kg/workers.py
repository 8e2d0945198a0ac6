"""SPARQL queries run in a small pool of worker processes, so a query past its time limit can be killed.

Oxigraph has no timeout or cancellation: a runaway query holds a CPU until it ends. Each
worker here holds its own read-only GraphStore over the on-disk store and answers one
job at a time through a pipe. The caller waits at most ``timeout`` seconds; then the
worker is killed (SIGKILL frees its CPU at once), a fresh one takes its place, and the
caller gets a QueryTimeoutError. Before each job a worker reopens its store if the files
changed on disk (``GraphStore.refresh``), so what `kg build` wrote shows up in the next
query. Workers are forked from a forkserver that has imported this module once, so a
replacement starts in milliseconds, not the seconds our imports take.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import queue
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from kg.errors import KGError, QueryError, QueryTimeoutError, StoreError
from kg.sandbox import confine, tried_the_network
from kg.sparql import check_nesting, is_update, service_refused, update_refused
from kg.store import GraphStore

log = logging.getLogger(__name__)
START_SECONDS = 60  # a worker that has not opened the store by then is reported as a StoreError


@dataclass(frozen=True)
class QueryJob:
    """One query and how to answer it (see GraphStore.answer and GraphStore.query)."""

    query: str
    results_format: str | None
    graph_format: str | None
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


@dataclass
class Worker:
    process: multiprocessing.Process
    connection: Connection = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def ask(self, job: QueryJob, timeout: float) -> tuple[str, bytes] | KGError:
        self.connection.send(job)
        if not self.connection.poll(timeout):
            raise QueryTimeoutError(f"the query ran longer than {timeout:g} s and was stopped; "
                                    "narrow it (LIMIT, more specific patterns) or raise query_timeout")
        return self.connection.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class QueryPool:
    """``workers`` processes answering QueryJobs over the store at ``path``, each job within ``timeout`` s."""

    def __init__(self, path: str | Path, *, workers: int, timeout: float):
        self.path = str(path)
        self.timeout = timeout
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([__name__])
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: dict[int, Worker] = {}
        for _ in range(workers):
            self._idle.put(self._start())

    def run(self, job: QueryJob) -> tuple[str, bytes]:
        """The answer to ``job`` as (format name, bytes); the worker's KGError re-raised here."""
        worker = self._checkout()
        try:
            reply = worker.ask(job, self.timeout)
        except BaseException as error:  # timed out, worker died, or this thread was interrupted
            self._idle.put(self._replace(worker))
            if isinstance(error, (EOFError, OSError)):
                raise StoreError(f"a query worker died while answering ({error!r}); it has been replaced") from error
            raise
        self._idle.put(worker)
        if isinstance(reply, KGError):
            raise reply
        return reply

    def pids(self) -> list[int]:
        return sorted(self._all)

    def close(self) -> None:
        for worker in self._all.values():
            worker.stop()
        self._all.clear()

    def _checkout(self) -> Worker:
        try:
            return self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeoutError(f"all {len(self._all)} query workers stayed busy for {self.timeout:g} s; "
                                    "try again later") from None

    def _start(self) -> Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=serve, args=(self.path, theirs), daemon=True,
                                        name="kg-query-worker")
        process.start()
        theirs.close()
        worker = Worker(process, ours)
        if not ours.poll(START_SECONDS):
            worker.stop()
            raise StoreError(f"a query worker did not open {self.path} within {START_SECONDS} s")
        ready = ours.recv()
        if isinstance(ready, KGError):
            worker.stop()
            raise ready
        self._all[worker.pid] = worker
        return worker

    def _replace(self, worker: Worker) -> Worker:
        self._all.pop(worker.pid, None)
        worker.stop()
        return self._start()


def serve(path: str, connection: Connection) -> None:
    """A worker's life: lose the network, open the store read-only, then answer jobs until the pipe closes."""
    try:
        confine()
        let_the_forkserver_go()
        store = GraphStore(path, read_only=True)
    except KGError as error:
        connection.send(error)
        return
    connection.send(os.getpid())
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        connection.send(answer(store, job))


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


def answer(store: GraphStore, job: QueryJob) -> tuple[str, bytes] | KGError:
    """The job's answer, or the error to send back: syntax, refusal, or a failure that names no remote content."""
    try:
        check_nesting(job.query)
        store.refresh()
        return store.answer(job.query, results_format=job.results_format, graph_format=job.graph_format,
                            base_iri=job.base_iri, default_graphs=job.default_graphs,
                            named_graphs=job.named_graphs)
    except Exception as error:  # errors cross the pipe as values, so that the worker lives on
        return refusal(job.query, error)


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
