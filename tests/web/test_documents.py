"""/id and /doc: 303s, negotiated and fixed-format documents, headers, conditional GET, errors."""

from __future__ import annotations

import gzip
from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from lod_pub.iris import Minter
from lod_pub.vocab import DIP, OA, RDF, SCHEMA
from lod_pub.web import create_app
from lod_pub.settings import Settings

CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
          "application/signed-exchange;v=b3;q=0.7")
PERSON = "/doc/person/sohail-mahmood"
ARTICLE_SLUG = "tdi-2021-10-21-foreign-secretary-nato-delegation"
RDF_EXTENSIONS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
         "rdf": "application/rdf+xml", "html": "text/html"}


def parse(response, fmt: str) -> Graph:
    assert response.status_code == 200, response.data[:500]
    return Graph().parse(data=response.data, format=fmt)


def iri(kind: str, slug: str) -> URIRef:
    return Minter().entity(kind, slug)


@pytest.mark.parametrize("path", [PERSON, f"/doc/article/{ARTICLE_SLUG}", "/doc/event/meeting-fs-nato-delegation-2021-10-20",
                                  "/doc/organization/nato", "/void", "/ns/dip", "/ns/dip-shapes"])
def test_every_format_describes_the_same_graph(client, path):
    turtle = parse(client.get(f"{path}.ttl"), "turtle")
    assert len(turtle) > 10
    for ext, fmt in RDF_EXTENSIONS.items():
        other = parse(client.get(f"{path}.{ext}"), fmt)
        assert isomorphic(turtle, other), f"{path}.{ext} differs from Turtle"


def test_negotiated_document_matches_the_fixed_one(client):
    negotiated = client.get(PERSON, headers={"Accept": "application/ld+json"})
    assert negotiated.headers["Content-Type"].startswith("application/ld+json")
    assert negotiated.headers["Content-Location"].endswith(f"{PERSON}.jsonld")
    assert "Accept" in negotiated.headers["Vary"]
    assert isomorphic(parse(negotiated, "json-ld"), parse(client.get(f"{PERSON}.ttl"), "turtle"))


def test_alternates_are_linked_with_their_media_types(client):
    response = client.get(PERSON, headers={"Accept": "text/turtle"})
    links = response.headers.getlist("Link")
    for ext, media in MEDIA.items():
        assert any(f"{PERSON}.{ext}>" in link and f'type="{media}"' in link for link in links), (ext, links)
    assert any('rel="describes"' in link and "/id/person/sohail-mahmood>" in link for link in links)


@pytest.mark.parametrize("accept, ext", [(CHROME, "html"), ("*/*", "ttl"), (None, "ttl"),
                                         ("application/ld+json", "jsonld"), ("application/rdf+xml", "rdf"),
                                         ("text/plain, */*;q=0.1", "nt")])
def test_thing_iri_answers_303_to_its_document(client, accept, ext):
    response = client.get("/id/person/sohail-mahmood", headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["Location"] == f"http://localhost{PERSON}.{ext}"
    assert response.headers["Vary"] == "Accept"
    followed = client.get(response.headers["Location"], headers={"Accept": accept} if accept else {})
    assert followed.status_code == 200
    assert followed.headers["Content-Type"].startswith(MEDIA[ext])


def test_iris_resolve_by_path_on_any_host(client):
    response = client.get("/id/person/sohail-mahmood", base_url="http://mirror.test:8123")
    assert response.headers["Location"] == f"http://mirror.test:8123{PERSON}.ttl"
    graph = parse(client.get(f"{PERSON}.ttl", base_url="http://mirror.test:8123"), "turtle")
    assert (iri("person", "sohail-mahmood"), SCHEMA.name, Literal("Sohail Mahmood", lang="en")) in graph


def test_description_holds_own_incoming_labels_and_evidence(client):
    g = parse(client.get(f"{PERSON}.ttl"), "turtle")
    me = iri("person", "sohail-mahmood")
    post = iri("post", "foreign-secretary-of-pakistan")
    meeting = iri("event", "meeting-fs-nato-delegation-2021-10-20")
    assert (me, SCHEMA.name, Literal("Sohail Mahmood", lang="en")) in g           # own
    assert (me, URIRef("http://www.w3.org/ns/org#holds"), post) in g                 # outgoing link
    assert (meeting, SCHEMA.attendee, me) in g                                       # incoming link
    assert (post, SCHEMA.name, None) in g and (meeting, SCHEMA.name, None) in g      # labels of linked things
    assert (meeting, RDF.type, SCHEMA.Event) in g                                    # and their types
    evidence = list(g.objects(me, DIP.evidence))
    targets = [g.value(e, OA.hasTarget) for e in evidence]                           # each a Web Annotation
    assert evidence and all(g.value(t, OA.hasSource) == iri("article", ARTICLE_SLUG) for t in targets)
    exact = {str(o) for t in targets for sel in g.objects(t, OA.hasSelector) for o in g.objects(sel, OA.exact)}
    assert "Foreign Secretary of Pakistan, Sohail Mahmood" in exact                  # the selectors, three levels deep


def test_links_are_paged_with_rel_next_not_cut_off(settings, release):
    client = create_app(settings, LOD_PUB_PAGE_SIZE=5).test_client()
    article = iri("article", ARTICLE_SLUG)
    full = parse(create_app(settings).test_client().get(f"/doc/article/{ARTICLE_SLUG}.ttl"), "turtle")
    mentions = set(full.objects(article, SCHEMA.mentions))
    assert len(mentions) > 10
    seen, url, pages = set(), f"/doc/article/{ARTICLE_SLUG}.ttl", 0
    while url:
        response = client.get(url)
        pages += 1
        seen |= set(parse(response, "turtle").objects(article, SCHEMA.mentions))
        nxt = [link for link in response.headers.getlist("Link") if 'rel="next"' in link]
        url = nxt[0].split(">")[0].lstrip("<") if nxt else None
        assert url is None or url.startswith(f"http://localhost/doc/article/{ARTICLE_SLUG}.ttl?page=")
    assert pages > 2 and seen == mentions
    assert client.get(f"/doc/article/{ARTICLE_SLUG}.ttl?page=999").status_code == 404


def test_unknown_iris_are_404_in_html_or_text(client):
    html = client.get("/id/person/nobody", headers={"Accept": CHROME})
    assert html.status_code == 404 and html.headers["Content-Type"].startswith("text/html")
    assert b"404" in html.data and b"<html" in html.data
    text = client.get("/doc/person/nobody", headers={"Accept": "*/*"})
    assert text.status_code == 404 and text.headers["Content-Type"].startswith("text/plain")
    assert b"404 Not Found" in text.data


@pytest.mark.parametrize("path", ["/id/nokind/x", "/doc/person/", "/doc/person/sohail-mahmood.exe",
                                  "/doc/person/%FF%FE", "/doc/person/..%2F..%2Fetc", "/id/person/" + "x" * 5000,
                                  f"{PERSON}?page=0", f"{PERSON}?page=abc", "/ns/other", "/dumps/../manifest.json",
                                  "/doc/person/a%00b", "/id/person/%3Cscript%3E"])
def test_odd_paths_are_404_never_500(client, path):
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert response.data


def test_406_names_the_alternatives(client):
    for path in ("/id/person/sohail-mahmood", PERSON):
        response = client.get(path, headers={"Accept": "image/png"})
        assert response.status_code == 406
        for media in MEDIA.values():
            assert media.encode() in response.data
        assert any('rel="alternate"' in link for link in response.headers.getlist("Link"))


def test_etag_and_304(client):
    first = client.get(PERSON, headers={"Accept": "text/turtle"})
    etag = first.headers["ETag"]
    assert client.get(PERSON, headers={"Accept": "text/turtle"}).headers["ETag"] == etag
    assert client.get(PERSON, headers={"Accept": "application/ld+json"}).headers["ETag"] != etag
    again = client.get(PERSON, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and "Accept" in again.headers["Vary"]
    other = client.get(PERSON, headers={"Accept": "text/turtle", "If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_last_modified_and_if_modified_since(client, release):
    first = client.get(f"{PERSON}.ttl")
    assert first.headers["Last-Modified"]
    again = client.get(f"{PERSON}.ttl", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304
    older = client.get(f"{PERSON}.ttl", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert older.status_code == 200


def test_compression_when_accepted(client):
    plain = client.get(f"{PERSON}.ttl")
    packed = client.get(f"{PERSON}.ttl", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] != plain.headers["ETag"]
    assert "Accept-Encoding" in packed.headers["Vary"]
    refused = client.get(f"{PERSON}.ttl", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


@pytest.mark.parametrize("path", ["/", PERSON, f"{PERSON}.jsonld", "/void", "/ns/dip", "/dumps/graph.ttl.gz", "/id/person/sohail-mahmood",
                                  "/doc/person/nobody"])
def test_head_everywhere(client, path):
    get, head = client.get(path), client.head(path)
    get.close(), head.close()  # a file answer (a dump) is open until its response is closed
    assert head.status_code == get.status_code
    assert head.data == b""
    for name in ("Content-Type", "ETag", "Location", "Vary"):
        assert head.headers.get(name) == get.headers.get(name)


def test_cors_without_credentials(client):
    for path in (PERSON, "/id/person/sohail-mahmood", "/void", "/dumps/graph.nq.gz"):
        response = client.get(path)
        response.close()
        assert response.headers["Access-Control-Allow-Origin"] == "*", path
        assert "Access-Control-Allow-Credentials" not in response.headers
        assert "Link" in response.headers["Access-Control-Expose-Headers"]


def test_a_bug_is_a_readable_500_page(client, monkeypatch):
    from lod_pub.web import resources

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(resources, "describe", broken)
    response = client.get("/doc/organization/nato", headers={"Accept": CHROME})
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html") and b"Internal Server Error" in response.data
    assert b"a bug" not in response.data  # no traceback or message leaks to the client


def test_read_only(client):
    assert client.post(PERSON).status_code == 405
    assert client.delete("/id/person/sohail-mahmood").status_code == 405


def test_no_release_is_503_with_retry_after(tmp_path):
    client = create_app(Settings(data_dir=tmp_path)).test_client()
    for path in ("/", PERSON, "/id/person/sohail-mahmood", "/void", "/dumps/graph.ttl.gz"):
        response = client.get(path, headers={"Accept": CHROME})
        assert response.status_code == 503, path
        assert int(response.headers["Retry-After"]) > 0
        assert b"lod-pub build" in response.data


def test_every_graph_iri_dereferences(client, release):
    for graph in release.manifest["graphs"]:
        path = graph[len(release.base) - 1:]
        turtle = parse(client.get(path, headers={"Accept": "text/turtle"}), "turtle")
        assert len(turtle) > 10
        assert isomorphic(turtle, parse(client.get(path + ".jsonld"), "json-ld"))
        assert client.get(path, headers={"Accept": CHROME}).headers["Content-Type"].startswith("text/html")
    assert client.get("/graph/article/nothing-here").status_code == 404


def test_every_iri_of_the_release_dereferences(client, store, release):
    base = release.base
    iris = {t.value for q in store for t in (q.subject, q.object)
            if hasattr(t, "value") and isinstance(t.value, str) and t.value.startswith(base + "id/")}
    assert len(iris) > 30 and any("#" in value for value in iris)
    for value in sorted(iris):
        path = value[len(base) - 1:].split("#")[0]
        for accept, media in ((CHROME, "text/html"), ("*/*", "text/turtle"), ("application/ld+json", "application/ld+json")):
            seen = client.get(path, headers={"Accept": accept})
            assert seen.status_code == 303, value
            doc = client.get(seen.headers["Location"], headers={"Accept": accept})
            assert doc.status_code == 200 and doc.headers["Content-Type"].startswith(media), value
            if media == "text/turtle":  # the document describes the IRI, hash IRIs (…#image) included
                described = {s for s, _, _ in Graph().parse(data=doc.data, format="turtle")}
                assert URIRef(value) in described, value


def test_non_ascii_slugs_round_trip():
    minter = Minter()
    value = minter.entity("person", "Zoë-Ünïcødé")
    assert str(value) == "https://lod.example.org/id/person/" + quote("Zoë-Ünïcødé", safe="-")
    assert minter.split(str(value)) == ("id", "person", "Zoë-Ünïcødé")


@pytest.mark.parametrize("proxies, expected", [(0, "http://localhost"), (1, "https://lod.example.org")])
def test_forwarded_scheme_and_host_are_trusted_only_behind_configured_proxies(settings, release, proxies, expected):
    """Behind a TLS proxy (LOD_PUB_PROXIES=1, for servers such as granian that have no option of their own)
    the 303 and the document's links name the public https IRI; without it a client's X-Forwarded-* are
    ignored, so no one can make the server name another host."""
    client = create_app(settings, LOD_PUB_PROXIES=proxies).test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "lod.example.org", "Accept": "text/turtle"}
    response = client.get("/id/person/sohail-mahmood", headers=forwarded)
    assert response.status_code == 303 and response.headers["Location"] == f"{expected}{PERSON}.ttl"
    document = client.get(PERSON, headers=forwarded)
    assert document.headers["Content-Location"] == f"{expected}{PERSON}.ttl"
