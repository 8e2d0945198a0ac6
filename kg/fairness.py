"""Each client's share of the workers: jobs at once and worker time per minute (the Wikidata Query Service model).

A client (for the API, an IP address) may have ``concurrency`` jobs running and as many
waiting for one of those to end; past that its requests are refused (RateLimitError), so
one client never holds more than its share of threads and workers. Each job's worker time
is charged to the client; once it has used ``budget`` seconds within the last minute, new
jobs are refused with a Retry-After saying when enough of that minute has passed.

A refusal is held back for ``HOLD`` seconds (up to ``concurrency`` of a client's at once,
so that it holds no more threads than its jobs could). A client that ignores Retry-After
and sends again at once would otherwise loop as fast as the server can refuse it, and
every refusal costs a parsed and routed request that other clients wait behind; held
back, it sends a request a second per connection, as nginx's limit_req slows requests
past their rate. A client that honours Retry-After (at least a second) loses nothing.

A client whose job ran into the time limit within the last minute is ``suspect``: it is
likely to send the same query again at once, so its jobs start as long ones
(kg.precedence) and never take the last free worker (kg.workers).
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kg.errors import RateLimitError

WINDOW = 60.0  # seconds over which worker time is added up
WAIT = 5.0  # seconds a job over the client's concurrency waits for one of its own to end
HOLD = 1.0  # seconds a refusal is held back, for up to ``concurrency`` of a client's requests at once


@dataclass
class Account:
    turns: threading.BoundedSemaphore
    running: int = 0
    waiting: int = 0
    held: int = 0  # refusals being held back (HOLD)
    spent: deque[tuple[float, float]] = field(default_factory=deque)  # (when a job ended, its seconds)
    spent_seconds: float = 0.0  # the sum over ``spent``, kept as it changes: a busy client has thousands
    last_timeout: float = -WINDOW  # when one of its jobs was last stopped at the time limit

    def charge(self, now: float, seconds: float) -> None:
        self.spent.append((now, seconds))
        self.spent_seconds += seconds

    def used(self, now: float) -> float:
        while self.spent and self.spent[0][0] <= now - WINDOW:
            self.spent_seconds -= self.spent.popleft()[1]
        if not self.spent:
            self.spent_seconds = 0.0  # no rounding left over
        return self.spent_seconds

    def idle(self) -> bool:
        """Nothing to remember: nothing running, waiting or held, nothing spent or timed out within the window."""
        return not (self.running or self.waiting or self.held or self.spent) \
            and self.last_timeout <= time.monotonic() - WINDOW


class Shares:
    """Admission of jobs per client: ``concurrency`` at once, ``budget`` worker seconds per minute."""

    def __init__(self, concurrency: int, budget: float):
        self.concurrency = concurrency
        self.budget = budget
        self._lock = threading.Lock()
        self._accounts: dict[str, Account] = {}

    @contextmanager
    def admitted(self, client: str) -> Iterator[None]:
        """Run the body as one of ``client``'s jobs, charging its time; RateLimitError past the client's share."""
        account = self._enter(client)
        if not account.turns.acquire(timeout=WAIT):
            self._leave(client, account, waited=True)
            raise RateLimitError(f"{client} has had {self.concurrency} requests running for {WAIT:g} s; "
                                 "wait for them before sending more", retry_after=math.ceil(WAIT))
        with self._lock:
            account.waiting -= 1
            account.running += 1
        started = time.monotonic()
        try:
            yield
        finally:
            ended = time.monotonic()
            with self._lock:
                account.charge(ended, ended - started)
            account.turns.release()
            self._leave(client, account, waited=False)

    def timed_out(self, client: str) -> None:
        """One of ``client``'s jobs was stopped at the time limit: the client is ``suspect`` for a minute."""
        with self._lock:
            account = self._accounts.get(client)
            if account is not None:
                account.last_timeout = time.monotonic()

    def suspect(self, client: str) -> bool:
        """Whether one of ``client``'s jobs ran into the time limit within the last minute."""
        with self._lock:
            account = self._accounts.get(client)
            return account is not None and account.last_timeout > time.monotonic() - WINDOW

    def _enter(self, client: str) -> Account:
        with self._lock:
            account = self._accounts.get(client)
            if account is None:
                account = self._accounts[client] = Account(threading.BoundedSemaphore(self.concurrency))
            now = time.monotonic()
            if account.used(now) >= self.budget:
                refusal = RateLimitError(f"{client} has used {account.used(now):.0f} s of worker time in the last "
                                         f"{WINDOW:.0f} s, its budget is {self.budget:g} s",
                                         self._retry_after(account, now))
            elif account.running + account.waiting >= 2 * self.concurrency:
                refusal = RateLimitError(f"{client} already has {account.running} requests running and "
                                         f"{account.waiting} waiting (at most {self.concurrency} run at once)", 1)
            else:
                account.waiting += 1
                return account
            held = account.held < self.concurrency
            account.held += held
        if held:
            time.sleep(HOLD)
            with self._lock:
                account.held -= 1
        raise refusal

    def _leave(self, client: str, account: Account, *, waited: bool) -> None:
        with self._lock:
            if waited:
                account.waiting -= 1
            else:
                account.running -= 1
            if account.idle():
                self._accounts.pop(client, None)
            elif len(self._accounts) > 10_000:  # forget clients whose spending has aged out
                now = time.monotonic()
                for name in [n for n, a in self._accounts.items() if a.used(now) == 0 and not a.running + a.waiting]:
                    del self._accounts[name]

    def _retry_after(self, account: Account, now: float) -> int:
        """Seconds until the client's spending within the window is below the budget again."""
        left = account.used(now)
        for ended, seconds in account.spent:
            left -= seconds
            if left < self.budget:
                return max(1, math.ceil(ended + WINDOW - now))
        return 1
