"""Vary on negotiated answers, parsed as a list of field names; and conditional GET where If-None-Match
and If-Modified-Since disagree (RFC 9110 §13.2.2: with If-None-Match present, If-Modified-Since is
ignored)."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest

CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
          "application/signed-exchange;v=b3;q=0.7")
ACCEPTS = [CHROME, "*/*", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
THINGS = ["/id/person/sohail-mahmood", "/id/organization/nato", "/id/event/meeting-fs-nato-delegation-2021-10-20",
          "/id/article/tdi-2021-10-21-foreign-secretary-nato-delegation"]
DOCUMENTS = [thing.replace("/id/", "/doc/", 1) for thing in THINGS] + ["/void"]
FIXED = ["/doc/person/sohail-mahmood.ttl", "/doc/organization/nato.jsonld", "/void.ttl"]


def vary(response) -> set[str]:
    """The field names of every Vary header of the response, lower-cased."""
    return {name.strip().lower() for value in response.headers.getlist("Vary") for name in value.split(",")
            if name.strip()}


def get(client, url: str, **kw):
    """GET and close: a file answer keeps its file open until its response is closed."""
    response = client.get(url, **kw)
    response.get_data()
    response.close()
    return response


def http_date(response, shift: timedelta) -> str:
    """The response's Last-Modified moved by shift, as an HTTP date."""
    return format_datetime(parsedate_to_datetime(response.headers["Last-Modified"]) + shift, usegmt=True)


LATER, EARLIER = timedelta(days=1), timedelta(days=-3650)


# -- Vary: Accept ----------------------------------------------------------------------------------
@pytest.mark.parametrize("thing", THINGS)
@pytest.mark.parametrize("accept", ACCEPTS)
def test_a_303_varies_on_accept(client, thing, accept):
    response = client.get(thing, headers={"Accept": accept})
    assert response.status_code == 303
    assert "accept" in vary(response)


@pytest.mark.parametrize("path", DOCUMENTS)
@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_a_negotiated_document_varies_on_accept(client, path, accept, encoding):
    headers = {"Accept": accept, **({"Accept-Encoding": encoding} if encoding else {})}
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert {"accept", "accept-encoding"} <= vary(response)


@pytest.mark.parametrize("path", DOCUMENTS)
def test_a_304_of_a_negotiated_document_varies_on_accept(client, path):
    first = client.get(path, headers={"Accept": "text/turtle"})
    again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert {"accept", "accept-encoding"} <= vary(again)


def test_a_406_of_a_document_varies_on_accept(client):
    response = client.get(DOCUMENTS[0], headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "accept" in vary(response)


# -- If-None-Match before If-Modified-Since --------------------------------------------------------
@pytest.mark.parametrize("path", DOCUMENTS[:2] + FIXED)
def test_a_document_with_a_non_matching_etag_is_sent_whatever_if_modified_since(client, path):
    first = client.get(path, headers={"Accept": "text/turtle"})
    assert first.status_code == 200 and first.headers["ETag"] != '"not-the-etag"'
    for since in (LATER, timedelta(0)):
        again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": '"not-the-etag"',
                                          "If-Modified-Since": http_date(first, since)})
        assert again.status_code == 200
        assert again.data == first.data


@pytest.mark.parametrize("path", DOCUMENTS[:2] + FIXED)
def test_a_document_with_its_etag_is_not_sent_whatever_if_modified_since(client, path):
    first = client.get(path, headers={"Accept": "text/turtle"})
    for since in (EARLIER, LATER):
        again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"],
                                          "If-Modified-Since": http_date(first, since)})
        assert again.status_code == 304
        assert again.data == b""
        assert again.headers["ETag"] == first.headers["ETag"]


def test_a_dump_with_a_non_matching_etag_is_sent_whatever_if_modified_since(client, release):
    dump = release.manifest["dumps"][0]
    url = f"/dumps/{dump['name']}"
    first = get(client, url)
    assert first.status_code == 200
    for since in (LATER, timedelta(0)):
        again = get(client, url, headers={"If-None-Match": '"not-the-etag"', "If-Modified-Since": http_date(first, since)})
        assert again.status_code == 200
        assert again.data == first.data


def test_a_dump_with_its_etag_is_not_sent_whatever_if_modified_since(client, release):
    dump = release.manifest["dumps"][0]
    url = f"/dumps/{dump['name']}"
    first = get(client, url)
    assert first.headers["ETag"] == f'"{dump["sha256"]}"'
    for since in (EARLIER, LATER):
        again = get(client, url, headers={"If-None-Match": first.headers["ETag"],
                                          "If-Modified-Since": http_date(first, since)})
        assert again.status_code == 304


# -- what a document answer says about caching -----------------------------------------------------
@pytest.mark.parametrize("path", DOCUMENTS[:2] + FIXED)
def test_a_document_is_public_for_a_minute_and_last_modified_when_its_release_was_made(client, release, path):
    response = get(client, path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    directives = {d.strip() for d in response.headers["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60"}
    made = datetime.fromisoformat(release.manifest["created"]).replace(microsecond=0)
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == made


@pytest.mark.parametrize("path", FIXED)
def test_a_fixed_format_document_varies_on_accept_encoding_only(client, path):
    response = get(client, path, headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert vary(response) == {"accept-encoding"}
