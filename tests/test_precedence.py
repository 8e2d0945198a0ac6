"""kg.precedence on real processes: a long job is stopped while quick ones run and continued after them."""
from __future__ import annotations

import subprocess
import sys
import time
import pytest

from kg.precedence import Precedence
from tests.conftest import proc_stat


def state(pid: int) -> str:
    return proc_stat(pid)[0]


def eventually(condition, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


@pytest.fixture
def spinner():
    process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    yield process.pid
    process.kill()
    process.wait()


def test_a_long_job_waits_for_quick_ones_and_their_grace(spinner):
    precedence = Precedence(grace=0.3)
    try:
        precedence.quick_started()
        precedence.turned_long(spinner)  # alone: it keeps running
        assert state(spinner) != "T"

        precedence.quick_started()
        assert eventually(lambda: state(spinner) == "T")
        precedence.ended(0, long=False)
        ended = time.monotonic()
        assert eventually(lambda: state(spinner) != "T")
        assert time.monotonic() - ended >= 0.3  # not before the grace period
        assert 0.3 <= precedence.paused_for(spinner) < 5

        precedence.quick_started()
        assert eventually(lambda: state(spinner) == "T")
        precedence.ended(0, long=False)
        time.sleep(0.1)
        precedence.quick_started()  # a job that comes within the grace period keeps it paused
        time.sleep(0.4)
        assert state(spinner) == "T"
        precedence.ended(0, long=False)
        assert eventually(lambda: state(spinner) != "T")
    finally:
        precedence.close()


def test_a_long_job_that_starts_beside_quick_ones_is_paused_at_once(spinner):
    precedence = Precedence(grace=0.1)
    try:
        precedence.quick_started()
        precedence.quick_started()
        precedence.turned_long(spinner)
        assert eventually(lambda: state(spinner) == "T")
        assert proc_stat(spinner)[16] == "19"  # and at the lowest priority
        precedence.ended(spinner, long=True)  # unregistered: never signalled again
        precedence.ended(0, long=False)
        time.sleep(0.3)
        assert state(spinner) == "T"
    finally:
        precedence.close()


def test_a_job_that_starts_long_is_paused_by_quick_ones_without_ever_counting_as_one(spinner):
    precedence = Precedence(grace=0.1)
    try:
        precedence.started_long(spinner)  # no quick job in flight: it runs
        time.sleep(0.2)
        assert state(spinner) != "T" and proc_stat(spinner)[16] == "19"
        precedence.quick_started()
        assert eventually(lambda: state(spinner) == "T")
        precedence.ended(0, long=False)  # the only quick job: once it has ended, the long one continues
        assert eventually(lambda: state(spinner) != "T")
    finally:
        precedence.close()
