"""Hostile requests on every route: oversize bodies and headers, malformed Accept, invalid UTF-8.

The answer is always a clear 4xx (or the page itself, where the input is merely odd), never a 5xx,
never a hang: every raw request carries a client timeout.
"""

from __future__ import annotations

import time

import pytest
import requests

from hostile_support import raw, status_of

ROUTES = ("/", "/search?q=nato", "/id/person/sohail-mahmood", "/doc/person/sohail-mahmood",
          "/doc/person/sohail-mahmood.ttl", "/graph/entities", "/ns/dip", "/ns/dip-shapes", "/void",
          "/.well-known/void", "/void.ttl", "/dumps/", "/dumps/graph.nt.gz", "/sitemap.xml", "/robots.txt",
          "/context.jsonld", "/sparql", "/sparql?query=ASK%20%7B%7D", "/static/style.css", "/nothing/here")
ACCEPTS = ("*/*;q=x", ";;;,,,", "text/html;q=1e9999", "text/turtle;q=-1", "text/turtle;q=nan", "text/html;q=inf",
           "*/html", "text/*;charset=\x7f", "a" * 8000, "text/html;" + "p=1;" * 1000, ",".join(["text/x"] * 500),
           "text/turtle;q=0.5;q=0.7", "*", "/", "text/", "application/ld+json;profile=", '"text/html"',
           "text/html;q=0.\u00e9".encode("utf-8").decode("latin-1"))
BAD_QUERY_STRINGS = ("q=%ff", "q=%ED%A0%80", "query=ASK%7B%22%C0%AF%22%7D", "page=%fe", "format=%80",
                     "class=%F0%9F", "x=%c3")


def test_malformed_accept_headers_never_give_a_5xx(client):
    for route in ROUTES:
        for accept in ACCEPTS:
            response = client.get(route, headers={"Accept": accept})
            response.close()
            assert response.status_code < 500, (route, accept[:40], response.status_code)
            assert response.status_code in (200, 303, 404, 406), (route, accept[:40], response.status_code)


@pytest.mark.parametrize("query", BAD_QUERY_STRINGS)
def test_invalid_utf8_in_a_query_string_is_400_on_every_route(client, query):
    for route in ROUTES:
        joiner = "&" if "?" in route else "?"
        response = client.get(route + joiner + query)
        response.close()
        assert response.status_code == 400, (route, query, response.status_code)
        assert b"UTF-8" in response.data


def test_valid_utf8_in_a_query_string_still_answers(client):
    """The guard of the test above: UTF-8 text (here 'café', 'Ψ' and an emoji) is fine."""
    for query in ("q=caf%C3%A9", "q=%CE%A8", "q=%F0%9F%98%80", "q=a+b"):
        assert client.get("/search?" + query).status_code == 200


def test_a_form_body_that_is_not_utf8_is_400(client):
    for body in (b"query=ASK%7B%22%ff%22%7D", b"query=ASK%7B%7D&default-graph-uri=%ED%A0%80"):
        response = client.post("/sparql", data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400 and b"UTF-8" in response.data, response.data


def test_oversize_bodies_are_413_and_read_no_further(client):
    big = b"query=" + b"a" * (2 << 20)
    assert client.post("/sparql", data=big, content_type="application/x-www-form-urlencoded").status_code == 413
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    for route in ("/", "/doc/person/sohail-mahmood", "/dumps/graph.nt.gz"):  # read-only: no body wanted at all
        assert client.post(route, data=big).status_code == 405


def test_a_huge_announced_length_is_refused_at_once(gunicorn_url):
    """Content-Length of a terabyte, and no body: 413 straight away, not a wait for bytes that never come."""
    for kind in ("application/x-www-form-urlencoded", "application/sparql-query"):
        started = time.monotonic()
        answer = raw(gunicorn_url, f"POST /sparql HTTP/1.0\r\nHost: x\r\nContent-Type: {kind}\r\n"
                                   f"Content-Length: 1000000000000\r\n\r\nquery=".encode(), timeout=30)
        assert status_of(answer) == 413, answer[:300]
        assert time.monotonic() - started < 20


def test_a_chunked_oversize_body_is_413(gunicorn_url):
    def chunks():
        for _ in range(64):
            yield b"a" * 65536

    response = requests.post(gunicorn_url + "/sparql", data=chunks(), timeout=60,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_oversize_headers_and_request_lines_are_4xx(gunicorn_url):
    cases = {
        "a long request line": f"GET /search?q={'a' * 20000} HTTP/1.0\r\nHost: x\r\n\r\n",
        "a long header": f"GET / HTTP/1.0\r\nHost: x\r\nX-Big: {'a' * 20000}\r\n\r\n",
        "a long Accept": f"GET /doc/person/sohail-mahmood HTTP/1.0\r\nHost: x\r\nAccept: {'text/x,' * 3000}\r\n\r\n",
        "many headers": "GET / HTTP/1.0\r\nHost: x\r\n" + "".join(f"X-{i}: a\r\n" for i in range(500)) + "\r\n",
        "a header not in UTF-8": "GET /doc/person/sohail-mahmood HTTP/1.0\r\nHost: x\r\nAccept: \xff\xfe\r\n\r\n",
        "a raw byte in the query": "GET /search?q=\xff HTTP/1.0\r\nHost: x\r\n\r\n",
    }
    for what, request in cases.items():
        status = status_of(raw(gunicorn_url, request.encode("latin-1")))
        assert 400 <= status < 500 or (what == "a header not in UTF-8" and status in (200, 406)), (what, status)
    assert requests.get(gunicorn_url + "/robots.txt", timeout=30).status_code == 200  # and the server lives


def test_other_methods_are_405_everywhere(client):
    for route in ROUTES:
        for method in ("PUT", "DELETE", "PATCH", "TRACE"):
            response = client.open(route, method=method)
            expected = 404 if route == "/nothing/here" else 405
            assert response.status_code == expected, (route, method, response.status_code)


BAD_HOSTS = ("xn--zz", "xn--a.com", "a" * 64, "x." + "b" * 70 + ".org", "a..b", ".")


def test_a_host_werkzeug_cannot_read_is_400_not_500(gunicorn_url):
    """A Host with a label over 63 characters (Werkzeug: BadHost, no URL adapter, so the error page could
    not build its links and the error handler itself failed: a bare 500), or with a punycode label that
    does not decode (`xn--zz`: request.root_url raised UnicodeError in every handler building a link)."""
    for host in BAD_HOSTS:
        for path in ("/", "/id/person/sohail-mahmood", "/doc/person/sohail-mahmood", "/sitemap.xml", "/robots.txt",
                     "/sparql", "/nothing"):
            for accept in ("text/html", "text/turtle"):
                answer = raw(gunicorn_url, f"GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept: {accept}\r\n\r\n".encode())
                assert status_of(answer) == 400, (host, path, accept, answer[:300])


def test_odd_but_valid_hosts_still_answer(gunicorn_url):
    for host in ("evil.example", "a" * 63, "xn--caf-dma.example", "127.0.0.1:1", "[::1]:8000"):
        answer = raw(gunicorn_url, f"GET /doc/person/sohail-mahmood HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        assert status_of(answer) == 200, (host, answer[:300])
