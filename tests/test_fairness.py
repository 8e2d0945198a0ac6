"""kg.fairness on its own: what a client has spent, refusals held back, and suspect clients."""
from __future__ import annotations

import threading
import time

import pytest

from kg.errors import RateLimitError
from kg.fairness import HOLD, WINDOW, Account, Shares


def test_what_a_client_has_spent_is_what_its_jobs_took_within_the_window():
    account = Account(threading.BoundedSemaphore(1))
    for when, seconds in [(0.0, 1.5), (10.0, 0.25), (20.0, 2.0)]:
        account.charge(when, seconds)
    assert account.used(20.0) == pytest.approx(3.75)
    assert account.used(WINDOW + 5.0) == pytest.approx(2.25)  # the first has aged out
    assert account.used(WINDOW + 25.0) == 0.0


def spend(shares: Shares, client: str, seconds: float) -> None:
    with shares.admitted(client):
        time.sleep(seconds)


def refused_after(shares: Shares, client: str) -> float:
    started = time.monotonic()
    with pytest.raises(RateLimitError) as refusal:
        spend(shares, client, 0)
    assert refusal.value.retry_after >= 1
    return time.monotonic() - started


def test_a_refusal_is_held_back_for_as_many_requests_as_the_client_may_run():
    shares = Shares(concurrency=2, budget=0.05)
    spend(shares, "greedy", 0.1)
    took: list[float] = []
    refused = [threading.Thread(target=lambda: took.append(refused_after(shares, "greedy"))) for _ in range(3)]
    for thread in refused:
        thread.start()
    for thread in refused:
        thread.join()
    quick, *held = sorted(took)
    assert quick < HOLD / 2  # the third at once: holding it would take a third thread
    assert all(seconds >= HOLD * 0.9 for seconds in held)
    spend(shares, "other", 0)  # others are neither refused nor held


def test_a_client_whose_job_ran_out_of_time_is_suspect_and_only_that_client():
    shares = Shares(concurrency=2, budget=60)
    with shares.admitted("runaway"):
        assert not shares.suspect("runaway")
        shares.timed_out("runaway")
    with shares.admitted("polite"):
        pass
    assert shares.suspect("runaway") and not shares.suspect("polite")
