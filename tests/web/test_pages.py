"""Pages of the sample release read as a reader expects: the shapes (sh:or, sh:in, sh:sparql, paths), the
dataset card (/void), near misses on /id/ and /doc/ (redirected or suggested), the icon, the sitemap."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET


def html(client, path: str):
    return client.get(path, headers={"Accept": "text/html"})


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_shapes_show_their_rules_not_blank_nodes(client):
    page = text(html(client, "/ns/dip-shapes"))
    assert "[ ]" not in page and "_:" not in page
    assert "any one of class schema:Person class schema:Organization" in page  # sh:or of two shapes
    assert "one of the values schema:EventScheduled" in page                  # sh:in, its members
    assert "SPARQL rule" in page and "SELECT $this WHERE" in page              # sh:sparql: message and query
    assert "path schema:name" in page


def test_the_dataset_page_is_a_card(client, release):
    response = html(client, "/void")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and re.search(r"<h1[^>]*>[^<]*lod-pub", body)
    page = text(response)
    assert "CC BY 4.0" in page and "Licence" in page
    assert "_:" not in page and "dataset dataset" not in page.lower()
    for dump in release.manifest["dumps"]:
        assert dump["name"] in page and dump["sha256"] in page
    assert "Classes" in page and "Resources" in page


def test_a_trailing_slash_is_redirected(client):
    response = client.get("/doc/person/sohail-mahmood/?page=1")
    assert response.status_code == 301 and response.headers["Location"].endswith("/doc/person/sohail-mahmood?page=1")


def test_an_extension_on_a_thing_leads_to_its_document(client):
    response = client.get("/id/person/sohail-mahmood.ttl")
    assert response.status_code == 303 and response.headers["Location"].endswith("/doc/person/sohail-mahmood.ttl")


def test_near_misses_are_suggested(client):
    for path in ("/doc/person/Sohail-Mahmood", "/doc/Person/sohail-mahmood", "/doc/person/sohail-mahmod",
                 "/id/person/sohail-mahmood.json"):
        response = html(client, path)
        assert response.status_code == 404, path
        assert 'href="/doc/person/sohail-mahmood"' in response.get_data(as_text=True), path
    assert "Did you mean" not in text(html(client, "/doc/person/zzzzzz"))


def test_the_site_has_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.get_data()[:4] == b"\0\0\1\0"
    response.close()
    assert 'rel="icon"' in html(client, "/").get_data(as_text=True)
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.get_data()
    svg.close()


def test_the_sitemap_lists_no_fragments(client):
    response = client.get("/sitemap.xml")
    locs = [e.text or "" for e in ET.fromstring(response.data).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and not [loc for loc in locs if "#" in loc]
