"""The query page in a real browser (Debian's chromium): examples, Ctrl+Enter, links, nothing from elsewhere."""

from __future__ import annotations

import tempfile


from helpers import CHROMIUM, needs_browser

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@needs_browser
def test_a_user_runs_an_example_edits_it_and_follows_a_link(live, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    site = live.url.rsplit("/", 1)[0]
    requested: list[str] = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.set_default_timeout(30_000)  # a loaded CI machine
            expect.set_options(timeout=30_000)
            page.on("request", lambda request: requested.append(request.url))
            page.goto(live.url)
            editor = page.get_by_label("Query")
            expect(editor).to_contain_text("PREFIX schema: <http://schema.org/>")
            page.get_by_role("link", name="When and where did Sohail Mahmood meet the NATO delegation?").click()
            table = page.locator(".sparql-results table")
            expect(table).to_contain_text("Foreign Office, Islamabad")
            expect(table.get_by_role("link", name="Islamabad")).to_have_count(0)  # a literal is not a link
            page.wait_for_load_state("load")  # the page's script (Ctrl+Enter) is attached once it has loaded
            editor.fill("SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name")
            editor.press("Control+Enter")
            expect(page.locator(".sparql-results table tbody tr")).to_have_count(7)
            expect(page.locator(".sparql-results")).to_contain_text("Sohail Mahmood")
            page.screenshot(path=str(tmp_path / "sparql-page.png"), full_page=True)
            editor.fill("SELECT ?p WHERE { ?p a schema:Person } ORDER BY ?p LIMIT 1")
            editor.press("Control+Enter")
            link = page.locator(".sparql-results table a").first
            assert link.get_attribute("href").startswith("/id/person/")
        finally:
            expect.set_options(timeout=5_000)  # playwright's default, for the tests that follow
            browser.close()
    web = [url for url in requested if url.startswith(("http:", "https:", "ws:", "wss:"))]
    assert web and all(url.startswith(site) for url in web), web
