"""Quick jobs first: a worker whose job has run past a second is paused while quicker jobs run.

Lowering a long job's CPU priority is not enough. Measured on a two-core machine, CPU-bound
processes at nice 19, or even under SCHED_IDLE, still raised the p99 latency of a 3 ms
request three- to fivefold: a request crosses several threads and processes (the server's
event loop, a request thread, a worker), and each hand-off can wait behind a busy CPU.
Priorities share CPU time out; they do not bound those waits. A stopped process takes no
CPU at all, so a long job is stopped (SIGSTOP) while any quick job is in flight, and
continued (SIGCONT) once none has been for ``GRACE`` seconds: back-to-back requests, as a
page's or a client's, keep the long jobs paused between them.

A long job's time limit counts on while it is paused: on a server kept busy with quick
requests, a query past its first second may run out of time waiting. That is the order
of precedence this module exists for, and the time-limit error says how long it waited.
"""
from __future__ import annotations

import os
import signal
import threading
import time

GRACE = 0.1  # seconds without a quick job before long jobs continue


class Precedence:
    """Which workers run long jobs, and whether they are paused for quick ones.

    A job starts quick (``quick_started``) or long (``started_long``), a quick one may turn
    long (``turned_long``; long jobs run at the lowest CPU priority), and each ends
    (``ended``). Workers are identified by process id; a pid is signalled only while its
    job is registered here, and a job is unregistered before its worker is reaped, so a
    signal never reaches a recycled pid.
    """

    def __init__(self, grace: float = GRACE):
        self.grace = grace
        self._changed = threading.Condition()
        self._quick = 0
        self._quiet_since = time.monotonic()
        self._long: dict[int, float | None] = {}  # pid -> when it was paused (None: running)
        self._waited: dict[int, float] = {}  # pid -> seconds it has been paused, finished pauses
        self._closed = False
        threading.Thread(target=self._continue_when_quiet, daemon=True, name="kg-precedence").start()

    def quick_started(self) -> None:
        with self._changed:
            self._quick += 1
            self._pause_long()

    def turned_long(self, pid: int) -> None:
        """A quick job has run past its first second: lowest priority, and paused if quicker ones are running."""
        lower_priority(pid)
        with self._changed:
            self._quick -= 1
            if not self._quick:
                self._quiet_since = time.monotonic()
                self._changed.notify()
            self._add_long(pid)

    def started_long(self, pid: int) -> None:
        """A job that is long from its start (a suspect client's, kg.fairness): as ``turned_long``, never quick."""
        lower_priority(pid)
        with self._changed:
            self._add_long(pid)

    def ended(self, pid: int, *, long: bool) -> None:
        """Unregister a job that ended, or whose worker is about to be killed."""
        with self._changed:
            if long:
                del self._long[pid], self._waited[pid]
                return
            self._quick -= 1
            if not self._quick:
                self._quiet_since = time.monotonic()
                self._changed.notify()

    def paused_for(self, pid: int) -> float:
        """Seconds the long job in ``pid`` has spent paused so far (0 for a quick one)."""
        with self._changed:
            paused_at = self._long.get(pid)
            return self._waited.get(pid, 0.0) + (time.monotonic() - paused_at if paused_at is not None else 0.0)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify()

    def _add_long(self, pid: int) -> None:
        self._long[pid] = None
        self._waited[pid] = 0.0
        if self._quick:
            self._pause_long()

    def _pause_long(self) -> None:
        now = time.monotonic()
        for pid, paused_at in self._long.items():
            if paused_at is None:
                send(pid, signal.SIGSTOP)
                self._long[pid] = now

    def _continue_long(self) -> None:
        now = time.monotonic()
        for pid, paused_at in self._long.items():
            if paused_at is not None:
                send(pid, signal.SIGCONT)
                self._waited[pid] += now - paused_at
                self._long[pid] = None

    def _continue_when_quiet(self) -> None:
        with self._changed:
            while not self._closed:
                paused = any(paused_at is not None for paused_at in self._long.values())
                if not paused or self._quick:
                    self._changed.wait()
                    continue
                left = self._quiet_since + self.grace - time.monotonic()
                if left > 0:
                    self._changed.wait(left)
                    continue
                self._continue_long()


def lower_priority(pid: int) -> None:
    """The lowest CPU priority for ``pid`` (nice 19), for when it runs beside work that is not ours to pause."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, 19)
    except OSError:  # it has just ended
        pass


def send(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:  # it has just ended
        pass
