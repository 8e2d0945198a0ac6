"""`make screenshots`: a PNG of each page, from Debian's chromium against `kg serve` over a built store.

    python tests/browser/screenshots.py --store build/store --out build/screenshots
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser.harness import VIEWPORT, browser, load_time, serving  # noqa: E402

MAX_HEIGHT = 2400  # pixels: the top of a long page (the timeline) is enough to see it
PAGES = [  # (file name, path, what to wait for)
    ("home", "/", "#central"),
    ("search", "/entities?q=raj", "table"),
    ("entity", "/entities/person/maryam-rajavi", "#graph-panel[data-state]"),
    ("organization", "/entities/organization/ncri", "#graph-panel[data-state]"),
    ("event", "/event/003-db21955d681c2f35-txt/4169", "h1"),
    ("documents", "/documents", "table"),
    ("document", "/documents/003_db21955d681c2f35.txt", ".doc-text"),
    ("sparql", "/sparql", ".yasgui .CodeMirror"),
    ("results", "/sparql?query=" + "SELECT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name } LIMIT 10", "table"),
    ("timeline", "/timeline", ".timeline"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with serving(args.store) as url, browser() as chromium:
        page = chromium.new_page(viewport=VIEWPORT)
        for name, path, ready in PAGES:
            page.goto(url + path)
            page.wait_for_selector(ready, state="attached")
            if name == "sparql":
                page.click(".examples a:has-text('Paris')")
                page.wait_for_selector(".yasr table.dataTable tbody tr")
            seconds = load_time(page)
            target = args.out / f"{name}.png"
            height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
            page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": VIEWPORT["width"],
                                                                      "height": height})
            print(f"{target}  {path}  loaded in {seconds:.3f} s")


if __name__ == "__main__":
    main()
