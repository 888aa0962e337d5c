"""The query page in a real browser (Debian's chromium), served by gunicorn as docs/deploy.md runs it: YASGUI from
the package with nothing fetched from elsewhere, an example run, a 10,000-character query sent as POST under
gunicorn's request-line cap, result IRIs linked to the site's pages, a chart; and the page with JavaScript off."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
import requests

from helpers import CHROMIUM, needs_browser

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))  # servers: starts gunicorn
import servers  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST = "When and where did Sohail Mahmood meet the NATO delegation?"
MEETING = "/id/event/meeting-fs-nato-delegation-2021-10-20"
ROWS = ".tabPanel.active .yasr_results table.dataTable tbody tr"

pytestmark = [needs_browser, pytest.mark.slow]


def long_query(size: int = 10_000) -> str:
    """A SELECT of exactly size characters: a long VALUES list of names, one of which is in the data."""
    head = 'SELECT ?person ?name WHERE { VALUES ?name { "Sohail Mahmood"@en '
    tail = "} ?person <http://schema.org/name> ?name }"
    names, i = "", 0
    while len(head) + len(names) + len(tail) + 20 < size:
        names += f'"name {i:05d}"@en '
        i += 1
    query = head + names.ljust(size - len(head) - len(tail)) + tail
    assert len(query) == size
    return query


@pytest.fixture(scope="module")
def site(release, settings, tmp_path_factory) -> Iterator[str]:
    """gunicorn -w 2 -k gthread over the sample release on a free loopback port (benchmarks/servers.py, as
    docs/deploy.md runs it); stopped by its pid."""
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("gunicorn is not installed (pip install -e '.[test]')")
    log = tmp_path_factory.mktemp("browser-gunicorn") / "server.log"
    url, proc = servers.start_gunicorn(settings.data_dir, env={"LOD_PUB_SPARQL_TIMEOUT": "30"}, log=log)
    try:
        yield url
    finally:
        servers.stop(proc)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        expect.set_options(timeout=30_000)  # a loaded CI machine
        try:
            yield browser
        finally:
            expect.set_options(timeout=5_000)  # playwright's default, for the tests that follow
            browser.close()


@dataclass
class Visit:
    """A page in a fresh browser context (no stored state), with every request it made and every console
    message it printed."""

    page: Any
    requests: list[Any] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def posts(self) -> list[Any]:
        return [r for r in self.requests if r.method == "POST"]


def visit(chromium: Any, javascript: bool = True) -> Visit:
    context = chromium.new_context(java_script_enabled=javascript)
    seen = Visit(context.new_page())
    seen.page.set_default_timeout(30_000)
    seen.page.on("request", lambda request: seen.requests.append(request))
    seen.page.on("console", lambda message: seen.console.append(f"{message.type}: {message.text}"))
    seen.page.on("pageerror", lambda error: seen.console.append(f"pageerror: {error}"))
    return seen


@pytest.fixture()
def browser_page(chromium, site) -> Iterator[Visit]:
    """The query page loaded with YASGUI ready."""
    from playwright.sync_api import expect

    seen = visit(chromium)
    seen.page.goto(site + "/sparql")
    expect(seen.page.locator(".tabPanel.active .yasqe .CodeMirror")).to_be_visible()
    yield seen
    seen.page.context.close()


def run(seen: Visit, query: str, site: str) -> Any:
    """Type the query into YASGUI's editor, run it with Ctrl+Enter; the request it sent."""
    page = seen.page
    page.locator(".tabPanel.active .yasqe .CodeMirror").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(query)
    with page.expect_response(lambda r: r.url == site + "/sparql" and r.request.method == "POST") as answer:
        page.keyboard.press("Control+Enter")
    assert answer.value.status == 200, answer.value.text()
    return answer.value.request


def test_yasgui_comes_from_the_package_and_nothing_leaves_the_site(browser_page, site):
    from playwright.sync_api import expect

    page = browser_page.page
    expect(page.locator(".sparql-form")).to_be_hidden()  # the no-JS form gives way to YASGUI
    expect(page.locator(".tabPanel.active .yasqe")).to_contain_text("SELECT ?meeting ?date ?place ?city")
    editor = page.locator(".tabPanel.active .yasqe .CodeMirror")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("PREFIX sch")  # prefix completion: the data's prefixes, not prefix.cc
    page.keyboard.press("Control+Space")
    expect(page.locator(".CodeMirror-hints")).to_contain_text("schema: <http://schema.org/>")
    page.keyboard.press("Escape")
    page.keyboard.type(">\nSELECT * WHERE { ?s a schema:Pe")  # class completion would ask LOV: it is off
    page.wait_for_timeout(1000)
    urls = [r.url for r in browser_page.requests]
    assert site + "/static/yasgui/yasgui.min.js" in urls and site + "/static/yasgui/yasgui.min.css" in urls
    assert all(url.startswith(site + "/") for url in urls), urls
    assert not [m for m in browser_page.console if "Content Security Policy" in m], browser_page.console
    assert not [m for m in browser_page.console if m.startswith("pageerror")], browser_page.console


def test_an_example_runs_and_its_iri_links_to_the_resource_page(browser_page, site):
    from playwright.sync_api import expect

    page = browser_page.page
    with page.expect_response(lambda r: r.url == site + "/sparql" and r.request.method == "POST") as answer:
        page.get_by_role("link", name=FIRST).click()
    assert answer.value.status == 200
    rows = page.locator(ROWS)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Foreign Office, Islamabad")
    expect(rows.get_by_role("link", name="Islamabad")).to_have_count(0)  # a literal is not a link
    link = rows.locator(f'a[href="{MEETING}"]')
    expect(link).to_have_count(1)
    assert link.get_attribute("target") is None  # the site's own page opens here
    with page.expect_navigation():
        link.click()
    assert site + MEETING in [r.url for r in browser_page.requests]  # the IRI's page (303 to its document)
    expect(page.locator("h1")).to_have_text("Meeting of Foreign Secretary Sohail Mahmood with the NATO delegation")
    assert page.url.startswith(site) and all(r.url.startswith(site + "/") for r in browser_page.requests)


def test_a_link_to_a_query_opens_it_in_a_new_tab_and_runs_it(browser_page, site):
    from playwright.sync_api import expect

    page = browser_page.page
    query = "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name"
    page.goto(site + "/sparql?" + urlencode({"query": query, "format": "html"}))  # as the share button makes it
    expect(page.locator(ROWS)).to_have_count(7)
    expect(page.locator(".tabsList .tab span")).to_have_text(["Query", "Query 1"])  # the first tab keeps its query
    expect(page.locator(".sparql-results")).to_be_hidden()  # the server's table gives way to YASGUI's
    assert [parse_qs(r.post_data)["query"] for r in browser_page.posts()] == [[query]]


def test_a_10000_character_query_is_posted_and_answered_under_gunicorn(browser_page, site, tmp_path):
    from playwright.sync_api import expect

    query = long_query()
    refused = requests.get(site + "/sparql", params={"query": query}, timeout=30)
    assert refused.status_code == 414  # gunicorn's own cap on the request line: why the page sends POST
    sent = run(browser_page, query, site)
    assert sent.method == "POST" and sent.url == site + "/sparql"
    assert parse_qs(sent.post_data)["query"] == [query]
    rows = browser_page.page.locator(ROWS)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Sohail Mahmood")
    expect(rows.locator('a[href="/id/person/sohail-mahmood"]')).to_have_count(1)
    browser_page.page.screenshot(path=str(tmp_path / "sparql-page.png"), full_page=True)


def test_values_are_escaped_and_only_web_iris_are_links(browser_page, site):
    from playwright.sync_api import expect

    run(browser_page, 'SELECT ?x ?y ?z WHERE { BIND("<b>bold</b>" AS ?x) BIND(IRI("javascript:alert(1)") AS ?y) '
                      'BIND(IRI("https://example.org/it\'s") AS ?z) }', site)
    rows = browser_page.page.locator(ROWS)
    expect(rows).to_contain_text("<b>bold</b>")
    expect(rows).to_contain_text("javascript:alert(1)")
    assert rows.locator("b").count() == 0 and rows.locator('a[href^="javascript:"]').count() == 0
    away = rows.locator('a[href="https://example.org/it\'s"]')
    expect(away).to_have_count(1)
    assert away.get_attribute("target") == "_blank" and away.get_attribute("rel") == "noopener noreferrer"


def test_a_count_is_drawn_as_a_chart(browser_page, site):
    from playwright.sync_api import expect

    query = "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) ?type LIMIT 5"
    run(browser_page, query, site)
    page = browser_page.page
    page.get_by_role("button", name="Shows Chart view").click()
    chart = page.locator(".tabPanel.active .sparql-chart svg.bars")
    expect(chart.locator("g.bar")).to_have_count(5)
    expect(chart).to_have_attribute("aria-label", "Bar chart of ?n by ?type")
    answer = requests.post(site + "/sparql", data={"query": query, "format": "json"}, timeout=30).json()
    counts = [row["n"]["value"] for row in answer["results"]["bindings"]]
    titles = chart.locator("g.bar title").all_text_contents()
    assert [title.rsplit(": ", 1)[1] for title in titles] == counts and all(":" in t.split(": ")[0] for t in titles)
    assert all(r.url.startswith(site + "/") for r in browser_page.requests)


def test_without_javascript_the_form_posts_a_long_query_and_shows_the_table(chromium, site):
    from playwright.sync_api import expect

    seen = visit(chromium, javascript=False)
    try:
        page = seen.page
        page.goto(site + "/sparql")
        expect(page.locator("#yasgui")).to_be_hidden()
        page.get_by_label("Query").fill(long_query())
        page.get_by_role("button", name="Run query").click()
        table = page.locator(".sparql-results table")
        expect(table).to_contain_text("Sohail Mahmood")
        expect(table.locator('a[href="/id/person/sohail-mahmood"]')).to_have_count(1)
        assert [r.url for r in seen.posts()] == [site + "/sparql"]
        assert all(r.url.startswith(site + "/") for r in seen.requests)
    finally:
        seen.page.context.close()


def test_when_yasgui_does_not_load_the_form_stays_and_ctrl_enter_runs_it(chromium, site):
    from playwright.sync_api import expect

    seen = visit(chromium)
    try:
        page = seen.page
        page.route("**/static/yasgui/yasgui.min.js", lambda route: route.abort())
        page.goto(site + "/sparql")
        expect(page.locator("#yasgui")).to_be_hidden()
        editor = page.get_by_label("Query")
        editor.fill("SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name")
        with page.expect_navigation():
            editor.press("Control+Enter")
        expect(page.locator(".sparql-results table tbody tr")).to_have_count(7)
        assert [r.url for r in seen.posts()] == [site + "/sparql"]
    finally:
        seen.page.context.close()
