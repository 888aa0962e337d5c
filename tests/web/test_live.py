"""Real servers: gunicorn with two workers, `lod-pub serve` building first, and a real browser."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from helpers import CHROMIUM, needs_browser
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))  # servers: starts and stops them
import servers  # noqa: E402

BIN = Path(sys.executable).parent

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_gunicorn_two_workers_serve_pages(gunicorn_server):
    url, proc = gunicorn_server
    workers = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert len(workers) == 2
    for _ in range(4):  # several requests, so both workers are likely to answer one
        response = requests.get(url + "/id/person/sohail-mahmood", headers={"Accept": "text/turtle"}, timeout=10)
        assert response.status_code == 200 and "Sohail Mahmood" in response.text
        assert response.history[0].status_code == 303
    page = requests.get(url + "/", timeout=10)
    assert page.status_code == 200 and "What the dataset holds" in page.text


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"  # a zombie is dead too
    except OSError:
        return False


@pytest.mark.slow
def test_granian_serves_documents_sparql_and_dumps_and_leaves_no_process(settings, release, tmp_path):
    """granian (docs/deploy.md) with two workers: a 303 to a negotiated document, a SPARQL query in a query
    process, a dump by range; once stopped by its pid, none of its processes, query processes included, is left."""
    if shutil.which("granian", path=str(BIN)) is None:
        pytest.skip("granian is not installed (pip install -e '.[test]')")
    port, log = servers.free_port(), tmp_path / "granian.log"
    proc = servers.start([str(BIN / "granian"), "--interface", "wsgi", "--workers", "2", "--blocking-threads", "8",
                          "--no-ws", "--host", "127.0.0.1", "--port", str(port), "lod_pub.web.wsgi:app"],
                         log=log, env={"LOD_PUB_DATA_DIR": str(settings.data_dir)})
    url = f"http://127.0.0.1:{port}"
    try:
        servers.wait_answering(port, "/robots.txt", proc, 60)
        document = requests.get(url + "/id/person/sohail-mahmood", headers={"Accept": "text/turtle"}, timeout=30)
        assert document.history[0].status_code == 303 and document.status_code == 200
        assert 'schema:name "Sohail Mahmood"@en' in document.text
        for _ in range(4):  # several, so that both workers are likely to start their query pools
            answer = requests.post(url + "/sparql", data={"query": "ASK { ?s a <http://schema.org/Person> }"},
                                   headers={"Accept": "application/sparql-results+json"}, timeout=30)
            assert answer.status_code == 200 and answer.json()["boolean"] is True
        dump = release.manifest["dumps"][0]
        part = requests.get(f"{url}/dumps/{dump['name']}", headers={"Range": "bytes=10-99"}, timeout=30)
        assert part.status_code == 206 and len(part.content) == 90
        assert part.headers["Content-Range"] == f"bytes 10-99/{dump['size']}"
        started = servers.descendants(proc.pid)
        assert any("lod_pub.web.sparql.worker" in servers.command(pid) for pid in started)  # the query processes
    finally:
        servers.stop(proc)
    assert "Traceback" not in log.read_text(errors="replace")
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in started if _alive(pid)] == []


def test_rdf_clients_follow_the_303(gunicorn_server, store, release):
    from rdflib import Graph, Literal, URIRef

    url, _ = gunicorn_server
    thing = URIRef("https://lod.example.org/id/person/sohail-mahmood")
    name = Literal("Sohail Mahmood", lang="en")
    for fmt in (None, "turtle", "xml", "json-ld", "nt"):
        g = Graph().parse(url + "/id/person/sohail-mahmood", format=fmt)
        assert (thing, URIRef("http://schema.org/name"), name) in g, fmt
    entities = {q.subject.value for q in store if q.subject.value.startswith(release.base + "id/")}
    for iri in sorted(entities):  # every entity, as rdflib's default Accept asks for it
        g = Graph().parse(url + iri[len(release.base) - 1:])
        assert (URIRef(iri), None, None) in g, iri


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper is not installed (.ci/setup: raptor2-utils)")
def test_rapper_follows_the_303(gunicorn_server):
    url, _ = gunicorn_server
    out = subprocess.run(["rapper", "-q", "-g", "-o", "ntriples", url + "/id/person/sohail-mahmood"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert '<https://lod.example.org/id/person/sohail-mahmood> <http://schema.org/name> "Sohail Mahmood"@en .' \
        in out.stdout


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_follows_the_303_to_turtle(gunicorn_server):
    url, _ = gunicorn_server
    out = subprocess.run(["curl", "-sSL", "-D", "-", url + "/id/person/sohail-mahmood"], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    assert "HTTP/1.1 303" in out.stdout and "HTTP/1.1 200" in out.stdout
    assert "content-type: text/turtle" in out.stdout.lower()
    assert 'schema:name "Sohail Mahmood"@en' in out.stdout


def test_serve_builds_first_when_there_is_no_release(project_copy, tmp_path, start_server):
    url = start_server([str(BIN / "lod-pub"), "serve", "--project", str(project_copy), "--data-dir", str(tmp_path / "var")])
    response = requests.get(f"{url}/doc/organization/nato", headers={"Accept": "*/*"}, timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    assert (tmp_path / "var" / "current").is_symlink()


@needs_browser
def test_browser_searches_follows_and_reads(gunicorn_server):
    from playwright.sync_api import expect, sync_playwright

    url, _ = gunicorn_server
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.goto(url + "/")
            expect(page.get_by_role("heading", name="What the dataset holds")).to_be_visible()
            page.get_by_label("Name contains").fill("Mahmood")
            page.get_by_label("Name contains").press("Enter")
            page.get_by_role("link", name="Sohail Mahmood").first.click()
            expect(page).to_have_url(url + "/doc/person/sohail-mahmood")
            expect(page.get_by_role("heading", level=1)).to_have_text("Sohail Mahmood")
            incoming = page.get_by_role("region", name="Links to Sohail Mahmood")
            expect(incoming.get_by_role("link", name="Meeting of Foreign Secretary Sohail Mahmood with the NATO delegation",
                                                  exact=True)) \
                .to_be_visible()
            script = page.locator('script[type="application/ld+json"]')
            expect(script).to_have_count(1)
            data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
            assert any(node.get("name") == "Sohail Mahmood" for node in data["@graph"])
            page.get_by_role("link", name="Pakistan's Foreign Secretary meets a NATO delegation").first.click()
            expect(page.locator("mark").first).to_be_visible()
        finally:
            browser.close()
