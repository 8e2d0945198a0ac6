"""The pages end to end: Debian's headless chromium (Playwright) against `kg serve` over the seeds.

What the pages should show is asked of the store in the test (SPARQL), never copied from the
code under test. Page load times (Navigation Timing: start to the load event, in a fresh browser
context and then again with its cache) are written to build/browser-load-times.json for the
record; speed is not asserted here (bench/ is where speed is judged).
"""
from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from tests.browser.harness import VIEWPORT, browser, chromium_path, load_time, serving
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
BASE = "https://newskg.example/"
RAJAVI = BASE + "person/maryam-rajavi"
NCRI = BASE + "organization/ncri"
KINDS = "VALUES ?kind { schema:Person schema:Organization schema:Place schema:Event }"
RELATED = ("schema:memberOf|schema:worksFor|schema:affiliation|schema:founder|schema:parent|schema:children|"
           "schema:spouse|schema:sibling|schema:relatedTo|schema:attendee|schema:performer|schema:organizer|"
           "schema:location|schema:containedInPlace")
TIMED = ["/", "/entities?q=raj", "/entities/person/maryam-rajavi", "/entities/organization/ncri",
         "/documents", "/documents/003_db21955d681c2f35.txt", "/sparql", "/timeline"]


def neighbours(store, entity: str) -> set[str]:
    """Entities one step from ``entity``: named in one of its sentences, or related to it (directly, through
    a role, or by a quotation) — the edges the graph view draws."""
    rows = store.query(f"""SELECT DISTINCT ?n WHERE {{ {KINDS} ?n a ?kind . FILTER(?n != ?c)
        {{ ?m1 kg:mentionOf ?c ; kg:inSentence ?s . ?m2 kg:mentionOf ?n ; kg:inSentence ?s }}
        UNION {{ ?c {RELATED} ?n }} UNION {{ ?n {RELATED} ?c }}
        UNION {{ ?c schema:memberOf ?r . ?r a schema:OrganizationRole ; schema:memberOf ?n }}
        UNION {{ ?n schema:memberOf ?r . ?r a schema:OrganizationRole ; schema:memberOf ?c }}
        UNION {{ ?q schema:creator ?c ; schema:about ?n }} UNION {{ ?q schema:creator ?n ; schema:about ?c }}
        }}""".replace("?c", f"<{entity}>"))
    return {row["n"].value for row in rows}


@pytest.fixture(scope="module")
def site(seeds_built):
    if chromium_path() is None:
        pytest.fail("no chromium: `make system-deps` installs Debian's chromium")
    if not (ROOT / "api/static/vendor/cytoscape.min.js").exists():
        pytest.fail("the pages' npm libraries are missing: `make setup` installs them")
    settings, store, _ = seeds_built
    with serving(settings.store, "--query-workers", "1") as url, browser() as chromium:
        yield url, chromium, store


@pytest.fixture
def page(site):
    url, chromium, _ = site
    context = chromium.new_context(viewport=VIEWPORT)
    opened = context.new_page()
    opened.requested = []
    opened.errors = []
    opened.on("request", lambda request: opened.requested.append(request.url))
    opened.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    assert all(u.startswith(url) or u.startswith("data:") for u in opened.requested), \
        [u for u in opened.requested if not u.startswith(url)]  # nothing from a CDN or any other host
    assert not opened.errors
    context.close()


def test_search_a_person_with_suggestions_and_open_the_page(site, page):
    url, _, store = site
    page.goto(url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.locator("#q").press_sequentially("rajav", delay=30)
    suggestion = page.locator(".suggestions a", has_text="Maryam Rajavi")
    suggestion.wait_for()
    labels = {row["e"].value for row in store.query(
        "SELECT ?e WHERE { ?d schema:mentions ?e . { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n } "
        "FILTER(CONTAINS(LCASE(?n), 'rajav')) }")}
    assert page.locator(".suggestions a").count() == len(labels)
    page.locator("#q").press("ArrowDown")
    page.locator("#q").press("Enter")
    page.wait_for_url("**/entities/person/maryam-rajavi")
    assert page.locator("h1").inner_text() == "Maryam Rajavi"


def test_the_graph_shows_the_neighbours_the_store_has_and_expands_one(site, page):
    url, _, store = site
    page.goto(url + "/entities/person/maryam-rajavi")
    page.wait_for_selector("#graph-panel[data-state=ready]")
    nodes = set(page.evaluate("newskgGraph.nodes().map(n => n.id())"))
    assert nodes == neighbours(store, RAJAVI) | {RAJAVI}
    box = page.locator("#graph").bounding_box()
    for x, y in page.evaluate("newskgGraph.nodes().map(n => [n.renderedPosition().x, n.renderedPosition().y])"):
        assert 0 <= x <= box["width"] and 0 <= y <= box["height"]  # drawn inside the view

    edge = page.evaluate("(() => { const p = newskgGraph.edges()[0].renderedMidpoint(); return [p.x, p.y]; })()")
    page.mouse.move(box["x"] + edge[0], box["y"] + edge[1])
    tooltip = page.locator("#graph-tooltip")
    tooltip.locator("q").first.wait_for()  # the edge's sentences, fetched on the first hover
    sentences = {r["s"].value for r in store.query(f"""SELECT ?s WHERE {{
        {{ ?m kg:mentionOf <{RAJAVI}> ; kg:inSentence ?in }} UNION {{ ?st rdf:subject|rdf:object <{RAJAVI}> ;
        kg:inSentence ?in }} UNION {{ ?st rdf:subject <{RAJAVI}> ; rdf:object ?r . ?st2 rdf:subject ?r ;
        kg:inSentence ?in }}
        ?in kg:inDocument/schema:text ?text ; kg:startOffset ?from ; kg:endOffset ?to
        BIND(SUBSTR(?text, ?from + 1, ?to - ?from) AS ?s) }}""")}
    assert any(" ".join(s.split()) in " ".join(tooltip.inner_text().split()) for s in sentences)

    page.locator(f'#graph-nodes li[data-iri="{NCRI}"] button').click()
    page.wait_for_function(f"newskgGraph.getElementById('{NCRI}').hasClass('expanded')")
    expanded = set(page.evaluate("newskgGraph.nodes().map(n => n.id())"))
    assert expanded == nodes | neighbours(store, NCRI)

    page.uncheck("#graph-controls input[value=Event]")
    page.click("#graph-controls button[type=submit]")
    page.wait_for_function("newskgGraph.nodes().length > 0 && newskgGraph.nodes('[kind = \"Event\"]').length == 0")
    kinds = set(page.evaluate("newskgGraph.nodes().map(n => n.data('kind'))"))
    assert kinds and "Event" not in kinds

    ncri = page.evaluate(f"(() => {{ const p = newskgGraph.getElementById('{NCRI}').renderedPosition(); "
                         "return [p.x, p.y]; })()")
    page.mouse.click(box["x"] + ncri[0], box["y"] + ncri[1])
    page.wait_for_url("**/entities/organization/ncri")


def test_open_a_document_at_a_highlighted_mention(site, page):
    url, _, store = site
    page.goto(url + "/entities/person/maryam-rajavi")
    link = page.locator(".mentions a").first
    href = link.get_attribute("href")
    start, end = map(int, re.search(r"#m-(\d+)-(\d+)$", href).groups())
    link.click()
    page.wait_for_url(f"**{href}")
    target = page.locator(":target")
    assert "mention" in target.get_attribute("class") and "person" in target.get_attribute("class")
    form = store.query("SELECT ?text ?e ?s WHERE { ?m kg:mentionOf ?e ; kg:startOffset ?s ; "
                       "kg:inSentence/kg:inDocument/schema:text ?text }",
                       bindings={"e": ox.NamedNode(RAJAVI), "s": ox.Literal(str(start), datatype=ox.NamedNode(
                           "http://www.w3.org/2001/XMLSchema#integer"))})
    assert target.inner_text() == next(iter(form))["text"].value[start:end]
    assert target.is_visible() and target.bounding_box()["y"] < VIEWPORT["height"]
    assert target.get_attribute("href").endswith("/entities/person/maryam-rajavi")


def test_run_an_example_query_in_the_editor_and_see_rows(site, page):
    url, _, store = site
    page.goto(url + "/sparql")
    page.wait_for_selector(".yasgui .CodeMirror")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = next(q for q in re.findall(r"```sparql\n(.*?)```", readme, re.DOTALL) if "Paris" in q)
    expected = list(store.query(query))
    assert expected
    page.click(".examples a:has-text('Paris')")
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() == len(expected)
    event = page.locator(".yasr table.dataTable tbody a[href^='/event/']").first
    assert event.get_attribute("href") == "/" + expected[0]["event"].value.removeprefix(BASE) or \
        event.get_attribute("href").removeprefix("/") in {r["event"].value.removeprefix(BASE) for r in expected}
    csv = page.locator("#downloads a[data-format=csv]").get_attribute("href")
    assert "format=csv" in csv and "Paris" in csv
    page.get_by_label("Ellipse").uncheck()  # long IRIs in full: a click then follows the link
    event.click()
    page.wait_for_url("**/entities/event/**")
    assert page.locator("h1").inner_text()


def test_open_the_timeline_and_filter_it(site, page):
    url, _, store = site
    page.goto(url + "/timeline")
    dated = {r["e"].value for r in store.query("SELECT DISTINCT ?e WHERE { ?e a schema:Event ; schema:startDate ?d }")}
    assert page.locator(".years .timeline > li").count() == len(dated)
    page.select_option("select[name=type]", "https://newskg.example/ns#Rally")  # applies itself
    page.wait_for_url("**type=**")
    rallies = {r["e"].value for r in store.query("SELECT DISTINCT ?e WHERE { ?e a kg:Rally ; schema:startDate ?d }")}
    assert page.locator(".years .timeline > li").count() == len(rallies) > 0


def test_the_basics_work_without_javascript(site):
    url, chromium, store = site
    context = chromium.new_context(viewport=VIEWPORT, java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/entities/person/maryam-rajavi")
    assert page.locator("h1").inner_text() == "Maryam Rajavi"
    assert page.locator("a[href*='/documents/']").count() > 0
    page.goto(url + "/sparql")
    page.fill("#query", "SELECT ?p WHERE { ?p a schema:Person }")
    page.click("#query-form button")
    persons = len(list(store.query("SELECT ?p WHERE { ?p a schema:Person }")))
    assert page.locator("table.results tbody tr").count() == persons
    context.close()


CONTRAST = """(selector) => Array.from(document.querySelectorAll(selector)).slice(0, 20).map((el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                              return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let node = el, bg = null;
  while (node && !bg) { const c = getComputedStyle(node).backgroundColor; if (rgb(c)[3] !== 0 && c !== 'transparent') bg = c; node = node.parentElement; }
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(bg || 'rgb(255,255,255)'));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); })"""


@pytest.mark.parametrize("path, selectors", [
    ("/", ["body", "a", ".badge", ".muted", "small", ".top nav a", "button"]),
    ("/documents/003_db21955d681c2f35.txt", [".mention", ".doc-meta dt", ".legend .mention", ".doc-facts small"]),
    ("/timeline", ["time", ".badge", ".evidence", ".filters label"]),
])
def test_text_has_sufficient_contrast(site, page, path, selectors):
    url, _, _ = site
    page.goto(url + path)
    for selector in selectors:
        ratios = page.evaluate(CONTRAST, selector)
        assert ratios and min(ratios) >= 4.5, (selector, min(ratios))


def test_page_load_times_are_recorded(site):
    """Each page loaded in a fresh context (nothing cached), then three times more: seconds to the load event."""
    url, chromium, _ = site
    times = {}
    for path in TIMED:
        context = chromium.new_context(viewport=VIEWPORT)
        page = context.new_page()
        loads = []
        for _ in range(4):
            page.goto(url + path)
            loads.append(load_time(page))
        times[path] = {"first": round(loads[0], 3), "cached (median of 3)": round(sorted(loads[1:])[1], 3)}
        context.close()
    assert all(t["first"] > 0 for t in times.values())
    out = ROOT / "build" / "browser-load-times.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(times, indent=2))
