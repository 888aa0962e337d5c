"""The query page as the server renders it: editor, the ten example questions answered, results table with links,
downloads; YASGUI's configuration, its files and the page's Content-Security-Policy."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from rdflib.query import Result

import lod_pub.web
from lod_pub.vocab import PREFIXES
from lod_pub.web.sparql.examples import EXAMPLES

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def answer(client, text: str) -> list[dict[str, str]]:
    response = client.get("/sparql", query_string={"query": text, "format": "json"})
    assert response.status_code == 200, response.data
    result = Result.parse(io.BytesIO(response.data), format="json")
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]


EXPECTED = {
    0: lambda rows: [(r["date"], r["place"], r["city"]) for r in rows] == [
        ("2021-10-20", "Foreign Office, Islamabad", "Islamabad")],
    1: lambda rows: [(r["leader"], r["post"]) for r in rows] == [
        ("Stefano Pontecorvo", "NATO Senior Civil Representative to Afghanistan")],
    2: lambda rows: [(r["topic"], r["description"]) for r in rows] == [
        ("Afghanistan", "A discussion on emerging developments in Afghanistan.")],
    3: lambda rows: sorted(r["verb"] for r in rows) == ["added", "added", "highlighted", "shared", "stated",
                                                        "underscored"] and all(r["text"] in r["quote"] for r in rows),
    4: lambda rows: sorted((r["publisher"], r["date"]) for r in rows) == [
        ("The Diplomatic Insight", "2021-10-21"), ("Wikinews", "2019-01-24")],
    5: lambda rows: [r["name"] for r in rows] == [
        "Assault on Ghazni, August 2018",
        "Car bomb attack on the National Directorate of Security training centre in Maidan Shahr",
        "Car bombing in Kabul, January 2019",
        "Evacuation of NATO personnel from Kabul",
        "Evacuation of diplomatic personnel and embassy staff from Afghanistan",
        "International Security Assistance Force", "Resolute Support Mission"],
    6: lambda rows: [(r["name"], r["post"]) for r in rows] == [
        ("Abdurrahman Mangal", "Spokesperson for the Governor of Maidan Wardak"),
        ("Qamar Javed Bajwa", "Chief of Army Staff of Pakistan"),
        ("Sohail Mahmood", "Foreign Secretary of Pakistan"),
        ("Stefano Pontecorvo", "NATO Senior Civil Representative to Afghanistan"),
        ("Zabiullah Mujahid", "Taliban spokesperson"),
        ("Zalmay Khalilzad", "US peace envoy for Afghanistan")],
    7: lambda rows: [r["name"] for r in rows] == [
        "Meeting of Ambassador Stefano Pontecorvo with General Qamar Javed Bajwa",
        "Meeting of Foreign Secretary Sohail Mahmood with the NATO delegation"],
    8: lambda rows: [r["quote"] for r in rows] == [
        "He added Pakistan facilitated the successful evacuation of diplomatic personnel and embassy staff "
        "from Afghanistan."],
    9: lambda rows: len(rows) == 12 and {r["title"] for r in rows} == {
        "Pakistan's Foreign Secretary meets a NATO delegation"} and "NATO Brussels Summit 2021" in {
        r["name"] for r in rows},
}


@pytest.mark.parametrize("number", range(10))
def test_each_example_answers_its_question(client, number):
    from lod_pub.web.sparql.endpoint import prologue

    title, text = EXAMPLES[number]
    assert EXPECTED[number](answer(client, prologue() + text)), title


def test_the_page_has_the_editor_with_prefixes_and_the_examples(client):
    response = client.get("/sparql", headers=BROWSER)
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    page = response.data.decode()
    editor = unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))
    assert "PREFIX schema: <http://schema.org/>" in editor and "PREFIX dip:" in editor
    links = re.findall(r'<li><a href="(/sparql\?query=[^"]+)">', page)
    assert len(links) == 10
    assert "default graph is the union of all graphs" in page and "GRAPH ?g" in page
    assert "https://" not in re.sub(r"<code>[^<]*</code>|href=\"https://[^\"]*\"", "", page.split("<body>")[0])
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)  # nothing from a CDN


def test_an_example_link_runs_and_shows_a_table_linking_iris_to_their_pages(client):
    page = client.get("/sparql", headers=BROWSER).data.decode()
    first = unescape(re.search(r'<li><a href="(/sparql\?query=[^"]+)">', page).group(1))
    response = client.get(first, headers=BROWSER)
    html = response.data.decode()
    assert response.status_code == 200 and "<table>" in html
    assert '<a href="/id/event/meeting-fs-nato-delegation-2021-10-20">' in html
    assert "Foreign Office, Islamabad" in html and "<small>@en</small>" in html
    downloads = re.findall(r'<a href="([^"]+)" type="([^"]+)">', html)
    assert [t for _, t in downloads] == ["application/sparql-results+json", "application/sparql-results+xml",
                                         "text/csv", "text/tab-separated-values"]
    for href, media in downloads:
        got = client.get(unescape(href))
        assert got.status_code == 200 and got.content_type.startswith(media)


def test_a_construct_in_the_page_and_its_downloads(client):
    query = "CONSTRUCT { ?s schema:name ?n } WHERE { ?s a schema:Person ; schema:name ?n }"
    html = client.get("/sparql", query_string={"query": query}, headers=BROWSER).data.decode()
    assert "<th scope=\"col\">?subject</th>" in html and "Sohail Mahmood" in html
    types = re.findall(r'<a href="[^"]+" type="([^"]+)">', html)
    assert types == ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]


def test_truncation_is_noted_on_the_page(make_app):
    client = make_app(SPARQL_HTML_ROWS=3, SPARQL_WORKERS=1).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=BROWSER)
    assert "Truncated" in response.data.decode() and response.headers["X-SPARQL-Truncated"] == "true"
    assert response.data.decode().count("<tr>") == 4  # header and three rows


def test_errors_show_in_the_page_escaped(client):
    query = 'SELECT * WHERE { ?s ?p "<script>alert(1)</script>" '
    response = client.get("/sparql", query_string={"query": query}, headers=BROWSER)
    assert response.status_code == 400
    html = response.data.decode()
    assert "malformed query" in html and "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the query is back in the editor, escaped


def test_values_are_escaped_and_only_web_iris_are_links(client):
    query = """SELECT ?x ?y WHERE { BIND("<b>bold</b>" AS ?x) BIND(IRI("javascript:alert(1)") AS ?y) }"""
    html = client.get("/sparql", query_string={"query": query}, headers=BROWSER).data.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold" not in html
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html


def test_ask_in_the_page(client):
    html = client.get("/sparql", query_string={"query": "ASK { ?s a schema:Event }"}, headers=BROWSER).data
    assert b"yes (true)" in html


def test_static_files_are_served(client):
    for name in ("sparql.js", "sparql.css", "yasgui/yasgui.min.js", "yasgui/yasgui.min.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        response.close()


YASGUI = Path(lod_pub.web.__file__).parent / "static" / "yasgui"


def test_the_page_configures_yasgui_from_the_release(client):
    html = client.get("/sparql", headers=BROWSER).data.decode()
    page = json.loads(unescape(re.search(r'<script type="application/json" id="sparql-page">(.*?)</script>', html,
                                         re.S).group(1)))
    assert page["endpoint"] == "/sparql" and page["root"] == "" and page["base"] == "https://lod.example.org/"
    assert page["prefixes"] == PREFIXES
    assert [title for title, _ in page["examples"]] == [title for title, _ in EXAMPLES]
    assert page["query"] == page["examples"][0][1] and page["submitted"] is False
    scripts = re.findall(r'<script src="([^"]+)"></script>', html)
    assert scripts == ["/static/yasgui/yasgui.min.js", "/static/sparql.js"]
    assert '<form method="post" action="/sparql" class="sparql-form">' in html  # long queries: no 414


def test_the_page_allows_only_its_own_origin(client):
    """The query page's Content-Security-Policy: this origin only; the one inline stylesheet allowed is the one
    YASGUI's column resizer adds, by its hash (a new YASGUI whose stylesheet changed fails here)."""
    html = client.get("/sparql", headers=BROWSER).data.decode()
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
    bundle = (YASGUI / "yasgui.min.js").read_text(encoding="utf-8")
    literal = re.search(r'createStyle\(\w,("(?:[^"\\]|\\.)*")\)', bundle).group(1)
    digest = base64.b64encode(hashlib.sha256(json.loads(literal).encode()).digest()).decode()
    assert rules == {"default-src": "'self'", "script-src": "'self'", "style-src": f"'self' 'sha256-{digest}'",
                     "img-src": "'self' data:", "font-src": "'self'", "connect-src": "'self'",
                     "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'"}


def test_yasgui_is_vendored_with_its_licence_and_origin():
    assert "MIT License" in (YASGUI / "LICENSE.txt").read_text()
    readme = (YASGUI / "README.md").read_text()
    assert "@triply/yasgui" in readme and "4.2.28" in readme and "MIT" in readme
    assert sorted(p.name for p in YASGUI.iterdir()) == ["LICENSE.txt", "README.md", "THIRD-PARTY-NOTICES.txt",
                                                         "yasgui.min.css", "yasgui.min.js"]
    css = (YASGUI / "yasgui.min.css").read_text(encoding="utf-8")
    assert not re.search(r"url\((?!\s*[\"']?data:)", css) and "@import" not in css  # no fonts or images fetched


def test_the_form_posts_and_gets_the_results_page(client):
    """Without JavaScript the form sends POST (a long query fits no request line), and gets the table."""
    query = "SELECT ?p WHERE { ?p a schema:Person ; schema:name \"Sohail Mahmood\"@en }" + " " * 8000
    response = client.post("/sparql", data={"query": query, "format": "html"}, headers=BROWSER)
    html = response.data.decode()
    assert response.status_code == 200 and '<a href="/id/person/sohail-mahmood">' in html
    page = json.loads(unescape(re.search(r'id="sparql-page">(.*?)</script>', html, re.S).group(1)))
    assert page["submitted"] is True and page["query"] == query


def test_json_of_a_result_is_valid_even_with_unusual_characters(client):
    query = r'SELECT ?x WHERE { BIND("tab\t quote\" backslash\\ newline\n \u2028 null?" AS ?x) }'
    data = json.loads(client.get("/sparql", query_string={"query": query, "format": "json"}).data)
    assert data["results"]["bindings"][0]["x"]["value"] == 'tab\t quote" backslash\\ newline\n \u2028 null?'


def test_the_page_states_the_service_policy(make_app):
    html = make_app(SPARQL_WORKERS=1).test_client().get("/sparql", headers=BROWSER).data.decode()
    assert "<code>SERVICE</code> is off." in html
    allowed = make_app(SPARQL_WORKERS=1, SPARQL_SERVICE_ALLOW=("https://query.wikidata.org/sparql",))
    html = allowed.test_client().get("/sparql", headers=BROWSER).data.decode()
    assert "may call only <code>https://query.wikidata.org/sparql</code>" in html
