"""Dumps, the dataset description, the sitemap and the context, served as files."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, VOID

SPDX = "http://spdx.org/rdf/terms#"


def get(client, url: str, **kw):
    """GET and close: a file answer keeps its file open until its response is closed."""
    response = client.get(url, **kw)
    response.get_data()
    response.close()
    return response


def dumps_of(release) -> list[dict]:
    return release.manifest["dumps"]


def test_dumps_served_with_type_length_etag_and_disposition(client, release):
    for dump in dumps_of(release) + release.manifest["parts"]:
        response = get(client, f"/dumps/{dump['name']}")
        assert response.status_code == 200, dump["name"]
        assert response.headers["Content-Type"].split(";")[0] == dump["media_type"]
        assert int(response.headers["Content-Length"]) == dump["size"] == len(response.data)
        assert hashlib.sha256(response.data).hexdigest() == dump["sha256"]
        assert response.headers["ETag"] == f'"{dump["sha256"]}"'
        assert f'filename={dump["name"].rsplit("/", 1)[-1]}' in response.headers["Content-Disposition"]
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_dump_conditional_get_and_ranges(client, release):
    dump = dumps_of(release)[0]
    url = f"/dumps/{dump['name']}"
    whole = get(client, url).data
    assert get(client, url, headers={"If-None-Match": f'"{dump["sha256"]}"'}).status_code == 304
    part = get(client, url, headers={"Range": "bytes=10-99"})
    assert part.status_code == 206
    assert part.data == whole[10:100]
    assert part.headers["Content-Range"] == f"bytes 10-99/{dump['size']}"
    assert get(client, url, headers={"Range": f"bytes={dump['size'] + 10}-"}).status_code == 416


@pytest.mark.parametrize("name", ["nope.ttl", "..%2Fmanifest.json", "manifest.json", "%2Fetc%2Fpasswd", "graph.nq",
                                  "parts/9999.nq.gz", "parts/..%2F..%2Fmanifest.json", "parts/0000.nq"])
def test_only_listed_dumps_are_served(client, name):
    assert get(client, f"/dumps/{name}").status_code == 404


def test_checksum_list_names_every_dump_whole_and_parts(client, release):
    response = get(client, "/dumps/SHA256SUMS")
    assert response.headers["Content-Type"].startswith("text/plain")
    listed = dict(reversed(line.split("  ")) for line in response.data.decode().splitlines())
    assert listed == {d["name"]: d["sha256"] for d in dumps_of(release) + release.manifest["parts"]}
    assert {"graph.nq.gz", "graph.ttl.gz", "graph.jsonld.gz", "parts/0000.nq.gz"} <= set(listed)


def test_dump_listing_names_size_and_checksum(client, release):
    for page in ("/dumps/", "/"):
        html = get(client, page).data.decode()
        for dump in dumps_of(release):
            assert dump["name"] in html and dump["sha256"] in html


@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
def test_void_lists_dumps_with_size_and_checksum(client, release, path):
    response = get(client, path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and "Accept" in response.headers["Vary"]
    g = Graph().parse(data=response.data, format="turtle")
    assert isomorphic(g, Graph().parse(release.file("void.ttl"), format="turtle"))
    sizes = {str(g.value(d, DCAT.downloadURL)).rsplit("/", 1)[-1]: int(g.value(d, DCAT.byteSize))
             for d in g.subjects(DCAT.downloadURL, None)}
    for dump in dumps_of(release):
        assert sizes[dump["name"]] == dump["size"]
    checksums = {str(v) for v in g.objects(None, URIRef(SPDX + "checksumValue"))}
    assert {d["sha256"] for d in dumps_of(release)} <= checksums
    assert any(g.objects(None, VOID.sparqlEndpoint))


def test_void_html_reads_as_a_page(client):
    response = get(client, "/void", headers={"Accept": "text/html"})
    assert response.status_code == 200 and b"<h1" in response.data


def test_sitemap_lists_every_document(client, store, release):
    response = get(client, "/sitemap.xml", base_url="https://mirror.test")
    assert response.status_code == 200
    locs = {e.text for e in ET.fromstring(response.data).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    entities = {q.subject.value for q in store if q.subject.value.startswith(release.base + "id/")
                and "#" not in q.subject.value}
    assert len(entities) > 30
    for entity in entities:
        assert "https://mirror.test/doc/" + entity[len(release.base + "id/"):] in locs
    for loc in locs:
        assert get(client, loc.replace("https://mirror.test", "")).status_code == 200, loc


def test_context_is_the_releases(client, release):
    response = get(client, "/context.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    assert response.data == release.file("context.jsonld").read_bytes()


def test_jsonld_context_is_embedded_not_fetched(client):
    doc = get(client, "/doc/person/sohail-mahmood.jsonld").get_json()
    assert isinstance(doc["@context"], dict) and doc["@context"]["@vocab"] == "http://schema.org/"
    g = Graph().parse(data=get(client, "/doc/person/sohail-mahmood.jsonld").data, format="json-ld")
    assert Literal("Sohail Mahmood", lang="en") in set(g.objects())


def test_robots_points_crawlers_at_the_sitemap(client):
    response = get(client, "/robots.txt", base_url="https://mirror.test")
    assert "Sitemap: https://mirror.test/sitemap.xml" in response.get_data(as_text=True)
    assert "Disallow: /sparql" in response.get_data(as_text=True)
