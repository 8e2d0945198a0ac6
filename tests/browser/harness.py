"""Debian's chromium, driven by Playwright, against the real `kg serve` in a subprocess.

No browser is downloaded: Playwright launches /usr/bin/chromium (the Makefile's
system-deps installs it) with the flags this machine's closed network needs.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@contextlib.contextmanager
def serving(store: str, *extra: str) -> Iterator[str]:
    """`kg serve` over ``store`` on a free port; yields its base URL, stops it (and its workers) after."""
    kg = Path(sys.executable).parent / "kg"  # the installed command, as a user runs it
    process = subprocess.Popen([str(kg), "serve", "--store", store, "--port", "0", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = process.stdout.readline()
        if not first.startswith("newskg API on "):
            raise RuntimeError(f"kg serve did not start: {first}{process.stdout.read()}")
        yield first.split()[3].rstrip("/")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextlib.contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def load_time(page) -> float:
    """Seconds from navigation start to the load event of the page now shown (Navigation Timing)."""
    return page.evaluate("() => { const t = performance.getEntriesByType('navigation')[0]; "
                         "return (t.loadEventEnd - t.startTime) / 1000; }")
